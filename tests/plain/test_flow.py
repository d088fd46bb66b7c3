"""The plain mode's conversation in this process: scripted lines against a sandbox app.

The same engine, form model and journal as the TUI; what is asserted is what a person
reads (every line is plain text, not one escape byte) and what the server and the
journal hold afterwards.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.plain.plain_helpers import ESC, run_plain, sandbox_backend, token_backend
from wizard.core.draft_lock import DraftLock
from wizard.core.journal import Journal
from wizard.core.paths import state_dir
from wizard.core.samples import SAMPLES
from wizard.sandbox import SANDBOX_OTHER_TOKEN, create_app

PODCAST = [
    "Podcast transcription",
    "",
    "Transcribe English cooking podcasts with timestamps and speaker labels.",
    ".",
]
"""A description typed at the start, a blank line in it, then the dot that ends it."""


def test_a_round_then_a_new_question_named_with_its_reason(tmp_path: Path) -> None:
    run = run_plain(
        sandbox_backend(tmp_path / "db"),
        [
            *PODCAST,
            "Mark each speaker turn in our web tool.",  # labeling overview
            "?",  # experience level: its help again, choices and all
            "int",  # by the start of its name
            "hour",  # payment type, by the start of a word: Pay per hour
            "us, es",
            "900",  # headcount: over the limit the hint states
            "two",
            "3",
            "1200",
            "files",  # data volume unit: Number of files
            "18",  # round two: the hourly rate the payment type made required
            "head",  # Publish now? [y/N]: a value's name instead, to change it
            "4",
            "",  # Publish now? [y/N]: no
        ],
        start_new=True,
    )
    assert run.code == 0, run.transcript
    out = run.out
    assert "Number or description: Podcast transcription" in out
    assert "Created draft " in out and ": Podcast transcription. 6 questions to answer." in out
    assert "Answer with a number, or with a name or the start of one." in out
    assert "Experience level: Intermediate." in out
    assert "Headcount (e.g. 5): 900\nMust be at most 500.\nHeadcount (e.g. 5): two\n" in out
    assert "'two' is not a number.\nHeadcount (e.g. 5): 3\n" in out
    assert "Payment type: Pay per hour." in out
    assert "Countries: United States (US), Spain (ES)." in out
    assert "Data volume unit: Number of files." in out
    assert (
        "Saved: 6 answered, 1 new question: Hourly rate, because you chose Pay per hour. "
        "1 question left." in out
    )
    assert "Question 1 of 1: Hourly rate (new)" in out
    assert "Saved: 1 answered. The draft is ready to publish." in out
    assert "Headcount: 3 (typed by you)" in out
    assert "To change a value first, type its number or name." in out
    assert "Headcount is now: 3. Type the new value, or Enter to keep it." in out
    assert "New headcount (a number): 4\nSending 1 answer...\nSaved. The draft is ready" in out
    assert "Headcount: 4 (typed by you)" in out
    assert "Job title: Podcast transcription (from your description)" in out
    assert "Job description: Podcast transcription Transcribe English cooking" in out
    assert "Publish now? [y/N] \nNot published." in out
    assert ESC not in run.transcript


def test_an_answer_the_server_refuses_is_asked_again_with_its_problem(tmp_path: Path) -> None:
    run = run_plain(
        sandbox_backend(tmp_path / "db"),
        # Sample 2 asks languages, countries, headcount and data volume.
        ["2", "English", "Narnia", "", "", "-", "", ""],
        start_new=True,
    )
    out = run.out
    assert run.code == 3, run.transcript  # input ended with questions open
    assert "Countries: Narnia (not a known value; sent as typed)." in out
    # Asked again, with the server's sentence, and the refused answer offered to keep.
    again = out.split("Not accepted: Countries:")[1]
    assert "Problem: " in again
    assert "Typed earlier: Narnia (not a known value; sent as typed). Enter keeps it" in again
    assert "Countries: cleared." in again
    # The round went on without it: one PATCH with the answer that was fine.
    assert "Saved: 1 answered. 3 questions left." in again
    assert "Input ended. Draft " in run.err and "--plain` continues the draft." in run.err
    assert ESC not in run.transcript


def test_a_sample_by_number_then_answers_resumed_from_the_journal(tmp_path: Path) -> None:
    """Input ends after one answer; a second run finds the draft, its typed answer kept."""
    db = tmp_path / "db"
    first = run_plain(sandbox_backend(db), ["1", "exp"], start_new=True)
    assert first.code == 3, first.transcript
    assert "Using Sample: Hourly: Spanish call transcripts." in first.out
    assert "Experience level: Expert." in first.out
    job_id = first.out.split("Created draft ")[1].split(":")[0]
    assert Journal.default().typed("sandbox", job_id) == {"experienceLevel": "EXPERT"}
    assert "your 1 typed answer is kept on this machine" in first.err

    # The bare start offers the samples and this draft; the same sample asks first.
    second = run_plain(
        sandbox_backend(db),
        ["1", "", "", "NL", "5", "300", "3", "y"],
    )
    out = second.out
    assert second.code == 0, second.transcript
    assert f"Spanish call-center transcript review ({job_id}, 1 typed)" in out
    assert (
        f"You already made a draft from this description: Spanish call-center transcript "
        f"review ({job_id}). Create another one? [y/N]" in out
    )
    assert "Restored 1 typed answer from last time." in out
    assert "Typed earlier: Expert. Enter keeps it, - clears it." in out
    assert "Sending 5 answers..." in out
    assert "Published.\nhttp" in out
    url = out.split("Published.\n")[1].splitlines()[0]
    assert url.startswith("http") and job_id in url
    assert second.results == url + "\n"  # the URL alone, for a captured stdout
    assert Journal.default().typed("sandbox", job_id) == {}
    assert ESC not in second.transcript


def test_moderation_names_the_value_and_lets_it_be_changed(tmp_path: Path) -> None:
    description = (
        "Wallet screenshot review\n"
        "Check screenshots of crypto wallets for readable balances; Expert reviewers, "
        "$20 per hour, English, 2 people, 400 files. Each screenshot is labeled in our tool "
        "with a short checklist, and a reviewer looks at a sample of every batch to keep "
        "the quality high over the whole project.\n"
    )
    run = run_plain(
        sandbox_backend(tmp_path / "db"),
        [
            "us",
            "y",  # publish: refused by moderation
            "Check screenshots of wallet apps for readable balances.",
            "Tick the checklist in our tool.",  # now asked: the description got short
            "y",
        ],
        description=description,
        start_new=True,
    )
    out = run.out
    assert "Moderation blocked publishing: Job description: mentions a prohibited topic " in out
    assert "It concerns: Job description." in out
    assert "Job description is now: Wallet screenshot review" in out
    assert (
        "Saved: 0 answered, 1 new question: Labeling overview (a labeling overview is "
        "required while the job description is shorter than 280 characters)." in out
    )
    assert "Job description: Check screenshots of wallet apps for readable balances. " in out
    assert "Published.\nhttp" in out, run.transcript
    assert run.code == 0
    assert ESC not in run.transcript


def test_a_reached_daily_limit_is_told_before_the_questions_and_the_draft_stays(
    tmp_path: Path,
) -> None:
    app = create_app()
    # The unclaimed demo account may publish 3 a day: use them up first.
    setup = token_backend(app, SANDBOX_OTHER_TOKEN)

    async def publish_three() -> None:
        await setup.prepare()
        for number in range(3):
            session = await setup.engine.create(SAMPLES[2].text + f"\nBatch {number}.\n")
            await setup.engine.submit(
                session, {"experienceLevel": "EXPERT", "countries": ["US"], "headcount": 2}
            )
            await setup.engine.publish(session)
        await setup.aclose()

    asyncio.run(publish_three())
    run = run_plain(
        token_backend(app, SANDBOX_OTHER_TOKEN),
        ["1", "US", "2"],
        description=SAMPLES[2].text,
        start_new=True,
    )
    assert run.code == 1, run.transcript
    # The account check knows the limit is reached before the first question is asked...
    before = run.out.split("Question 1 of")[0]
    assert "Account: This account is not claimed yet and has used all 3 of its publishes" in before
    # ...so the review says why it does not publish instead of asking, and the draft stays.
    assert "Publish now?" not in run.out
    assert "Not published: This account is not claimed yet and has used all 3" in run.out
    assert "The draft is saved and ready; `draft-wizard open " in run.out
    # A value the description only suggested is named in words a recruiter uses.
    assert "Check Job title: read from your description, please confirm." in run.out
    assert ESC not in run.transcript


def test_a_send_that_does_not_get_through_is_offered_again(tmp_path: Path) -> None:
    """Three refused connections (every retry) for the first PATCH: one sentence, then
    the same answers go again on Enter, without asking the questions again."""
    backend = token_backend(create_app(), patch_failures=3)
    run = run_plain(
        backend,
        ["1", "us", "3", "1000", "2", "", "n"],  # "" = Try sending again? [Y/n]: yes
        description=SAMPLES[0].text,
        start_new=True,
    )
    out = run.out
    assert run.code == 0, run.transcript
    assert "Sending 5 answers...\n" in out
    assert "Your answers are kept.\nTry sending again? [Y/n] \nSending 5 answers...\n" in out
    assert out.count("Question 1 of 4") == 1  # nothing was asked twice
    assert "Saved: 4 answered. The draft is ready to publish." in out
    assert backend.client.retries_made >= 2


def test_a_draft_another_run_is_writing_is_one_sentence(tmp_path: Path) -> None:
    db = tmp_path / "db"
    first = run_plain(sandbox_backend(db), [], description=SAMPLES[1].text, start_new=True)
    job_id = first.out.split("Created draft ")[1].split(":")[0]
    with DraftLock(state_dir(), "sandbox", job_id):  # as another process would hold it
        run = run_plain(sandbox_backend(db), [], job_id=job_id)
    assert run.code == 1
    assert f"Draft {job_id} is being edited by another draft-wizard (pid " in run.out
    assert "try again when it finishes." in run.out
