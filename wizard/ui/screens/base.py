"""What every wizard screen shares: typed access to the app and its backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.actions import SkipAction
from textual.screen import Screen

if TYPE_CHECKING:
    from wizard.ui.app import WizardApp

ResultT = TypeVar("ResultT")


class WizardScreen(Screen[ResultT]):
    """A screen of the wizard app."""

    @property
    def wizard(self) -> WizardApp:
        """The app, typed."""
        from wizard.ui.app import WizardApp

        assert isinstance(self.app, WizardApp)
        return self.app

    def action_copy_text(self) -> None:
        """Ctrl+C copies a mouse selection; with none, it falls through to the app, which
        says how to quit (Textual's own version swallows the key with nothing selected)."""
        selection = self.get_selected_text()
        if not selection:
            raise SkipAction()
        self.app.copy_to_clipboard(selection)
