"""The tour's state and rules: when it is offered, which step is on, what completes it.

The controller is told what happens (``observe``) and when the screen changes
(``screen_changed``); it keeps one note on the screen the person is on and a highlight
on the part of it the step is about. It never moves the focus and never touches a
field, so nothing typed can be lost to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from rich.text import Text
from textual.app import SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget

from wizard.core.wording import plural
from wizard.ui.tour.marker import mark_offered, was_offered
from wizard.ui.tour.note import HIGHLIGHT, TourNote
from wizard.ui.tour.steps import SCREEN_NAMES, STEPS, Event, TourStep

if TYPE_CHECKING:
    from collections.abc import Iterator

Phase = Literal["idle", "offered", "running", "done"]

START_KEY = "F2"
CLOSE_KEY = "F4"
PALETTE_ENTRY = "Guided first run"


class TourHost(Protocol):
    """What the tour reads and does of the app it runs over (the wizard's app)."""

    offer_tour: bool
    """Offer the tour on this start (when it is the bare start screen, first time)."""
    start_new: bool
    initial_job_id: str | None
    initial_description: str | None

    @property
    def sandbox(self) -> bool:
        """Whether this run practises on the sandbox."""
        ...

    @property
    def screen(self) -> Screen[object]:
        """The screen on top."""
        ...

    @property
    def focused(self) -> Widget | None:
        """The focused widget, if any."""
        ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification."""
        ...

    def refresh_bindings(self) -> None:
        """Re-check which keys the footer shows."""
        ...

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Call ``callback`` once the screen is drawn."""
        ...


@dataclass
class Tally:
    """What the person did during the tour, for the closing summary."""

    job_id: str = ""
    title: str = ""
    sends: int = 0
    answered: int = 0
    new_questions: list[str] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    """The questions (or update keys) that had a value refused."""
    reviewed: bool = False
    published: bool = False


class TourController:
    """Offers, runs and closes the guided first run over the app's screens."""

    def __init__(self, app: TourHost) -> None:
        self.app = app
        self.phase: Phase = "idle"
        self.index = 0
        """The step on, while running."""
        self.tally = Tally()
        self.note: TourNote | None = None
        self._target: Widget | None = None

    @property
    def step(self) -> TourStep | None:
        """The step on, or None when the tour is not running."""
        return STEPS[self.index] if self.phase == "running" else None

    # ---- offering, starting, closing ----------------------------------------------------

    def wants_offer(self) -> bool:
        """Whether this start should offer the tour.

        Only the bare start screen (no ``new``, no ``open``), only on the sandbox (the
        practice publishes), and only once per user.
        """
        app = self.app
        bare = not app.start_new and app.initial_job_id is None and not app.initial_description
        return (
            app.offer_tour
            and bare
            and app.sandbox
            and self.phase == "idle"
            and type(app.screen).__name__ == "StartScreen"
            and not was_offered()
        )

    def offer(self) -> None:
        """Offer the tour on the start screen, once; the focus stays where it is."""
        if not self.wants_offer():
            return
        mark_offered()
        self.phase = "offered"
        self.render()

    def start(self) -> None:
        """Start (or restart) the tour from its first step."""
        if not self.app.sandbox:
            self.app.notify(
                "The guided first run practises on the sandbox, so nothing real is "
                "published: start `draft-wizard --sandbox` to take it.",
                title=PALETTE_ENTRY,
                markup=False,
                timeout=10,
            )
            return
        self.phase = "running"
        self.index = 0
        self.tally = Tally()
        self.render()

    def close(self) -> None:
        """Dismiss the offer, skip the tour, or close the summary."""
        if self.phase == "idle":
            return
        skipped = self.phase == "running"
        self.phase = "idle"
        self.render()
        if skipped:
            self.app.notify(
                f"Tour closed. ctrl+p, then {PALETTE_ENTRY}, starts it again.",
                title=PALETTE_ENTRY,
                markup=False,
            )

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The command palette's entries for the tour."""
        again = "again " if self.phase in ("running", "done") else ""
        yield SystemCommand(
            PALETTE_ENTRY,
            f"Start the short tour {again}on a practice draft in the sandbox",
            self.start,
        )
        if self.phase == "running":
            yield SystemCommand("Skip the guided first run", "Close the tour", self.close)

    # ---- what happened ------------------------------------------------------------------

    def screen_changed(self) -> None:
        """The screen changed: the note follows, and opening a screen can be the task."""
        name = type(self.app.screen).__name__
        if self.phase == "offered" and name != "StartScreen" and name in SCREEN_NAMES:
            # The person went on without the tour; the palette still has it.
            self.phase = "idle"
        elif name == "FormScreen":
            from wizard.ui.screens.form import FormScreen  # loaded: it is on screen

            form = self.app.screen
            if self.phase == "running" and isinstance(form, FormScreen):
                self.tally.job_id = form.session.job_id
                self.tally.title = form.session.title or ""
            self.observe("form-opened")
        elif name == "ReviewScreen":
            self.observe("review-opened")
        self.render()

    def observe(
        self,
        event: Event,
        *,
        answered: int = 0,
        added: tuple[str, ...] = (),
        fields: tuple[str, ...] = (),
    ) -> None:
        """Something the person did; it completes the step when it is the step's task.

        Args:
            event: What happened.
            answered: For ``sent``: how many questions the send resolved.
            added: For ``sent``: the labels of the questions it brought.
            fields: For ``refused``: the fields (or update keys) the server refused.
        """
        if self.phase != "running":
            return
        tally = self.tally
        if event == "sent":
            tally.sends += 1
            tally.answered += answered
            tally.new_questions.extend(added)
        elif event == "refused":
            tally.refused.update(fields or ("the send",))
        elif event == "review-opened":
            tally.reviewed = True
        elif event == "published":
            tally.published = True
        step = self.step
        if step is None or event not in step.done_on:
            return
        if self.index + 1 < len(STEPS):
            self.index += 1
        else:
            self.phase = "done"
        self.render()

    # ---- drawing ------------------------------------------------------------------------

    def render(self) -> None:
        """Show the note for the current phase on the current screen (or remove it)."""
        screen = self.app.screen
        self.app.refresh_bindings()
        if self.phase == "idle":
            self._highlight(None)
            if self.note is not None:
                self.note.remove()
                self.note = None
            return
        if type(screen).__name__ not in SCREEN_NAMES:
            return  # help, the request log, the palette: the note waits underneath
        if self.note is None or self.note.parent is not screen:
            if self.note is not None:
                self.note.remove()
            self.note = TourNote()
            screen.mount(self.note)
            # The note takes rows from the screen: keep the field being typed in, in view.
            self.app.call_after_refresh(self._keep_focus_in_view)
        title, body, keys = self._content()
        self.note.show(title, body, keys)
        self._highlight(self._find_target())

    def _keep_focus_in_view(self) -> None:
        focused = self.app.focused
        if focused is not None:
            focused.scroll_visible(animate=False)

    def _find_target(self) -> Widget | None:
        step = self.step
        screen = self.app.screen
        if step is None or type(screen).__name__ != step.screen:
            return None
        found = screen.query(step.target)
        return found.first() if found else None

    def _highlight(self, target: Widget | None) -> None:
        if self._target is not None and self._target is not target:
            self._target.remove_class(HIGHLIGHT)
        self._target = target
        if target is not None:
            target.add_class(HIGHLIGHT)

    def _content(self) -> tuple[str, Text, str]:
        if self.phase == "offered":
            body = Text()
            body.append("New here? ", style="bold")
            body.append(
                f"A guided first run shows the loop in {len(STEPS)} short steps on a practice "
                f"draft in the sandbox; it waits while you type. Later: ctrl+p, {PALETTE_ENTRY}."
            )
            return PALETTE_ENTRY, body, f"{START_KEY} start · {CLOSE_KEY} not now"
        if self.phase == "done":
            return f"{PALETTE_ENTRY} · done", self._summary(), f"{CLOSE_KEY} close"
        step = STEPS[self.index]
        body = Text()
        body.append(f"{step.title}. ", style="bold")
        body.append(step.note)
        body.append("\n▶ Try it: ", style="bold")
        body.append(step.task)
        where = type(self.app.screen).__name__
        if where != step.screen:
            body.append(f"\n(This step happens on the {SCREEN_NAMES[step.screen]}.)")
        title = f"{PALETTE_ENTRY} · step {self.index + 1} of {len(STEPS)}"
        return title, body, f"{CLOSE_KEY} skip the tour"

    def _summary(self) -> Text:
        tally = self.tally
        lines = ["What you did:"]
        if tally.job_id:
            title = f'"{tally.title}" ' if tally.title else ""
            lines.append(f"✓ described a job, and the server made draft {title}({tally.job_id})")
        lines.append(
            f"✓ answered {plural(tally.answered, 'question')} in {plural(tally.sends, 'send')}"
        )
        if tally.new_questions:
            lines.append(
                "✓ saw the form re-plan, with a new question: " + ", ".join(tally.new_questions)
            )
        if tally.refused:
            lines.append(
                f"✓ had {plural(len(tally.refused), 'value')} refused, kept in place, and fixed"
            )
        if tally.reviewed:
            lines.append("✓ reviewed every value before publishing")
        if tally.published:
            lines.append("✓ published the job (in the sandbox: nothing left this machine)")
        lines.append(f"Go again any time: ctrl+p, then {PALETTE_ENTRY}.")
        return Text("\n".join(lines))
