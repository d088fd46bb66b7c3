"""Opening the journal never ends a run: damage is moved aside, an unwritable dir is reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile_server import read_only_dir
from wizard.core.journal import Journal, JournalCorrupt, open_journal
from wizard.core.paths import state_dir
from wizard.launch import Launcher
from wizard.settings import load_settings

SCOPE = "https://app.opentrain.ai"
GARBAGE = b"this is not a SQLite database, just some bytes a crash left behind\n" * 64


def test_a_file_that_is_not_sqlite_is_moved_aside_never_deleted(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(GARBAGE)
    with pytest.raises(JournalCorrupt):
        Journal(path)
    opening = open_journal(path)
    assert opening.journal is not None and opening.problem is None
    assert opening.notice is not None
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("journal.sqlite3.corrupt-")]
    assert len(aside) == 1
    assert aside[0].read_bytes() == GARBAGE  # kept, byte for byte
    assert aside[0].name in opening.notice and "fresh" in opening.notice
    # The fresh journal works.
    ticket = opening.journal.write_pending(SCOPE, "job-1", {"headcount": 5})
    opening.journal.acknowledge(SCOPE, "job-1", ["headcount"], ticket)
    assert opening.journal.acknowledged(SCOPE, "job-1") == {"headcount": 5}


def test_a_second_damage_the_same_second_does_not_overwrite_the_first(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    for n in range(2):
        path.unlink(missing_ok=True)
        path.write_bytes(GARBAGE + bytes([n]))
        assert open_journal(path).journal is not None
    kept = sorted(p.read_bytes()[-1] for p in tmp_path.glob("journal.sqlite3.corrupt-*"))
    assert kept == [0, 1]


def test_a_state_dir_that_is_a_file_turns_crash_safety_off(tmp_path: Path) -> None:
    blocker = tmp_path / "draft-wizard"
    blocker.write_text("not a directory")
    opening = open_journal(blocker / "journal.sqlite3")
    assert opening.journal is None
    assert opening.problem is not None
    assert opening.problem.startswith("Crash-safety is off")
    assert "a file is in the way" in opening.problem
    assert blocker.read_text() == "not a directory"  # untouched


def test_a_read_only_state_dir_turns_crash_safety_off(tmp_path: Path) -> None:
    directory = read_only_dir(tmp_path)
    opening = open_journal(directory / "draft-wizard" / "journal.sqlite3")
    assert opening.journal is None
    assert opening.problem is not None and "Crash-safety is off" in opening.problem


def test_the_launcher_tells_the_ui_that_crash_safety_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    launcher = Launcher(load_settings(force_sandbox=True))
    assert launcher.journal() is None
    assert launcher.journal_problem is not None
    assert "Crash-safety is off" in launcher.journal_problem
    assert launcher.journal() is None  # tried once, not on every call


def test_the_launcher_reports_a_repair(monkeypatch: pytest.MonkeyPatch) -> None:
    path = state_dir() / "journal.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(GARBAGE)
    launcher = Launcher(load_settings(force_sandbox=True))
    assert launcher.journal() is not None
    assert launcher.journal_problem is None
    assert launcher.journal_notice is not None and "moved aside" in launcher.journal_notice
    assert os.path.exists(path)
