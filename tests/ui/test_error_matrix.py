"""Every documented failure, in the TUI: the sentence a person sees, and nothing lost.

The app talks real HTTP to a fault proxy in front of the sandbox. Each case injects one
failure, checks the one sentence on screen, checks the typed answer is still in the
form and pending in the journal, then clears the fault and shows the same send (or
publish) now succeeds.

No case depends on how fast the machine is: honest answers get a generous time between
bytes, a hung answer never comes at all, and the waits only guard against a hang.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from wizard.sandbox import SANDBOX_TOKEN, SandboxServer
from wizard.ui.app import WizardApp
from wizard.ui.screens.form import FormScreen
from wizard.ui.screens.result import ResultScreen
from wizard.ui.screens.review import ReviewScreen
from wizard.ui.widgets.field_box import FieldBox

from ..fault_proxy import Action, FaultProxy, Hang, Reset, Respond, envelope
from .harness import DESCRIPTION, READY_ANSWERS, form_screen, real_api_app, type_answer, wait_for

PASS_THROUGH_TIMEOUT = 30.0
"""Seconds httpx waits between bytes of an answer the proxy passes on: on a loaded machine
an honest answer can take over a second, and it must never be read as a timeout."""
HUNG_TIMEOUT = 0.5
"""Seconds between bytes for the send the proxy hangs: it never answers, so this runs out."""
HANG_GUARD = 60.0
"""How long a wait may last before the test calls it a hang (not a speed budget)."""


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def proxy(sandbox: SandboxServer) -> Iterator[FaultProxy]:
    with FaultProxy(sandbox.base_url) as running:
        yield running


def _app(base_url: str, http: httpx.AsyncClient | None = None, **kwargs: Any) -> WizardApp:
    http = http or httpx.AsyncClient(timeout=PASS_THROUGH_TIMEOUT)
    return real_api_app(base_url, SANDBOX_TOKEN, http=http, **kwargs)


async def _until(pilot: Any, condition: Callable[[], bool]) -> None:
    await wait_for(pilot, condition, HANG_GUARD)


async def _submit(pilot: Any, app: WizardApp, form: FormScreen, answers: dict[str, Any]) -> None:
    """Send answers through the engine, then let the form re-plan as after ctrl+s."""
    assert app.backend is not None
    diff = await app.backend.engine.submit(form.session, answers)
    form.post_message(FormScreen.RoundApplied(diff, answers))
    await _until(pilot, lambda: form.rendered_round == form.session.round)


def _banner(form: FormScreen) -> str:
    return str(form.query_one("#banner").render())


async def _open_form(pilot: Any, app: WizardApp) -> FormScreen:
    await _until(pilot, lambda: form_screen(app) is not None)
    form = form_screen(app)
    assert form is not None
    await _until(pilot, lambda: form.rendered_round > 0)
    return form


async def _type_headcount(pilot: Any, form: FormScreen) -> None:
    await type_answer(pilot, form, "headcount", "5", HANG_GUARD)


async def _review_and_publish(pilot: Any, app: WizardApp) -> None:
    """ctrl+r, then Enter on the review's Publish button once it has the focus (the
    screen is current before it is mounted: an Enter sent then would go elsewhere)."""
    await pilot.press("ctrl+r")
    await _until(
        pilot,
        lambda: (
            isinstance(app.screen, ReviewScreen)
            and app.focused is not None
            and app.focused.id == "confirm-publish"
        ),
    )
    await pilot.press("enter")


def _pending(app: WizardApp, job_id: str) -> dict[str, Any]:
    assert app.backend is not None and app.backend.journal is not None
    return app.backend.journal.pending(app.backend.scope, job_id)


def _send_case(
    case_id: str, action: Action, sentence: str, *, times: int = 1, field_error: str | None = None
) -> Any:
    """One failed PATCH: the proxy's answer to the next ``times`` sends, the sentence shown."""
    return pytest.param(action, times, sentence, field_error, id=case_id)


SEND_FAILURES = [
    _send_case(
        "400-zod-issue",
        Respond(
            400,
            envelope(
                "Invalid request body",
                "BAD_REQUEST",
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
        field_error="Number must be greater than or equal to 1",
    ),
    _send_case(
        "401",
        Respond(401, envelope("Invalid or expired token.", "UNAUTHORIZED")),
        "The API token was rejected: Invalid or expired token.",
    ),
    _send_case(
        "403-feature-off",
        Respond(
            403,
            envelope(
                "Job drafting is not enabled for this account.",
                "FORBIDDEN",
                featureKey="public_api_job_drafting",
                mode="ALLOWLIST",
            ),
        ),
        "(feature public_api_job_drafting is off)",
    ),
    _send_case(
        "403-scope",
        Respond(
            403,
            envelope(
                "This token lacks the jobs:write scope.",
                "FORBIDDEN",
                requiredScopes=["jobs:write"],
            ),
        ),
        "This token lacks the jobs:write scope.",
    ),
    _send_case(
        "403-claim-required",
        Respond(
            403,
            envelope(
                "Claim your account to continue.",
                "FORBIDDEN",
                reason="account_claim_required",
                claimUrl="https://example.invalid/claim",
            ),
        ),
        "Claim the account first.",
    ),
    _send_case("404", Respond(404, envelope("Job not found.", "NOT_FOUND")), "Job not found."),
    _send_case(
        "409",
        Respond(
            409,
            envelope("Job is not a draft.", "CONFLICT", status="OPEN", requiredStatus="DRAFT"),
        ),
        "Job is not a draft.",
    ),
    # Transient failures are retried: they fail all three attempts.
    _send_case(
        "429-rate-limited",
        Respond(429, envelope("Too many requests.", "RATE_LIMITED"), {"Retry-After": "0"}),
        "Too many requests.",
        times=3,
    ),
    _send_case("500", Respond(500, envelope("Something broke.", "INTERNAL")), "Something broke."),
    _send_case(
        "502",
        Respond(502, b"<html>Bad gateway</html>"),
        "The server failed (HTTP 502).",
        times=3,
    ),
    _send_case(
        "503",
        Respond(503, envelope("Down for maintenance.", "UNAVAILABLE")),
        "Down for maintenance.",
        times=3,
    ),
    _send_case("timeout", Hang(), "did not answer in time.", times=3),
    _send_case("connection-reset", Reset(), "dropped before the answer arrived.", times=3),
    _send_case(
        "non-json-body",
        Respond(200, b"<html>Welcome to the captive portal</html>"),
        "sent a reply that is not JSON (HTTP 200).",
    ),
    _send_case(
        "unexpected-json-shape",
        Respond(200, {"ok": True, "draft": None}),
        "sent JSON of an unexpected shape",
    ),
]


@pytest.mark.parametrize(("action", "times", "sentence", "field_error"), SEND_FAILURES)
async def test_send_failure_is_told_and_loses_nothing(
    proxy: FaultProxy, action: Action, times: int, sentence: str, field_error: str | None
) -> None:
    http = httpx.AsyncClient(timeout=PASS_THROUGH_TIMEOUT)
    app = _app(proxy.base_url, http, description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, app)
        await _type_headcount(pilot, form)
        rule = proxy.script("PATCH", "/job-drafts/", action, times=times)
        before = form.session.round
        if isinstance(action, Hang):  # only the hung send is given a short time
            http.timeout = httpx.Timeout(HUNG_TIMEOUT)
        await pilot.press("ctrl+s")
        await _until(
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
        http.timeout = httpx.Timeout(PASS_THROUGH_TIMEOUT)
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: form.rendered_round > before)
        assert not form.query("#box-headcount"), "answered on the retry"
        assert _pending(app, form.session.job_id) == {}


async def test_connection_refused_then_resume_on_next_start(proxy: FaultProxy) -> None:
    app = _app(proxy.base_url, description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, app)
        job_id = form.session.job_id
        await _type_headcount(pilot, form)
        proxy.stop_listening()  # nothing listens there any more
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: "Could not connect" in _banner(form))
        assert "Your answers are saved" in _banner(form)
        assert form.query_one("#box-headcount", FieldBox).answers() == {"headcount": "5"}
        assert _pending(app, job_id) == {"headcount": 5}

    # The next start, once the server is reachable again at the same address, re-sends
    # the pending answer first.
    proxy.start()
    again = _app(proxy.base_url, job_id=job_id)
    async with again.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, again)
        assert form.session.job_id == job_id
        assert not form.query("#box-headcount")
        assert form.session.values.get("headcount") == 5
        assert _pending(again, job_id) == {}


PUBLISH_FAILURES = [
    pytest.param(
        Respond(
            400,
            envelope(
                "Draft is not ready.",
                "BAD_REQUEST",
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
        Respond(
            403,
            envelope(
                "Publishing blocked.",
                "FORBIDDEN",
                reason="moderation_blocked",
                reasons=["Job title: mentions a prohibited topic (crypto)."],
            ),
        ),
        "Moderation blocked publishing: Job title: mentions a prohibited topic (crypto).",
        id="403-moderation",
    ),
    pytest.param(
        Respond(429, envelope("Daily limit reached.", "RATE_LIMITED", limit=3, windowHours=24)),
        "The daily publish limit (3 per 24 h) is reached",
        id="429-daily-limit",
    ),
]


@pytest.mark.parametrize(("action", "sentence"), PUBLISH_FAILURES)
async def test_publish_failure_is_told_and_the_draft_is_kept(
    proxy: FaultProxy, action: Action, sentence: str
) -> None:
    app = _app(proxy.base_url, description=DESCRIPTION, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, app)
        assert app.backend is not None
        answers = {k: v for k, v in READY_ANSWERS.items() if form.session.spec_for_key(k)}
        await _submit(pilot, app, form, answers)
        assert form.session.ready
        rule = proxy.script("POST", "/publish", action)
        await _review_and_publish(pilot, app)
        await _until(pilot, lambda: rule.hits == 1 and sentence in _banner(form))
        assert isinstance(app.screen, FormScreen)
        assert form.session.values.get("headcount") == 5, "the draft keeps every value"
        assert form.session.published is None
        # The publish limit is told, not retried.
        assert [r.method for r in proxy.requests if "publish" in r.path] == ["POST"]

        proxy.clear()
        if not form.session.ready:  # the not-ready case re-asks the question
            await _until(pilot, lambda: bool(form.query("#box-headcount")))
            await _submit(pilot, app, form, {"headcount": 5})
        await _review_and_publish(pilot, app)
        await _until(pilot, lambda: isinstance(app.screen, ResultScreen))
