"""What every wizard screen shares: the app's services, handed in, and ctrl+c."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.actions import SkipAction
from textual.screen import Screen

from wizard.ui.services import Services

ResultT = TypeVar("ResultT")


class WizardScreen(Screen[ResultT]):
    """A screen of the wizard app."""

    def __init__(self, services: Services) -> None:
        """Build the screen over the app's ``services`` (its backend and connection)."""
        super().__init__()
        self.services = services
        self._resumed = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen each time it becomes the top one. The
        # first time, only the screen itself needs it (it was styled before its own
        # stylesheet was loaded); its widgets were styled as they mounted, a moment
        # before, with that stylesheet: doing them again doubled the CSS work of a new
        # screen's first frame. Later resumes (back from another screen) restyle all as
        # usual. Runs before Textual's own handler (subclass first).
        if not self._resumed:
            self._resumed = True
            self.app.stylesheet.apply(self)
            event.refresh_styles = False

    def action_copy_text(self) -> None:
        """Ctrl+C copies a mouse selection; with none, it falls through to the app, which
        says how to quit (Textual's own version swallows the key with nothing selected)."""
        selection = self.get_selected_text()
        if not selection:
            raise SkipAction()
        self.app.copy_to_clipboard(selection)
