""" "Post this for real" in the TUI: a finished practice draft becomes a real draft.

The practice runs on the in-process sandbox (``sandbox_app``); a second sandbox on a
loopback port stands in for the real API, named the usual way (``OT_API_TOKEN`` and
``OT_API_BASE_URL``). Its store proves what arrived; the app then works on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import Button

from wizard.core.journal import Journal
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer
from wizard.sandbox.app import sandbox_state
from wizard.ui.app import WizardApp
from wizard.ui.go_live import NO_REAL_API
from wizard.ui.screens.form import FormScreen
from wizard.ui.screens.result import ResultScreen
from wizard.ui.screens.review import ReviewScreen
from wizard.ui.widgets.banner import SandboxBanner

from .harness import DESCRIPTION, READY_ANSWERS, form_screen, sandbox_app, wait_for


@pytest.fixture(scope="module")
def real() -> Iterator[SandboxServer]:
    """The second sandbox, standing in for the real API."""
    with SandboxServer() as server:
        yield server


@pytest.fixture
def real_api(real: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> SandboxServer:
    monkeypatch.setenv("OT_API_TOKEN", SANDBOX_TOKEN)
    monkeypatch.setenv("OT_API_BASE_URL", real.base_url)
    return real


def _stored(server: SandboxServer, job_id: str) -> dict[str, Any]:
    record = sandbox_state(server.app).store.get_job(job_id)
    assert record is not None, f"no job {job_id} there"
    return dict(record.fields)


def _notes(app: WizardApp) -> list[str]:
    return [n.message for n in app._notifications]


async def _finish_practice(pilot: Any, app: WizardApp) -> FormScreen:
    await wait_for(pilot, lambda: form_screen(app) is not None)
    form = form_screen(app)
    assert form is not None
    await wait_for(pilot, lambda: form.rendered_round > 0)
    assert app.backend is not None
    answers = {k: v for k, v in READY_ANSWERS.items() if form.session.spec_for_key(k)}
    diff = await app.backend.engine.submit(form.session, answers)
    form.post_message(FormScreen.RoundApplied(diff, answers))
    await wait_for(pilot, lambda: form.rendered_round == form.session.round)
    assert form.session.ready
    return form


async def test_post_for_real_from_the_review_then_publish_there(real_api: SandboxServer) -> None:
    app = sandbox_app(description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        practice = await _finish_practice(pilot, app)
        practice_id = practice.session.job_id
        practice_values = dict(practice.session.values)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.query("#post-live")
        await pilot.press("l")

        def live_form() -> FormScreen | None:
            form = form_screen(app)
            return form if form is not None and form.session.job_id != practice_id else None

        await wait_for(pilot, lambda: live_form() is not None)
        form = live_form()
        assert form is not None
        live_id = form.session.job_id
        # The app works on the real API now, and says so.
        assert not app.sandbox
        assert not any(screen.query(SandboxBanner) for screen in app.screen_stack)
        # Notifications arrive as messages: waited for, not assumed already handled.
        await wait_for(
            pilot, lambda: any(f"Posted for real as draft {live_id}" in n for n in _notes(app))
        )
        # The real server holds the description and every practice answer.
        stored = _stored(real_api, live_id)
        assert stored["jobDescription"] == DESCRIPTION.strip()
        for key, value in READY_ANSWERS.items():
            assert stored[key] == practice_values[key] == value
        assert form.session.ready
        assert app.backend is not None and app.backend.journal is not None
        journal = app.backend.journal
        assert journal.taken_live("sandbox", practice_id) == (real_api.base_url, live_id)

        # Publishing from here is real.
        await wait_for(pilot, lambda: not form.query_one("#publish", Button).disabled)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert not app.screen.query("#post-live")  # nothing more to post for real
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        assert "(in the sandbox)" not in str(app.screen.query_one("#result-heading").render())
        assert sandbox_state(real_api.app).store.get_job(live_id).status == "OPEN"  # type: ignore[union-attr]

        # The practice draft says where it went when asked again.
        app.post_for_real(practice_id)
        await pilot.pause()
        assert not app.sandbox  # only offered on practice runs: nothing happens


async def test_questions_the_real_server_adds_are_asked_in_the_form(
    real_api: SandboxServer,
) -> None:
    kept = Journal.default()
    answers = {k: v for k, v in READY_ANSWERS.items() if k != "headcount"}
    kept.record_draft(
        "sandbox", "practice-fewer", title="Transcripts", validation={"publishReady": True}
    )
    kept.keep_practice_description("sandbox", "practice-fewer", DESCRIPTION)
    ticket = kept.write_pending("sandbox", "practice-fewer", answers)
    kept.acknowledge("sandbox", "practice-fewer", list(answers), ticket)

    app = sandbox_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.wait_backend()
        app.post_for_real("practice-fewer")
        await wait_for(pilot, lambda: form_screen(app) is not None)
        form = form_screen(app)
        assert form is not None
        await wait_for(pilot, lambda: form.rendered_round > 0)
        assert list(form.model.questions) == ["headcount"]
        assert form.query("#field-headcount")
        await wait_for(
            pilot, lambda: any("1 question(s) the sandbox did not ask" in n for n in _notes(app))
        )
        # A second try says where it went, and creates nothing.
        app.settings.sandbox = True  # as if back on a practice run
        app.post_for_real("practice-fewer")
        await wait_for(
            pilot, lambda: any("already posted for real as draft" in n for n in _notes(app))
        )


async def test_without_a_real_api_it_says_how_to_get_one() -> None:
    app = sandbox_app(description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        practice = await _finish_practice(pilot, app)
        app.post_for_real(practice.session.job_id)
        await wait_for(pilot, lambda: NO_REAL_API in _notes(app))
        assert app.sandbox
        assert app.backend is not None and app.backend.journal is not None
        assert app.backend.journal.taken_live("sandbox", practice.session.job_id) is None
