"""Updates that cost nothing when nothing changed.

The form re-projects its model after every keystroke; ``Static.update`` refreshes the
layout even for the same text, and on a form of a hundred widgets each refresh is a
redraw. These helpers skip the update when the widget already shows that text.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Label, Static

_LAST = "_quiet_text"


def set_text(widget: Static | Label, text: str) -> None:
    """Show ``text`` in a Static or Label (literal text: the widgets have markup off)."""
    if getattr(widget, _LAST, None) == text:
        return
    setattr(widget, _LAST, text)
    widget.update(text)


def set_display(widget: Widget, shown: bool) -> None:
    """Show or hide a widget, touching it only when that changes."""
    if widget.display != shown:
        widget.display = shown
