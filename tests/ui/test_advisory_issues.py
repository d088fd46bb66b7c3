"""Readiness as the API defines it: ``publishReady`` decides; ``issues[]`` are warnings.

The sandbox blocks publishing on every issue it reports, so here it is switched, for this
test only, to a server that reports an advisory issue on a ready draft: the wizard must
show the warning (on the form and in the review) and still publish.
"""

from __future__ import annotations

from typing import Any

import pytest

import wizard.sandbox.readiness as sandbox_readiness
from wizard.ui.app import WizardApp
from wizard.ui.screens.form import FormScreen
from wizard.ui.screens.result import ResultScreen
from wizard.ui.screens.review import ReviewScreen

from .harness import form_screen, sandbox_app, wait_for

HOURLY = (
    "Spanish call-center transcript review\n"
    "Native Spanish speakers review machine transcripts of support calls and fix them.\n"
    "Pay: $18 per hour.\n"
)
REST: dict[str, Any] = {
    "experienceLevel": "INTERMEDIATE",
    "countries": ["ES"],
    "headcount": 5,
    "dataVolume": 300,
    "dataVolumeUnit": "HOURS_OF_RECORDING_AUDIO_VIDEO",
    "labelingOverview": "Review transcripts, fix misheard words and mark speaker turns.",
}
ADVISORY = "Most similar jobs pay more than this rate."


@pytest.fixture
def advisory_server(monkeypatch: pytest.MonkeyPatch) -> None:
    original = sandbox_readiness._issues

    def issues(fields: dict[str, Any]) -> list[Any]:
        found = list(original(fields))
        if fields.get("pricePerHour") is not None:
            found.append({"code": "RATE_LOW", "field": "pricePerHour", "message": ADVISORY})
        return found

    monkeypatch.setattr(sandbox_readiness, "_issues", issues)
    monkeypatch.setattr(
        sandbox_readiness.Readiness, "publish_ready", property(lambda self: not self.missing)
    )


async def _form(pilot: Any, app: WizardApp) -> FormScreen:
    await wait_for(pilot, lambda: form_screen(app) is not None)
    form = form_screen(app)
    assert form is not None
    await wait_for(pilot, lambda: form.rendered_round > 0)
    return form


@pytest.mark.usefixtures("advisory_server")
async def test_publish_ready_with_an_advisory_issue_publishes() -> None:
    app = sandbox_app(description=HOURLY, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _form(pilot, app)
        assert app.backend is not None
        answers = {k: v for k, v in REST.items() if form.session.spec_for_key(k)}
        diff = await app.backend.engine.submit(form.session, answers)
        form.post_message(FormScreen.RoundApplied(diff, answers))
        await wait_for(pilot, lambda: form.rendered_round == form.session.round)
        validation = form.session.validation
        assert validation.publish_ready and validation.issues, "the server's advisory reply"
        assert form.model.can_publish
        assert str(form.query_one("#progress").render()).strip() == "ready to publish"
        # The warning is on its field (the hourly rate's question).
        box = form.query_one("#box-pricePerHour")
        assert ADVISORY in str(box.query_one(".field-error").render())
        assert box.has_class("-warning") and not box.has_class("-error")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        notes = str(review.query_one("#review-notes").render())
        assert f"Hourly rate: {ADVISORY}" in notes
        assert not review.query_one("#confirm-publish").disabled
        await pilot.click("#confirm-publish")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        assert form.session.published is not None
