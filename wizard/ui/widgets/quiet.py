"""Updates that cost nothing when nothing changed.

The form re-projects its model after every keystroke; ``Static.update`` refreshes the
layout even for the same text, and on a form of a hundred widgets each refresh is a
redraw. These helpers skip the update when the widget already shows that text.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, Static

_LAST = "_quiet_text"


def set_text(widget: Static | Label, text: str, *, fixed_size: bool = False) -> None:
    """Show ``text`` in a Static or Label (literal text: the widgets have markup off).

    Args:
        widget: Where to show it.
        text: What to show.
        fixed_size: The widget's size does not depend on its text (set in CSS), so the
            screen needs a repaint, not a new layout.
    """
    if getattr(widget, _LAST, None) == text:
        return
    setattr(widget, _LAST, text)
    widget.update(text, layout=not fixed_size)


def set_content(widget: Static, content: Content) -> None:
    """Show styled Content in a Static, touching it only when it differs."""
    key = (content.plain, tuple(content.spans))
    if getattr(widget, _LAST, None) == key:
        return
    setattr(widget, _LAST, key)
    widget.update(content)


def set_display(widget: Widget, shown: bool) -> None:
    """Show or hide a widget, touching it only when that changes."""
    if widget.display != shown:
        widget.display = shown
