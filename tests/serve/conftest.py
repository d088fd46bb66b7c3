"""A room served in the test's own event loop on a free loopback port."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from wizard.serve.gate import new_token
from wizard.serve.options import ServeOptions
from wizard.serve.server import RoomServer


@dataclass
class RunningRoom:
    server: RoomServer
    token: str
    out: io.StringIO

    @property
    def base_url(self) -> str:
        return self.server.public_url

    @property
    def link(self) -> str:
        return f"{self.base_url}/?token={self.token}"


async def start_room(
    root: Path, environ: dict[str, str] | None = None, **options: object
) -> tuple[RunningRoom, asyncio.Event, asyncio.Task[None]]:
    token = new_token()
    out = io.StringIO()
    server = RoomServer(
        ServeOptions(port=0, **options),  # type: ignore[arg-type]
        token,
        root,
        out,
        environ=dict(os.environ) if environ is None else environ,
    )
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(server.run_until_stopped(stop, ready))
    await asyncio.wait_for(ready.wait(), 10)
    return RunningRoom(server, token, out), stop, task


async def until(condition: Callable[[], object], timeout: float = 10) -> None:
    """Let the room run until ``condition`` holds (events are read twice a second)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


@pytest.fixture
async def room(tmp_path: Path) -> AsyncIterator[RunningRoom]:
    running, stop, task = await start_room(tmp_path / "room")
    try:
        yield running
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
