"""``fill`` on malformed local input, a broken state dir, a busy draft and bad base URLs.

Bad local input is exit 2 with one sentence, nothing sent (so nothing created); a state
dir that cannot hold the journal is a warning that crash-safety is off; a damaged
journal is moved aside, never deleted; a draft another run is writing is exit 1 (a
conflict to retry later, like a 409). ``--json`` always prints its one document.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from tests.hostile_server import ANSWERS, PREFIX, HostileServer, read_only_dir
from tests.integration.fill_helpers import (
    FillRun,
    fill_env,
    run_fill_cli,
    start_fill_cli,
    write_answers,
)
from tests.loopback import wait_until
from wizard.core.draft_lock import DraftLock
from wizard.core.paths import state_dir

TOKEN = "ot_pat_limits_stand_in_0123456789abcdef"
DESCRIPTION = "Draw bounding boxes around products on shelf photos."


@pytest.fixture
def server(hostile_server: HostileServer) -> HostileServer:
    return hostile_server


def fill(server: HostileServer, *args: str | Path, **env: str) -> FillRun:
    return run_fill_cli(*args, env=fill_env(server.base_url, TOKEN, **env))


def writes(server: HostileServer) -> list[str]:
    """Every request that could have written something."""
    return [f"{r.method} {r.path}" for r in server.requests if r.method in ("POST", "PATCH")]


def assert_refused_locally(run: FillRun, server: HostileServer, *needles: str) -> str:
    sentence = run.assert_clean_failure(2, *needles)
    assert run.doc["error"]["kind"] in ("usage", "answer")
    assert run.doc["jobId"] is None
    assert writes(server) == []
    return sentence


def create(server: HostileServer) -> str:
    response = httpx.post(
        f"{server.base_url}{PREFIX}/job-drafts",
        json={"rawJobDescription": DESCRIPTION},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )
    job_id: str = response.json()["jobId"]
    return job_id


# ---- the answers file ---------------------------------------------------------------------


def test_an_answers_file_nested_very_deeply(server: HostileServer, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"headcount": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    run = fill(server, "--description", DESCRIPTION, "--answers", path, "--json")
    assert_refused_locally(run, server, "nested too deeply")


def test_a_five_thousand_digit_number(server: HostileServer, tmp_path: Path) -> None:
    path = tmp_path / "digits.json"
    path.write_text('{"headcount": ' + "9" * 5000 + "}", encoding="utf-8")
    run = fill(server, "--description", DESCRIPTION, "--answers", path, "--json")
    assert_refused_locally(run, server, "more than 64 digits")


def test_an_answers_file_over_the_size_cap(server: HostileServer, tmp_path: Path) -> None:
    path = write_answers(tmp_path, {"jobDescription": "x" * (1024 * 1024 + 1)})
    run = fill(server, "--description", DESCRIPTION, "--answers", path, "--json")
    assert_refused_locally(run, server, "larger than 1024 KiB")


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        pytest.param({**ANSWERS, "pricePerLabel": "cheap"}, "pricePerLabel", id="later-round"),
        pytest.param(
            {**ANSWERS, "dataVolume": {"dataVolume": "lots", "dataVolumeUnit": "NUMBER_OF_FILES"}},
            "dataVolume.dataVolume",
            id="nested-compound",
        ),
        pytest.param({**ANSWERS, "experienceLevel": ["EXPERT"]}, "experienceLevel", id="enum"),
    ],
)
def test_answers_are_checked_before_the_draft_is_created(
    server: HostileServer, tmp_path: Path, answers: dict[str, object], key: str
) -> None:
    """A value only a later round would ask for still fails now: no draft to duplicate."""
    path = write_answers(tmp_path, answers)
    run = fill(server, "--description", DESCRIPTION, "--answers", path, "--json")
    sentence = assert_refused_locally(run, server, key)
    assert str(path) in sentence
    assert run.doc["error"]["field"] == key


def test_unknown_keys_are_left_to_the_server(server: HostileServer, tmp_path: Path) -> None:
    path = write_answers(tmp_path, {**ANSWERS, "someFutureKey": {"deep": [1, 2]}})
    run = fill(server, "--description", DESCRIPTION, "--answers", path, "--json")
    assert run.code == 0, run.stderr


# ---- the description ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not UTF-8 text", id="png"),
        pytest.param(b"hello\x00world", "control character", id="nul"),
        pytest.param(b"x" * 60_001, "limit of 60,000 characters", id="too-long"),
        pytest.param(b"y" * 8_000_000, "limit of 60,000 characters", id="megabytes"),
    ],
)
def test_a_description_file_that_cannot_be_sent(
    server: HostileServer, tmp_path: Path, content: bytes, needle: str
) -> None:
    path = tmp_path / "job.txt"
    path.write_bytes(content)
    answers = write_answers(tmp_path, ANSWERS)
    run = fill(server, "--description-file", path, "--answers", answers, "--json")
    assert_refused_locally(run, server, needle)


def test_dev_zero_is_read_with_a_cap(server: HostileServer, tmp_path: Path) -> None:
    answers = write_answers(tmp_path, ANSWERS)
    run = fill(server, "--description-file", "/dev/zero", "--answers", answers, "--json")
    assert_refused_locally(run, server, "/dev/zero is not a text file")
    assert run.seconds < 20


def test_a_description_argument_over_the_limit(server: HostileServer, tmp_path: Path) -> None:
    answers = write_answers(tmp_path, ANSWERS)
    run = fill(server, "--description", "z" * 60_001, "--answers", answers)
    run.assert_clean_failure(2, "--description is longer than the API's limit")
    assert run.stdout == "" and writes(server) == []


# ---- output that cannot be encoded ----------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_a_lone_surrogate_in_a_sentence_is_printed_safely(
    server: HostileServer, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{"headcount": "five\\ud800"}', encoding="utf-8")
    run = fill(
        server,
        "--description",
        DESCRIPTION,
        "--answers",
        path,
        "--json",
        PYTHONIOENCODING=encoding,
    )
    assert_refused_locally(run, server, "headcount", "is not a number")
    assert json.loads(run.stdout)["error"]["field"] == "headcount"


# ---- the journal ------------------------------------------------------------------------


def test_a_corrupted_journal_is_moved_aside_and_a_fresh_one_started(
    server: HostileServer, tmp_path: Path
) -> None:
    journal = state_dir() / "journal.sqlite3"
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_bytes(b"not a database at all\n" * 100)
    answers = write_answers(tmp_path, ANSWERS)
    run = fill(server, "--description", DESCRIPTION, "--answers", answers, "--json")
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    warnings = [line for line in run.stderr.splitlines() if "moved aside" in line]
    assert len(warnings) == 1, run.stderr
    aside = list(journal.parent.glob("journal.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].name in warnings[0]
    assert aside[0].read_bytes() == b"not a database at all\n" * 100  # never deleted
    assert journal.read_bytes().startswith(b"SQLite format 3")


def test_a_state_dir_that_is_a_file_turns_crash_safety_off_with_a_warning(
    server: HostileServer, tmp_path: Path
) -> None:
    blocker = tmp_path / "state-file"
    blocker.write_text("not a directory")
    answers = write_answers(tmp_path, ANSWERS)
    run = fill(
        server,
        "--description",
        DESCRIPTION,
        "--answers",
        answers,
        "--json",
        XDG_STATE_HOME=str(blocker),
    )
    assert run.code == 0, run.stderr  # the draft still gets done
    warnings = [line for line in run.stderr.splitlines() if "Crash-safety is off" in line]
    assert len(warnings) == 1, run.stderr
    assert warnings[0].startswith("draft-wizard: warning: ")
    assert run.doc["publishReady"] is True


def test_a_read_only_state_dir_turns_crash_safety_off_with_a_warning(
    server: HostileServer, tmp_path: Path
) -> None:
    directory = read_only_dir(tmp_path)
    answers = write_answers(tmp_path, ANSWERS)
    run = fill(
        server,
        "--description",
        DESCRIPTION,
        "--answers",
        answers,
        XDG_STATE_HOME=str(directory),
    )
    assert run.code == 0, run.stderr
    assert "draft-wizard: warning: Crash-safety is off" in run.stderr


# ---- one writer per draft -------------------------------------------------------------------


def test_a_draft_locked_elsewhere_is_refused_with_the_holders_pid(
    server: HostileServer, tmp_path: Path
) -> None:
    job_id = create(server)
    answers = write_answers(tmp_path, ANSWERS)
    with DraftLock(state_dir(), server.base_url, job_id):
        run = fill(server, "--job-id", job_id, "--answers", answers, "--json")
    sentence = run.assert_clean_failure(1, f"Draft {job_id} is being edited")
    assert f"(pid {os.getpid()})" in sentence and "try again when it finishes" in sentence
    assert run.doc["error"]["kind"] == "busy" and run.doc["jobId"] == job_id
    assert not server.seen("PATCH")
    again = fill(server, "--job-id", job_id, "--answers", answers, "--json")
    assert again.code == 0, again.stderr


def test_two_fills_on_one_draft_the_second_refuses(server: HostileServer, tmp_path: Path) -> None:
    """The first run is held mid-PATCH (a dripping reply); the second one must not write."""
    job_id = create(server)
    answers = write_answers(tmp_path, ANSWERS)
    server.mode = "drip"
    server.drip_routes = ("PATCH",)
    server.drip_interval = 0.5
    first = start_fill_cli(
        "--job-id", job_id, "--answers", answers, env=fill_env(server.base_url, TOKEN)
    )
    try:
        wait_until(lambda: server.seen("PATCH"), timeout=30)
        patches = len(server.seen("PATCH"))
        second = fill(server, "--job-id", job_id, "--answers", answers, "--json")
        second.assert_clean_failure(1, f"another draft-wizard (pid {first.pid})")
        assert len(server.seen("PATCH")) == patches  # the second run sent nothing
    finally:
        first.kill()
        first.communicate(timeout=10)


# ---- base URLs that are not origins -------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "needle"),
    [
        pytest.param("userinfo", "user name or password", id="userinfo"),
        pytest.param("query", "must not have a query", id="query"),
        pytest.param("fragment", "must not have a fragment", id="fragment"),
    ],
)
def test_a_base_url_that_is_not_an_origin_is_a_usage_error(
    server: HostileServer, tmp_path: Path, suffix: str, needle: str
) -> None:
    port = server.base_url.rsplit(":", 1)[1]
    url = {
        "userinfo": f"http://alice:s3cret-pass@127.0.0.1:{port}",
        "query": f"{server.base_url}/?q=1",
        "fragment": f"{server.base_url}/#top",
    }[suffix]
    answers = write_answers(tmp_path, ANSWERS)
    run = run_fill_cli(
        "--description",
        DESCRIPTION,
        "--answers",
        answers,
        "--json",
        env=fill_env(url, TOKEN),
    )
    assert_refused_locally(run, server, needle)
    assert "s3cret-pass" not in run.stdout + run.stderr
    assert server.requests == []
