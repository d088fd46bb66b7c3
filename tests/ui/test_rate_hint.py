"""The marketplace rate hint in the form, driven with keys against the in-process sandbox:
it appears under the rate question once a payment type is chosen, says what the sandbox's
open jobs of that type pay, and stays silent when the marketplace is rate-limited."""

from __future__ import annotations

import re
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Static

from wizard.api.recruitsome.client import RecruitsomeClient
from wizard.api.retry import RetryPolicy
from wizard.bootstrap import IN_PROCESS_ORIGIN, make_app
from wizard.core.backend import make_backend
from wizard.core.journal import Journal
from wizard.core.rate_hint import fetch_rate_hint
from wizard.sandbox import SANDBOX_RECRUITSOME_KEY, SANDBOX_TOKEN, create_app
from wizard.settings import load_settings
from wizard.ui.app import WizardApp
from wizard.ui.widgets.rate_hint import RateHintLine, shown_sentence

from .harness import form_screen, sandbox_app, wait_for
from .scenarios import AUDIO

SENTENCE = re.compile(
    r"^Similar open jobs pay \$\d+(–\$\d+)?\u00a0/\u00a0hour, median \$\d+(\.\d\d)?$"
)


async def _no_wait(_seconds: float) -> None:
    return None


def limited_app(limit: int, **kwargs: Any) -> WizardApp:
    """The sandbox app, with the tokenless endpoints limited to ``limit`` a minute."""
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(tokenless_limit=limit)))
    backend = make_backend(
        base_url=IN_PROCESS_ORIGIN,
        token=SANDBOX_TOKEN,
        sandbox=True,
        journal=Journal.default(),
        http_client=http,
        allow_insecure=True,
    )
    backend.recruitsome = RecruitsomeClient(
        IN_PROCESS_ORIGIN, SANDBOX_RECRUITSOME_KEY, http_client=http, allow_insecure=True
    )
    backend.owned.append(http)
    backend.client.retry = RetryPolicy(sleeper=_no_wait)
    return make_app(load_settings(force_sandbox=True), backend, **kwargs)


async def choose_hourly_and_send(pilot: Pilot[Any], app: WizardApp) -> None:
    await wait_for(pilot, lambda: form_screen(app) is not None, timeout=30)
    form = form_screen(app)
    assert form is not None
    await wait_for(pilot, lambda: form.rendered_round > 0, timeout=30)
    assert not form.query(RateHintLine)  # no rate asked yet: no hint
    form.query_one("#field-paymentType").focus()
    await pilot.pause()
    spec = form.session.spec("paymentType")
    assert spec is not None
    options = [o.value for o in spec.parts[0].options]
    await pilot.press("enter", *(["down"] * (options.index("PAY_PER_HOUR") + 1)), "enter")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: bool(form.query("#box-pricePerHour")), timeout=30)


async def test_the_hint_appears_under_the_hourly_rate() -> None:
    app = sandbox_app(description=AUDIO, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await choose_hourly_and_send(pilot, app)
        form = form_screen(app)
        assert form is not None
        await wait_for(pilot, lambda: bool(form.query("#rate-hint")) and _shown(form), timeout=20)
        line = form.query_one("#rate-hint", RateHintLine)
        assert line.parent is form.query_one("#box-pricePerHour")
        text = str(line.render())
        assert SENTENCE.match(text), text
        # The same numbers the core computes from the sandbox's marketplace.
        backend = await app.wait_backend()
        assert backend is not None
        expected = await fetch_rate_hint(backend.client, "PAY_PER_HOUR", form.session.title)
        assert expected is not None and text == shown_sentence(expected)
        assert text.replace("\u00a0", " ") == "S" + expected.sentence[1:]
        # Server-free: the sandbox's open jobs; the hint is text, never markup.
        assert isinstance(line, Static) and line.hint == expected


async def test_the_hint_is_silent_when_the_marketplace_is_rate_limited() -> None:
    # One tokenless request a minute: the start-up facets use it; the search gets 429.
    app = limited_app(1, description=AUDIO, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await choose_hourly_and_send(pilot, app)
        form = form_screen(app)
        assert form is not None
        await wait_for(pilot, lambda: bool(form.query(RateHintLine)))
        await app.workers.wait_for_complete()
        await pilot.pause()
        line = form.query_one(RateHintLine)
        assert line.hint is None and not line.display
        assert [e for e in app.exchanges if e.path.startswith("/jobs?") and e.status == 429]
        # Nothing else complains: no banner, no toast about the marketplace.
        assert not [n for n in app._notifications if "market" in n.message.lower()]


def _shown(form: Any) -> bool:
    line = form.query_one("#rate-hint", RateHintLine)
    return bool(line.display and line.hint is not None)
