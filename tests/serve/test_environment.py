"""A participant's environment: nothing of the facilitator's credentials reaches it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from wizard.core.events import EVENTS_VARIABLE
from wizard.serve.environment import RealAPI, participant_command, participant_environment

SECRET = "ot_live_facilitator_secret_0123456789"


def _facilitator(tmp_path: Path) -> dict[str, str]:
    """A facilitator's environment with every way a token could leak: variables, and a
    cli.json both where XDG_CONFIG_HOME points and under HOME."""
    home = tmp_path / "facilitator"
    for config in (home / ".config", tmp_path / "xdg-config"):
        (config / "opentrain").mkdir(parents=True)
        cli = config / "opentrain" / "cli.json"
        cli.write_text(json.dumps({"apiToken": SECRET, "baseUrl": "https://app.opentrain.ai"}))
        cli.chmod(0o600)
    return {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_STATE_HOME": str(home / "state"),
        "OT_API_TOKEN": SECRET,
        "OPENTRAIN_API_TOKEN": SECRET,
        "OT_API_BASE_URL": "https://app.opentrain.ai",
        "RECRUITSOME_API_KEY": SECRET,
        "DRAFT_WIZARD_SERVE_TOKEN": "r" * 43,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "DRAFT_WIZARD_SANDBOX_DB": str(home / "shared.sqlite3"),
    }


def test_the_environment_is_built_from_nothing(tmp_path: Path) -> None:
    home = tmp_path / "participant-1"
    environment = participant_environment(home, home / "events.jsonl", _facilitator(tmp_path))
    assert SECRET not in json.dumps(environment)
    assert "r" * 43 not in json.dumps(environment)
    assert environment["LANG"] == "C.UTF-8" and environment["LC_ALL"] == "C.UTF-8"
    assert environment["HOME"] == str(home)
    for variable in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        assert Path(environment[variable]).is_relative_to(home)
        assert Path(environment[variable]).is_dir()
    assert environment[EVENTS_VARIABLE] == str(home / "events.jsonl")
    assert "DRAFT_WIZARD_SANDBOX_DB" not in environment  # its own database, under its HOME
    assert (home.stat().st_mode & 0o077) == 0
    assert participant_command(real_api=False)[-1] == "--sandbox"


def test_allow_real_api_hands_on_only_the_api_settings(tmp_path: Path) -> None:
    home = tmp_path / "participant-1"
    environment = participant_environment(
        home,
        home / "events.jsonl",
        _facilitator(tmp_path),
        real_api=RealAPI(token="tok-for-room", base_url="https://app.opentrain.ai"),
    )
    assert environment["OT_API_TOKEN"] == "tok-for-room"
    assert environment["OT_API_BASE_URL"] == "https://app.opentrain.ai"
    assert "RECRUITSOME_API_KEY" not in environment
    assert "--sandbox" not in participant_command(real_api=True)


def test_a_planted_cli_json_never_reaches_a_served_process(tmp_path: Path) -> None:
    """The served process resolves its settings as the wizard does: sandbox, no token."""
    home = tmp_path / "participant-1"
    environment = participant_environment(home, home / "events.jsonl", _facilitator(tmp_path))
    probe = (
        "import json; from wizard.settings import load_settings, credentials_path; "
        "from wizard.launch import sandbox_db_path; s = load_settings(); "
        "print(json.dumps({'sandbox': s.sandbox, 'token': s.token is not None, "
        "'base': s.base_url, 'cli': str(credentials_path()), 'db': str(sandbox_db_path())}))"
    )
    import sys

    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=environment,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    seen = json.loads(result.stdout)
    assert seen["sandbox"] is True and seen["token"] is False and seen["base"] is None
    assert Path(seen["cli"]).is_relative_to(home)
    assert Path(seen["db"]).is_relative_to(home)
    assert SECRET not in result.stdout + result.stderr


def test_a_served_process_never_chooses_the_plain_mode(tmp_path: Path) -> None:
    """Its streams are pipes to the browser; the TUI runs all the same."""
    import io

    from textual_serve.download_manager import DownloadManager

    from wizard.plain.mode import plain_reason
    from wizard.serve.participants import ParticipantApp

    home = tmp_path / "participant-1"
    app = ParticipantApp(
        participant_command(real_api=False),
        participant_environment(home, home / "events.jsonl", {"TERM": "dumb"}),
        home,
        DownloadManager(),
    )
    environment = app._build_environment(100, 30)
    assert environment["TEXTUAL_DRIVER"].endswith("WebDriver")
    assert plain_reason(environment, io.StringIO(), io.StringIO()) is None
