"""The checklist sidebar: every question of the round with its state; Enter jumps to it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

STATE_MARKS = {
    # The form model's states (wizard.core.form.QuestionState), and "saved" for what the
    # last send resolved.
    "open": ("○", "dim"),
    "typed": ("✎", "$accent"),
    "invalid": ("!", "$error"),
    "sending": ("…", "$warning"),
    "saved": ("✓", "$success"),
    "rejected": ("✗", "$error"),
}


class Checklist(OptionList):
    """Questions and their states."""

    DEFAULT_CSS = """
    Checklist { width: 30; height: 1fr; border: round $panel; }
    Checklist:focus { border: round $accent; }
    """

    @dataclass
    class Jump(Message):
        """The person chose a question to jump to."""

        field: str

    _rows: list[tuple[str, str, str, bool]] | None = None

    def show(self, rows: list[tuple[str, str, str, bool]]) -> None:
        """Replace the rows: ``(field, label, state, is_new)``; unchanged rows cost nothing."""
        if rows == self._rows:
            return
        self._rows = list(rows)
        highlighted = self.highlighted
        self.clear_options()
        for field, label, state, is_new in rows:
            mark, style = STATE_MARKS.get(state, STATE_MARKS["open"])
            text = Content.assemble((mark, style), " ", label)
            if is_new:
                text = Content.assemble(text, ("  new", "$warning"))
            self.add_option(Option(text, id=field))
        if highlighted is not None and self.option_count:
            self.highlighted = min(highlighted, self.option_count - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))
