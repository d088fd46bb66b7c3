"""Keys that do what the footer says: Enter on a list at once, jumps that keep the value,
Ctrl+C that says how to quit, and no invisible tab stop. Pilot, on the embedded sandbox."""

from __future__ import annotations

from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList

from wizard.ui.app import WizardApp
from wizard.ui.screens.form import FormScreen
from wizard.ui.screens.start import StartScreen
from wizard.ui.widgets.field_box import owning_box

from .harness import form_screen, sandbox_app, wait_for

ONE_LINE = "Audio labeling for a speech model"


async def _form(pilot: Any, app: WizardApp) -> FormScreen:
    await wait_for(pilot, lambda: form_screen(app) is not None)
    form = form_screen(app)
    assert form is not None
    await wait_for(pilot, lambda: form.rendered_round > 0)
    return form


async def test_ctrl_j_then_enter_jumps_to_the_first_open_question() -> None:
    app = sandbox_app(description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        form.query_one("#send").focus()
        await pilot.press("ctrl+j", "enter")
        await pilot.pause()
        box = owning_box(app.focused)
        assert box is not None, f"Enter did nothing: focus is on {app.focused!r}"
        assert box.spec.field == next(iter(form.model.questions))


async def test_ctrl_j_then_enter_goes_to_the_first_question_still_to_do_each_time() -> None:
    app = sandbox_app(description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        first, second = list(form.model.questions)[:2]
        await pilot.press("ctrl+j", "down", "down")
        form.query_one("#field-jobTitle", Input).focus()
        await pilot.press(*"Audio tags")
        # An old highlight means nothing now: the first question still open is offered.
        await pilot.press("ctrl+j", "enter")
        await pilot.pause()
        box = owning_box(app.focused)
        assert first == "jobTitle"
        assert box is not None and box.spec.field == second


async def test_ctrl_o_then_enter_opens_the_highlighted_draft() -> None:
    app = sandbox_app(description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        job_id = form.session.job_id
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        drafts = app.screen.query_one("#my-drafts", OptionList)
        await wait_for(pilot, lambda: drafts.option_count > 0)
        await pilot.press("ctrl+o", "enter")
        await wait_for(pilot, lambda: form_screen(app) is not None)
        reopened = form_screen(app)
        assert reopened is not None and reopened.session.job_id == job_id


async def test_a_jump_puts_the_cursor_after_the_value_without_selecting_it() -> None:
    app = sandbox_app(description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        title = form.query_one("#field-jobTitle", Input)
        title.focus()
        await pilot.press(*"Audio tags")
        form.query_one("#send").focus()
        await pilot.pause()
        form.jump_to("jobTitle")
        await pilot.pause()
        assert app.focused is title
        assert title.selection.is_empty
        assert title.cursor_position == len("Audio tags")
        await pilot.press("backspace")
        assert title.value == "Audio tag", "one Backspace removes one character"


async def test_ctrl_c_says_how_to_quit() -> None:
    app = sandbox_app(description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await _form(pilot, app)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running
        assert any("ctrl+q to quit" in n.message for n in app._notifications)


async def test_every_tab_stop_on_the_form_is_visible() -> None:
    app = sandbox_app(description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        fields = form.query_one("#fields", VerticalScroll)
        edge: str = fields.styles.border_left[0]
        assert edge == "blank"
        # The column of questions is a stop of its own (arrows scroll it): when it has
        # the focus, a bar says so.
        form.query_one("#checklist").focus()
        await pilot.press("tab")
        assert app.focused is fields
        edge = fields.styles.border_left[0]
        assert edge == "outer"
        await pilot.press("tab")
        box = owning_box(app.focused)
        assert box is not None and box.spec.field == next(iter(form.model.questions))


HOURLY = (
    "Spanish call-center transcript review\n"
    "Native Spanish speakers review machine transcripts of support calls and fix them.\n"
    "Pay: $18 per hour.\n"
)


async def test_a_refusal_shows_the_servers_sentence_and_the_rest_can_go_without_it() -> None:
    app = sandbox_app(description=HOURLY, start_new=True)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _form(pilot, app)
        form.query_one("#field-headcount", Input).focus()
        await pilot.press("6")
        form.query_one("#field-countries").focus()
        await pilot.press(*"XQ", "enter")
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "refused Countries" in str(form.query_one("#banner").render())
        )
        await pilot.pause()
        box = form.query_one("#box-countries")
        error = box.query_one(".field-error")
        assert "XQ" in str(error.render())
        fields = form.query_one("#fields")
        # The sentence is on screen, inside the visible part of the questions.
        assert fields.region.contains_region(error.region), (error.region, fields.region)
        assert form.model.unsent() == 2, "both answers stay unsent"
        assert "1 answer without it" in str(form.query_one("#banner").render())
        # ctrl+s sends the valid answer alone; the refused one stays typed, still marked.
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.session.values.get("headcount") == 6)
        await wait_for(pilot, lambda: form.rendered_round == form.session.round)
        countries = form.model.questions["countries"]
        assert countries.raw == {"countries": ["XQ"]}
        assert countries.state == "rejected"
        assert form.model.unsent() == 1


async def test_the_checklist_stays_hidden_at_80_columns_while_typing() -> None:
    app = sandbox_app(description=HOURLY, start_new=True)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _form(pilot, app)
        checklist = form.query_one("#checklist")
        assert not checklist.display
        form.query_one("#field-headcount", Input).focus()
        await pilot.press("6")
        await pilot.pause()
        assert not checklist.display
