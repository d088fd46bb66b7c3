"""The form keeps what people type: Esc, restarts, bursts of keys, focus moves and rounds.

Pilot tests on an in-process sandbox through ``make_app``; the journal is the real one
under the test's own state directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Collapsible, DataTable, Input, OptionList, Select, TextArea

from wizard.bootstrap import in_process_sandbox_backend, make_app
from wizard.core.journal import Journal
from wizard.core.samples import SAMPLES
from wizard.settings import load_settings
from wizard.ui.app import WizardApp
from wizard.ui.dialogs.confirm import ConfirmScreen
from wizard.ui.screens.form import FormScreen
from wizard.ui.screens.review import ReviewScreen
from wizard.ui.screens.start import StartScreen

from .harness import form_screen, owning_box, sandbox_app, wait_for

ONE_LINE = "Audio labeling for a speech model"
HOURLY = SAMPLES[0].text


async def _form(pilot: Any, app: WizardApp) -> FormScreen:
    await wait_for(pilot, lambda: form_screen(app) is not None)
    form = form_screen(app)
    assert form is not None
    await wait_for(pilot, lambda: form.rendered_round > 0)
    return form


def _patches(app: WizardApp) -> int:
    return sum(1 for e in app.exchanges if e.method == "PATCH")


async def test_typed_answers_survive_esc_and_come_back_on_reopen() -> None:
    app = sandbox_app(description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        job_id = form.session.job_id
        form.query_one("#field-headcount").focus()
        await pilot.press(*"12")
        form.query_one("#field-jobTitle").focus()
        await pilot.press(*"Speech labelers")
        patches = _patches(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        notes = [n.message for n in app._notifications]
        assert any("2 typed answers are kept" in note for note in notes), notes
        assert _patches(app) == patches, "Esc sends nothing"
        # The drafts list says what waits, and Enter on it reopens the draft.
        drafts = app.screen.query_one("#my-drafts", OptionList)
        await wait_for(pilot, lambda: drafts.option_count > 0)
        row = str(drafts.get_option_at_index(0).prompt)
        assert job_id in row and "2 typed" in row
        drafts.focus()
        drafts.highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        again = form_screen(app)
        assert again is not None and again is not form
        await wait_for(pilot, lambda: again.rendered_round > 0)
        assert again.query_one("#field-headcount", Input).value == "12"
        assert again.query_one("#field-jobTitle", Input).value == "Speech labelers"
        assert again.model.unsent() == 2
        assert "2 unsent · 2 restored" in str(again.query_one("#send-status").render())


async def test_typed_answers_survive_a_closed_terminal(tmp_path: Path) -> None:
    """Nothing but the debounced journal write happens before the app is gone."""
    settings = load_settings(force_sandbox=True)
    db = tmp_path / "sandbox.sqlite3"
    first = make_app(
        settings,
        in_process_sandbox_backend(journal=Journal.default(), db_path=db),
        description=ONE_LINE,
        start_new=True,
    )
    async with first.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, first)
        job_id = form.session.job_id
        form.query_one("#field-headcount").focus()
        await pilot.press(*"30")
        journal = Journal.default()
        await wait_for(pilot, lambda: journal.typed("sandbox", job_id) == {"headcount": "30"})
    second = make_app(
        settings,
        in_process_sandbox_backend(journal=Journal.default(), db_path=db),
        job_id=job_id,
    )
    async with second.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, second)
        assert form.query_one("#field-headcount", Input).value == "30"
        assert form.model.questions["headcount"].origin == "resumed"


async def test_a_burst_of_keys_in_a_number_field_keeps_every_key() -> None:
    app = sandbox_app(description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        field = form.query_one("#field-headcount", Input)
        field.focus()
        await pilot.press(*"80")
        # One write from a terminal: every key is queued before any is handled.
        burst = [("backspace", None), ("backspace", None), ("5", "5"), ("0", "0"), ("0", "0")]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: field.value == "500", timeout=3)
        await pilot.pause()
        assert field.value == "500"
        assert form.model.questions["headcount"].raw == {"headcount": "500"}


async def test_tabbing_through_every_field_sends_nothing() -> None:
    app = sandbox_app(description=HOURLY, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        form.query_one("#parsed-values", Collapsible).collapsed = False
        await pilot.pause()
        patches = _patches(app)
        for _ in range(18):  # every question and every already-filled value
            await pilot.press("tab")
        for _ in range(3):
            await pilot.press("shift+tab")
        await pilot.pause(0.2)
        assert _patches(app) == patches
        assert form.model.unsent() == 0
        assert form.model.value_edits == {}


async def test_after_a_send_the_next_key_lands_in_the_new_question() -> None:
    app = sandbox_app(description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        payment = form.query_one("#field-paymentType", Select)
        payment.value = "PAY_PER_HOUR"
        await pilot.pause()
        before = form.session.round
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.rendered_round > before)
        box = owning_box(app.focused)
        assert box is not None and box.spec.field == "pricePerHour"
        assert box.spec.is_new
        await pilot.press(*"20")
        assert form.model.questions["pricePerHour"].raw == {"pricePerHour": "20"}
        # The other questions were left in place, not rebuilt.
        assert form.query_one("#field-jobTitle") is not None


async def test_switching_payment_type_never_reviews_two_rates_as_ready() -> None:
    app = sandbox_app(description=HOURLY, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        assert app.backend is not None
        rest = {
            "experienceLevel": "INTERMEDIATE",
            "countries": ["ES"],
            "headcount": 5,
            "dataVolume": 300,
            "dataVolumeUnit": "HOURS_OF_RECORDING_AUDIO_VIDEO",
            "labelingOverview": "Review transcripts and fix misheard words.",
        }
        answers = {k: v for k, v in rest.items() if form.session.spec_for_key(k)}
        diff = await app.backend.engine.submit(form.session, answers)
        form.post_message(FormScreen.RoundApplied(diff, answers))
        await wait_for(pilot, lambda: form.session.ready and form.rendered_round == diff.round)
        # Change the parsed payment type to a fixed price; the server asks for the price.
        form.query_one("#parsed-values", Collapsible).collapsed = False
        await pilot.pause()
        form.query_one("#value-paymentType", Select).value = "FIXED_PRICE"
        await pilot.pause()
        status = str(form.query_one("#row-pricePerHour .value-status").render())
        assert "does not apply to a Fixed price job" in status
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.model.question("fixedPrice") is not None)
        form.query_one("#field-fixedPrice").focus()
        await pilot.press(*"500", "ctrl+s")
        await wait_for(pilot, lambda: form.session.values.get("fixedPrice") == 500)
        assert form.session.values["pricePerHour"] == 18  # the API cannot remove it
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        table = review.query_one(DataTable)
        assert str(table.get_row("pricePerHour")[2]) == "does not apply"
        assert str(table.get_row("fixedPrice")[2]) == "typed by you"
        status = str(review.query_one("#review-status").render())
        assert "does not apply" in status and "cannot remove" in status
        assert "Publish anyway" in str(review.query_one("#confirm-publish").render())


async def test_a_description_used_before_asks_before_a_second_draft() -> None:
    app = sandbox_app(description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        job_id = form.session.job_id
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        area = app.screen.query_one("#description", TextArea)
        assert area.text == "", "the box is cleared once its draft exists"
        area.text = ONE_LINE
        creates = sum(1 for e in app.exchanges if e.method == "POST")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("Static").render())
        assert job_id in question
        await pilot.click("#confirm-no")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        reopened = form_screen(app)
        assert reopened is not None and reopened.session.job_id == job_id
        assert sum(1 for e in app.exchanges if e.method == "POST") == creates
