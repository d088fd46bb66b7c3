"""Headless Chromium (the distribution's package) driven by Playwright, for the served
wizard. No browser is downloaded: Playwright starts ``/usr/bin/chromium``.

A tab's screen is read from the websocket frames the page received (the terminal
stream xterm.js draws), with escape sequences dropped.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, Page, WebSocket, async_playwright

from tests.serve.client import screen_text

CHROMIUM = os.environ.get("DRAFT_WIZARD_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")
"""Where the browser screenshots go (``screenshots`` to refresh the README's); a
temporary folder when unset, so a test run leaves the checkout as it was."""


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """The browser (Playwright gives each launch a fresh, temporary profile)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        raise RuntimeError(f"No Chromium at {CHROMIUM}: run `make browser` to install it.")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        try:
            yield browser
        finally:
            await browser.close()


class Tab:
    """One browser context (its own cookies: one participant) and its page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.frames = bytearray()
        page.on("websocket", self._watch)

    @classmethod
    async def open(cls, browser: Browser) -> Tab:
        context = await browser.new_context(viewport={"width": 1200, "height": 800})
        return cls(await context.new_page())

    def _watch(self, socket: WebSocket) -> None:
        def received(payload: str | bytes) -> None:
            if isinstance(payload, bytes):
                self.frames.extend(payload)

        socket.on("framereceived", received)

    def mark(self) -> int:
        return len(self.frames)

    def text(self, since: int = 0) -> str:
        return screen_text(bytes(self.frames[since:]))

    async def wait_for(self, needle: str, *, since: int = 0, timeout: float = 30) -> float:
        """Seconds until ``needle`` is drawn after ``since``."""
        start = time.perf_counter()
        while needle not in self.text(since):
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{needle!r} not shown within {timeout} s")
            await asyncio.sleep(0.05)
        return time.perf_counter() - start

    async def keys(self, *keys: str, pause: float = 0.0) -> None:
        """Press keys (Playwright names) with a pause after each, as a person would."""
        for key in keys:
            await self.page.keyboard.press(key)
            if pause:
                await self.page.wait_for_timeout(pause * 1000)

    async def type(self, text: str) -> None:
        await self.page.keyboard.type(text)

    async def websocket_outcome(self, url: str) -> str:
        """ "open" or "refused" for a websocket this page opens to ``url``."""
        outcome: str = await self.page.evaluate(
            """url => new Promise(resolve => {
                const socket = new WebSocket(url);
                socket.onopen = () => { socket.close(); resolve("open"); };
                socket.onerror = () => resolve("refused");
                socket.onclose = () => resolve("refused");
            })""",
            url,
        )
        return outcome


def screenshot_path(tmp_path: Path, name: str) -> Path:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
