"""A served room with real wizard processes, driven over the websocket as a browser does."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import aiohttp

from tests.serve.client import CTRL_S, SimulatedParticipant
from tests.serve.conftest import RunningRoom, start_room, until
from tests.serve.test_environment import SECRET, _facilitator

DESCRIPTION = "Spanish tutor for beginners\nRemote Spanish tutoring for adults, $25 an hour."
SANDBOX_BANNER = "nothing you do here is published"


async def _status(room: RunningRoom, client: SimulatedParticipant) -> list[dict[str, object]]:
    assert client.http is not None
    async with client.http.get(f"{room.base_url}/status.json") as response:
        assert response.status == 200
        rows: list[dict[str, object]] = (await response.json())["participants"]
        return rows


async def _create_draft(participant: SimulatedParticipant, description: str) -> None:
    await participant.wait_for("Create draft")
    mark = participant.mark()
    await participant.type(description)
    await participant.type(CTRL_S)
    await participant.wait_for("Send answers", since=mark)


async def test_a_reconnect_finds_the_same_session(tmp_path: Path) -> None:
    room, stop, task = await start_room(tmp_path / "room", grace_seconds=60.0)
    participant = SimulatedParticipant(room.base_url, room.token)
    try:
        await participant.join()
        await _create_draft(participant, DESCRIPTION)
        typed = "Adults learning conversational Spanish"
        await participant.type(typed)
        await participant.wait_for(typed)
        (person,) = list(room.server.room)
        assert person.app is not None
        pid = person.app.pid
        await participant.drop()
        await until(lambda: "away" in str(room.out.getvalue()))
        assert str((await _status(room, participant))[0]["state"]).startswith("away")
        await participant.open_page()  # the reload
        await participant.connect()
        await participant.wait_for(typed)  # redrawn from the same process
        await participant.wait_for("Send answers")
        assert person.app.pid == pid
        assert (await _status(room, participant))[0]["state"] == "connected"
        assert "reconnected (same session)" in room.out.getvalue()
        # The same participant in a second tab takes the session over; the first closes.
        second_tab = SimulatedParticipant(room.base_url, room.token)
        second_tab.http = participant.http
        await second_tab.connect()
        await second_tab.wait_for(typed)
        await asyncio.wait_for(participant.closed.wait(), 5)
        assert person.app.pid == pid and room.server.room.live_count() == 1
        await second_tab.drop()
    finally:
        await participant.close()
        stop.set()
        await asyncio.wait_for(task, 20)


async def test_after_the_grace_period_the_session_is_closed(tmp_path: Path) -> None:
    room, stop, task = await start_room(tmp_path / "room", grace_seconds=0.2)
    participant = SimulatedParticipant(room.base_url, room.token)
    try:
        await participant.join()
        await _create_draft(participant, DESCRIPTION)
        await participant.drop()
        await until(lambda: "session closed" in room.out.getvalue())
        assert room.server.room.live_count() == 0
        assert "left (the wizard was closed)" not in room.out.getvalue()
        assert (await _status(room, participant))[0]["state"] == "ended"
        await participant.connect()  # a fresh process for the same participant
        await participant.wait_for("Create draft")
        await participant.wait_for("1 draft")  # their own sandbox and journal, kept
        assert len(list(room.server.room)) == 1
        await participant.type("\x11")  # ctrl+q: the participant quits the wizard
        await asyncio.wait_for(participant.closed.wait(), 10)
        await until(lambda: "participant 1: left (the wizard was closed)" in room.out.getvalue())
        assert room.server.room.live_count() == 0
    finally:
        await participant.close()
        stop.set()
        await asyncio.wait_for(task, 20)


async def test_stopping_the_room_tells_each_participant(tmp_path: Path) -> None:
    room, stop, task = await start_room(tmp_path / "room")
    participant = SimulatedParticipant(room.base_url, room.token)
    try:
        await participant.join()
        await participant.wait_for("Create draft")
        (person,) = list(room.server.room)
        assert person.app is not None and person.app.pid is not None
        pid = person.app.pid
        stop.set()
        await asyncio.wait_for(task, 20)
        await asyncio.wait_for(participant.closed.wait(), 5)
        assert "The facilitator has ended this session." in participant.text()
        assert "ending the session for 1 participant" in room.out.getvalue()
        assert not Path(f"/proc/{pid}").exists()
    finally:
        await participant.close()


async def test_a_planted_cli_json_never_reaches_a_served_session(tmp_path: Path) -> None:
    facilitator = _facilitator(tmp_path)
    facilitator["PATH"] = os.environ["PATH"]
    room, stop, task = await start_room(tmp_path / "room", environ=facilitator)
    participant = SimulatedParticipant(room.base_url, room.token)
    try:
        await participant.join()
        await participant.wait_for(SANDBOX_BANNER)
        (person,) = list(room.server.room)
        assert person.app is not None and person.app.pid is not None
        environ = Path(f"/proc/{person.app.pid}/environ").read_bytes()
        assert SECRET.encode() not in environ
        assert b"HOME=" + str(person.home).encode() in environ
        await _create_draft(participant, DESCRIPTION)
    finally:
        await participant.close()
        stop.set()
        await asyncio.wait_for(task, 20)
    assert SECRET not in participant.text()


async def test_rounds_are_reported_to_the_facilitator(room: RunningRoom) -> None:
    participant = SimulatedParticipant(room.base_url, room.token)
    try:
        await participant.join()
        await _create_draft(participant, DESCRIPTION)
        mark = participant.mark()
        await participant.type("Adults learning conversational Spanish, two sessions a week")
        await participant.wait_for("two sessions a week", since=mark)
        await participant.type(CTRL_S)
        await until(lambda: "round sent" in room.out.getvalue(), timeout=20)
        row = (await _status(room, participant))[0]
        assert row["rounds"] == 1 and isinstance(row["left"], int)
    finally:
        await participant.close()


async def test_a_websocket_without_the_token_gets_no_process(room: RunningRoom) -> None:
    async with aiohttp.ClientSession() as http:
        for url in (f"{room.base_url}/ws", f"{room.base_url}/ws?token={'x' * 43}"):
            try:
                await http.ws_connect("ws" + url[4:])
            except aiohttp.WSServerHandshakeError as refused:
                assert refused.status == 401
            else:
                raise AssertionError("a websocket without the token was accepted")
    assert list(room.server.room) == []


async def test_a_wizard_that_cannot_start_is_one_line_for_the_facilitator(
    room: RunningRoom,
) -> None:
    room.server._command = ["/nonexistent/draft-wizard"]
    participant = SimulatedParticipant(room.base_url, room.token)
    try:
        await participant.join()
        await asyncio.wait_for(participant.closed.wait(), 10)
    finally:
        await participant.close()
    assert "participant 1: could not start the wizard" in room.out.getvalue()
    assert "Traceback" not in room.out.getvalue()
    assert room.server.room.live_count() == 0


async def test_a_wizard_that_dies_closes_the_tab_and_says_so(room: RunningRoom) -> None:
    participant = SimulatedParticipant(room.base_url, room.token)
    try:
        await participant.join()
        await participant.wait_for("Create draft")
        (person,) = list(room.server.room)
        assert person.app is not None and person.app.pid is not None
        os.kill(person.app.pid, signal.SIGKILL)
        await asyncio.wait_for(participant.closed.wait(), 10)
        await until(lambda: "the wizard stopped unexpectedly (exit -9)" in room.out.getvalue())
        assert room.server.room.live_count() == 0
        await participant.connect()  # Reconnect: a fresh wizard for the same participant
        await participant.wait_for("Create draft")
    finally:
        await participant.close()
