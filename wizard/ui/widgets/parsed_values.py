"""Values the draft already has (parsed from the description, or answered earlier), editable.

Each value gets the same widget a question would. A change is sent as its own PATCH:
at once for a choice or a switch, on Enter or on leaving the widget for text, numbers
and lists. Ids are ``value-<key>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, Input, Label, Select, Static, Switch

from wizard.core.fields import FieldSpec, build_part
from wizard.core.keys import label_for_key
from wizard.core.session import DraftSession
from wizard.ui.widgets.field_box import make_editor, read_editor, safe_id

SOURCE_NOTES = {"parsed": "from your description", "you": "answered"}


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
        & TextArea { height: 4; }
    }
    """

    @dataclass
    class Commit(Message):
        """A value was changed and should be sent."""

        row: ValueRow
        key: str
        raw: Any

    def __init__(self, spec: FieldSpec, value: Any, source: str, error: str | None = None) -> None:
        super().__init__(id=f"row-{safe_id(spec.field)}")
        self._error = error
        self.spec = spec
        self.key = spec.field
        self.saved = value
        self.source = source
        self._sending: Any = None
        """The value of the commit in flight, so Enter then blur sends it once."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.spec.label, classes="value-label", markup=False)
            yield Static(SOURCE_NOTES.get(self.source, ""), classes="value-source", markup=False)
        yield make_editor(
            self.spec, self.spec.parts[0], self.saved, wid=f"value-{safe_id(self.key)}"
        )
        yield Static("", classes="value-status", markup=False)

    def on_mount(self) -> None:
        if self._error:
            self.status(self._error, error=True)

    @property
    def editor(self) -> Widget:
        """The widget that edits the value."""
        return self.query_one(f"#value-{safe_id(self.key)}", Widget)

    def status(self, text: str, *, error: bool = False) -> None:
        """Say what happened to the last change."""
        line = self.query_one(".value-status", Static)
        line.update(text)
        line.set_class(error, "-error")

    def _maybe_commit(self) -> None:
        raw = read_editor(self.editor)
        if raw is None or raw == self.saved or raw == self._sending:
            return
        problem = self.spec.parts[0].check(raw)
        if problem:
            self.status(problem, error=True)
            return
        self.status("saving…")
        self._sending = raw
        self.post_message(self.Commit(self, self.key, raw))

    @on(Select.Changed)
    @on(Switch.Changed)
    @on(Input.Submitted)
    def _commit_now(self, event: Message) -> None:
        event.stop()
        self._maybe_commit()

    @on(events.DescendantBlur)
    def _left(self) -> None:
        # Leaving a text, number or list widget commits it (if it changed).
        self._maybe_commit()


class ParsedValues(Collapsible):
    """Every value the draft already has that is not being asked, each editable."""

    DEFAULT_CSS = """
    ParsedValues { margin-top: 1; }
    """

    def __init__(
        self,
        session: DraftSession,
        *,
        collapsed: bool = True,
        errors: dict[str, str] | None = None,
    ) -> None:
        self.session = session
        self.errors = errors or {}
        self.keys = [k for k in session.values if session.spec_for_key(k) is None]
        super().__init__(
            *self._rows(),
            title=f"Already filled ({len(self.keys)}): edit any value; it is saved when you "
            "leave it",
            collapsed=collapsed,
            id="parsed-values",
        )

    def _rows(self) -> list[ValueRow]:
        session = self.session
        rows = []
        for key in self.keys:
            part = build_part(key, capabilities=session.capabilities, catalog=session.catalog)
            spec = FieldSpec(field=key, label=label_for_key(key), prompt="", parts=[part])
            rows.append(
                ValueRow(
                    spec,
                    session.values.get(key),
                    session.provenance.get(key, ""),
                    self.errors.get(key),
                )
            )
        return rows
