"""The plain mode tells what the account allows before the first question, as the TUI does.

Each case is a sandbox account that imitates it (a read-only token, publishing switched
off); the sentences are the account check's own (``wizard.core.account``).
"""

from __future__ import annotations

from pathlib import Path

from tests.plain.plain_helpers import ESC, run_plain, token_backend
from wizard.core.samples import SAMPLES
from wizard.sandbox import SANDBOX_NO_PUBLISH_TOKEN, SANDBOX_READONLY_TOKEN, create_app


def test_a_token_that_cannot_write_drafts_stops_before_any_question(tmp_path: Path) -> None:
    app = create_app(db_path=tmp_path / "db")
    run = run_plain(token_backend(app, SANDBOX_READONLY_TOKEN), ["1"], start_new=True)
    assert run.code == 1, run.transcript
    account_lines = [line for line in run.out.splitlines() if line.startswith("Account: ")]
    assert account_lines, run.transcript
    assert "jobs:write" in account_lines[0]
    assert "Question 1 of" not in run.out
    assert "Creating the draft" not in run.out
    assert ESC not in run.transcript


def test_publishing_switched_off_is_told_first_and_publish_is_not_offered(
    tmp_path: Path,
) -> None:
    app = create_app(db_path=tmp_path / "db")
    sample = SAMPLES[0]
    answers = ["1", "us", "3", "1000", "2"]  # the hourly sample's four questions
    run = run_plain(token_backend(app, SANDBOX_NO_PUBLISH_TOKEN), answers, description=sample.text)
    out = run.out
    assert run.code == 1, run.transcript  # not published, as fill --publish would say
    before_first_question = out.split("Question 1 of")[0]
    assert "Account: " in before_first_question, run.transcript
    assert "Publish now?" not in out
    assert "Not published: " in out and "publish" in out.split("Not published: ")[1].lower()
    assert ESC not in run.transcript
