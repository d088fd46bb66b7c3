"""A filterable multi-select with free entry and removable chips, for list answers.

Typing filters the options (label or value, anywhere in the text) at once; Down moves
into the list, Space or Enter toggles; Enter in the filter toggles the only match or
adds what was typed as a free value; Backspace in an empty filter removes the last
chip. Selected items show as chips above the filter, with "n selected".
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, SelectionList
from textual.widgets.selection_list import Selection

from wizard.core.options import Option
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.ordered_input import OrderedInput

MAX_VISIBLE = 50
"""Rows rendered at once; filtering narrows long lists well below this."""


def option_prompt(option: Option, depth: int = 0) -> Content:
    """The line shown for an option: label, then count and source, dimmed when unused."""
    indent = "  " * depth + ("└ " if depth else "")
    parts: list[str | tuple[str, str]] = [indent + option.label]
    if option.note:
        parts.append((f"  {option.note}", "dim"))
    elif option.count is not None:
        parts.append((f"  ({option.count})", "dim"))
    content = Content.assemble(*parts)
    return content.stylize("dim") if option.dimmed else content


class FilterInput(OrderedInput):
    """The filter box; Down moves into the list, Backspace on empty removes a chip."""

    BINDINGS = [
        Binding("down", "into_list", "Options", show=False, id="picker.into-list"),
        Binding("backspace", "backspace", "Delete", show=False, id="picker.backspace"),
    ]

    class EmptyBackspace(Message):
        """Backspace was pressed with nothing typed."""

    def action_into_list(self) -> None:
        """Move focus to the options."""
        picker = self.parent
        if isinstance(picker, ListPicker):
            picker.focus_list()

    def action_backspace(self) -> None:
        """Delete left; with nothing typed, remove the last chosen value instead."""
        if self.value:
            self.action_delete_left()
        else:
            self.post_message(self.EmptyBackspace())


class PickerList(SelectionList[str]):
    """The options; Up at the top goes back to the filter."""

    BINDINGS = [
        Binding("enter", "toggle_highlighted", "Toggle", show=False, id="picker.toggle"),
    ]

    def action_toggle_highlighted(self) -> None:
        """Enter toggles like Space."""
        self._toggle_highlighted_selection()

    def action_cursor_up(self) -> None:
        if self.highlighted in (None, 0):
            picker = self.parent
            if isinstance(picker, ListPicker):
                picker.focus_filter()
                return
        super().action_cursor_up()


class ListPicker(Vertical):
    """Pick several values from a long list, or type your own."""

    DEFAULT_CSS = """
    ListPicker {
        height: auto;
        & > #chips { height: auto; layout: horizontal; }
        & > #chips > Button.chip {
            min-width: 4; height: 1; border: none; margin: 0 1 0 0; padding: 0 1;
            background: $accent 30%;
        }
        & > FilterInput { background: $boost; }
        & > PickerList { width: 1fr; height: 8; overflow-y: scroll; }
        & > .picker-count { color: $text-muted; width: 1fr; height: 1; }
    }
    """

    @dataclass
    class Changed(Message):
        """The selection changed."""

        picker: ListPicker
        values: list[str]

        @property
        def control(self) -> ListPicker:
            """The picker that changed."""
            return self.picker

    def __init__(
        self,
        options: list[Option],
        *,
        selected: list[str] | None = None,
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Build a picker.

        Args:
            options: Every option, already sorted (most used first).
            selected: Values selected at the start.
            placeholder: Shown in the empty filter.
            id: The widget id (``field-<name>``).
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes)
        self.options = options
        self._labels = {o.value: o.label for o in options}
        self.selected: list[str] = list(selected or [])
        self._count_suffix = ""
        self._placeholder = placeholder
        self._rendered: list[tuple[str, int, bool]] | None = None

    def compose(self) -> ComposeResult:
        yield Horizontal(id="chips")
        filter_id = f"{self.id}-filter" if self.id else None
        hint = self._placeholder or "type to filter"
        yield FilterInput(placeholder=f"{hint} · Enter adds", id=filter_id, compact=True)
        yield PickerList(id=f"{self.id}-options" if self.id else None, compact=True)
        yield Label("", classes="picker-count")

    def on_mount(self) -> None:
        self._refresh_options("")
        self._refresh_chips()

    # ---- focus ---------------------------------------------------------------------------

    def focus(self, scroll_visible: bool = True) -> ListPicker:
        """Focusing the picker focuses its filter."""
        self.focus_filter()
        return self

    def focus_filter(self) -> None:
        """Put the cursor in the filter."""
        self.query_one(FilterInput).focus()

    def focus_list(self) -> None:
        """Move into the options."""
        options = self.query_one(PickerList)
        if options.option_count:
            options.focus()
            if options.highlighted is None:
                options.highlighted = 0

    # ---- values --------------------------------------------------------------------------

    @property
    def value(self) -> list[str]:
        """The selected values, in the order they were picked."""
        return list(self.selected)

    def set_values(self, values: list[str]) -> None:
        """Replace the selection."""
        self.selected = list(dict.fromkeys(values))
        self._refresh_options(self.query_one(FilterInput).value)
        self._refresh_chips()
        self.post_message(self.Changed(self, self.value))

    def select_value(self, value: str) -> None:
        """Select a value (a known option or a free one)."""
        if value not in self.selected:
            self.set_values([*self.selected, value])

    def deselect_value(self, value: str) -> None:
        """Deselect a value."""
        if value in self.selected:
            self.set_values([v for v in self.selected if v != value])

    # ---- rendering -----------------------------------------------------------------------

    def _matching(self, needle: str) -> list[tuple[Option, int]]:
        """Options whose label or value contains the needle; a tree keeps its matching path."""
        rows: list[tuple[Option, int]] = []

        def visit(option: Option, depth: int) -> None:
            if needle and not option.matches_tree(needle):
                return
            rows.append((option, depth))
            for child in option.children:
                visit(child, depth + 1)

        for option in self.options:
            visit(option, 0)
            if len(rows) >= MAX_VISIBLE:
                break
        return rows

    def _refresh_options(self, needle: str) -> None:
        options = self.query_one(PickerList)
        chosen = set(self.selected)
        rows = self._matching(needle.strip())
        rendered = [(o.value, depth, o.value in chosen) for o, depth in rows]
        if rendered != self._rendered:  # same rows (e.g. "spai" -> "spain"): nothing to redo
            self._rendered = rendered
            with self.app.batch_update():
                options.clear_options()
                options.add_options(
                    [
                        Selection(option_prompt(o, depth), o.value, o.value in chosen)
                        for o, depth in rows
                    ]
                )
        options.display = bool(rows)
        count = self.query_one(".picker-count", Label)
        capped = len(rows) >= MAX_VISIBLE
        self._count_suffix = ""
        if needle.strip():
            matches = f"{MAX_VISIBLE}+" if capped else str(len(rows))
            self._count_suffix = f" · {matches} of {len(self.options)} match"
        elif capped:
            self._count_suffix = (
                f" · the {MAX_VISIBLE} most used of {len(self.options)}; type to filter"
            )
        # One line of fixed size: a repaint is enough, no relayout.
        count.update(f"{len(self.selected)} selected{self._count_suffix}", layout=False)

    def _refresh_chips(self) -> None:
        chips = self.query_one("#chips", Horizontal)
        chips.remove_children()
        chips.mount_all(
            ActionButton(
                Content(f"{self._labels.get(v, v)} ×"),
                classes="chip",
                name=v,
                compact=True,
                tooltip="remove",
            )
            for v in self.selected
        )
        for chip in chips.query(Button):
            chip.can_focus = False
        chips.display = bool(self.selected)
        count = self.query_one(".picker-count", Label)
        count.update(f"{len(self.selected)} selected{self._count_suffix}")

    # ---- events --------------------------------------------------------------------------

    @on(FilterInput.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refresh_options(event.value)

    @on(FilterInput.Submitted)
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.post_message(self.Advance())
            return
        rows = self._matching(text)
        exact = [o for o, _ in rows if text.casefold() in (o.label.casefold(), o.value.casefold())]
        pick = exact[0] if exact else (rows[0][0] if len(rows) == 1 else None)
        value = pick.value if pick else text  # nothing matches: a free entry
        filter_input = self.query_one(FilterInput)
        filter_input.value = ""
        if value in self.selected:
            self.deselect_value(value)
        else:
            self.select_value(value)

    @on(FilterInput.EmptyBackspace)
    def _remove_last(self, event: FilterInput.EmptyBackspace) -> None:
        event.stop()
        if self.selected:
            self.deselect_value(self.selected[-1])

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        value = event.selection.value
        if value in self.selected:
            self.selected.remove(value)
        else:
            self.selected.append(value)
        self._refresh_chips()
        self.post_message(self.Changed(self, self.value))

    @on(SelectionList.SelectedChanged)
    def _selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()

    @on(Button.Pressed, ".chip")
    def _chip_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.name:
            self.deselect_value(event.button.name)

    class Advance(Message):
        """Enter on an empty filter: move to the next question."""
