""" "Post this for real": a finished practice draft becomes a draft on the real API.

Offered on the review and result screens of a sandbox run. The real API is the one the
usual settings name (``OT_API_TOKEN`` or OpenTrain's CLI login, and the base URL), read
afresh when asked, since a practice session runs on the sandbox. The practice draft's
description and answers come from this machine's journal (``wizard.core.take_live``);
they are sent round by round as the real server asks, and then the app itself moves to
the real API: the real draft's form opens, asking whatever the real server wants that
the sandbox did not, and publishing from there is real.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

if TYPE_CHECKING:
    from wizard.core.backend import Backend
    from wizard.core.session import DraftSession
    from wizard.settings import Settings
    from wizard.ui.app import WizardApp

POST_LIVE_BINDING = Binding("l", "post_live", "Post for real", id="post-live")
"""The key on the review and result screens (sandbox runs only)."""

NO_REAL_API = (
    "To post for real, draft-wizard needs the real API: set OT_API_TOKEN before starting "
    "it, or log in with OpenTrain's CLI (opentrain auth login), then try again."
)


def start_post_for_real(app: App[Any], practice_job_id: str) -> None:
    """Run ``post_for_real`` in the app's worker (one at a time), off the screens' lives."""
    from wizard.ui.app import WizardApp

    assert isinstance(app, WizardApp)
    app.run_worker(
        post_for_real(app, practice_job_id),
        group="post-live",
        exclusive=True,
        exit_on_error=False,
        description="Posting a practice draft for real",
    )


def _tell(app: WizardApp, sentence: str, *, severity: SeverityLevel = "error") -> None:
    app.notify(sentence, title="Post for real", severity=severity, markup=False, timeout=20)


async def post_for_real(app: WizardApp, practice_job_id: str) -> None:
    """Create the practice draft again on the real API, answer it, and open its form there."""
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

    practice_backend = app.backend
    if not app.sandbox or practice_backend is None:
        return
    if app.connect_live is None:
        _tell(app, "Posting for real is not available in this run.")
        return
    settings = load_settings(allow_insecure=app.settings.allow_insecure_http)
    if settings.sandbox or settings.token is None:
        _tell(app, NO_REAL_API)
        return
    try:
        practice = read_practice(practice_backend.journal, practice_job_id)
    except PracticeUnavailable as err:
        _tell(app, err.message)
        return
    _tell(
        app,
        f"Posting {practice.title or practice_job_id} to {settings.base_url}…",
        severity="information",
    )
    real: Backend | None = None
    session = None
    try:
        real = await app.connect_live(settings, practice_backend.journal, app._observe)
        await real.prepare()  # capabilities, the account check and facets, together
        problem = real.engine.standing.draft_problem
        if problem:
            _tell(app, f"Nothing was posted. {problem}")
            await real.aclose()
            return
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
        _tell(app, sentence)
        if real is not None:
            await real.aclose()
        return
    assert real is not None and session is not None
    await _switch(app, real, settings, session)


async def _switch(app: WizardApp, real: Backend, settings: Settings, session: DraftSession) -> None:
    """Move the app to the real API and open the real draft's form."""
    from wizard.ui.screens.form import FormScreen
    from wizard.ui.screens.start import StartScreen
    from wizard.ui.widgets.banner import SandboxBanner

    practice = app.backend
    app.backend = real
    app.settings = settings
    while len(app.screen_stack) > 1 and not isinstance(app.screen, StartScreen):
        await app.pop_screen()
    for screen in app.screen_stack:
        for banner in screen.query(SandboxBanner):
            await banner.remove()
    if practice is not None:
        await practice.aclose()
    lock = real.draft_lock(session.job_id)
    lock.acquire()  # a draft just created: nobody else can hold it yet
    left = (
        "ready to publish"
        if session.ready
        else f"{session.remaining} question(s) the sandbox did not ask"
    )
    _tell(
        app,
        f"Posted for real as draft {session.job_id} on {settings.base_url}: {left}. You are "
        "now working on the real API.",
        severity="information",
    )
    await app.push_screen(FormScreen(session, lock=lock))
