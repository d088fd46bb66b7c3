"""Driving the real app against the embedded sandbox, with keypresses only."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Input, Select, Switch, TextArea

from wizard.api.retry import RetryPolicy
from wizard.bootstrap import in_process_sandbox_backend, make_app
from wizard.config import DEFAULT_TIMEOUT
from wizard.core.backend import make_backend
from wizard.core.journal import Journal
from wizard.core.keys import Kind
from wizard.settings import Settings, load_settings
from wizard.ui.app import WizardApp
from wizard.ui.screens.form import FormScreen
from wizard.ui.widgets.field_box import owning_box as owning_box
from wizard.ui.widgets.list_picker import FilterInput, PickerList

DESCRIPTION = (
    "Spanish call-center transcript review\n"
    "Native Spanish speakers review machine transcripts of support calls and fix them.\n"
    "Pay: $18 per hour.\n"
)
"""An hourly job whose draft asks a handful of questions (the UI tests' common start)."""
READY_ANSWERS: dict[str, Any] = {
    "experienceLevel": "INTERMEDIATE",
    "countries": ["ES", "MX"],
    "headcount": 5,
    "dataVolume": 300,
    "dataVolumeUnit": "HOURS_OF_RECORDING_AUDIO_VIDEO",
    "labelingOverview": "Review transcripts, fix misheard words and mark speaker turns.",
}
"""Answers that make a draft of ``DESCRIPTION`` ready to publish."""


async def _no_wait(_seconds: float) -> None:
    return None


def real_api_app(
    base_url: str,
    token: str,
    *,
    deadline: float | None = None,
    http: httpx.AsyncClient | None = None,
    **kwargs: Any,
) -> WizardApp:
    """The app on a real API origin (not the sandbox mode), built as ``make_app`` builds
    any: httpx gives up after 1 s between bytes (or as ``http``, the test's own client,
    says), retries do not wait, and ``deadline`` (when given) bounds each attempt in all."""
    settings = Settings(token=None, token_source=None, base_url=base_url, sandbox=False)
    http = http or httpx.AsyncClient(timeout=1.0)
    backend = make_backend(
        base_url=base_url,
        token=token,
        sandbox=False,
        journal=Journal.default(),
        http_client=http,
        timeout=deadline if deadline is not None else DEFAULT_TIMEOUT,
    )
    backend.owned.append(http)
    backend.client.retry = RetryPolicy(sleeper=_no_wait)
    return make_app(settings, backend, **kwargs)


def sandbox_app(**kwargs: Any) -> WizardApp:
    """The app as ``draft-wizard --sandbox`` builds it, on a sandbox in this process.

    The journal is the real one, under the test's own state directory.
    """
    settings = load_settings(force_sandbox=True)
    backend = in_process_sandbox_backend(journal=Journal.default())
    return make_app(settings, backend, **kwargs)


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 10) -> None:
    """Let the app run until ``condition`` holds (bounded)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            app = pilot.app
            notes = [n.message for n in app._notifications]
            raise AssertionError(
                f"timed out waiting for the app: screen={app.screen!r}, "
                f"focused={app.focused!r}, notifications={notes}"
            )
        await pilot.pause(0.05)


def form_screen(app: WizardApp) -> FormScreen | None:
    """The form, when it is the active screen."""
    return app.screen if isinstance(app.screen, FormScreen) else None


async def type_answer(
    pilot: Pilot[Any], form: FormScreen, key: str, text: str, timeout: float = 60
) -> None:
    """Type ``text`` into the one-part question ``key``, and wait until the form holds it.

    ``pilot.press`` returns once the process looks idle, judged by the CPU time it used:
    on a busy machine a starved process looks idle too, before the keys have reached the
    form, and a ctrl+s pressed then would find nothing to send. ``timeout`` only guards
    against a hang.
    """
    form.query_one(f"#field-{key}").focus()
    await pilot.press(*text)
    await wait_for(pilot, lambda: form.model.questions[key].answers == {key: text}, timeout)


ANSWER_TEXT = {
    "languages": "Spanish",
    "countries": "Spain",
    "headcount": "5",
    "dataVolume": "300",
    "jobTitle": "Transcript reviewers",
    "labelingOverview": "Review transcripts and fix errors.",
    "pricePerHour": "20",
    "pricePerLabel": "0.05",
    "fixedPrice": "1500",
}


async def answer_focused(pilot: Pilot[Any], app: WizardApp) -> None:
    """Answer the focused widget with keys, the way a person would."""
    focused = app.focused
    box = owning_box(focused)
    assert box is not None, f"focus is not on a question: {focused!r}"
    key = next(
        (
            p.key
            for p in box.spec.parts
            if focused is not None
            and (focused.id or "").endswith(p.key if box.spec.compound else box.spec.field)
        ),
        box.spec.parts[0].key,
    )
    part = box.spec.part(key) if key in box.spec.keys else box.spec.parts[0]
    if isinstance(focused, Select):
        await pilot.press("enter", "down", "enter")
    elif isinstance(focused, FilterInput):
        await pilot.press(*ANSWER_TEXT.get(part.key, "English"), "enter")
    elif isinstance(focused, PickerList | Switch):
        await pilot.press("space")
    elif isinstance(focused, TextArea | Input):
        text = ANSWER_TEXT.get(part.key, "20" if part.kind is Kind.NUMBER else "An answer")
        await pilot.press(*text)
    else:
        raise AssertionError(f"no way to answer {focused!r}")
