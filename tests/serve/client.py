"""A simulated participant: the browser's side of textual-serve's websocket protocol.

Used by the room tests and by the capacity benchmark. It joins with the shared link
(so it holds the room and participant cookies a browser would), reads the terminal
stream the app draws, and types as a browser does (``["stdin", text]``). The screen
is read as text by dropping escape sequences, enough to find a button's label.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time

import aiohttp

_ESCAPES = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])"
)

CTRL_S = "\x13"


def screen_text(stream: bytes) -> str:
    """What a terminal stream shows as text (positions ignored)."""
    return _ESCAPES.sub(b"", stream).decode("utf-8", "replace")


class SimulatedParticipant:
    """One browser's worth of a participant, over HTTP and the websocket."""

    def __init__(self, base_url: str, token: str, *, width: int = 110, height: int = 34) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.width = width
        self.height = height
        self.http: aiohttp.ClientSession | None = None
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self.stream = bytearray()
        self.closed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()

    async def open_page(self) -> int:
        """Follow the shared link (the redirect sets the cookies); the final status."""
        if self.http is None:
            self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        async with self.http.get(f"{self.base_url}/?token={self.token}") as response:
            await response.read()
            return response.status

    async def connect(self) -> None:
        """Open the app's websocket with the cookies (as the page's script does)."""
        assert self.http is not None
        ws_url = (
            "ws" + self.base_url[len("http") :] + f"/ws?width={self.width}&height={self.height}"
        )
        self.stream = bytearray()
        self.closed = asyncio.Event()
        self.socket = await self.http.ws_connect(ws_url)
        self._reader = asyncio.create_task(self._read(self.socket))
        await self.socket.send_str(
            json.dumps(["resize", {"width": self.width, "height": self.height}])
        )

    async def join(self) -> None:
        await self.open_page()
        await self.connect()

    async def _read(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        try:
            async for message in socket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.stream.extend(message.data)
                    self._changed.set()
        finally:
            self.closed.set()
            self._changed.set()

    def mark(self) -> int:
        """A position in the stream; ``wait_for`` can look only after it."""
        return len(self.stream)

    def text(self, since: int = 0) -> str:
        return screen_text(bytes(self.stream[since:]))

    async def wait_for(self, needle: str, *, since: int = 0, timeout: float = 30) -> float:
        """Seconds until ``needle`` is drawn after ``since``; TimeoutError otherwise."""
        start = time.perf_counter()
        deadline = start + timeout
        while needle not in self.text(since):
            if self.closed.is_set():
                raise ConnectionError(f"closed before {needle!r} was shown")
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{needle!r} not shown within {timeout} s")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(left, 0.5))
        return time.perf_counter() - start

    async def type(self, text: str) -> None:
        assert self.socket is not None
        await self.socket.send_str(json.dumps(["stdin", text]))

    async def drop(self) -> None:
        """Lose the connection (as a reload or a sleeping laptop does)."""
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            await self._reader

    async def close(self) -> None:
        await self.drop()
        if self.http is not None:
            await self.http.close()
