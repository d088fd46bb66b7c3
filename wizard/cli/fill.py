"""``draft-wizard fill``: the whole loop with no UI, answers from a file.

Exit codes: 0 ready (and published with ``--publish``), 1 an API or network error (or
the draft is being written by another run: that is a conflict to retry later, like a
409, not a mistake in the command), 2 a usage error (bad local input: an unreadable,
oversized or too deeply nested answers file, an answer that cannot be coerced, a
description the API would refuse), 3 questions the file does not answer. With ``--json``
exactly one JSON document goes to stdout, whatever happens; people read stderr.

Everything printed passes one gate (``_say``, ``_emit``): server text is data, so escape
sequences and control characters never reach the terminal, and a lone surrogate is
shown as a replacement character instead of raising ``UnicodeEncodeError``.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from wizard.api.errors import APIStatusError, InsecureURLError, WizardAPIError
from wizard.api.sanitize import clean_text
from wizard.cli.fill_report import continue_command, question_entry, question_lines, unmatched_keys
from wizard.cli.output import json_text
from wizard.collector import resume_after_startup
from wizard.core.account import AccountStanding
from wizard.core.answers import AnswersFileError, check_answers, known_keys, load_answers
from wizard.core.autofill import FillOutcome, fill_rounds
from wizard.core.backend import Backend
from wizard.core.draft_lock import DraftLock
from wizard.core.explain import explain
from wizard.core.session import AnswersInvalid, DraftSession
from wizard.core.take_live import (
    PracticeDraft,
    PracticeUnavailable,
    create_live,
    read_practice,
    send_the_rest,
)
from wizard.launch import Launcher

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_UNANSWERED = 3


@dataclass
class FillRequest:
    """What the command line asked for."""

    answers_path: Path | None
    """The answers file; only ``--from-sandbox`` runs without one."""
    job_id: str | None = None
    description: str | None = None
    publish: bool = False
    as_json: bool = False
    from_sandbox: str | None = None
    """A finished practice draft to post for real (its description and answers)."""

    @property
    def answers_source(self) -> str:
        """Where the answers come from, as people read it."""
        if self.answers_path is None:
            return f"practice draft {self.from_sandbox}"
        return str(self.answers_path)


def _write(stream: TextIO, text: str) -> None:
    """Write a line whatever the stream's encoding (a closed pipe is not our problem)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    text = text.encode(encoding, "backslashreplace").decode(encoding, "replace")
    try:
        stream.write(text + "\n")
        stream.flush()
    except (BrokenPipeError, ValueError):  # the reader went away, or the stream is closed
        pass


def _say(text: str) -> None:
    """One line for people on stderr, with server text made plain (no escapes)."""
    _write(sys.stderr, clean_text(text))


def _document(
    session: DraftSession | None, rounds: int, retries: int, **extra: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "jobId": session.job_id if session else None,
        "status": session.status if session else None,
        # The API's loop condition: issues the server still publishes with do not count.
        "publishReady": session.validation.publish_ready if session else False,
        "rounds": rounds,
        "missingFields": [question_entry(s) for s in session.specs] if session else [],
        "issues": [i.message for i in session.validation.issues] if session else [],
        "retries": retries,
    }
    if session and session.draft_url:
        doc["draftUrl"] = session.draft_url
    if session and session.published:
        doc["jobUrl"] = session.published.job_url
        doc["alreadyPublished"] = session.published.already_published
    doc.update(extra)
    return doc


def _emit(request: FillRequest, doc: dict[str, Any]) -> None:
    if request.as_json:
        _write(sys.stdout, json_text(doc))


def usage_failure(as_json: bool, message: str) -> int:
    """Refuse bad local input before anything is sent: one sentence, the JSON document, 2.

    The command line calls this too (a description file that cannot be used), so every
    usage error of ``fill`` past argparse looks the same.
    """
    _say(f"draft-wizard: {message}")
    if as_json:
        _write(
            sys.stdout,
            json_text(
                _document(None, 0, 0, error={"message": clean_text(message), "kind": "usage"})
            ),
        )
    return EXIT_USAGE


def _journal_warnings(launcher: Launcher) -> None:
    """Say once if crash-safety is off, or if a damaged journal was moved aside."""
    launcher.journal()
    for line in (launcher.journal_notice, launcher.journal_problem):
        if line:
            _say(f"draft-wizard: warning: {line}")


async def run_fill(request: FillRequest, launcher: Launcher) -> int:
    """Run the loop; returns the exit code."""
    try:
        answers = load_answers(request.answers_path) if request.answers_path else {}
    except AnswersFileError as err:
        return usage_failure(request.as_json, str(err))
    _journal_warnings(launcher)
    practice: PracticeDraft | None = None
    if request.from_sandbox:
        if launcher.settings.sandbox:
            return usage_failure(request.as_json, NOT_REAL_API)
        try:
            practice = read_practice(launcher.journal(), request.from_sandbox)
        except PracticeUnavailable as err:
            return _practice_refused(request, err)
        # The file (when given) answers what practice did not, and wins where both do.
        answers = {**practice.answers, **answers}

    backend: Backend | None = None
    session: DraftSession | None = None
    progress: FillOutcome | None = None
    lock: DraftLock | None = None
    rounds = 0
    try:
        backend = await launcher.connect()
        resume_after_startup()  # the imports are done (see ``wizard.collector``)
        engine = backend.engine
        await engine.prepare(facets=False)
        # What the token and account allow was read alongside capabilities: a run that
        # cannot work stops here, before anything is created.
        standing = engine.standing
        refusal = standing.draft_problem or (standing.publish_problem if request.publish else None)
        if refusal:
            return _account_refused(request, refusal, standing)
        for sentence in standing.sentences:
            _say(f"Account: {sentence}")
        # Every value is coerced now, before anything is written: a value that would
        # only fail in a later round must not leave a draft behind for a rerun to duplicate.
        refused = check_answers(answers, capabilities=engine.capabilities, catalog=engine.catalog)
        if refused:
            return _refused_answers(request, refused)
        if request.job_id:
            lock = backend.draft_lock(request.job_id)
            if not lock.acquire():
                return _busy(request, lock, None)
            opened = await engine.open(request.job_id, answers)
            session = opened.session
            rounds = 1 if opened.resent else 0
            if opened.resent:
                _say(f"Re-sent {len(opened.resent)} saved answer(s) to {request.job_id}.")
            for key, reason in opened.dropped.items():
                _say(f"Dropped a saved answer the server refuses: {key}: {reason}")
            if opened.note:
                _say(opened.note)
        elif practice is not None:
            session = await create_live(engine, practice)
            _say(f"Posted practice draft {practice.job_id} for real as draft {session.job_id}.")
        else:
            assert request.description is not None
            session = await engine.create(request.description)
            _say(f"Created draft {session.job_id}.")
            # A rerun of the same description gets the same draft back (idempotency
            # key), so two runs can meet here too.
            lock = backend.draft_lock(session.job_id)
            if not lock.acquire():
                return _busy(request, lock, session)
        # Kept outside the call, so an error in a later round still reports the rounds sent.
        progress = FillOutcome(session=session, rounds=rounds)
        if request.job_id:
            progress.matched.update(opened.resent)  # sent on opening, in place of saved ones
        outcome = await fill_rounds(engine, session, answers, outcome=progress)
        if practice is not None:
            rest = await send_the_rest(engine, session, answers)
            if rest:
                # The person's own values (e.g. a corrected title) went in too; anything
                # they changed about the draft is asked again from the same answers.
                progress.rounds += 1
                progress.matched.update(rest)
                outcome = await fill_rounds(engine, session, answers, outcome=progress)
        rounds = outcome.rounds
        unmatched = _report_keys(request, answers, outcome, known_keys(engine.capabilities))
        if not outcome.ready:
            return _not_ready(request, outcome, backend, unmatched)
        for issue in session.validation.issues:
            # publishReady with issues: the server allows publishing, so they only warn.
            where = f"{issue.field}: " if issue.field else ""
            _say(f"draft-wizard: warning: {where}{issue.message}")
        if request.publish:
            result = await engine.publish(session)
            verb = "Already published" if result.already_published else "Published"
            _say(f"{verb}: {result.job_url}")
        else:
            _say(f"Draft {session.job_id} is ready to publish.")
        _emit(
            request,
            _document(
                session,
                rounds,
                backend.client.retries_made,
                account=standing.as_json(),
                **unmatched,
            ),
        )
        return EXIT_OK
    except AnswersInvalid as err:
        rounds = progress.rounds if progress else rounds
        key, message = next(iter(err.errors.items()))
        _say(f"draft-wizard: {request.answers_source}: {key}: {message}")
        _emit(
            request,
            _document(
                session,
                rounds,
                _retries(backend),
                error={"message": message, "field": key, "kind": "answer"},
            ),
        )
        return EXIT_USAGE
    except InsecureURLError as err:
        return usage_failure(request.as_json, str(err))
    except WizardAPIError as err:
        rounds = progress.rounds if progress else rounds
        message, field = explain(err)
        _say(f"draft-wizard: {message}")
        error: dict[str, Any] = {"message": message, "field": field, "kind": "api"}
        if isinstance(err, APIStatusError):
            error.update(status=err.status_code, code=err.code, requestId=err.request_id)
        _emit(request, _document(session, rounds, _retries(backend), error=error))
        return EXIT_API
    except asyncio.CancelledError:
        # Ctrl+C: the caller says so on stderr; scripts still get their one document.
        interrupted = {
            "message": "interrupted; unsent answers stay in the journal.",
            "kind": "interrupted",
        }
        rounds = progress.rounds if progress else rounds
        _emit(request, _document(session, rounds, _retries(backend), error=interrupted))
        raise
    except Exception as err:  # noqa: BLE001 - the contract is one sentence, never a traceback
        # A reply or a state nothing above foresaw (a journal that fails mid-run, a
        # reply shape a model did not expect): still one sentence and one document.
        rounds = progress.rounds if progress else rounds
        message = f"unexpected {type(err).__name__}: {err}"
        _say(f"draft-wizard: {message}")
        error = {"message": clean_text(message), "kind": "internal"}
        _emit(request, _document(session, rounds, _retries(backend), error=error))
        return EXIT_API
    finally:
        if lock is not None:
            lock.release()
        if backend is not None:
            await backend.aclose()


NOT_REAL_API = (
    "--from-sandbox posts a practice draft to the real API: set OT_API_TOKEN (or log in "
    "with OpenTrain's CLI) and run it without --sandbox."
)


def _practice_refused(request: FillRequest, err: PracticeUnavailable) -> int:
    """A practice draft that cannot be posted: one sentence; 1 when already posted."""
    if err.kind != "already-live":
        return usage_failure(request.as_json, err.message)
    _say(f"draft-wizard: {err.message}")
    error = {"message": err.message, "kind": err.kind}
    _emit(request, _document(None, 0, 0, jobId=err.live_job_id, error=error))
    return EXIT_API


def _account_refused(request: FillRequest, sentence: str, standing: AccountStanding) -> int:
    """The token or account cannot do what was asked: said before anything is created."""
    _say(f"draft-wizard: {sentence}")
    error = {"message": sentence, "kind": "account"}
    _emit(request, _document(None, 0, 0, error=error, account=standing.as_json()))
    return EXIT_API


def _refused_answers(request: FillRequest, refused: dict[str, str]) -> int:
    key, message = next(iter(refused.items()))
    more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
    _say(f"draft-wizard: {request.answers_source}: {key}: {message}{more}")
    error = {"message": message, "field": key, "kind": "answer"}
    _emit(request, _document(None, 0, 0, error=error))
    return EXIT_USAGE


def _busy(request: FillRequest, lock: DraftLock, session: DraftSession | None) -> int:
    message = lock.busy_message()
    _say(f"draft-wizard: {message}")
    error = {"message": message, "kind": "busy", "holderPid": lock.holder_pid}
    _emit(request, _document(session, 0, 0, jobId=lock.job_id, error=error))
    return EXIT_API


def _retries(backend: Backend | None) -> int:
    return backend.client.retries_made if backend else 0


def _report_keys(
    request: FillRequest, answers: dict[str, Any], outcome: FillOutcome, known: frozenset[str]
) -> dict[str, Any]:
    """Name every answers-file key that matched no question of any round; the JSON part."""
    found = unmatched_keys(answers, outcome.matched, outcome.asked, known)
    for entry in found:
        _say(f"draft-wizard: warning: {entry.sentence(Path(request.answers_source))}")
    return {"unmatchedKeys": [entry.document() for entry in found]}


def _not_ready(
    request: FillRequest,
    outcome: FillOutcome,
    backend: Backend,
    extra: dict[str, Any] | None = None,
) -> int:
    extra = extra or {}
    session = outcome.session
    if outcome.stuck and not outcome.uncovered:
        lines = [
            f"{spec.field}: {spec.error or spec.message or 'still not accepted'}"
            for spec in outcome.stuck
        ]
        _say("draft-wizard: the server did not accept these answers:")
        for line in lines:
            _say(f"  {line}")
        _emit(
            request,
            _document(
                session,
                outcome.rounds,
                backend.client.retries_made,
                error={"message": lines[0], "field": outcome.stuck[0].field, "kind": "rejected"},
                **extra,
            ),
        )
        return EXIT_API
    if not outcome.uncovered:
        blocking = [i.message for i in session.validation.issues] or ["not ready"]
        _say(f"draft-wizard: the draft is not ready: {blocking[0]}")
        _emit(request, _document(session, outcome.rounds, backend.client.retries_made, **extra))
        return EXIT_API
    count = len(outcome.uncovered)
    questions = "question is" if count == 1 else "questions are"
    _say(f"{count} {questions} not answered by {request.answers_source}:")
    for spec in outcome.uncovered:
        for line in question_lines(spec):
            _say(line)
    # A practice draft posted without a file: the answers go in a new one.
    answers_file = request.answers_path or Path("FILE")
    command = continue_command(
        session.job_id, answers_file, publish=request.publish, as_json=request.as_json
    )
    where = str(request.answers_path) if request.answers_path else "a file (FILE)"
    _say(f"Add {'it' if count == 1 else 'them'} to {where}, then continue with:")
    _say(f"  {command}")
    _emit(request, _document(session, outcome.rounds, backend.client.retries_made, **extra))
    return EXIT_UNANSWERED
