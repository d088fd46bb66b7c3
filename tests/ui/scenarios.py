"""The key screens of the wizard, reached on the real sandbox; shared by snapshots and screenshots.

Each scenario is an app recipe (the ``WizardApp`` keyword arguments and a terminal size)
plus an async ``run_before(pilot)`` that drives the app, with keys where a person would
press them, to the screen worth looking at. ``tests/ui/test_snapshots.py`` hands them to
``snap_compare``; ``tests/ui/make_screenshots.py`` renders the same screens to PNG.

Everything that would differ between runs is pinned by ``deterministic()``: sandbox job
ids, the loopback port in URLs, request ids, idempotency keys, cursor blink. What cannot
be pinned at the source (elapsed times, the order of concurrent start-up requests) is
normalised in ``app.exchanges`` just before the request log opens.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from wizard.core.samples import PRACTICE, SAMPLES
from wizard.ui.app import WizardApp
from wizard.ui.dialogs.request_log import RequestLogScreen
from wizard.ui.screens.form import FormScreen
from wizard.ui.screens.result import ResultScreen
from wizard.ui.screens.review import ReviewScreen
from wizard.ui.widgets.add_detail import AddDetail

from .harness import form_screen, sandbox_app, wait_for

FIXED_ORIGIN = "http://127.0.0.1:8765"
"""Where every sandbox URL points in snapshots (the sandbox command's default address)."""
FIXED_UUID = uuid.UUID("00000000-0000-4000-8000-000000000000")
"""Every request id the sandbox hands out while pinned."""
FIXED_IDEMPOTENCY_KEY = "wizard-snapshot-create-key"
FIXED_ELAPSED_MS = 12.0

WIDE = (120, 40)
NARROW = (80, 24)

# ---- descriptions -------------------------------------------------------------------------

ONE_LINE = "Audio labeling for a speech model"
"""No title line and no detail: the server asks every question (each widget kind)."""

AUDIO = (
    "Audio labeling for a speech model\n"
    "Label short English audio clips with the speaker's emotion. 10,000 files in all. "
    "We want 4 annotators with intermediate experience, based in the US.\n"
)
"""Everything but the overview and the payment type: choosing a payment adds its rate."""

HOURLY = SAMPLES[0].text
"""The hourly sample; leaves experience, countries, headcount and data volume."""

HOURLY_ANSWERS: dict[str, Any] = {
    "experienceLevel": "INTERMEDIATE",
    "countries": ["ES", "MX"],
    "headcount": 5,
    "dataVolume": 120,
    "dataVolumeUnit": "HOURS_OF_RECORDING_AUDIO_VIDEO",
}
"""What completes the hourly sample (sent programmatically to reach the review fast)."""

RANGE = HOURLY.replace("$18 per hour", "$15-20 per hour")
"""The hourly sample with a pay range: the parser warns and is unsure of the rate."""

CRYPTO = (
    "Crypto wallet support chat labeling\n"
    "Label customer-support chats about crypto wallets with the customer's intent and "
    "sentiment. Pay: $22 per hour. English, native level.\n"
)
"""Passes validation once answered, but moderation blocks publishing (crypto)."""

CRYPTO_ANSWERS: dict[str, Any] = {
    "labelingOverview": "Read each chat and tag the customer's intent and sentiment.",
    "experienceLevel": "EXPERT",
    "countries": ["US", "GB"],
    "headcount": 3,
    "dataVolume": 5000,
    "dataVolumeUnit": "NUMBER_OF_FILES",
}


# ---- determinism --------------------------------------------------------------------------


@contextmanager
def deterministic(home: Path | None = None) -> Iterator[None]:
    """Pin everything that differs between runs of the in-process sandbox and the UI.

    Args:
        home: When given, point the XDG dirs there and drop real credentials (the test
            suite's autouse fixture does this already; the screenshot script needs it).
    """
    import wizard.core.engine as engine
    import wizard.sandbox.drafts as drafts
    import wizard.sandbox.middleware as middleware
    import wizard.sandbox.urls as urls

    counter = itertools.count(1)
    original_draft_url = urls.draft_url
    original_job_url = urls.job_url
    fixed_uuid = SimpleNamespace(uuid4=lambda: FIXED_UUID)

    with pytest.MonkeyPatch.context() as patch:
        if home is not None:
            _isolate(patch, home)
        patch.setattr(drafts, "new_job_id", lambda: f"cmsnapshot{next(counter):015d}")
        patch.setattr(
            urls, "draft_url", lambda _origin, job_id: original_draft_url(FIXED_ORIGIN, job_id)
        )
        patch.setattr(
            urls, "job_url", lambda _origin, record: original_job_url(FIXED_ORIGIN, record)
        )
        patch.setattr(drafts, "uuid", fixed_uuid)  # publish attempt ids
        patch.setattr(middleware, "uuid", fixed_uuid)  # request ids
        patch.setattr(engine, "new_idempotency_key", lambda: FIXED_IDEMPOTENCY_KEY)
        # No blinking cursors: every Input and TextArea starts (and stays) steady.
        patch.setattr(Input.cursor_blink, "_default", False)
        patch.setattr(TextArea.cursor_blink, "_default", False)
        yield


def _isolate(patch: pytest.MonkeyPatch, home: Path) -> None:
    for name in ("state", "cache", "config"):
        (home / name).mkdir(parents=True, exist_ok=True)
        patch.setenv(f"XDG_{name.upper()}_HOME", str(home / name))
    patch.setenv("DRAFT_WIZARD_SANDBOX_DB", ":memory:")
    for variable in list(os.environ):
        if variable.startswith(("OT_API_", "OPENTRAIN_API_", "RECRUITSOME_")) or variable in (
            "NO_COLOR",
            "DRAFT_WIZARD_FACETS_TTL",
            "DRAFT_WIZARD_ALLOW_INSECURE_HTTP",
        ):
            patch.delenv(variable, raising=False)


STARTUP_ORDER = (
    ("GET", "/job-drafts/capabilities"),
    ("GET", "/jobs/facets"),
    ("GET", "/vacancies/facets"),
    ("GET", "/jobs/mine"),
    ("POST", "/job-drafts"),
)
"""The requests that race at start-up (capabilities and facets together, then the drafts
list and the create), in the order the normalised log shows them."""


def normalise_exchanges(app: WizardApp) -> None:
    """Make the recorded exchanges identical from run to run.

    Elapsed times are fixed, request ids pinned, the loopback origin replaced in bodies,
    and the requests that run concurrently at start-up put in one canonical order (from
    the first PATCH on, the log is sequential already and keeps its order).
    """
    origin = app.backend.base_url.rstrip("/") if app.backend is not None else None
    for exchange in app.exchanges:
        exchange.elapsed_ms = FIXED_ELAPSED_MS
        exchange.started = 0.0
        if exchange.request_id:
            exchange.request_id = str(FIXED_UUID)
        if origin:
            for name in ("request_body", "response_body"):
                body = getattr(exchange, name)
                if body:
                    setattr(exchange, name, body.replace(origin, FIXED_ORIGIN))

    def rank(method: str, path: str) -> int:
        key = (method, path.split("?", 1)[0])
        return STARTUP_ORDER.index(key) if key in STARTUP_ORDER else len(STARTUP_ORDER)

    head = 0
    while head < len(app.exchanges) and rank(
        app.exchanges[head].method, app.exchanges[head].path
    ) < len(STARTUP_ORDER):
        head += 1
    app.exchanges[:head] = sorted(
        app.exchanges[:head], key=lambda e: (rank(e.method, e.path), e.path)
    )


# ---- helpers ------------------------------------------------------------------------------


def wizard(pilot: Pilot[Any]) -> WizardApp:
    """The app under the pilot, typed."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    return app


async def settle(pilot: Pilot[Any], *, keep_toasts: bool = False) -> None:
    """Let workers and pending messages finish; drop toasts unless they are the point."""
    app = wizard(pilot)
    await app.workers.wait_for_complete()
    await pilot.pause()
    if not keep_toasts:
        app.clear_notifications()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def open_form(pilot: Pilot[Any]) -> FormScreen:
    """Wait for the form of the draft the app was started with."""
    app = wizard(pilot)
    await wait_for(pilot, lambda: form_screen(app) is not None, timeout=30)
    form = form_screen(app)
    assert form is not None
    await wait_for(pilot, lambda: form.rendered_round > 0, timeout=30)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return form


async def focus(pilot: Pilot[Any], selector: str, *, top: str | None = None) -> None:
    """Focus a widget of the active screen; scroll ``top`` (or the widget) to the top."""
    screen = pilot.app.screen
    widget = screen.query_one(selector)
    widget.focus(scroll_visible=False)
    await pilot.pause()
    screen.query_one(top or selector).scroll_visible(animate=False, top=True)
    await pilot.pause()


async def send(pilot: Pilot[Any], form: FormScreen) -> None:
    """ctrl+s, then wait until the reply is on screen (re-planned or rejected)."""
    before = form.session.round
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: not form.model.sending and form.rendered_round >= before)
    await wizard(pilot).workers.wait_for_complete()
    await pilot.pause()


async def answer_programmatically(
    pilot: Pilot[Any], form: FormScreen, answers: dict[str, Any]
) -> None:
    """Send answers through the engine (as ctrl+s would) and re-plan the form."""
    app = wizard(pilot)
    backend = await app.wait_backend()
    assert backend is not None
    diff = await backend.engine.submit(form.session, answers)
    form.post_message(FormScreen.RoundApplied(diff, answers))
    await wait_for(pilot, lambda: form.rendered_round == form.session.round)
    await pilot.pause()


async def review(pilot: Pilot[Any], form: FormScreen) -> ReviewScreen:
    """ctrl+r on a ready draft: the review dialog."""
    app = wizard(pilot)
    await wait_for(pilot, lambda: not form.query_one("#publish").disabled)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


# ---- the scenarios ------------------------------------------------------------------------


async def start_screen(pilot: Pilot[Any]) -> None:
    """The start screen, connected: sample picker, description, (empty) drafts list."""
    app = wizard(pilot)
    await app.wait_backend()
    await wait_for(
        pilot, lambda: "Connecting" not in str(app.screen.query_one("#drafts-status").render())
    )
    await settle(pilot)


async def form_top(pilot: Pilot[Any]) -> None:
    """A one-line description: title (short string), overview (text area), selects."""
    await open_form(pilot)
    await settle(pilot)


async def form_lists(pilot: Pilot[Any]) -> None:
    """The list pickers, options from facets with their counts."""
    await open_form(pilot)
    await focus(pilot, "#field-languages-filter", top="#box-languages")
    await settle(pilot)


async def form_numbers(pilot: Pilot[Any]) -> None:
    """The number field (headcount) and the compound data volume + unit question."""
    await open_form(pilot)
    await focus(pilot, "#field-headcount", top="#box-headcount")
    await settle(pilot)


async def inline_error(pilot: Pilot[Any]) -> None:
    """Headcount 0 is refused while typing: "Must be at least 1." under the question."""
    await open_form(pilot)
    await focus(pilot, "#field-headcount", top="#box-headcount")
    await pilot.press("0")
    await settle(pilot)


async def server_rejected(pilot: Pilot[Any]) -> None:
    """Country code XX passes the client but the PATCH's 400 zod issue lands on Countries."""
    form = await open_form(pilot)
    await focus(pilot, "#field-countries-filter", top="#box-countries")
    await pilot.press("X", "X", "enter")
    await send(pilot, form)
    await wait_for(pilot, lambda: form.query_one("#box-countries").has_class("-error"))
    await focus(pilot, "#field-countries-filter", top="#box-countries")
    await settle(pilot)


async def new_field(pilot: Pilot[Any]) -> None:
    """Choosing "Pay per hour" and sending: the hourly rate appears marked NEW, with why."""
    form = await open_form(pilot)
    await focus(pilot, "#field-paymentType")
    payment = form.session.spec("paymentType")
    assert payment is not None
    options = [o.value for o in payment.parts[0].options]
    steps = options.index("PAY_PER_HOUR") + 1
    await pilot.press("enter", *(["down"] * steps), "enter")
    await send(pilot, form)
    await wait_for(pilot, lambda: bool(form.query("#box-pricePerHour")))
    await settle(pilot)


async def rate_hint(pilot: Pilot[Any]) -> None:
    """Pay per hour chosen: under the hourly rate, what similar open jobs pay."""
    await new_field(pilot)
    form = wizard(pilot).screen
    await wait_for(pilot, lambda: bool(form.query("#rate-hint")))
    await wizard(pilot).workers.wait_for_complete()
    await focus(pilot, "#field-pricePerHour", top="#box-pricePerHour")
    await settle(pilot)


async def filtered_list(pilot: Pilot[Any]) -> None:
    """Typing "united" in the countries filter narrows 249 options at once."""
    await open_form(pilot)
    await focus(pilot, "#field-countries-filter", top="#box-countries")
    await pilot.press(*"united")
    await settle(pilot)


async def review_screen(pilot: Pilot[Any]) -> None:
    """The hourly sample answered: every value with its source, Publish focused."""
    form = await open_form(pilot)
    await answer_programmatically(pilot, form, HOURLY_ANSWERS)
    await review(pilot, form)
    await settle(pilot)


async def publish_result(pilot: Pilot[Any]) -> None:
    """Publish from the review: the job's URL in the sandbox."""
    app = wizard(pilot)
    form = await open_form(pilot)
    await answer_programmatically(pilot, form, HOURLY_ANSWERS)
    await review(pilot, form)
    await pilot.press("enter")  # Publish has the focus in the review
    await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
    await settle(pilot)


async def moderation_block(pilot: Pilot[Any]) -> None:
    """A complete draft about crypto: publishing is refused, with the moderator's reasons."""
    app = wizard(pilot)
    form = await open_form(pilot)
    await answer_programmatically(pilot, form, CRYPTO_ANSWERS)
    await review(pilot, form)
    app.clear_notifications()
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
    await wait_for(pilot, lambda: "oderation" in str(form.query_one("#banner").render()))
    await app.workers.wait_for_complete()
    await wait_for(pilot, lambda: isinstance(app.focused, Input))
    await pilot.pause()
    if isinstance(app.focused, Input):
        # The named value's editor gets the focus with its cursor at the end; how far a
        # value longer than the box is scrolled then depends on timing. Home is steady.
        await pilot.press("home")
    # The reasons arrive as toasts naming the field: they are the point here.
    await settle(pilot, keep_toasts=True)


async def request_log(pilot: Pilot[Any]) -> None:
    """The request log after a rejected PATCH: the 400 highlighted with its bodies."""
    app = wizard(pilot)
    await server_rejected(pilot)
    normalise_exchanges(app)
    await pilot.press("ctrl+l")
    await wait_for(pilot, lambda: isinstance(app.screen, RequestLogScreen))
    await settle(pilot)


async def add_detail(pilot: Pilot[Any]) -> None:
    """ "Add a detail" opened: the keys the server accepts and did not ask, one typed."""
    form = await open_form(pilot)
    form.query_one("#add-detail", AddDetail).collapsed = False
    # Every row mounted (they are built in order) before anything is measured.
    wanted = len(form.model.addable_keys)
    await wait_for(pilot, lambda: len(form.query("#add-detail ValueRow")) == wanted)
    await settle(pilot)
    await focus(pilot, "#add-value-subjectMatter", top="#add-detail")
    await pilot.press(*"Banking")
    await settle(pilot)


async def review_warnings(pilot: Pilot[Any]) -> None:
    """A pay range in the description: the review lists the parser's warning and doubts."""
    form = await open_form(pilot)
    await answer_programmatically(pilot, form, HOURLY_ANSWERS)
    await review(pilot, form)
    await settle(pilot)


async def help_screen(pilot: Pilot[Any]) -> None:
    """F1 over the form: how the loop works, and every key."""
    app = wizard(pilot)
    await open_form(pilot)
    await settle(pilot)
    await pilot.press("f1")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
    await settle(pilot)


# ---- the guided first run -----------------------------------------------------------------


async def tour_offer(pilot: Pilot[Any]) -> None:
    """First start on the bare start screen: the tour offered in a note, focus untouched."""
    app = wizard(pilot)
    await start_screen(pilot)
    await wait_for(pilot, lambda: app.tour.phase == "offered")
    await settle(pilot)


async def _tour_at_send_step(pilot: Pilot[Any]) -> FormScreen:
    """Start the tour, create the practice draft, answer one question: step 3 is on."""
    app = wizard(pilot)
    await tour_offer(pilot)
    await pilot.press("f2")
    practice = SAMPLES.index(PRACTICE)
    await pilot.press("shift+tab", "enter", *(["down"] * (practice + 1)), "enter", "ctrl+s")
    form = await open_form(pilot)
    await focus(pilot, "#field-headcount", top="#box-paymentType")
    await pilot.press("3")
    await wait_for(pilot, lambda: app.tour.index == 2)
    return form


async def tour_send_step(pilot: Pilot[Any]) -> None:
    """Tour step 3 on the form: the send button's row highlighted, the note under it."""
    await _tour_at_send_step(pilot)
    await settle(pilot)


async def tour_publish_step(pilot: Pilot[Any]) -> None:
    """Tour step 6 over the review: Publish highlighted, after a NEW question and a refusal."""
    app = wizard(pilot)
    form = await _tour_at_send_step(pilot)
    await focus(pilot, "#field-paymentType")
    payment = form.session.spec("paymentType")
    assert payment is not None
    options = [o.value for o in payment.parts[0].options]
    await pilot.press("enter", *(["down"] * (options.index("PAY_PER_HOUR") + 1)), "enter")
    await send(pilot, form)
    await wait_for(pilot, lambda: app.tour.index == 3)
    await focus(pilot, "#field-countries-filter")
    await pilot.press("X", "X", "enter")
    await send(pilot, form)
    await wait_for(pilot, lambda: app.tour.index == 4)
    await focus(pilot, "#field-countries-filter")
    await pilot.press("backspace", *"Spain", "enter")
    await focus(pilot, "#field-pricePerHour")
    await pilot.press(*"20")
    await send(pilot, form)
    await review(pilot, form)
    await wait_for(pilot, lambda: app.tour.index == 5)
    await settle(pilot)


async def tour_summary(pilot: Pilot[Any]) -> None:
    """The tour's closing summary over the published page: what the person did."""
    app = wizard(pilot)
    await tour_publish_step(pilot)
    await pilot.press("enter")  # Publish has the focus in the review
    await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
    await wait_for(pilot, lambda: app.tour.phase == "done")
    await settle(pilot)


# ---- the catalogue ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One key screen: how to build the app, where to drive it, and at what size."""

    name: str
    run_before: Callable[[Pilot[Any]], Awaitable[None]]
    app_kwargs: dict[str, Any] = field(default_factory=dict)
    size: tuple[int, int] = WIDE

    def build(self) -> WizardApp:
        """A fresh app on a fresh in-process sandbox."""
        return sandbox_app(**self.app_kwargs)


def _new(description: str) -> dict[str, Any]:
    return {"description": description, "start_new": True}


_TOUR: dict[str, Any] = {"offer_tour": True}
"""A first start of bare ``draft-wizard``: the guided first run is offered."""

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("start", start_screen),
        Scenario("start_narrow", start_screen, size=NARROW),
        Scenario("form", form_top, _new(ONE_LINE)),
        Scenario("form_narrow", form_top, _new(ONE_LINE), size=NARROW),
        Scenario("form_lists", form_lists, _new(ONE_LINE)),
        Scenario("form_numbers", form_numbers, _new(ONE_LINE)),
        Scenario("inline_error", inline_error, _new(ONE_LINE)),
        Scenario("server_rejected", server_rejected, _new(ONE_LINE)),
        Scenario("new_field", new_field, _new(AUDIO)),
        Scenario("rate_hint", rate_hint, _new(AUDIO)),
        Scenario("rate_hint_narrow", rate_hint, _new(AUDIO), size=NARROW),
        Scenario("filtered_list", filtered_list, _new(ONE_LINE)),
        Scenario("review", review_screen, _new(HOURLY)),
        Scenario("publish_result", publish_result, _new(HOURLY)),
        Scenario("moderation_block", moderation_block, _new(CRYPTO)),
        Scenario("request_log", request_log, _new(ONE_LINE)),
        Scenario("help", help_screen, _new(ONE_LINE)),
        Scenario("help_narrow", help_screen, _new(ONE_LINE), size=NARROW),
        Scenario("server_rejected_narrow", server_rejected, _new(ONE_LINE), size=NARROW),
        Scenario("new_field_narrow", new_field, _new(AUDIO), size=NARROW),
        Scenario("review_narrow", review_screen, _new(HOURLY), size=NARROW),
        Scenario("publish_result_narrow", publish_result, _new(HOURLY), size=NARROW),
        Scenario("add_detail", add_detail, _new(HOURLY)),
        Scenario("add_detail_narrow", add_detail, _new(HOURLY), size=NARROW),
        Scenario("review_warnings", review_warnings, _new(RANGE)),
        Scenario("review_warnings_narrow", review_warnings, _new(RANGE), size=NARROW),
        Scenario("tour_offer", tour_offer, _TOUR),
        Scenario("tour_offer_narrow", tour_offer, _TOUR, size=NARROW),
        Scenario("tour_send", tour_send_step, _TOUR),
        Scenario("tour_send_narrow", tour_send_step, _TOUR, size=NARROW),
        Scenario("tour_publish", tour_publish_step, _TOUR),
        Scenario("tour_publish_narrow", tour_publish_step, _TOUR, size=NARROW),
        Scenario("tour_summary", tour_summary, _TOUR),
    )
}
"""Every key screen by name (the snapshot tests and the PNG file names use these names)."""
