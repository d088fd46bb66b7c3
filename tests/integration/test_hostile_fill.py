"""``fill`` and ``facets`` against a hostile server: server text is data, never code.

Each case runs the real command as a subprocess against ``tests/hostile_server.py`` in
one mode, and checks the same contract: the documented exit code, ONE sentence on stderr
when it fails, exactly one JSON document with ``--json``, no traceback, no escape byte
(ESC or a C1 control) and never the token, in stdout, stderr or the journal.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.hostile_server import ANSWERS, MARKUP, TITLE, HostileServer
from tests.integration.fill_helpers import REPO, FillRun, fill_env, run_fill_cli, write_answers
from wizard.core.paths import state_dir

TOKEN = "ot_pat_hostile_stand_in_0123456789abcdef"
"""A made-up token: the hostile server echoes whatever it receives."""

DESCRIPTION = "Draw bounding boxes around products on shelf photos."

ESCAPE_CHARS = ("\x1b", "\x9b", "\x9c", "\x9d", "\x90", "\x07")


@pytest.fixture
def server(hostile_server: HostileServer) -> HostileServer:
    return hostile_server


def fill(server: HostileServer, answers: Path, *extra: str, **env: str) -> FillRun:
    return run_fill_cli(
        "--description",
        DESCRIPTION,
        "--answers",
        answers,
        *extra,
        env=fill_env(server.base_url, TOKEN, **env),
    )


def journal_bytes() -> bytes:
    """Every byte under the state dir (the journal, its locks)."""
    root = state_dir()
    if not root.is_dir():
        return b""
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def journal_text() -> str:
    """Every value the journal holds, as text (the file's own format has ESC bytes)."""
    path = state_dir() / "journal.sqlite3"
    if not path.exists():
        return ""
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(
            str(value)
            for table in tables
            for row in db.execute(f"SELECT * FROM {table}")  # noqa: S608 - names from the file
            for value in row
        )


def assert_safe(run: FillRun) -> None:
    """No traceback, no escape, no token: in stdout, stderr and the journal."""
    for name, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        assert "Traceback" not in text, f"{name}:\n{text}"
        for char in ESCAPE_CHARS:
            assert char not in text, f"{char!r} in {name}:\n{text!r}"
        assert TOKEN not in text, f"the token reached {name}"
    stored = journal_text()
    for char in ESCAPE_CHARS:
        assert char not in stored, f"{char!r} in the journal"
    assert TOKEN not in stored, "the token reached the journal"
    assert TOKEN.encode() not in journal_bytes(), "the token reached the state dir"


def assert_unanswered(run: FillRun, count: int) -> dict[str, Any]:
    assert run.code == 3, run.stderr
    doc = run.doc
    assert doc["publishReady"] is False
    assert len(doc["missingFields"]) == count
    return doc


# ---- markup: printed as the characters it is ----------------------------------------------


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_markup_is_printed_literally(server: HostileServer, tmp_path: Path, as_json: bool) -> None:
    server.mode = "markup"
    run = fill(server, write_answers(tmp_path, {}), *(["--json"] if as_json else []))
    assert run.code == 3, run.stderr
    assert MARKUP["prompt"] in run.stderr  # shown as typed, tags and all
    if as_json:
        doc = assert_unanswered(run, 3)
        assert MARKUP["label"] in doc["missingFields"][0]["label"]
    assert_safe(run)


def test_markup_enum_values_do_not_break_answering(server: HostileServer, tmp_path: Path) -> None:
    server.mode = "markup"
    run = fill(server, write_answers(tmp_path, ANSWERS), "--json")
    assert run.code == 0, run.stderr
    assert run.doc["publishReady"] is True
    assert_safe(run)


# ---- escape sequences: never reach the terminal -------------------------------------------


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_escapes_in_prompts_and_labels_never_reach_the_terminal(
    server: HostileServer, tmp_path: Path, as_json: bool
) -> None:
    server.mode = "escapes"
    run = fill(server, write_answers(tmp_path, {}), *(["--json"] if as_json else []))
    assert run.code == 3, run.stderr
    assert "What experience level should trainers have?" in run.stderr
    if as_json:
        assert_unanswered(run, 3)
    assert_safe(run)


def test_escapes_in_an_error_reach_stderr_as_plain_text(
    server: HostileServer, tmp_path: Path
) -> None:
    server.mode = "escapes"
    server.reject_patch = True
    run = fill(server, write_answers(tmp_path, ANSWERS), "--json")
    sentence = run.assert_clean_failure(1, "Not accepted")
    assert "pwned" not in sentence  # the payload of the title-setting OSC went with it
    assert run.doc["error"]["status"] == 400
    assert_safe(run)


def test_escapes_in_facets_never_reach_the_table(server: HostileServer) -> None:
    server.mode = "escapes"
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "wizard", "facets", "--source", "opentrain", "--refresh"],
        env=fill_env(server.base_url, TOKEN),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "English" in done.stdout and "Text Annotation" in done.stdout
    for char in ESCAPE_CHARS:
        assert char not in done.stdout + done.stderr, repr(done.stdout)


# ---- a dripping server: abandoned within the deadline ---------------------------------------


def test_a_dripping_reply_is_abandoned_within_the_deadline(
    server: HostileServer, tmp_path: Path
) -> None:
    """One byte every 0.2 s keeps every gap short; the total deadline still ends it."""
    server.mode = "drip"
    server.drip_interval = 0.2
    server.drip_routes = ("PATCH",)
    run = fill(server, write_answers(tmp_path, ANSWERS), "--json", DRAFT_WIZARD_TIMEOUT="1")
    run.assert_clean_failure(1, "did not finish answering within 1 s")
    # Three attempts of 1 s and two short backoffs, plus start-up: far from "forever".
    assert run.seconds < 15, run.seconds
    assert run.doc["retries"] == 2
    assert run.doc["jobId"]  # created before the PATCH dripped
    assert_safe(run)


# ---- a server that echoes the token ------------------------------------------------------


def test_an_echoed_token_is_never_printed_or_journaled(
    server: HostileServer, tmp_path: Path
) -> None:
    server.mode = "echo"
    run = fill(server, write_answers(tmp_path, {}), "--json")
    doc = assert_unanswered(run, 3)
    assert "«redacted»" in json.dumps(doc, ensure_ascii=False)
    assert_safe(run)


def test_an_echoed_token_in_an_error_code_and_zod_path_is_redacted(
    server: HostileServer, tmp_path: Path
) -> None:
    server.mode = "echo"
    server.reject_patch = True
    run = fill(server, write_answers(tmp_path, ANSWERS), "--json")
    run.assert_clean_failure(1)
    assert run.doc["error"]["status"] == 400
    assert_safe(run)


# ---- malformed replies --------------------------------------------------------------------


def test_a_reply_nested_100000_levels_is_one_sentence(
    server: HostileServer, tmp_path: Path
) -> None:
    server.mode = "deep"
    run = fill(server, write_answers(tmp_path, ANSWERS), "--json")
    run.assert_clean_failure(1, "nested more than")
    assert run.doc["jobId"] is None
    assert_safe(run)


def test_a_multi_megabyte_reply_is_one_sentence(server: HostileServer, tmp_path: Path) -> None:
    server.mode = "bloat"
    run = fill(server, write_answers(tmp_path, ANSWERS), "--json")
    run.assert_clean_failure(1, "127.0.0.1")
    assert run.seconds < 20, run.seconds
    assert_safe(run)


def test_ten_thousand_questions_are_listed_quickly(server: HostileServer, tmp_path: Path) -> None:
    server.mode = "huge"
    run = fill(server, write_answers(tmp_path, {}), "--json")
    assert_unanswered(run, server.huge_questions)
    assert run.seconds < 30, run.seconds
    assert f"{server.huge_questions} questions are not answered" in run.stderr
    assert_safe(run)


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_a_lone_surrogate_in_replies_is_printed_safely(
    server: HostileServer, tmp_path: Path, as_json: bool
) -> None:
    server.mode = "surrogate"
    run = fill(server, write_answers(tmp_path, {}), *(["--json"] if as_json else []))
    assert run.code == 3, run.stderr
    if as_json:
        assert_unanswered(run, 3)
    assert_safe(run)


def test_a_lone_surrogate_in_the_title_is_journaled(server: HostileServer, tmp_path: Path) -> None:
    server.mode = "surrogate"
    run = fill(server, write_answers(tmp_path, ANSWERS), "--json")
    assert run.code == 0, run.stderr
    assert TITLE in journal_text()
    assert_safe(run)


@pytest.mark.parametrize("mode", ["job_id", "job_id_empty"])
def test_a_reply_for_another_draft_is_refused(
    server: HostileServer, tmp_path: Path, mode: str
) -> None:
    server.mode = mode
    run = fill(server, write_answers(tmp_path, ANSWERS), "--json")
    run.assert_clean_failure(1)
    # Still the draft this run created, never the one the reply named.
    assert run.doc["jobId"] and run.doc["jobId"].startswith("cmhostile")
    assert_safe(run)
