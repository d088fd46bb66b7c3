"""The token gate, in process (aiohttp's test client): what gets in and what does not."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from wizard.api.urls import is_loopback_host as is_loopback
from wizard.serve.gate import (
    MIN_TOKEN_CHARS,
    TOKEN_COOKIE,
    TokenError,
    check_token,
    matches,
    new_token,
)
from wizard.serve.options import ServeOptions, host_warnings, room_token
from wizard.serve.server import PARTICIPANT_COOKIE, RoomServer

TOKEN = "t" * 20 + "-_" + "0123456789ABCDEFGHIJ"


Client = TestClient[aiohttp.web.Request, Any]


async def _served(tmp_path: Path, **options: object) -> tuple[Client, RoomServer]:
    server = RoomServer(
        ServeOptions(**options),  # type: ignore[arg-type]
        TOKEN,
        tmp_path / "room",
        io.StringIO(),
        environ={},
    )
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    if "public_url" not in options:
        server.public_url = str(client.make_url("")).rstrip("/")
    return client, server


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[Client]:
    client, _ = await _served(tmp_path)
    yield client
    await client.close()


async def test_page_websocket_and_status_refuse_a_missing_or_wrong_token(client: Client) -> None:
    for path in ("/", "/ws", "/status", "/status.json", "/download/x"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 401, path
        wrong = await client.get(f"{path}?token={'x' * 43}", allow_redirects=False)
        assert wrong.status == 401, path
        assert TOKEN_COOKIE not in wrong.cookies
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws")
    assert refused.value.status == 401
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await client.ws_connect("/ws?token=" + TOKEN[:-1] + "x")
    # A cookie with the wrong value is no better.
    client.session.cookie_jar.update_cookies({TOKEN_COOKIE: "nope"})
    assert (await client.get("/", allow_redirects=False)).status == 401


async def test_the_token_becomes_a_strict_cookie_and_leaves_the_url(client: Client) -> None:
    response = await client.get(f"/?token={TOKEN}&fontsize=18", allow_redirects=False)
    assert response.status == 303
    location = response.headers["Location"]
    assert TOKEN not in location and location.endswith("/?fontsize=18")
    cookie = response.cookies[TOKEN_COOKIE]
    assert cookie.value == TOKEN
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert not cookie["secure"]  # plain http on loopback: a Secure cookie would be dropped
    page = await client.get("/", allow_redirects=False)
    assert page.status == 200
    text = await page.text()
    assert "textual-terminal" in text and TOKEN not in text
    assert "googleapis" not in text  # nothing about a participant leaves the machine
    assert PARTICIPANT_COOKIE in page.cookies
    assert (await client.get("/status")).status == 200


async def test_the_status_link_starts_no_participant(tmp_path: Path) -> None:
    client, server = await _served(tmp_path)
    try:
        response = await client.get(f"/status?token={TOKEN}", allow_redirects=False)
        assert response.status == 303 and response.headers["Location"].endswith("/status")
        page = await client.get("/status")
        assert page.status == 200 and "Nobody has joined yet." in await page.text()
        assert list(server.room) == []
    finally:
        await client.close()


async def test_static_assets_stay_open(client: Client) -> None:
    response = await client.get("/static/js/textual.js")
    assert response.status == 200


async def test_an_https_public_url_marks_the_cookie_secure(tmp_path: Path) -> None:
    client, _ = await _served(tmp_path, public_url="https://room.example.org")
    try:
        response = await client.get(f"/?token={TOKEN}", allow_redirects=False)
        assert response.headers["Location"] == "https://room.example.org/"
        assert response.cookies[TOKEN_COOKIE]["secure"] is True
    finally:
        await client.close()


async def test_a_websocket_from_another_site_is_refused(client: Client) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect(f"/ws?token={TOKEN}", headers={"Origin": "https://evil.example"})
    assert refused.value.status == 403


async def test_a_full_room_shows_a_friendly_page(tmp_path: Path) -> None:
    client, server = await _served(tmp_path, max_participants=1)
    other: Client = TestClient(client.server)
    try:
        await client.get(f"/?token={TOKEN}")
        (participant,) = list(server.room)
        participant.app = _Running()  # type: ignore[assignment]  # holds the only place
        page = await other.get(f"/?token={TOKEN}")
        assert page.status == 503
        assert "Every place in this room (1) is taken" in await page.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await other.ws_connect(f"/ws?token={TOKEN}")
        assert refused.value.status == 503
        # The participant holding the place still gets in.
        assert (await client.get("/")).status == 200
    finally:
        await other.close()
        await client.close()


class _Running:
    running = True


def test_tokens_are_long_url_safe_and_compared_exactly() -> None:
    token = new_token()
    assert len(token) >= MIN_TOKEN_CHARS
    assert check_token(token) == token
    assert new_token() != token
    assert matches(token, token)
    assert not matches(token[:-1], token)
    assert not matches(None, token)
    assert not matches("é" * 43, token)
    for bad in ("short", "a" * 31, "a" * 40 + "/", "a" * 40 + " "):
        with pytest.raises(TokenError):
            check_token(bad)


def test_the_token_can_come_from_the_environment() -> None:
    fixed = "F" * 40
    assert room_token({"DRAFT_WIZARD_SERVE_TOKEN": fixed}) == fixed
    with pytest.raises(TokenError):
        room_token({"DRAFT_WIZARD_SERVE_TOKEN": "too-short"})
    assert len(room_token({})) >= MIN_TOKEN_CHARS


def test_listening_beyond_this_machine_is_warned_about() -> None:
    assert host_warnings(ServeOptions()) == []
    assert is_loopback("localhost") and is_loopback("::1") and not is_loopback("0.0.0.0")
    warnings = " ".join(host_warnings(ServeOptions(host="0.0.0.0")))
    assert "anyone who can reach this machine" in warnings
    assert "in clear" in warnings
    proxied = " ".join(host_warnings(ServeOptions(host="0.0.0.0", public_url="https://r.example")))
    assert "in clear" not in proxied
    assert "YOUR OpenTrain account" in " ".join(host_warnings(ServeOptions(allow_real_api=True)))
