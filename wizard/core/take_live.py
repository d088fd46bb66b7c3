"""Posting a finished practice draft for real: the same job, on the real API.

A practice draft lives in the embedded sandbox; this machine's journal keeps what is
needed to make it again: the description it was created from (kept for practice drafts
only) and every answer the person gave (acknowledged by the sandbox). Taking it live
creates a draft on the real API from that description, then sends those answers round
by round as the real server asks for them (the same loop as ``fill``); questions the
sandbox never asked are left for the person. The practice draft is then marked as taken
live, with the real job id, so a second attempt says where it went instead of making a
duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.core.engine import PRACTICE_SCOPE, DraftEngine
from wizard.core.journal import Journal
from wizard.core.session import DraftSession


class PracticeUnavailable(Exception):
    """A practice draft that cannot be posted for real; the message is one sentence."""

    def __init__(self, message: str, *, kind: str, live_job_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        """``unknown``, ``unfinished``, ``no-description``, ``no-journal`` or ``already-live``."""
        self.live_job_id = live_job_id


@dataclass(frozen=True)
class PracticeDraft:
    """What posting a practice draft for real starts from."""

    job_id: str
    title: str | None
    description: str
    answers: dict[str, Any]
    """Every answer the person gave, by update key, as the sandbox accepted it."""


def read_practice(journal: Journal | None, job_id: str) -> PracticeDraft:
    """The finished practice draft ``job_id`` as this machine's journal knows it.

    Raises:
        PracticeUnavailable: no journal, no such practice draft, not finished, its
            description not kept, or already taken live.
    """
    if journal is None:
        raise PracticeUnavailable(
            "Practice drafts are read from this machine's journal, which this run cannot open.",
            kind="no-journal",
        )
    draft = journal.draft(PRACTICE_SCOPE, job_id)
    if draft is None:
        raise PracticeUnavailable(
            f"No practice draft {job_id} on this machine: `draft-wizard --sandbox` lists "
            "the ones there are.",
            kind="unknown",
        )
    live = journal.taken_live(PRACTICE_SCOPE, job_id)
    if live is not None:
        origin, live_id = live
        raise PracticeUnavailable(
            f"Practice draft {job_id} was already posted for real as draft {live_id} on "
            f"{origin}; continue it with `draft-wizard open {live_id}`.",
            kind="already-live",
            live_job_id=live_id,
        )
    validation = draft.validation or {}
    if draft.status != "OPEN" and validation.get("publishReady") is not True:
        missing = validation.get("missingFields")
        left = f" ({len(missing)} questions left)" if isinstance(missing, list) and missing else ""
        raise PracticeUnavailable(
            f"Practice draft {job_id} is not finished yet{left}: finish it with "
            f"`draft-wizard --sandbox open {job_id}`, then post it for real.",
            kind="unfinished",
        )
    description = journal.practice_description(PRACTICE_SCOPE, job_id)
    if not description:
        # Drafts made before descriptions were kept: the sandbox's parse holds the text.
        parsed = (draft.parsed or {}).get("jobDescription")
        description = parsed if isinstance(parsed, str) and parsed.strip() else None
    if not description:
        raise PracticeUnavailable(
            f"The description of practice draft {job_id} is not kept on this machine, so "
            "it cannot be created again on the real API.",
            kind="no-description",
        )
    return PracticeDraft(
        job_id=job_id,
        title=draft.title,
        description=description,
        answers=journal.acknowledged(PRACTICE_SCOPE, job_id),
    )


async def create_live(engine: DraftEngine, practice: PracticeDraft) -> DraftSession:
    """Create the real draft from the practice draft's description, and mark it taken.

    Marked as soon as the real draft exists (before any answer is sent), so a run that
    fails later cannot lead to a second real draft: trying again names the first one.
    """
    session = await engine.create(practice.description)
    if engine.journal is not None:
        engine.journal.mark_live(PRACTICE_SCOPE, practice.job_id, engine.scope, session.job_id)
    return session


async def send_the_rest(
    engine: DraftEngine, session: DraftSession, answers: dict[str, Any]
) -> dict[str, Any]:
    """Send, in one PATCH, the person's answers the real server never asked for.

    Its own parser may have read those values from the description; the person's
    answer (a corrected title, say) still wins, as it did in practice. Keys the real
    server does not accept (capabilities' ``updateKeys``, when it lists them) are left
    out, as are values the draft already holds. Returns what was sent.
    """
    keys = set(engine.capabilities.draft.update_keys) if engine.capabilities else set()
    rest = {
        key: value
        for key, value in answers.items()
        if session.provenance.get(key) != "you"
        and (not keys or key in keys)
        and session.values.get(key) != value
    }
    if rest:
        await engine.submit(session, rest)
    return rest
