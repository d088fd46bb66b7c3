"""``fill --from-sandbox``: a finished practice draft becomes a real draft with one command.

Two sandboxes play the two parts. The practice one is the embedded sandbox that
``fill --sandbox`` starts (its drafts in a file under the test's state directory, as a
practice session keeps them); the "real" one is a second sandbox on a loopback port,
reached the way the real API is (``OT_API_TOKEN`` and ``OT_API_BASE_URL``). Its store and
counters prove what arrived there: the practice description as the create body, then
the practice answers round by round as it asks for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.fill_helpers import (
    ANSWERS,
    CREATE_ROUTE,
    DESCRIPTION,
    EXPECTED,
    PATCH_ROUTE,
    TITLE,
    InProcessFill,
    count,
    journal,
    run_fill_main,
    stats,
    stored_fields,
    write_answers,
)
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer

PRACTICE = "sandbox"  # the journal scope of practice drafts


@pytest.fixture(scope="module")
def real() -> Iterator[SandboxServer]:
    """The second sandbox, standing in for the real API."""
    with SandboxServer() as running:
        yield running


@pytest.fixture
def fill(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> InProcessFill:
    return InProcessFill(monkeypatch, capsys)


@pytest.fixture
def practise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Any:
    """Finish a practice draft with ``fill --sandbox``; returns its job id."""
    monkeypatch.setenv("DRAFT_WIZARD_SANDBOX_DB", str(tmp_path / "practice.sqlite3"))

    def run(answers: dict[str, Any] = ANSWERS) -> str:
        path = write_answers(tmp_path, answers, "practice.json")
        done = run_fill_main(
            "--sandbox", "--description", DESCRIPTION, "--answers", path, "--json", capsys=capsys
        )
        assert done.code == 0, done.stderr
        assert done.doc["publishReady"] is True
        return str(done.doc["jobId"])

    return run


def test_a_practice_draft_is_created_again_on_the_real_api_with_its_answers(
    real: SandboxServer, fill: InProcessFill, practise: Any
) -> None:
    practice_id = practise()
    before = stats(real.base_url)
    run = fill(real.base_url, "--from-sandbox", practice_id, "--json")
    after = stats(real.base_url)

    assert run.code == 0, run.stderr
    live_id = run.doc["jobId"]
    assert live_id and live_id != practice_id
    assert run.doc["publishReady"] is True and run.doc["status"] == "DRAFT"
    # One create from the description, then one PATCH per round the real server asked.
    assert count(after, CREATE_ROUTE) - count(before, CREATE_ROUTE) == 1
    assert count(after, PATCH_ROUTE) - count(before, PATCH_ROUTE) == run.doc["rounds"] == 2
    fields = stored_fields(real, live_id)
    assert {k: fields.get(k) for k in EXPECTED} == EXPECTED
    assert fields["jobDescription"] == DESCRIPTION.strip()
    assert fields["jobTitle"] == TITLE
    assert f"Posted practice draft {practice_id} for real as draft {live_id}." in run.stderr
    # The practice draft is marked as taken live, with the real id.
    assert journal().taken_live(PRACTICE, practice_id) == (real.base_url, live_id)

    again = fill(real.base_url, "--from-sandbox", practice_id, "--json")
    sentence = again.assert_clean_failure(1, f"already posted for real as draft {live_id}")
    assert f"draft-wizard open {live_id}" in sentence
    assert again.doc["error"]["kind"] == "already-live"
    assert again.doc["jobId"] == live_id
    assert count(stats(real.base_url), CREATE_ROUTE) == count(after, CREATE_ROUTE)


def test_from_sandbox_with_publish(real: SandboxServer, fill: InProcessFill, practise: Any) -> None:
    practice_id = practise()
    run = fill(real.base_url, "--from-sandbox", practice_id, "--publish", "--json")
    assert run.code == 0, run.stderr
    assert run.doc["status"] == "OPEN"
    assert run.doc["jobUrl"].startswith(real.base_url)


def _practice_in_journal(job_id: str, answers: dict[str, Any], *, ready: bool = True) -> None:
    """A practice draft as the journal keeps it, whose sandbox asked fewer questions."""
    kept = journal()
    kept.record_draft(
        PRACTICE,
        job_id,
        title=TITLE,
        validation={
            "publishReady": ready,
            "missingFields": [] if ready else [{"field": "headcount"}],
        },
    )
    kept.keep_practice_description(PRACTICE, job_id, DESCRIPTION)
    ticket = kept.write_pending(PRACTICE, job_id, answers)
    kept.acknowledge(PRACTICE, job_id, list(answers), ticket)


def test_questions_the_real_server_adds_are_exit_3(
    real: SandboxServer, fill: InProcessFill, tmp_path: Path
) -> None:
    # This practice never answered headcount: the real server asks it.
    _practice_in_journal("practice-fewer", {k: v for k, v in EXPECTED.items() if k != "headcount"})
    run = fill(real.base_url, "--from-sandbox", "practice-fewer", "--json")
    assert run.code == 3, run.stderr
    live_id = run.doc["jobId"]
    assert [m["field"] for m in run.doc["missingFields"]] == ["headcount"]
    # fill's exit-3 report, with the practice draft as the source of the answers.
    assert "1 question is not answered by practice draft practice-fewer:" in run.stderr
    assert "headcount" in run.stderr.split("not answered by", 1)[1]
    assert "Add it to a file (FILE), then continue with:" in run.stderr
    assert f"  draft-wizard fill --job-id {live_id} --answers FILE --json" in run.stderr
    assert journal().taken_live(PRACTICE, "practice-fewer") == (real.base_url, live_id)
    # The rest is answered the usual way.
    extra = write_answers(tmp_path, {"headcount": 5}, "extra.json")
    done = fill(real.base_url, "--job-id", live_id, "--answers", extra, "--json")
    assert done.code == 0, done.stderr
    assert stored_fields(real, live_id)["headcount"] == 5


def test_an_answers_file_fills_what_practice_did_not(
    real: SandboxServer, fill: InProcessFill, tmp_path: Path
) -> None:
    _practice_in_journal("practice-plus", {k: v for k, v in EXPECTED.items() if k != "headcount"})
    extra = write_answers(tmp_path, {"headcount": "7"}, "extra.json")
    run = fill(real.base_url, "--from-sandbox", "practice-plus", "--answers", extra, "--json")
    assert run.code == 0, run.stderr
    assert stored_fields(real, run.doc["jobId"])["headcount"] == 7


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        (lambda: None, "No practice draft practice-x on this machine"),
        (
            lambda: _practice_in_journal("practice-x", {"headcount": 5}, ready=False),
            "Practice draft practice-x is not finished yet (1 questions left)",
        ),
    ],
    ids=["unknown", "unfinished"],
)
def test_a_practice_draft_that_cannot_be_posted_is_a_usage_error(
    real: SandboxServer, fill: InProcessFill, setup: Any, needle: str
) -> None:
    setup()
    before = stats(real.base_url)
    run = fill(real.base_url, "--from-sandbox", "practice-x", "--json")
    run.assert_clean_failure(2, needle)
    assert run.doc["error"]["kind"] == "usage"
    assert count(stats(real.base_url), CREATE_ROUTE) == count(before, CREATE_ROUTE)


def test_from_sandbox_needs_the_real_api(capsys: pytest.CaptureFixture[str]) -> None:
    _practice_in_journal("practice-y", dict(EXPECTED))
    run = run_fill_main("--sandbox", "--from-sandbox", "practice-y", capsys=capsys)
    run.assert_clean_failure(2, "--from-sandbox posts a practice draft to the real API")
    assert journal().taken_live(PRACTICE, "practice-y") is None


def test_fill_without_answers_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_fill_main("--description", DESCRIPTION, capsys=capsys)
    assert run.code == 2
    assert "fill needs --answers FILE" in run.stderr
    assert SANDBOX_TOKEN not in run.stderr
