"""``draft-wizard serve`` on the command line: its arguments, and what it keeps off the
other commands' start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest

from wizard.cli.main import main


def test_other_commands_never_import_the_web_server() -> None:
    probe = (
        "import sys; from wizard.cli.main import build_parser; build_parser(); "
        "print(sorted(m for m in ('aiohttp', 'textual_serve', 'jinja2') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=30, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--max-participants", "0"], "--max-participants must be at least 1."),
        (["--port", "70000"], "--port must be between 0 and 65535"),
        (["--public-url", "room.example"], "--public-url must start with http:// or https://."),
        (["--grace-minutes", "-1"], "--grace-minutes cannot be negative."),
    ],
)
def test_bad_arguments_get_one_sentence(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *argv]) == 2
    assert message in capsys.readouterr().err


def test_a_short_room_token_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DRAFT_WIZARD_SERVE_TOKEN", "short")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "at least 32 characters" in err and "short" not in err.replace("shorter", "")


def test_allow_real_api_needs_a_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("OT_API_TOKEN", "OPENTRAIN_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["serve", "--allow-real-api"]) == 2
    assert "--allow-real-api needs a token" in capsys.readouterr().err


def test_help_names_the_serve_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--public-url", "--allow-real-api", "--max-participants"):
        assert option in out


def test_ctrl_c_stops_the_room_cleanly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import signal
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "DRAFT_WIZARD_SERVE_TOKEN"}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    server = subprocess.Popen(
        [sys.executable, "-m", "wizard", "serve", "--port", "0"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        link = next(line for line in server.stdout if "?token=" in line).strip()
        token = link.split("?token=")[1]
        assert len(token) >= 32
        rooms = tmp_path / "state" / "draft-wizard" / "serve"
        assert any(rooms.iterdir())
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=20)
    finally:
        server.kill()
    assert server.returncode == 0
    assert "ending the session for 0 participant(s)" in out and "Session ended." in out
    assert token not in out  # the link is printed once, at start
    assert "Traceback" not in err
    assert not any(rooms.iterdir())  # the practice folders are gone
