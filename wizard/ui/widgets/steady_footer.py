"""A Footer that rebuilds itself only when the keys it shows change.

Textual's ``Footer`` recomposes (unmounts and mounts every key) whenever the screen's
bindings may have changed, which is every focus change: Tab, a jump, the focus moving
to a new question after a send. On the form that is a few dozen widgets mounted per
keystroke for a footer that looks the same. This one compares what it would show
first.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """The footer, recomposed only when its visible keys (or their state) change."""

    _shown: tuple[Any, ...] | None = None

    def _visible(self, screen: Screen[Any]) -> tuple[Any, ...]:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Recompose only when the keys on show differ from the ones drawn."""
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = self._visible(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
