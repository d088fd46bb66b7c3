"""Headless apps for the keystroke benchmark, and a synchronous driver for them.

pytest-benchmark times synchronous callables, and a Textual app needs its event loop (and
its context variables) to keep running between keystrokes. ``HeadlessSession`` runs the
app under ``App.run_test`` in one long-lived task of a private event loop; ``call(job)``
hands that task a coroutine function and runs the loop until it is done, so every job runs
inside the app's context, exactly as a Pilot-driven test would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.pilot import Pilot
from textual.widgets import Input

from wizard.core.options import Option, OptionCatalog
from wizard.ui.widgets.list_picker import FilterInput, ListPicker

T = TypeVar("T")
Job = Callable[[Pilot[Any]], Awaitable[T]]

SIZE = (100, 40)


class PickerApp(App[None]):
    """A ListPicker over the ~250 reference countries, as the form shows ``countries``."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield ListPicker(
                OptionCatalog.reference().options_for("countries"),
                placeholder="e.g. Spain",
                id="field-countries",
            )

    def on_mount(self) -> None:
        self.query_one(FilterInput).focus()


class PlainApp(App[None]):
    """One plain Input: the baseline a keystroke in the picker is compared with."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(placeholder="e.g. Spain", id="plain")

    def on_mount(self) -> None:
        self.query_one(Input).focus()


class HeadlessSession:
    """An app running headless under ``run_test``; ``call`` runs one job inside it."""

    def __init__(self, app: App[Any], size: tuple[int, int] = SIZE) -> None:
        self.app = app
        self.size = size
        self.loop = asyncio.new_event_loop()
        self._jobs: asyncio.Queue[tuple[Job[Any], asyncio.Future[Any]] | None] | None = None
        self._ready: asyncio.Future[None] = self.loop.create_future()
        self._task = self.loop.create_task(self._serve())
        self.loop.run_until_complete(
            asyncio.wait([self._ready, self._task], return_when="FIRST_COMPLETED")
        )
        if self._task.done():
            self._task.result()  # the app failed to start: raise why

    async def _serve(self) -> None:
        self._jobs = asyncio.Queue()
        async with self.app.run_test(size=self.size) as pilot:
            self._ready.set_result(None)
            while (item := await self._jobs.get()) is not None:
                job, future = item
                try:
                    future.set_result(await job(pilot))
                except Exception as err:  # handed to the caller of ``call``
                    future.set_exception(err)

    def call(self, job: Job[T]) -> T:
        """Run ``job(pilot)`` inside the app's task and return its result."""
        assert self._jobs is not None
        future: asyncio.Future[T] = self.loop.create_future()
        self._jobs.put_nowait((job, future))
        return self.loop.run_until_complete(future)

    def close(self) -> None:
        """Shut the app down and close the loop."""
        if self._jobs is not None:
            self._jobs.put_nowait(None)
        try:
            self.loop.run_until_complete(self._task)
        finally:
            self.loop.close()


def _busy(app: App[Any]) -> str | None:
    """What is still pending: queued messages first, then a layout or repaint, or nothing."""
    screen = app.screen
    for node in (app, *screen.walk_children(with_self=True)):
        if not node._message_queue.empty() or node._next_callbacks:
            return "messages"
    if (
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._dirty_widgets
    ):
        return "paint"
    return None


async def settle(pilot: Pilot[Any]) -> None:
    """Handle every message the last input caused, then repaint now; until nothing is left.

    Messages go first, so the changes one keystroke causes in several widgets are laid out
    and painted together, as the screen's update timer would. The screen normally repaints
    on that timer's next tick (at most 60 per second); here a pending layout or repaint is
    done at once (what ``Pilot.pause`` does), so the time measured is the work a keystroke
    costs, not time spent waiting for the tick.
    """
    app = pilot.app
    for _ in range(100):
        await pilot._wait_for_screen()
        state = _busy(app)
        if state is None:
            return
        if state == "paint":
            app.screen._on_timer_update()
    raise AssertionError("the app did not settle after a keystroke")


async def settle_quick(pilot: Pilot[Any]) -> None:
    """``settle`` without Pilot's per-widget round trip, for screens of many widgets.

    ``settle`` waits on ``Pilot._wait_for_screen``, which posts a message to every widget
    of the screen and waits for each: on a form of a thousand widgets that round trip is
    most of what is measured. Here the loop only yields until no node has a message
    queued or a callback pending (seen twice in a row, so a handler that awaited is not
    taken for done) and the screen has nothing left to lay out or paint.
    """
    app = pilot.app
    quiet = 0
    for _ in range(100_000):
        state = _busy(app)
        if state == "paint":
            app.screen._on_timer_update()
            quiet = 0
        elif state is None:
            quiet += 1
            if quiet == 2:
                return
        else:
            quiet = 0
        await asyncio.sleep(0)
    raise AssertionError("the app did not settle after a keystroke")


@dataclass
class Keystroke:
    """One key, from posting it to the screen being repainted and idle."""

    key: str
    wall_s: float
    cpu_s: float
    """CPU time of this thread over the same span (what the app itself spent)."""
    repaints: int
    """How many times the screen was written out: at least one, or nothing was shown."""
    value: str
    """The focused Input's value afterwards."""


class KeyTimer:
    """Sends keys to a session's app and times each one (see ``Keystroke``)."""

    def __init__(self, session: HeadlessSession, *, quick: bool = False) -> None:
        self.session = session
        self.settle = settle_quick if quick else settle
        """How a keystroke is waited for (``settle``, or ``settle_quick`` when ``quick``)."""
        self.repaints = 0
        app = session.app
        display = app._display

        def counting_display(*args: Any, **kwargs: Any) -> Any:
            self.repaints += 1
            return display(*args, **kwargs)

        app._display = counting_display  # type: ignore[method-assign]

    def press(self, key: str) -> Keystroke:
        """Press ``key`` in the focused widget; returns its timing."""

        async def job(pilot: Pilot[Any]) -> Keystroke:
            app = pilot.app
            await settle(pilot)  # nothing left over from before
            before = self.repaints
            char = key if len(key) == 1 else None
            cpu = time.thread_time()
            started = time.perf_counter()
            app.post_message(events.Key(key, char))  # as the terminal driver does
            await self.settle(pilot)
            wall = time.perf_counter() - started
            cpu = time.thread_time() - cpu
            focused = app.focused
            value = focused.value if isinstance(focused, Input) else ""
            return Keystroke(key, wall, cpu, self.repaints - before, value)

        return self.session.call(job)


BIG_OPTIONS = 5_000
"""Options in ``BigPickerApp``'s list."""


def big_options(count: int = BIG_OPTIONS) -> list[Option]:
    """``count`` made-up options, as a facet source with thousands of tags would give."""
    words = ("annotation", "audio", "bounding", "contract", "dialect", "english", "german")
    return [
        Option(value=f"tag-{n}", label=f"{words[n % len(words)]} skill {n}", count=count - n)
        for n in range(count)
    ]


class BigPickerApp(App[None]):
    """A ListPicker over ``BIG_OPTIONS`` options."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield ListPicker(big_options(), placeholder="e.g. audio", id="field-skills")

    def on_mount(self) -> None:
        self.query_one(FilterInput).focus()
