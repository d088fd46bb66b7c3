"""``new`` goes straight to a form: while the draft is created the start screen says so and
offers nothing to act on; the form follows, and the start screen is whole when the person
comes back to it. Pilot, on the embedded sandbox, with the create held until released."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.widgets import TextArea

from wizard.bootstrap import in_process_sandbox_backend, make_app
from wizard.core.journal import Journal
from wizard.settings import load_settings
from wizard.ui.screens.start import StartScreen
from wizard.ui.widgets.banner import ProblemBanner
from wizard.ui.widgets.steady_footer import SteadyFooter

from .harness import form_screen, wait_for

ONE_LINE = "Audio labeling for a speech model"


def _posts(app: Any) -> int:
    return sum(1 for e in app.exchanges if e.method == "POST")


async def test_new_says_what_is_under_way_then_the_form_and_a_whole_start_screen() -> None:
    backend = in_process_sandbox_backend(journal=Journal.default())
    release = asyncio.Event()
    create = backend.engine.create

    async def held_create(description: str) -> Any:
        await release.wait()
        return await create(description)

    backend.engine.create = held_create  # type: ignore[method-assign]
    app = make_app(load_settings(force_sandbox=True), backend, description=ONE_LINE, start_new=True)
    async with app.run_test(size=(120, 40)) as pilot:
        start = app.screen
        assert isinstance(start, StartScreen)
        banner = start.query_one(ProblemBanner)
        await wait_for(pilot, lambda: "Creating the draft…" in banner.text)
        # Only what is under way: no description box to edit, no footer keys, and the
        # create key does nothing (a second draft would be a duplicate).
        assert not start.query("#description") and not start.query(SteadyFooter)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _posts(app) == 0

        release.set()
        await wait_for(pilot, lambda: form_screen(app) is not None)
        form = form_screen(app)
        assert form is not None
        await wait_for(pilot, lambda: form.rendered_round > 0 and start.has_body)
        assert _posts(app) == 1

        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is start)
        area = start.query_one("#description", TextArea)
        assert area.text == "", "the description made its draft: the box starts empty"
        assert start.query(SteadyFooter)
        assert "Creating the draft" not in banner.text
