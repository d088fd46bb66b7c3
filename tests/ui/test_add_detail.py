"""Add a detail: keys the server accepts and did not ask for, sent with the next round."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import Input

from wizard.ui.app import WizardApp
from wizard.ui.screens.form import FormScreen
from wizard.ui.widgets.add_detail import AddDetail
from wizard.ui.widgets.list_picker import ListPicker

from .harness import form_screen, sandbox_app, wait_for

HOURLY = (
    "Spanish call-center transcript review\n"
    "Native Spanish speakers review machine transcripts of support calls and fix them.\n"
    "Pay: $18 per hour.\n"
)


async def _form(pilot: Any, app: WizardApp) -> FormScreen:
    await wait_for(pilot, lambda: form_screen(app) is not None)
    form = form_screen(app)
    assert form is not None
    await wait_for(pilot, lambda: form.rendered_round > 0)
    return form


async def test_add_a_detail_lists_accepted_keys_and_sends_them_with_the_next_round() -> None:
    app = sandbox_app(description=HOURLY, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        addable = form.model.addable_keys
        # Accepted by the server, not asked, not set, and no rate of another pay type.
        assert "labelTypes" in addable and "subjectMatter" in addable
        assert "pricePerLabel" not in addable and "fixedPrice" not in addable
        assert not set(addable) & set(form.session.values)
        assert not any(form.model.question_for_key(k) for k in addable)
        detail = form.query_one("#add-detail", AddDetail)
        assert f"({len(addable)} more" in str(detail.title)
        detail.collapsed = False
        await wait_for(pilot, lambda: bool(form.query("#add-value-subjectMatter")))
        # Each key gets the widget its type calls for.
        assert isinstance(form.query_one("#add-value-labelTypes"), ListPicker)
        subject = form.query_one("#add-value-subjectMatter", Input)
        subject.focus()
        await pilot.press(*"Banking")
        await pilot.pause()
        assert form.model.unsent() == 1
        status = str(form.query_one("#add-row-subjectMatter .value-status").render())
        assert "next send" in status
        form.query_one("#field-headcount", Input).focus()
        await pilot.press("4")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.session.values.get("subjectMatter") == "Banking")
        patches = [e for e in app.exchanges if e.method == "PATCH"]
        # One PATCH carried both the round's answer and the detail.
        body = json.loads(patches[-1].request_body or "{}")
        assert body == {"headcount": 4, "subjectMatter": "Banking"}
        await wait_for(pilot, lambda: not form.query("#add-row-subjectMatter"))
        assert "subjectMatter" not in form.model.addable_keys
        assert "subjectMatter" in form.model.filled_keys
