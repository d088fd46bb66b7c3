"""The tour's note: a few lines of text docked at the bottom of a screen, and the
highlight it puts on the part of the screen it talks about.

The note never takes focus (it holds no focusable widget), so whatever the person is
typing in keeps the keyboard. The highlight is a heavy outline, which needs no colour
to be seen, and the note names the highlighted part in words as well.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

HIGHLIGHT = "-tour-target"
"""The class the highlighted part of a screen carries while a note points at it."""


class TourNote(Static, can_focus=False):
    """The note of the guided first run (or its offer)."""

    # Not scoped: the highlight rule applies to whichever widget the note points at.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    TourNote {
        dock: bottom;
        height: auto;
        max-height: 12;
        /* Above the footer, whose keys stay in sight. */
        margin: 0 1 1 1;
        padding: 0 1;
        border: heavy $warning;
        border-title-style: bold;
        border-subtitle-style: bold;
        background: $surface;
        color: $text;
    }
    .-tour-target {
        outline: heavy $warning;
    }
    """

    def __init__(self) -> None:
        super().__init__("", id="tour-note", markup=False)

    def show(self, title: str, body: Text, keys: str) -> None:
        """Show a note: ``title`` in the frame, ``keys`` (how to go on or leave) under it."""
        self.border_title = title
        self.border_subtitle = keys
        self.update(body)
