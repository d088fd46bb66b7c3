"""The tour's hooks into the app: keys, palette entries, and the events it watches.

``TourApp`` sits between Textual's ``App`` and the wizard's app. The screens' own
messages (a send applied or refused, an answer edited, a publish) bubble up to the
app after the screens have handled them; the handlers here only forward them to the
controller, so the screens work exactly as they do without a tour. Textual runs the
``on_mount`` of every class of an app, so this one runs after the wizard app's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

if TYPE_CHECKING:
    from wizard.ui.screens.form import FormScreen
    from wizard.ui.tour.controller import TourController
    from wizard.ui.widgets.field_box import FieldBox


class TourApp(App[int]):
    """An app that can lay the guided first run over its screens."""

    BINDINGS = [
        Binding("f2", "tour_start", "Start tour", id="app.tour-start"),
        Binding("f4", "tour_close", "Close tour", id="app.tour-close"),
    ]

    # How this run started, set by the app: the tour is offered only on a bare start.
    start_new: bool
    initial_job_id: str | None
    initial_description: str | None

    def __init__(self) -> None:
        super().__init__()
        self.offer_tour = False
        """Offer the tour on this start (when it is the bare start screen, first time)."""
        self._tour: TourController | None = None

    @property
    def tour(self) -> TourController:
        """The tour, made (and its modules loaded) when first needed: a run that never
        offers, starts or mentions it (``new``, ``open``) never loads it."""
        if self._tour is None:
            from wizard.ui.tour.controller import TourController

            self._tour = TourController(self)
        return self._tour

    def _tour_phase(self) -> str:
        return "idle" if self._tour is None else self._tour.phase

    @property
    def sandbox(self) -> bool:
        """Whether this run practises on the sandbox (the app says; the tour needs it)."""
        return False

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._screen_changed)
        if self.offer_tour:
            # After the first screen is drawn: the offer must not delay (or steal) anything.
            self.call_after_refresh(lambda: self.tour.offer())

    def _screen_changed(self, _screen: Screen[Any]) -> None:
        if self._tour is not None:  # no tour yet: nothing to follow
            self._tour.screen_changed()

    # ---- keys and palette -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show the tour's keys only when they do something."""
        if action == "tour_start":
            return self._tour_phase() == "offered"
        if action == "tour_close":
            return self._tour_phase() != "idle"
        return super().check_action(action, parameters)

    def action_tour_start(self) -> None:
        """Start the guided first run."""
        self.tour.start()

    def action_tour_close(self) -> None:
        """Dismiss the offer, skip the tour, or close its summary."""
        self.tour.close()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands, then "Guided first run" (and a way to skip it)."""
        yield from super().get_system_commands(screen)
        yield from self.tour.palette_commands()

    # ---- what the screens already say -------------------------------------------------------

    def on_field_box_edited(self, event: FieldBox.Edited) -> None:
        """An answer changed on the form (the form has taken it in already)."""
        if self._tour_phase() != "running":
            return  # every keystroke comes here: no work when there is no tour
        from wizard.ui.screens.form import FormScreen  # loaded: it sent the message

        form = event.box.screen
        if isinstance(form, FormScreen) and form.unsent_count():
            # Widgets echo their first value when built: only a real answer counts.
            self.tour.observe("edited")

    def on_form_screen_round_applied(self, event: FormScreen.RoundApplied) -> None:
        """A send landed and the form was re-planned."""
        if self._tour_phase() != "running":
            return
        from wizard.ui.screens.form import FormScreen

        form = self.screen
        labels: list[str] = []
        for name in event.diff.added:
            spec = form.session.spec(name) if isinstance(form, FormScreen) else None
            labels.append(spec.label if spec is not None else name)
        self.tour.observe("sent", answered=len(event.diff.resolved), added=tuple(labels))

    def on_form_screen_send_refused(self, event: FormScreen.SendRefused) -> None:
        """The server refused a send; the values stay, with their reasons."""
        if self._tour_phase() != "running":
            return
        from wizard.ui.screens.form import FormScreen

        form = self.screen
        fields = []
        for key in event.errors:
            question = form.model.question_for_key(key) if isinstance(form, FormScreen) else None
            fields.append(question.field if question is not None else key)
        self.tour.observe("refused", fields=tuple(fields))

    def on_form_screen_published(self, _event: FormScreen.Published) -> None:
        """The draft was published."""
        if self._tour is not None:
            self._tour.observe("published")
