"""Pilot: the guided first run, on the sandbox, through the app factory.

Offered once on the bare start screen (never for ``new`` or ``open``), without taking
the focus; skippable; restartable from the palette; and completed end to end, each
step advanced by the real action on a practice draft, ending with a summary.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from wizard.cli import main as cli
from wizard.core.samples import PRACTICE, SAMPLES
from wizard.ui.app import WizardApp
from wizard.ui.screens.result import ResultScreen
from wizard.ui.screens.review import ReviewScreen
from wizard.ui.tour.marker import marker_path
from wizard.ui.tour.note import HIGHLIGHT, TourNote
from wizard.ui.tour.steps import STEPS

from .harness import form_screen, real_api_app, sandbox_app, wait_for


def note_text(app: WizardApp) -> str:
    """What the tour's note on the active screen says (title, text, keys)."""
    note = app.screen.query_one("#tour-note", TourNote)
    return f"{note.border_title}\n{note.render()}\n{note.border_subtitle}"


def phase(app: WizardApp) -> str:
    """The tour's phase (read afresh: it changes under the test's feet)."""
    return app.tour.phase


def highlighted(app: WizardApp) -> list[str]:
    """The ids of the active screen's highlighted parts."""
    return [w.id or "" for w in app.screen.query(f".{HIGHLIGHT}")]


async def started(pilot: Pilot[Any]) -> WizardApp:
    app = pilot.app
    assert isinstance(app, WizardApp)
    await app.wait_backend()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app


async def test_offered_on_bare_start_without_taking_focus() -> None:
    app = sandbox_app(offer_tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await wait_for(pilot, lambda: bool(app.screen.query("#tour-note")))
        assert phase(app) == "offered"
        assert "New here?" in note_text(app)
        assert "F2 start" in note_text(app)
        assert marker_path().exists()
        # The description keeps the keyboard: what is typed lands there.
        assert isinstance(app.focused, TextArea) and app.focused.id == "description"
        await pilot.press(*"Hi")
        assert app.screen.query_one("#description", TextArea).text == "Hi"
        # F4 dismisses the offer; nothing typed is touched.
        await pilot.press("f4")
        await pilot.pause()
        assert phase(app) == "idle"
        assert not app.screen.query("#tour-note")
        assert app.screen.query_one("#description", TextArea).text == "Hi"


async def test_not_offered_again_once_offered() -> None:
    first = sandbox_app(offer_tour=True)
    async with first.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await wait_for(pilot, lambda: first.tour.phase == "offered")
    again = sandbox_app(offer_tour=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert phase(again) == "idle"
        assert not again.screen.query("#tour-note")


@pytest.mark.parametrize(
    "options",
    [
        {"description": PRACTICE.text, "start_new": True},
        {"start_new": True},
        {"job_id": "cmnosuchdraft00000000000"},
    ],
    ids=["new-with-description", "new", "open"],
)
async def test_not_offered_for_new_or_open(options: dict[str, Any]) -> None:
    app = sandbox_app(offer_tour=True, **options)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        if options.get("description"):
            await wait_for(pilot, lambda: form_screen(app) is not None)
        await pilot.pause()
        assert phase(app) == "idle"
        assert not app.query("#tour-note")
        assert not marker_path().exists()


@pytest.mark.parametrize(
    ("argv", "offered"),
    [([], True), (["--sandbox"], True), (["new"], False), (["open", "cm123"], False)],
)
def test_the_command_line_asks_for_the_offer_only_on_bare_start(
    argv: list[str], offered: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wizard.ui.app

    built: list[WizardApp] = []

    def capture(app: WizardApp) -> int:
        built.append(app)
        return 0

    monkeypatch.setattr(wizard.ui.app, "run_until_exit", capture)
    # pytest's streams are not a terminal, which would choose the plain line mode: this
    # checks what the full-screen form is asked to do, so the terminal is taken as able.
    monkeypatch.setattr("wizard.plain.mode.plain_reason", lambda *_args: None)
    assert cli.main(argv) == 0
    assert [app.offer_tour for app in built] == [offered]


async def test_skip_closes_the_tour_at_any_step() -> None:
    app = sandbox_app(offer_tour=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await wait_for(pilot, lambda: app.tour.phase == "offered")
        await pilot.press("f2")
        await pilot.pause()
        assert phase(app) == "running"
        assert "step 1 of" in note_text(app)
        assert "F4 skip" in note_text(app)
        assert highlighted(app) == ["new-draft"]
        await pilot.press("f4")
        await pilot.pause()
        assert phase(app) == "idle"
        assert not app.query("#tour-note")
        assert highlighted(app) == []
        assert any("starts it again" in str(n.message) for n in app._notifications)


async def test_palette_entry_starts_the_tour() -> None:
    app = sandbox_app()  # never offered: the palette is the way in
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert phase(app) == "idle"
        await pilot.press("ctrl+p")
        await pilot.press(*"Guided first run")
        await wait_for(pilot, lambda: "Guided first run" in _palette_hits(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.tour.phase == "running")
        await wait_for(pilot, lambda: bool(app.screen.query("#tour-note")))
        assert "Describe the job" in note_text(app)


def _palette_hits(app: WizardApp) -> str:
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists:
        return ""
    found = lists.first()
    return " ".join(str(found.get_option_at_index(i).prompt) for i in range(found.option_count))


async def test_the_whole_tour_completes_on_the_sandbox() -> None:
    """Each step advances on the real action, and the summary says what was done."""
    app = sandbox_app(offer_tour=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await wait_for(pilot, lambda: app.tour.phase == "offered")
        await pilot.press("f2")
        await pilot.pause()

        # 1. Describe the job: the practice sample, then create.
        assert app.tour.index == 0
        practice = SAMPLES.index(PRACTICE)
        await pilot.press("shift+tab", "enter", *(["down"] * (practice + 1)), "enter")
        assert app.screen.query_one("#description", TextArea).text == PRACTICE.text
        assert app.tour.index == 0, "choosing a sample is not yet the task"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form_screen(app) is not None)
        form = form_screen(app)
        assert form is not None
        await wait_for(pilot, lambda: form.rendered_round > 0)
        await wait_for(pilot, lambda: app.tour.index == 1)
        await pilot.pause()
        assert "step 2 of" in note_text(app)
        assert highlighted(app) == ["fields"]

        # 2. The questions: answer one (headcount).
        headcount = form.query_one("#field-headcount", Input)
        headcount.focus()
        await pilot.press("3")
        await wait_for(pilot, lambda: app.tour.index == 2)
        assert app.focused is headcount and headcount.value == "3", "the tour took the focus"
        assert highlighted(app) == ["send"]

        # 3. Send, and the form re-plans: a payment type brings its rate as a NEW question.
        payment = form.query_one("#field-paymentType", Select)
        payment.focus()
        spec = form.session.spec("paymentType")
        assert spec is not None
        options = [o.value for o in spec.parts[0].options]
        await pilot.press("enter", *(["down"] * (options.index("PAY_PER_HOUR") + 1)), "enter")
        assert payment.value == "PAY_PER_HOUR"
        assert app.tour.index == 2, "answering is not sending"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.tour.index == 3)
        assert form.query("#box-pricePerHour")
        assert app.tour.tally.new_questions == ["Hourly rate"]

        # 4. A rejected value: a made-up country code, refused by the server.
        form.query_one("#field-countries-filter", Input).focus()
        await pilot.press("X", "X", "enter", "ctrl+s")
        await wait_for(pilot, lambda: app.tour.index == 4)
        await wait_for(pilot, lambda: form.query_one("#box-countries").has_class("-error"))
        assert highlighted(app) == ["publish"]

        # 5. Review: fix the value, answer the rest, send, ctrl+r.
        form.query_one("#field-countries-filter", Input).focus()
        await pilot.press("backspace", *"Spain", "enter")
        form.query_one("#field-pricePerHour", Input).focus()
        await pilot.press(*"20", "ctrl+s")
        await wait_for(pilot, lambda: form.session.ready)
        await wait_for(pilot, lambda: not form.query_one("#publish").disabled)
        assert app.tour.index == 4
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await wait_for(pilot, lambda: app.tour.index == 5)
        await wait_for(pilot, lambda: bool(app.screen.query("#tour-note")))
        assert "step 6 of" in note_text(app)
        assert highlighted(app) == ["confirm-publish"]

        # 6. Publish (Publish has the focus in the review).
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        await wait_for(pilot, lambda: bool(app.screen.query("#tour-note")))
        assert phase(app) == "done"
        summary = note_text(app)
        assert "What you did" in summary
        assert form.session.job_id in summary
        assert "answered 4 questions in 2 sends" in summary  # the refused send not counted
        assert "Hourly rate" in summary
        assert app.tour.tally.refused == {"countries"}, app.tour.tally.refused
        assert "had 1 value refused" in summary and "published" in summary
        await pilot.press("f4")
        await pilot.pause()
        assert not app.query("#tour-note")


def test_every_step_names_a_known_screen_and_a_task() -> None:
    from wizard.ui.tour.steps import SCREEN_NAMES

    for step in STEPS:
        assert step.screen in SCREEN_NAMES
        assert step.task and step.note and step.done_on


async def test_not_offered_on_the_real_api_and_the_palette_entry_says_why() -> None:
    """The practice publishes, so the tour runs on the sandbox only."""
    app = real_api_app("http://127.0.0.1:9", "not-a-real-token", offer_tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_backend()
        await pilot.pause()
        assert phase(app) == "idle"
        assert not app.query("#tour-note")
        assert not marker_path().exists()
        app.tour.start()
        await pilot.pause()
        assert phase(app) == "idle"
        assert any("--sandbox" in str(n.message) for n in app._notifications)


async def test_the_offer_goes_when_the_person_goes_on_without_it() -> None:
    app = sandbox_app(offer_tour=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await wait_for(pilot, lambda: phase(app) == "offered")
        await pilot.press(*"Rate answers", "ctrl+s")
        await wait_for(pilot, lambda: form_screen(app) is not None)
        assert phase(app) == "idle"
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")
        await pilot.pause()
        assert not app.query("#tour-note")


async def test_the_note_waits_under_help_and_comes_back() -> None:
    app = sandbox_app(offer_tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await wait_for(pilot, lambda: phase(app) == "offered")
        await pilot.press("f2", "f1")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        assert not app.screen.query("#tour-note")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")
        await pilot.pause()
        assert "step 1 of" in note_text(app)
        assert highlighted(app) == ["new-draft"]
