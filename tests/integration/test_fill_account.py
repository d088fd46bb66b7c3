"""``fill`` knows the account before it fills: each case told before anything is created.

The sandbox imitates each case with a demo token (a read-only token, an account without
drafting, one without publishing, an unclaimed one at its daily limit, an unclaimed one
with room left); ``fill`` runs in this process against it on a loopback port, and the
sandbox's counters prove that a refused run created nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.fill_helpers import (
    ANSWERS,
    CREATE_ROUTE,
    DESCRIPTION,
    PUBLISH_ROUTE,
    FillRun,
    InProcessFill,
    count,
    stats,
    write_answers,
)
from wizard.sandbox import (
    SANDBOX_AT_LIMIT_TOKEN,
    SANDBOX_NO_DRAFTING_TOKEN,
    SANDBOX_NO_PUBLISH_TOKEN,
    SANDBOX_OTHER_TOKEN,
    SANDBOX_READONLY_TOKEN,
    SANDBOX_TOKEN,
    SandboxServer,
)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture
def fill(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> InProcessFill:
    return InProcessFill(monkeypatch, capsys)


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return write_answers(tmp_path, ANSWERS)


def _new(
    fill: InProcessFill, server: SandboxServer, token: str, answers: Path, *extra: str
) -> FillRun:
    return fill(
        server.base_url,
        "--description",
        DESCRIPTION,
        "--answers",
        answers,
        "--json",
        *extra,
        token=token,
    )


def _account_lines(run: FillRun) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("Account: ")]


@pytest.mark.parametrize(
    ("token", "publish", "needles"),
    [
        pytest.param(SANDBOX_READONLY_TOKEN, False, ("cannot write drafts", "jobs:write"), id="ro"),
        pytest.param(
            SANDBOX_NO_DRAFTING_TOKEN,
            False,
            ("Drafting through the API is not enabled", "public_api_job_drafting"),
            id="drafting-off",
        ),
        pytest.param(
            SANDBOX_NO_PUBLISH_TOKEN,
            True,
            ("Publishing through the API is not enabled", "public_api_job_publishing"),
            id="publishing-off",
        ),
        pytest.param(
            SANDBOX_AT_LIMIT_TOKEN,
            True,
            ("not claimed yet", "all 3 of its publishes", "/claim"),
            id="unclaimed-at-limit",
        ),
    ],
)
def test_a_run_that_cannot_work_is_refused_before_anything_is_created(
    fill: InProcessFill,
    server: SandboxServer,
    answers: Path,
    token: str,
    publish: bool,
    needles: tuple[str, ...],
) -> None:
    before = stats(server.base_url)
    run = _new(fill, server, token, answers, *(["--publish"] if publish else []))
    after = stats(server.base_url)
    sentence = run.assert_clean_failure(1, *needles)
    assert run.doc["error"] == {
        "message": sentence.removeprefix("draft-wizard: "),
        "kind": "account",
    }
    assert run.doc["jobId"] is None
    assert run.doc["account"]["sentences"]
    assert count(after, CREATE_ROUTE) == count(before, CREATE_ROUTE)
    assert count(after, PUBLISH_ROUTE) == count(before, PUBLISH_ROUTE)
    assert token not in run.stdout + run.stderr


@pytest.mark.parametrize(
    ("token", "needle"),
    [
        (SANDBOX_NO_PUBLISH_TOKEN, "Publishing through the API is not enabled"),
        (SANDBOX_AT_LIMIT_TOKEN, "not claimed yet and has used all 3"),
    ],
    ids=["publishing-off", "unclaimed-at-limit"],
)
def test_without_publish_the_draft_is_filled_and_the_account_is_told(
    fill: InProcessFill, server: SandboxServer, answers: Path, token: str, needle: str
) -> None:
    run = _new(fill, server, token, answers)
    assert run.code == 0, run.stderr
    assert run.doc["publishReady"] is True
    lines = _account_lines(run)
    assert len(lines) == 1 and needle in lines[0]
    # Told before the draft was made, not after.
    assert run.stderr.index(lines[0]) < run.stderr.index("Created draft")
    assert run.doc["account"]["canPublish"] is False


def test_an_unclaimed_account_with_room_is_told_its_allowance_and_claim_link(
    fill: InProcessFill, answers: Path
) -> None:
    with SandboxServer() as fresh:  # its own publish count
        run = _new(fill, fresh, SANDBOX_OTHER_TOKEN, answers, "--publish")
        origin = fresh.base_url
    assert run.code == 0, run.stderr
    assert run.doc["status"] == "OPEN"
    (line,) = _account_lines(run)
    assert "not claimed yet, so it can publish 3 jobs a day (3 left today)" in line
    assert f"{origin}/claim" in line
    assert run.doc["account"]["unclaimed"] is True


def test_a_full_claimed_account_says_nothing(
    fill: InProcessFill, server: SandboxServer, answers: Path
) -> None:
    run = _new(fill, server, SANDBOX_TOKEN, answers)
    assert run.code == 0, run.stderr
    assert _account_lines(run) == []
    assert run.doc["account"] == {
        "canDraft": True,
        "canPublish": True,
        "unclaimed": False,
        "sentences": [],
        "dailyPublishes": 20,
        "publishesLeft": run.doc["account"]["publishesLeft"],
    }
