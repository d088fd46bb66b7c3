"""Values the draft already has (parsed from the description, or answered earlier), editable.

Each value gets the same widget a question would. A change is never sent on its own:
it is kept in the form model and travels with the next send (ctrl+s), in the same
single PATCH as the round's answers. Moving through the values sends nothing. Ids are
``value-<key>`` (editor) and ``row-<key>`` (row).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, Input, Label, Select, Static, Switch, TextArea

from wizard.core.display import SOURCE_LABELS
from wizard.core.fields import FieldSpec, build_part
from wizard.core.form import FormModel
from wizard.core.keys import label_for_key
from wizard.ui.widgets.field_box import make_editor, read_editor, safe_id
from wizard.ui.widgets.list_picker import FilterInput, ListPicker
from wizard.ui.widgets.quiet import set_text


class ValueRow(Vertical):
    """One existing value with its editor and a status line."""

    DEFAULT_CSS = """
    ValueRow {
        height: auto; margin-bottom: 1;
        & > Horizontal { height: auto; }
        & .value-label { width: auto; text-style: bold; }
        & .value-source { color: $text-muted; width: auto; margin-left: 2; }
        & .value-status { color: $text-muted; height: auto; }
        & .value-status.-error { color: $error; }
        & .value-status.-warning { color: $warning; }
        & TextArea { height: 4; }
    }
    """

    @dataclass
    class Changed(Message):
        """The person changed the value in the editor (not sent yet)."""

        row: ValueRow
        key: str
        raw: Any

    def __init__(
        self, spec: FieldSpec, value: Any, source: str, edit: Any = None, *, prefix: str = ""
    ) -> None:
        super().__init__(id=f"{prefix}row-{safe_id(spec.field)}")
        self.prefix = prefix
        """Before the row and editor ids, so two lists never share an id."""
        self.spec = spec
        self.key = spec.field
        self.source = source
        self._shown = edit if edit is not None else value

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.spec.label, classes="value-label", markup=False)
            yield Static(SOURCE_LABELS.get(self.source, ""), classes="value-source", markup=False)
        yield make_editor(
            self.spec,
            self.spec.parts[0],
            self._shown,
            wid=f"{self.prefix}value-{safe_id(self.key)}",
        )
        yield Static("", classes="value-status", markup=False)

    @property
    def editor(self) -> Widget:
        """The widget that edits the value."""
        return self.query_one(f"#{self.prefix}value-{safe_id(self.key)}", Widget)

    def status(self, text: str | None, *, kind: str = "") -> None:
        """Say what stands with this value (an unsent change, a problem, a warning)."""
        line = self.query_one(".value-status", Static)
        set_text(line, text or "")
        if line.has_class("-error") != (kind == "error"):
            line.set_class(kind == "error", "-error")
        if line.has_class("-warning") != (kind == "warning"):
            line.set_class(kind == "warning", "-warning")

    def saved_value(self, source: str) -> None:
        """The server now holds the value; show where it came from."""
        self.source = source
        set_text(self.query_one(".value-source", Static), SOURCE_LABELS.get(source, ""))

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Switch.Changed)
    @on(TextArea.Changed)
    @on(ListPicker.Changed)
    def _changed(self, event: Message) -> None:
        if isinstance(getattr(event, "control", None), FilterInput):
            return
        event.stop()
        self.post_message(self.Changed(self, self.key, read_editor(self.editor)))


class ParsedValues(Collapsible):
    """Every value the draft already has that is not being asked, each editable.

    The rows are built the first time the list is opened: most rounds never open it,
    and a round should not pay for editors nobody sees.
    """

    DEFAULT_CSS = """
    ParsedValues { margin-top: 1; }
    """

    WIDGET_ID = "parsed-values"
    ROW_PREFIX = ""
    """Before each row's and editor's id (``row-<key>``, ``value-<key>``)."""

    def __init__(self, model: FormModel, *, collapsed: bool = True) -> None:
        self.model = model
        self._built = not collapsed
        super().__init__(
            *([self._row(key) for key in self.keys()] if self._built else []),
            title=self._heading(len(self.keys())),
            collapsed=collapsed,
            id=self.WIDGET_ID,
        )

    def keys(self) -> list[str]:
        """The keys listed: values the draft has that no question asks about."""
        return self.model.filled_keys

    @staticmethod
    def _heading(count: int) -> str:
        return f"Already filled ({count}): edit any; changes go with your next send"

    def _row(self, key: str) -> ValueRow:
        session = self.model.session
        part = build_part(key, capabilities=session.capabilities, catalog=session.catalog)
        spec = FieldSpec(field=key, label=label_for_key(key), prompt="", parts=[part])
        edit = self.model.value_edits.get(key)
        return ValueRow(
            spec,
            session.values.get(key),
            session.provenance.get(key, ""),
            edit.raw if edit is not None else None,
            prefix=self.ROW_PREFIX,
        )

    pending_note = "Changed: sent with your next send (ctrl+s)."
    """A row's status while its change waits for the next send."""

    def rows(self) -> dict[str, ValueRow]:
        """The rows on screen, by key."""
        return {row.key: row for row in self.query(ValueRow)}

    async def _on_collapsible_expanded(self, event: Collapsible.Expanded) -> None:
        if event.collapsible is self and not self._built:
            await self.sync()

    async def reveal(self, key: str) -> ValueRow | None:
        """Open the list (building its rows if needed) and return one value's row."""
        self.collapsed = False
        await self.sync()
        return self.rows().get(key)

    async def sync(self) -> None:
        """Reconcile the rows with the model: add new values, drop asked ones, keep the rest."""
        model = self.model
        wanted = self.keys()
        self.title = self._heading(len(wanted))
        if self.collapsed and not self._built:
            return
        self._built = True
        rows = self.rows()
        contents = self.query_one(Collapsible.Contents)
        gone = [row for key, row in rows.items() if key not in wanted]
        if gone:
            await contents.remove_children(gone)
        previous: ValueRow | None = None
        for key in wanted:
            row = rows.get(key)
            if row is None:
                row = self._row(key)
                if previous is None:
                    await contents.mount(row, before=0)
                else:
                    await contents.mount(row, after=previous)
            else:
                row.saved_value(model.session.provenance.get(key, ""))
            previous = row
        self.show_statuses()

    def show_statuses(self) -> None:
        """Each row's line: its problem, its unsent change, or why it does not apply."""
        model = self.model
        stale = {s.key: s.sentence for s in model.stale_rates()}
        for key, row in self.rows().items():
            edit = model.value_edits.get(key)
            if key in model.value_problems:
                row.status(model.value_problems[key], kind="error")
            elif edit is not None and edit.error:
                row.status(edit.error, kind="error")
            elif edit is not None:
                row.status(self.pending_note)
            elif key in stale:
                row.status(stale[key], kind="warning")
            else:
                row.status(None)
