"""What every wizard screen shares: typed access to the app and its backend."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

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
