"""The account check in the TUI: each case told before the first question, Publish gated.

The app talks real HTTP to a sandbox on a loopback port, with the sandbox's demo token
for each case (read-only, drafting off, publishing off, unclaimed at its daily limit,
unclaimed with room left, and the full demo account that has nothing to say).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from textual.widgets import Button

from wizard.sandbox import (
    SANDBOX_AT_LIMIT_TOKEN,
    SANDBOX_NO_DRAFTING_TOKEN,
    SANDBOX_NO_PUBLISH_TOKEN,
    SANDBOX_OTHER_TOKEN,
    SANDBOX_READONLY_TOKEN,
    SANDBOX_TOKEN,
    SandboxServer,
)
from wizard.ui.app import WizardApp
from wizard.ui.screens.form import FormScreen
from wizard.ui.screens.review import ReviewScreen
from wizard.ui.screens.start import StartScreen
from wizard.ui.widgets.account_banner import AccountBanner
from wizard.ui.widgets.banner import ProblemBanner

from .harness import DESCRIPTION, READY_ANSWERS, form_screen, real_api_app, wait_for


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


def _creates(server: SandboxServer) -> int:
    counts = httpx.get(f"{server.base_url}/_sandbox/stats", timeout=5).json()["requests"]
    return int(counts.get("POST /api/public/v1/job-drafts", 0))


async def _form_told_first(pilot: Any, app: WizardApp) -> tuple[FormScreen, str]:
    """The form, and what its account banner said the moment it appeared."""
    told: list[str] = []

    def appeared() -> bool:
        # The first moment the questions are on screen (the form's mount is done).
        form = form_screen(app)
        if form is not None and form.rendered_round > 0 and not told:
            told.append(form.query_one(AccountBanner).text)
        return bool(told)

    await wait_for(pilot, appeared)
    form = form_screen(app)
    assert form is not None
    return form, told[0]


@pytest.mark.parametrize(
    ("token", "needle"),
    [
        (SANDBOX_READONLY_TOKEN, "This token cannot write drafts: it lacks the jobs:write scope"),
        (SANDBOX_NO_DRAFTING_TOKEN, "Drafting through the API is not enabled for this account"),
    ],
    ids=["read-only", "drafting-off"],
)
async def test_a_token_that_cannot_draft_is_told_and_nothing_is_created(
    sandbox: SandboxServer, token: str, needle: str
) -> None:
    before = _creates(sandbox)
    app = real_api_app(sandbox.base_url, token, description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        start = app.screen
        assert isinstance(start, StartScreen)
        await wait_for(pilot, lambda: needle in start.query_one(AccountBanner).text)
        problem = start.query_one(ProblemBanner)
        await wait_for(pilot, lambda: "No draft was created." in problem.text)
        assert needle in problem.text
        assert form_screen(app) is None
    assert _creates(sandbox) == before


@pytest.mark.parametrize(
    ("token", "needle", "reason"),
    [
        (
            SANDBOX_NO_PUBLISH_TOKEN,
            "Publishing through the API is not enabled for this account "
            "(feature public_api_job_publishing)",
            "publishing is off for this account",
        ),
        (
            SANDBOX_AT_LIMIT_TOKEN,
            "This account is not claimed yet and has used all 3 of its publishes for today",
            "daily limit reached",
        ),
    ],
    ids=["publishing-off", "unclaimed-at-limit"],
)
async def test_publishing_that_cannot_work_is_told_first_and_not_offered(
    sandbox: SandboxServer, token: str, needle: str, reason: str
) -> None:
    app = real_api_app(sandbox.base_url, token, description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form, told = await _form_told_first(pilot, app)
        assert needle in told
        publish = form.query_one("#publish", Button)
        assert str(publish.label) == f"Cannot publish: {reason}"
        assert needle in str(publish.tooltip)
        assert app.backend is not None
        # Finished, the draft still cannot be published from here.
        answers = {k: v for k, v in READY_ANSWERS.items() if form.session.spec_for_key(k)}
        diff = await app.backend.engine.submit(form.session, answers)
        form.post_message(FormScreen.RoundApplied(diff, answers))
        await wait_for(pilot, lambda: form.rendered_round == form.session.round)
        assert form.session.ready
        assert publish.disabled
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        confirm = app.screen.query_one("#confirm-publish", Button)
        assert confirm.disabled
        assert needle in str(app.screen.query_one("#review-status").render())


async def test_an_unclaimed_account_is_told_its_allowance_and_may_publish(
    sandbox: SandboxServer,
) -> None:
    app = real_api_app(
        sandbox.base_url, SANDBOX_OTHER_TOKEN, description=DESCRIPTION, start_new=True
    )
    async with app.run_test(size=(120, 40)) as pilot:
        form, told = await _form_told_first(pilot, app)
        assert "This account is not claimed yet, so it can publish 3 jobs a day" in told
        assert f"{sandbox.base_url}/claim" in told
        publish = form.query_one("#publish", Button)
        assert str(publish.label).startswith("Review & publish")


async def test_a_full_account_shows_no_account_banner(sandbox: SandboxServer) -> None:
    app = real_api_app(sandbox.base_url, SANDBOX_TOKEN, description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form, told = await _form_told_first(pilot, app)
        assert told == ""
        assert not form.query_one(AccountBanner).display or not form.query_one(
            AccountBanner
        ).has_class("-shown")
