"""Pilot: a person finishes and publishes sandbox drafts with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from wizard.core.samples import SAMPLES
from wizard.ui.screens.form import FormScreen
from wizard.ui.screens.result import ResultScreen
from wizard.ui.screens.review import ReviewScreen

from .harness import answer_focused, form_screen, owning_box, sandbox_app, wait_for


@pytest.mark.parametrize("sample_index", range(len(SAMPLES)))
async def test_finish_and_publish_a_sample_with_keys_only(sample_index: int) -> None:
    app = sandbox_app()
    async with app.run_test(size=(120, 40)) as pilot:
        keys = _count_keys(pilot)
        await wait_for(pilot, lambda: app.backend is not None)
        # Pick the sample from the select above the description, then create.
        await pilot.press("shift+tab", "enter", *(["down"] * (sample_index + 1)), "enter")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form_screen(app) is not None)
        form = form_screen(app)
        assert form is not None
        await wait_for(pilot, lambda: form.rendered_round > 0)
        rounds = 0
        while not form.session.ready:
            rounds += 1
            assert rounds <= 6, "the loop did not converge"
            await wait_for(pilot, lambda: bool(form.boxes()))
            answered: set[str] = set()
            for _ in range(40):
                box = owning_box(app.focused)
                if box is None:
                    break
                if box.answers() and all(v is not None for v in box.answers().values()):
                    answered.add(box.spec.field)
                    await pilot.press("tab")
                    continue
                await answer_focused(pilot, app)
                await pilot.press("tab")
            pending = [b.spec.field for b in form.boxes() if not b.complete]
            assert not pending, f"unanswered after one pass: {pending}"
            before = form.session.round
            await pilot.press("ctrl+s")
            await wait_for(pilot, round_passed(form, before))
        await wait_for(pilot, lambda: not form.query_one("#publish").disabled)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("enter")  # Publish is focused in the review
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        result = app.screen
        assert isinstance(result, ResultScreen)
        assert result.result.job_url and result.result.job_id in result.result.job_url
        assert not result.result.already_published
        # Few keystrokes: typed characters count one each, like any other key.
        print(f"sample {sample_index}: {keys[0]} keystrokes from start screen to published")
        assert keys[0] <= 60


def _count_keys(pilot: Pilot[Any]) -> list[int]:
    """Count every key the test presses through this pilot."""
    count = [0]
    press = pilot.press

    async def counting_press(*keys: str) -> None:
        count[0] += len(keys)
        await press(*keys)

    pilot.press = counting_press  # type: ignore[method-assign]
    return count


async def test_sent_answers_disappear_and_new_fields_are_marked() -> None:
    """Choosing a payment type makes its rate required: the rate appears marked NEW."""
    description = (
        "Audio labeling for a speech model\n"
        "Label short English audio clips with the speaker's emotion. 10,000 files in all. "
        "We want 4 annotators with intermediate experience, based in the US.\n"
    )
    app = sandbox_app(description=description, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: form_screen(app) is not None)
        form = form_screen(app)
        assert isinstance(form, FormScreen)
        await wait_for(pilot, lambda: form.rendered_round > 0)
        assert form.query("#field-paymentType")
        assert not form.query("#field-pricePerHour")
        form.query_one("#field-paymentType").focus()
        # "Pay per hour" is the second option of the documented enum order.
        payment = form.session.spec("paymentType")
        assert payment is not None
        options = [o.value for o in payment.parts[0].options]
        steps = options.index("PAY_PER_HOUR") + 1
        await pilot.press("enter", *(["down"] * steps), "enter")
        before = form.session.round
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: form.rendered_round > before)
        assert not form.query("#field-paymentType")
        rate = form.query_one("#box-pricePerHour")
        assert rate.has_class("-new")
        spec = form.session.spec("pricePerHour")
        assert spec is not None and spec.is_new
        assert spec.reason == "Required because you chose Pay per hour."
        assert "+1 new" in str(form.query_one("#progress").render())


def round_passed(form: FormScreen, before: int) -> Callable[[], bool]:
    """A condition that holds once the form shows a round later than ``before``."""
    return lambda: form.rendered_round > before
