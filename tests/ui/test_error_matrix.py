"""Every documented failure, in the TUI: the sentence a person sees, and nothing lost.

The app talks real HTTP to a fault proxy in front of the sandbox. Each case injects one
failure, checks the one sentence on screen, checks the typed answer is still in the
form and pending in the journal, then clears the fault and shows the same send (or
publish) now succeeds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wizard.sandbox import SANDBOX_TOKEN, SandboxServer
from wizard.ui.app import WizardApp
from wizard.ui.screens.form import FormScreen
from wizard.ui.screens.result import ResultScreen
from wizard.ui.screens.review import ReviewScreen
from wizard.ui.widgets.field_box import FieldBox

from ..fault_proxy import FaultProxy, Rule, envelope
from .harness import form_screen, real_api_app, wait_for

DESCRIPTION = (
    "Spanish call-center transcript review\n"
    "Native Spanish speakers review machine transcripts of support calls and fix them.\n"
    "Pay: $18 per hour.\n"
)
READY_ANSWERS: dict[str, Any] = {
    "experienceLevel": "INTERMEDIATE",
    "countries": ["ES", "MX"],
    "headcount": 5,
    "dataVolume": 300,
    "dataVolumeUnit": "HOURS_OF_RECORDING_AUDIO_VIDEO",
    "labelingOverview": "Review transcripts, fix misheard words and mark speaker turns.",
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def proxy(sandbox: SandboxServer) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(sandbox.base_url).start()
    yield fault_proxy
    fault_proxy.stop()


def _app(base_url: str, **kwargs: Any) -> WizardApp:
    return real_api_app(base_url, SANDBOX_TOKEN, **kwargs)


async def _submit(pilot: Any, app: WizardApp, form: FormScreen, answers: dict[str, Any]) -> None:
    """Send answers through the engine, then let the form re-plan as after ctrl+s."""
    assert app.backend is not None
    diff = await app.backend.engine.submit(form.session, answers)
    form.post_message(FormScreen.RoundApplied(diff, answers))
    await wait_for(pilot, lambda: form.rendered_round == form.session.round)


def _banner(form: FormScreen) -> str:
    return str(form.query_one("#banner").render())


async def _open_form(pilot: Any, app: WizardApp) -> FormScreen:
    await wait_for(pilot, lambda: form_screen(app) is not None)
    form = form_screen(app)
    assert form is not None
    await wait_for(pilot, lambda: form.rendered_round > 0)
    return form


async def _type_headcount(pilot: Any, form: FormScreen) -> None:
    form.query_one("#field-headcount").focus()
    await pilot.press("5")


def _pending(app: WizardApp, job_id: str) -> dict[str, Any]:
    assert app.backend is not None and app.backend.journal is not None
    return app.backend.journal.pending(app.backend.scope, job_id)


SEND_FAILURES = [
    pytest.param(
        Rule(
            "PATCH",
            "/job-drafts/",
            400,
            envelope(
                400,
                "BAD_REQUEST",
                "Invalid request body",
                issues=[
                    {
                        "code": "too_small",
                        "path": ["headcount"],
                        "message": "Number must be greater than or equal to 1",
                    }
                ],
            ),
        ),
        "The server refused Headcount (see below)",
        "Number must be greater than or equal to 1",
        id="400-zod-issue",
    ),
    pytest.param(
        Rule(
            "PATCH", "/job-drafts/", 401, envelope(401, "UNAUTHORIZED", "Invalid or expired token.")
        ),
        "The API token was rejected: Invalid or expired token.",
        None,
        id="401",
    ),
    pytest.param(
        Rule(
            "PATCH",
            "/job-drafts/",
            403,
            envelope(
                403,
                "FORBIDDEN",
                "Job drafting is not enabled for this account.",
                featureKey="public_api_job_drafting",
                mode="ALLOWLIST",
            ),
        ),
        "(feature public_api_job_drafting is off)",
        None,
        id="403-feature-off",
    ),
    pytest.param(
        Rule(
            "PATCH",
            "/job-drafts/",
            403,
            envelope(
                403,
                "FORBIDDEN",
                "This token lacks the jobs:write scope.",
                requiredScopes=["jobs:write"],
            ),
        ),
        "This token lacks the jobs:write scope.",
        None,
        id="403-scope",
    ),
    pytest.param(
        Rule(
            "PATCH",
            "/job-drafts/",
            403,
            envelope(
                403,
                "FORBIDDEN",
                "Claim your account to continue.",
                reason="account_claim_required",
                claimUrl="https://example.invalid/claim",
            ),
        ),
        "Claim the account first.",
        None,
        id="403-claim-required",
    ),
    pytest.param(
        Rule("PATCH", "/job-drafts/", 404, envelope(404, "NOT_FOUND", "Job not found.")),
        "Job not found.",
        None,
        id="404",
    ),
    pytest.param(
        Rule(
            "PATCH",
            "/job-drafts/",
            409,
            envelope(409, "CONFLICT", "Job is not a draft.", status="OPEN", requiredStatus="DRAFT"),
        ),
        "Job is not a draft.",
        None,
        id="409",
    ),
    pytest.param(
        Rule(
            "PATCH",
            "/job-drafts/",
            429,
            envelope(429, "RATE_LIMITED", "Too many requests."),
            headers={"Retry-After": "0"},
            times=3,
        ),
        "Too many requests.",
        None,
        id="429-rate-limited",
    ),
    pytest.param(
        Rule("PATCH", "/job-drafts/", 500, envelope(500, "INTERNAL", "Something broke.")),
        "Something broke.",
        None,
        id="500",
    ),
    pytest.param(
        Rule("PATCH", "/job-drafts/", 502, b"<html>Bad gateway</html>", times=3),
        "The server failed (HTTP 502).",
        None,
        id="502",
    ),
    pytest.param(
        Rule(
            "PATCH",
            "/job-drafts/",
            503,
            envelope(503, "UNAVAILABLE", "Down for maintenance."),
            times=3,
        ),
        "Down for maintenance.",
        None,
        id="503",
    ),
    pytest.param(
        Rule("PATCH", "/job-drafts/", action="hang", hang_seconds=2.5, times=3),
        "did not answer in time.",
        None,
        id="timeout",
    ),
    pytest.param(
        Rule("PATCH", "/job-drafts/", action="reset", times=3),
        "dropped before the answer arrived.",
        None,
        id="connection-reset",
    ),
    pytest.param(
        Rule("PATCH", "/job-drafts/", 200, b"<html>Welcome to the captive portal</html>"),
        "sent a reply that is not JSON (HTTP 200).",
        None,
        id="non-json-body",
    ),
    pytest.param(
        Rule("PATCH", "/job-drafts/", 200, {"ok": True, "draft": None}),
        "sent JSON of an unexpected shape",
        None,
        id="unexpected-json-shape",
    ),
]


@pytest.mark.parametrize(("rule", "sentence", "field_error"), SEND_FAILURES)
async def test_send_failure_is_told_and_loses_nothing(
    proxy: FaultProxy, rule: Rule, sentence: str, field_error: str | None
) -> None:
    app = _app(proxy.base_url, description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, app)
        await _type_headcount(pilot, form)
        proxy.add(rule)
        before = form.session.round
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: rule.hits >= 1 and not form.model.sending and bool(_banner(form))
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sentence in _banner(form)
        assert "Traceback" not in _banner(form)
        box = form.query_one("#box-headcount", FieldBox)
        assert box.answers() == {"headcount": "5"}, "the typed answer must stay in the form"
        if field_error:
            assert field_error in str(box.query_one(".field-error").render())
        assert _pending(app, form.session.job_id) == {"headcount": 5}
        assert form.session.round == before

        proxy.clear()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.rendered_round > before)
        assert not form.query("#box-headcount"), "answered on the retry"
        assert _pending(app, form.session.job_id) == {}


async def test_connection_refused_then_resume_on_next_start(
    sandbox: SandboxServer, proxy: FaultProxy
) -> None:
    app = _app(proxy.base_url, description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, app)
        job_id = form.session.job_id
        await _type_headcount(pilot, form)
        proxy.stop()  # nothing listens there any more
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Could not connect" in _banner(form))
        assert "Your answers are saved" in _banner(form)
        assert form.query_one("#box-headcount", FieldBox).answers() == {"headcount": "5"}
        assert _pending(app, job_id) == {"headcount": 5}

    # The next start, once the server is reachable again at the same address, re-sends
    # the pending answer first.
    back = FaultProxy(sandbox.base_url, port=proxy.port).start()
    again = _app(back.base_url, job_id=job_id)
    async with again.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, again)
        assert form.session.job_id == job_id
        assert not form.query("#box-headcount")
        assert form.session.values.get("headcount") == 5
        assert _pending(again, job_id) == {}
    back.stop()


PUBLISH_FAILURES = [
    pytest.param(
        Rule(
            "POST",
            "/publish",
            400,
            envelope(
                400,
                "BAD_REQUEST",
                "Draft is not ready.",
                validation={
                    "publishReady": False,
                    "issueCount": 0,
                    "missingFieldCount": 1,
                    "missingFields": [
                        {
                            "field": "headcount",
                            "label": "Headcount",
                            "type": "number",
                            "prompt": "How many trainers?",
                            "updateKeys": ["headcount"],
                        }
                    ],
                    "issues": [],
                },
            ),
        ),
        "Not ready to publish: Draft is not ready.",
        id="400-publish-not-ready",
    ),
    pytest.param(
        Rule(
            "POST",
            "/publish",
            403,
            envelope(
                403,
                "FORBIDDEN",
                "Publishing blocked.",
                reason="moderation_blocked",
                reasons=["Job title: mentions a prohibited topic (crypto)."],
            ),
        ),
        "Moderation blocked publishing: Job title: mentions a prohibited topic (crypto).",
        id="403-moderation",
    ),
    pytest.param(
        Rule(
            "POST",
            "/publish",
            429,
            envelope(429, "RATE_LIMITED", "Daily limit reached.", limit=3, windowHours=24),
        ),
        "The daily publish limit (3 per 24 h) is reached",
        id="429-daily-limit",
    ),
]


@pytest.mark.parametrize(("rule", "sentence"), PUBLISH_FAILURES)
async def test_publish_failure_is_told_and_the_draft_is_kept(
    proxy: FaultProxy, rule: Rule, sentence: str
) -> None:
    app = _app(proxy.base_url, description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, app)
        assert app.backend is not None
        answers = {k: v for k, v in READY_ANSWERS.items() if form.session.spec_for_key(k)}
        await _submit(pilot, app, form, answers)
        assert form.session.ready
        proxy.add(rule)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: rule.hits == 1 and sentence in _banner(form))
        assert isinstance(app.screen, FormScreen)
        assert form.session.values.get("headcount") == 5, "the draft keeps every value"
        assert form.session.published is None
        # The publish limit is told, not retried.
        assert [m for m, p in proxy.seen if "publish" in p] == ["POST"]

        proxy.clear()
        if not form.session.ready:  # the not-ready case re-asks the question
            await wait_for(pilot, lambda: bool(form.query("#box-headcount")))
            await _submit(pilot, app, form, {"headcount": 5})
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
