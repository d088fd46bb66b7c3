""" "Post this for real": a finished practice draft becomes a draft on the real API.

Offered on the review and result screens of a sandbox run (they send the app a
``PostForReal`` message). The real API is the one the usual settings name
(``OT_API_TOKEN`` or OpenTrain's CLI login, and the base URL), read afresh when asked,
since a practice session runs on the sandbox. The practice draft's description and
answers come from this machine's journal (``wizard.core.take_live``); they are sent
round by round as the real server asks. ``post_for_real`` returns the real backend and
draft; the app then moves itself to the real API and opens that draft's form, where
whatever the real server wants that the sandbox did not is asked, and publishing is real.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.api.transport import ExchangeObserver
    from wizard.core.backend import Backend
    from wizard.core.journal import Journal
    from wizard.core.session import DraftSession
    from wizard.settings import Settings

ConnectLive = Callable[
    ["Settings", "Journal | None", "ExchangeObserver | None"], Awaitable["Backend"]
]
"""Connects to the API some settings name (posting a practice draft for real)."""

Tell = Callable[..., None]
"""Says one sentence to the person: ``tell(sentence, severity=...)``."""

NO_REAL_API = (
    "To post for real, draft-wizard needs the real API: set OT_API_TOKEN before starting "
    "it, or log in with OpenTrain's CLI (opentrain auth login), then try again."
)


@dataclass
class Live:
    """A practice draft, now on the real API."""

    backend: Backend
    settings: Settings
    session: DraftSession


async def post_for_real(
    practice_backend: Backend,
    practice_job_id: str,
    *,
    connect_live: ConnectLive,
    allow_insecure: bool,
    observe: ExchangeObserver,
    tell: Tell,
) -> Live | None:
    """Create the practice draft again on the real API and answer it; None (having told
    why) when nothing came of it."""
    from wizard.api.errors import WizardAPIError
    from wizard.core.autofill import fill_rounds
    from wizard.core.explain import explain
    from wizard.core.take_live import (
        PracticeUnavailable,
        create_live,
        read_practice,
        send_the_rest,
    )
    from wizard.settings import load_settings

    settings = load_settings(allow_insecure=allow_insecure)
    if settings.sandbox or settings.token is None:
        tell(NO_REAL_API)
        return None
    try:
        practice = read_practice(practice_backend.journal, practice_job_id)
    except PracticeUnavailable as err:
        tell(err.message)
        return None
    tell(
        f"Posting {practice.title or practice_job_id} to {settings.base_url}…",
        severity="information",
    )
    real: Backend | None = None
    session = None
    try:
        real = await connect_live(settings, practice_backend.journal, observe)
        await real.prepare()  # capabilities, the account check and facets, together
        problem = real.engine.standing.draft_problem
        if problem:
            tell(f"Nothing was posted. {problem}")
            await real.aclose()
            return None
        session = await create_live(real.engine, practice)
        await fill_rounds(real.engine, session, practice.answers)
        if await send_the_rest(real.engine, session, practice.answers):
            await fill_rounds(real.engine, session, practice.answers)
    except WizardAPIError as err:
        sentence = explain(err)[0]
        if session is not None:
            sentence += (
                f" The real draft {session.job_id} exists; continue it with "
                f"`draft-wizard open {session.job_id}`."
            )
        tell(sentence)
        if real is not None:
            await real.aclose()
        return None
    assert real is not None and session is not None
    return Live(real, settings, session)


def posted_sentence(live: Live) -> str:
    """What the app says once it works on the real API."""
    session = live.session
    left = (
        "ready to publish"
        if session.ready
        else f"{session.remaining} question(s) the sandbox did not ask"
    )
    return (
        f"Posted for real as draft {session.job_id} on {live.settings.base_url}: {left}. You "
        "are now working on the real API."
    )
