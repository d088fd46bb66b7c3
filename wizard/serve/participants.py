"""Participants and their wizard processes, which outlive a dropped connection.

A participant is named by a cookie. Their wizard process is kept alive when the
websocket closes (a reload, a sleeping laptop, a Wi-Fi drop) for a grace period; a
websocket from the same participant within it is attached to the same process, which
redraws its screen, so the form, its typed answers, focus and scroll are all exactly
where they were. After the grace period the process is asked to quit (the journal and
the sandbox database in the participant's folder keep what was sent).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

# What a fresh xterm needs before a running app's next frame makes sense: the alternate
# screen, mouse reporting, a hidden cursor and bracketed paste (what Textual's web
# driver writes once at start).
_TERMINAL_MODES = b"\x1b[?1049h\x1b[?1000h\x1b[?1003h\x1b[?1015h\x1b[?1006h\x1b[?25l\x1b[?2004h"
_STOP_SECONDS = 5.0


class ParticipantApp(AppService):
    """One wizard process whose browser connection can be swapped."""

    def __init__(
        self,
        argv: list[str],
        environment: dict[str, str],
        cwd: Path,
        download_manager: DownloadManager,
    ) -> None:
        super().__init__(
            " ".join(argv),
            write_bytes=self._to_browser,
            write_str=self._to_browser_text,
            close=self._close_browser,
            download_manager=download_manager,
        )
        self._argv = argv
        self._environment = environment
        self._cwd = cwd
        self.socket: web.WebSocketResponse | None = None
        self.size = (80, 24)
        self.stop_requested = False
        """Set when serve ends the app (grace period over, or the room closing)."""
        self.exiting = False
        """Set when the app said it is exiting (the participant quit it)."""

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = dict(self._environment)
        environment.update(
            TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver",
            TEXTUAL_FPS="60",
            TEXTUAL_COLOR_SYSTEM="truecolor",
            TERM_PROGRAM="textual",
            COLUMNS=str(width),
            ROWS=str(height),
        )
        return environment

    async def _open_app_process(
        self, width: int = 80, height: int = 24
    ) -> asyncio.subprocess.Process:
        # No shell, the participant's own folder, and a session of its own: Ctrl+C in the
        # facilitator's terminal reaches serve, which ends each app in order.
        self._process = process = await asyncio.create_subprocess_exec(
            *self._argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
            cwd=self._cwd,
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def returncode(self) -> int | None:
        return self._process.returncode if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def wait(self) -> None:
        """Until the process has ended (its output closed and its exit reaped)."""
        if self._task is not None:
            await asyncio.shield(self._task)
        if self._process is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._process.wait(), _STOP_SECONDS)

    async def attach(self, socket: web.WebSocketResponse, width: int, height: int) -> None:
        """Draw this process in a new browser connection (a reconnect or a reload)."""
        self.socket = socket
        await socket.send_bytes(_TERMINAL_MODES)
        # The same size is ignored by Textual; a one-row nudge forces a full repaint.
        await self.set_terminal_size(width, max(height - 1, 1))
        await self.set_terminal_size(width, height)

    def detach(self, socket: web.WebSocketResponse) -> bool:
        """Forget this connection if it is the current one; whether it was."""
        if self.socket is socket:
            self.socket = None
            return True
        return False

    async def set_terminal_size(self, width: int, height: int) -> None:
        self.size = (width, height)
        await super().set_terminal_size(width, height)

    async def _to_browser(self, data: bytes) -> None:
        # While nobody is attached the frames are dropped: the next attach redraws.
        socket = self.socket
        if socket is not None and not socket.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await socket.send_bytes(data)

    async def _to_browser_text(self, data: str) -> None:
        socket = self.socket
        if socket is not None and not socket.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await socket.send_str(data)

    async def _close_browser(self) -> None:
        # Called on the app's own "exit": this connection ends because the app does.
        self.exiting = True
        socket = self.socket
        if socket is not None:
            await socket.close()

    async def stop(self) -> None:
        """Ask the app to quit; end the process if it has not within a few seconds."""
        if self._task is None:
            return
        self.stop_requested = True
        with contextlib.suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        process = self._process
        try:
            await asyncio.wait_for(asyncio.shield(self._task), _STOP_SECONDS)
            if process is not None:  # its output has ended; wait for the exit itself
                await asyncio.wait_for(process.wait(), _STOP_SECONDS)
        except TimeoutError:
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
            await self._task


@dataclass
class Progress:
    """How far a participant got, from their events (counts and ids only)."""

    job_id: str | None = None
    drafts: int = 0
    rounds: int = 0
    left: int | None = None
    published: int = 0


@dataclass
class Participant:
    """One person in the room (one browser), and their process while it runs."""

    number: int
    key: str
    home: Path
    app: ParticipantApp | None = None
    connected: bool = False
    away_since: float | None = None
    ended: bool = False
    progress: Progress = field(default_factory=Progress)
    expiry: asyncio.TimerHandle | None = None
    events_offset: int = 0

    @property
    def label(self) -> str:
        return f"participant {self.number}"

    @property
    def events_file(self) -> Path:
        return self.home / "events.jsonl"

    @property
    def live(self) -> bool:
        """Holding a place in the room: a running process."""
        return self.app is not None and self.app.running

    def read_events(self) -> list[dict[str, object]]:
        """Events appended since the last call (complete lines only)."""
        try:
            with self.events_file.open("rb") as handle:
                handle.seek(self.events_offset)
                data = handle.read()
        except OSError:
            return []
        end = data.rfind(b"\n") + 1
        self.events_offset += end
        events: list[dict[str, object]] = []
        for line in data[:end].splitlines():
            with contextlib.suppress(ValueError):
                event = json.loads(line)
                if isinstance(event, dict):
                    events.append(event)
        return events


class Room:
    """Every participant of one serve run, by their cookie."""

    def __init__(self, root: Path, *, grace_seconds: float, max_participants: int) -> None:
        self.root = root
        self.grace_seconds = grace_seconds
        self.max_participants = max_participants
        self._by_key: dict[str, Participant] = {}
        self._count = 0
        self.started = time.time()

    def __iter__(self) -> Iterator[Participant]:
        return iter(list(self._by_key.values()))

    def get(self, key: str | None) -> Participant | None:
        if not key:
            return None
        return self._by_key.get(key)

    def live_count(self) -> int:
        return sum(1 for participant in self._by_key.values() if participant.live)

    def has_room_for(self, participant: Participant | None) -> bool:
        """Whether this participant may (re)start a process now."""
        if participant is not None and participant.live:
            return True
        return self.live_count() < self.max_participants

    def new(self) -> Participant:
        """A new participant with a fresh key and their own folder."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        while True:
            self._count += 1
            # Named by number, never by the key (the key is a credential); a folder left
            # by an earlier run is never shared with a new participant.
            home = self.root / f"participant-{self._count}"
            try:
                home.mkdir(mode=0o700)
                break
            except FileExistsError:
                continue
        key = secrets.token_urlsafe(24)
        participant = Participant(number=self._count, key=key, home=home)
        self._by_key[key] = participant
        return participant


def process_memory_kib(pid: int) -> int:
    """A process's proportional set size in KiB (its RSS where PSS is not readable)."""
    for name, label in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(label):
                    return int(line.split()[1])
    return 0
