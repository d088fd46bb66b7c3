"""An option list whose Enter works as soon as it has the focus.

Textual's ``OptionList`` starts with nothing highlighted, so the first Enter after
focusing it (ctrl+j, ctrl+o, Tab) does nothing until an arrow key is pressed; the footer
says Enter opens one. This list highlights an option as it gains the focus.
"""

from __future__ import annotations

from textual import events
from textual.widgets import OptionList


class PickList(OptionList):
    """An ``OptionList`` that highlights its first option when focused with none."""

    DEFAULT_CSS = """
    PickList:focus { border: round $accent; }
    """

    rehighlight = False
    """Highlight ``first_choice`` on every focus, not only when nothing is highlighted
    (a list whose rows change between visits, where an old highlight means nothing)."""

    def first_choice(self) -> int:
        """The option to highlight on focus (the first one, unless overridden)."""
        return 0

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if self.option_count and (self.rehighlight or self.highlighted is None):
            self.highlighted = self.first_choice()
