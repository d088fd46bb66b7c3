"""Requests: one PATCH per validation round; capabilities and facets fetched concurrently,
facets cached with a TTL; nothing fetched twice (DESIGN.md). The account check
(``GET /auth/me``) rides along with capabilities: once, overlapping it, so it adds no wait.

The real app (``WizardApp`` built as ``draft-wizard --sandbox`` builds it, the embedded
sandbox on a loopback port) finishes one draft headless: create from a description typed on
the start screen (the first sample; and one without pay, whose payment type brings its rate
as a new question in a second round), then each round every open question is answered in
its widget and sent with ctrl+s, until the server says the draft is publish-ready. Requests are
counted on the client (the observer behind ``app.exchanges``, one entry per attempt) and on
the server (``GET /_sandbox/stats``). A second start within the facets TTL, on the same
XDG cache, must send no facets request.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Switch, TextArea

from bench.conftest import report
from wizard.core.keys import Kind
from wizard.core.samples import SAMPLES
from wizard.launch import Launcher
from wizard.settings import load_settings
from wizard.ui.app import WizardApp
from wizard.ui.screens.form import FormScreen
from wizard.ui.widgets.field_box import read_editor
from wizard.ui.widgets.list_picker import ListPicker

if TYPE_CHECKING:
    from wizard.api.transport import Exchange

CAPABILITIES = "GET /job-drafts/capabilities"
AUTH_ME = "GET /auth/me"
MARKETPLACE_FACETS = "GET /jobs/facets"
VACANCY_FACETS = "GET /vacancies/facets"
CREATE = "POST /job-drafts"
PATCH = "PATCH /job-drafts/{jobId}"
FACETS = (MARKETPLACE_FACETS, VACANCY_FACETS)
MAX_ROUNDS = 6

ANSWERS = {
    "languages": "English",
    "countries": "US",
    "headcount": "5",
    "dataVolume": "300",
    "jobTitle": "Transcript reviewers",
    "labelingOverview": "Review transcripts and fix errors.",
    "pricePerHour": "20",
    "pricePerLabel": "0.05",
    "fixedPrice": "1500",
}


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 20) -> None:
    """Let the app run until ``condition`` holds (bounded)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            app = pilot.app
            notes = [n.message for n in app._notifications]
            raise AssertionError(f"timed out: screen={app.screen!r}, notifications={notes}")
        await pilot.pause(0.02)


def route(exchange: Exchange, job_id: str | None) -> str:
    """``METHOD /path`` with the query dropped and the draft's id as ``{jobId}``."""
    path = exchange.path.split("?", 1)[0]
    if job_id:
        path = "/".join("{jobId}" if part == job_id else part for part in path.split("/"))
    return f"{exchange.method} {path}"


def overlap(a: Exchange, b: Exchange) -> bool:
    """Whether two requests were in flight at the same time."""
    a_end = a.started + a.elapsed_ms / 1000
    b_end = b.started + b.elapsed_ms / 1000
    return a.started < b_end and b.started < a_end


@dataclass
class Run:
    """What one app run sent."""

    exchanges: list[Exchange]
    server: dict[str, Any]
    job_id: str | None = None
    sends: int = 0
    ready: bool = False
    rounds_fields: list[list[str]] = field(default_factory=list)

    def routes(self) -> Counter[str]:
        """Requests per route, as the client saw them (retries count)."""
        return Counter(route(e, self.job_id) for e in self.exchanges)


def answer_open_questions(form: FormScreen) -> list[str]:
    """Fill every empty editor of the form with a plausible answer; the fields answered."""
    answered: list[str] = []
    for box in form.boxes():
        for part, widget in box.editors():
            if read_editor(widget) not in (None, False):
                continue
            text = ANSWERS.get(part.key)
            if isinstance(widget, Select):
                widget.value = part.options[0].value
            elif isinstance(widget, ListPicker):
                values = [o.value for o in part.options]
                wanted = text if text in values else (values[0] if values else text or "English")
                widget.set_values([wanted])
            elif isinstance(widget, TextArea):
                widget.text = text or "Review the work and fix errors."
            elif isinstance(widget, Switch):
                widget.value = True
            elif isinstance(widget, Input):
                widget.value = text or ("20" if part.kind is Kind.NUMBER else "An answer")
            else:
                raise AssertionError(f"no way to answer {widget!r}")
            answered.append(part.key)
    return answered


NO_PAY_DESCRIPTION = (
    "Audio labeling for a speech model\n"
    "Label short English audio clips with the speaker's emotion. 10,000 files in all. "
    "We want 4 annotators with intermediate experience, based in the US.\n"
)
"""No pay in it: answering the payment type makes the server ask for its rate next round."""

DESCRIPTIONS = {"sample": SAMPLES[0].text, "no-pay": NO_PAY_DESCRIPTION}


async def start_app(*, description: str | None = None) -> Run:
    """Start the app on a fresh sandbox; with a description, finish one draft from it."""
    settings = load_settings(force_sandbox=True)
    launcher = Launcher(settings)
    app = WizardApp(settings, launcher.connect)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: app._backend_ready.is_set())
            backend = app.backend
            assert backend is not None, app.connect_error
            await wait_for(
                pilot,
                lambda: "Connecting" not in str(app.screen.query_one("#drafts-status").render()),
            )
            run = Run(exchanges=app.exchanges, server={})
            if description is not None:
                app.screen.query_one("#description", TextArea).text = description
                await pilot.press("ctrl+s")
                await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
                form = app.screen
                assert isinstance(form, FormScreen)
                await wait_for(pilot, lambda: form.rendered_round > 0)
                run.job_id = form.session.job_id
                while not form.session.ready:
                    assert run.sends < MAX_ROUNDS, "the loop did not converge"
                    await wait_for(pilot, lambda: bool(form.boxes()))
                    run.rounds_fields.append(answer_open_questions(form))
                    await pilot.pause()
                    before = form.rendered_round
                    await pilot.press("ctrl+s")
                    run.sends += 1
                    await wait_for(pilot, lambda: form.rendered_round > before)  # noqa: B023
                run.ready = form.session.ready
            async with httpx.AsyncClient() as http:
                stats = await http.get(f"{backend.base_url}/_sandbox/stats")
            run.server = stats.json()
            run.exchanges = list(app.exchanges)
            return run
    finally:
        launcher.stop()


@pytest.mark.parametrize("description", list(DESCRIPTIONS))
async def test_one_draft_one_patch_per_round_nothing_twice(description: str) -> None:
    run = await start_app(description=DESCRIPTIONS[description])
    routes = run.routes()
    server = run.server["requests"]
    section = f"requests for one draft from the {description!r} description (create → ready)"
    report(
        section,
        f"{run.sends} send(s) until publish-ready; client saw: "
        + ", ".join(f"{name} ×{count}" for name, count in sorted(routes.items())),
    )
    server_patches = run.server["patchesReceived"]
    report(section, f"server counted {server_patches} PATCH(es); every route: {server}")

    assert run.ready, "the draft never became publish-ready"
    assert routes[PATCH] == run.sends, f"{routes[PATCH]} PATCHes for {run.sends} round(s)"
    assert server_patches == run.sends, f"the server saw {server_patches} PATCHes"
    assert routes[CREATE] == 1
    assert routes[CAPABILITIES] == 1
    assert routes[AUTH_ME] == 1
    for name in FACETS:
        assert routes[name] == 1, f"{name} ×{routes[name]}"
    # The same request twice (path and query): the rate hint's look-ups share a route
    # but ask different words, so the route alone would count them as repeats.
    requests = Counter(f"{e.method} {e.path}" for e in run.exchanges if e.method == "GET")
    twice = {name: n for name, n in requests.items() if n > 1}
    assert not twice, f"fetched more than once: {twice}"

    capabilities = next(e for e in run.exchanges if route(e, None) == CAPABILITIES)
    for name in (*FACETS, AUTH_ME):
        facets = next(e for e in run.exchanges if route(e, None) == name)
        started_apart = (facets.started - capabilities.started) * 1000
        report(
            section,
            f"{CAPABILITIES} {capabilities.elapsed_ms:.0f} ms and {name} "
            f"{facets.elapsed_ms:.0f} ms, started {started_apart:+.1f} ms apart: "
            f"{'overlapping' if overlap(capabilities, facets) else 'one after the other'}",
        )
        assert overlap(capabilities, facets), f"{name} was not fetched alongside capabilities"
    report(
        section,
        "fields answered per round: " + " | ".join(", ".join(f) for f in run.rounds_fields),
        requests={
            "sends": run.sends,
            "client_routes": dict(routes),
            "server_routes": server,
            "server_patches": server_patches,
        },
    )


async def test_second_start_within_the_ttl_sends_no_facets_request() -> None:
    first = await start_app()
    second = await start_app()
    section = "second start within the facets TTL (same XDG cache, new sandbox)"
    for label, run in (("first", first), ("second", second)):
        routes = run.routes()
        report(
            section,
            f"{label} start: " + ", ".join(f"{n} ×{c}" for n, c in sorted(routes.items())),
        )
    again = {name: second.routes()[name] for name in FACETS if second.routes()[name]}
    assert first.routes()[MARKETPLACE_FACETS] == 1
    report(
        section,
        "facets fetched again: " + (", ".join(again) if again else "none"),
        second_start={"first": dict(first.routes()), "second": dict(second.routes())},
    )
    assert not again, (
        f"the second start fetched {', '.join(again)} again although the first start cached "
        "them; see bench/README.md for the cause"
    )
