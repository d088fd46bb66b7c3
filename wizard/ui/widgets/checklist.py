"""The checklist sidebar: every question of the round with its state; Enter jumps to it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wizard.ui.widgets.pick_list import PickList

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


_TO_DO = frozenset({"open", "invalid", "rejected"})


class Checklist(PickList):
    """Questions and their states; focused, the first question still to do is highlighted."""

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
        """Replace the rows: ``(field, label, state, is_new)``; unchanged rows cost nothing.

        When the same questions are listed (a keystroke changed a state), the changed
        lines are replaced in place; otherwise the list is rebuilt in one go.
        """
        if rows == self._rows:
            return
        previous, self._rows = self._rows, list(rows)
        if previous is not None and [r[0] for r in previous] == [r[0] for r in rows]:
            for old, new in zip(previous, rows, strict=True):
                if old != new:
                    self.replace_option_prompt(new[0], self._line(*new[1:]))
            return
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([Option(self._line(*row[1:]), id=row[0]) for row in rows])
        if highlighted is not None and self.option_count:
            self.highlighted = min(highlighted, self.option_count - 1)

    @staticmethod
    def _line(label: str, state: str, is_new: bool) -> Content:
        mark, style = STATE_MARKS.get(state, STATE_MARKS["open"])
        text = Content.assemble((mark, style), " ", label)
        return Content.assemble(text, ("  new", "$warning")) if is_new else text

    rehighlight = True

    def first_choice(self) -> int:
        """The first question still to do (Enter jumps straight to it): unanswered or
        with a problem first, else the first one not yet saved."""
        rows = self._rows or []
        todo = next((i for i, row in enumerate(rows) if row[2] in _TO_DO), None)
        if todo is not None:
            return todo
        return next((i for i, row in enumerate(rows) if row[2] != "saved"), 0)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))
