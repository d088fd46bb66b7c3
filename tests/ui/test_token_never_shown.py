"""The token never reaches the screen: not the request log, not a screenshot."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from textual.widgets import DataTable

from wizard.bootstrap import make_app
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer
from wizard.settings import load_settings
from wizard.ui.dialogs.request_log import RequestLogScreen

from .harness import form_screen, wait_for

DESCRIPTION = "Spanish transcript review\nReview transcripts of calls. Pay: $18 per hour.\n"


async def test_request_log_and_screenshots_never_show_the_token(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    with SandboxServer() as server:
        # Configured exactly as a user of the real API would: token in the environment.
        monkeypatch.setenv("OT_API_TOKEN", SANDBOX_TOKEN)
        monkeypatch.setenv("OT_API_BASE_URL", server.base_url)
        settings = load_settings()
        assert not settings.sandbox
        app = make_app(settings, description=DESCRIPTION, start_new=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: form_screen(app) is not None)
            form = form_screen(app)
            assert form is not None
            await wait_for(pilot, lambda: form.rendered_round > 0)
            assert "SANDBOX" not in app.export_screenshot()
            await pilot.press("ctrl+l")
            await wait_for(pilot, lambda: isinstance(app.screen, RequestLogScreen))
            log = app.screen
            await pilot.pause()
            table = log.query_one(DataTable)
            assert table.row_count >= 3  # capabilities, facets, create
            shots = [app.export_screenshot()]
            for row in range(table.row_count):
                table.move_cursor(row=row)
                await pilot.pause()
                shots.append(app.export_screenshot())
            detail = str(log.query_one("#exchange-detail").render())
            assert "Authorization: Bearer «redacted»" in detail
            for shot in shots:
                assert SANDBOX_TOKEN not in shot
            for exchange in app.exchanges:
                assert SANDBOX_TOKEN not in json.dumps(exchange.__dict__, default=str)
            journal = (isolated_home / "state" / "draft-wizard" / "journal.sqlite3").read_bytes()
            assert SANDBOX_TOKEN.encode() not in journal


async def test_a_readable_credentials_file_is_warned_about_on_screen(
    isolated_home: Path,
) -> None:
    credentials = isolated_home / "config" / "opentrain" / "cli.json"
    credentials.parent.mkdir(parents=True)
    credentials.write_text(json.dumps({"apiToken": SANDBOX_TOKEN, "baseUrl": "http://127.0.0.1:9"}))
    os.chmod(credentials, 0o644)
    settings = load_settings()
    assert credentials.stat().st_mode & stat.S_IROTH
    app = make_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("readable by other users" in m and "chmod 600" in m for m in messages)
        assert all(SANDBOX_TOKEN not in m for m in messages)


async def test_a_state_dir_that_cannot_be_written_is_said_on_the_start_screen(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = isolated_home / "not-a-dir"
    blocked.write_text("a file where the state directory should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    app = make_app(load_settings(force_sandbox=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(str(app.screen.query_one("#banner").render())))
        banner = str(app.screen.query_one("#banner").render())
        assert "crash-safety" in banner.casefold()
