"""What every wizard screen shares: the app's services, handed in, and ctrl+c."""

from __future__ import annotations

from typing import TypeVar

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

    def action_copy_text(self) -> None:
        """Ctrl+C copies a mouse selection; with none, it falls through to the app, which
        says how to quit (Textual's own version swallows the key with nothing selected)."""
        selection = self.get_selected_text()
        if not selection:
            raise SkipAction()
        self.app.copy_to_clipboard(selection)
