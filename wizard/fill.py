"""``draft-wizard fill``: the whole loop with no UI, answers from a file.

Exit codes: 0 ready (and published with ``--publish``), 1 an API or network error,
2 a usage error (including an unreadable answers file), 3 questions the file does not
answer. With ``--json`` exactly one JSON document goes to stdout; people read stderr.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.api.errors import APIStatusError, InsecureURLError, WizardAPIError
from wizard.core.answers import AnswersFileError, load_answers
from wizard.core.autofill import FillOutcome, fill_rounds
from wizard.core.backend import Backend
from wizard.core.explain import explain
from wizard.core.fields import FieldSpec
from wizard.core.session import AnswersInvalid, DraftSession
from wizard.launch import Launcher

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_UNANSWERED = 3


@dataclass
class FillRequest:
    """What the command line asked for."""

    answers_path: Path
    job_id: str | None = None
    description: str | None = None
    publish: bool = False
    as_json: bool = False


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _field_entry(spec: FieldSpec) -> dict[str, Any]:
    return {
        "field": spec.field,
        "label": spec.label,
        "prompt": spec.prompt,
        "type": spec.raw_type,
        "updateKeys": spec.keys,
        **({"error": spec.error} if spec.error else {}),
    }


def _document(
    session: DraftSession | None, rounds: int, retries: int, **extra: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "jobId": session.job_id if session else None,
        "status": session.status if session else None,
        "publishReady": session.ready if session else False,
        "rounds": rounds,
        "missingFields": [_field_entry(s) for s in session.specs] if session else [],
        "issues": [i.message for i in session.validation.issues] if session else [],
        "retries": retries,
    }
    if session and session.published:
        doc["jobUrl"] = session.published.job_url
        doc["alreadyPublished"] = session.published.already_published
    doc.update(extra)
    return doc


def _emit(request: FillRequest, doc: dict[str, Any]) -> None:
    if request.as_json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))


async def run_fill(request: FillRequest, launcher: Launcher) -> int:
    """Run the loop; returns the exit code."""
    try:
        answers = load_answers(request.answers_path)
    except AnswersFileError as err:
        _say(f"draft-wizard: {err}")
        _emit(request, _document(None, 0, 0, error={"message": str(err), "kind": "usage"}))
        return EXIT_USAGE

    backend: Backend | None = None
    session: DraftSession | None = None
    progress: FillOutcome | None = None
    rounds = 0
    try:
        backend = await launcher.connect()
        engine = backend.engine
        await engine.prepare(facets=False)
        if request.job_id:
            opened = await engine.open(request.job_id, answers)
            session = opened.session
            rounds = 1 if opened.resent else 0
            if opened.resent:
                _say(f"Re-sent {len(opened.resent)} saved answer(s) to {request.job_id}.")
            for key, reason in opened.dropped.items():
                _say(f"Dropped a saved answer the server refuses: {key}: {reason}")
        else:
            assert request.description is not None
            session = await engine.create(request.description)
            _say(f"Created draft {session.job_id}.")
        # Kept outside the call, so an error in a later round still reports the rounds sent.
        progress = FillOutcome(session=session, rounds=rounds)
        outcome = await fill_rounds(engine, session, answers, outcome=progress)
        rounds = outcome.rounds
        if not outcome.ready:
            return _not_ready(request, outcome, backend)
        if request.publish:
            result = await engine.publish(session)
            verb = "Already published" if result.already_published else "Published"
            _say(f"{verb}: {result.job_url}")
        else:
            _say(f"Draft {session.job_id} is ready to publish.")
        _emit(request, _document(session, rounds, backend.client.retries_made))
        return EXIT_OK
    except AnswersInvalid as err:
        rounds = progress.rounds if progress else rounds
        key, message = next(iter(err.errors.items()))
        _say(f"draft-wizard: {request.answers_path}: {key}: {message}")
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
        _say(f"draft-wizard: {err}")
        _emit(request, _document(None, 0, 0, error={"message": str(err), "kind": "usage"}))
        return EXIT_USAGE
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
    finally:
        if backend is not None:
            await backend.aclose()


def _retries(backend: Backend | None) -> int:
    return backend.client.retries_made if backend else 0


def _not_ready(request: FillRequest, outcome: FillOutcome, backend: Backend) -> int:
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
            ),
        )
        return EXIT_API
    if not outcome.uncovered:
        blocking = [i.message for i in session.validation.issues] or ["not ready"]
        _say(f"draft-wizard: the draft is not ready: {blocking[0]}")
        _emit(request, _document(session, outcome.rounds, backend.client.retries_made))
        return EXIT_API
    _say(f"{len(outcome.uncovered)} question(s) are not answered by {request.answers_path}:")
    for spec in outcome.uncovered:
        keys = ", ".join(spec.keys)
        _say(f"  {spec.field} [{keys}]: {spec.prompt}")
    _emit(request, _document(session, outcome.rounds, backend.client.retries_made))
    return EXIT_UNANSWERED
