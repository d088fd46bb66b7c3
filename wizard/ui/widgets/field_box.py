"""One question of the form: label, prompt, why it is asked, the right widget, and its error.

The editing widget has id ``field-<field>``; a compound question's parts are
``field-<field>-<updateKey>``. All server text is shown literally (markup off).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, Switch, TextArea

from wizard.core.fields import FieldPart, FieldSpec
from wizard.core.keys import Kind
from wizard.ui.widgets.list_picker import ListPicker

FieldState = str
"""One of: empty, edited, sending, saved, rejected."""


class PartValidator(Validator):
    """Textual validation backed by the same coercion ``fill`` uses."""

    def __init__(self, part: FieldPart) -> None:
        super().__init__()
        self.part = part

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()  # empty means "not answered yet", not wrong
        problem = self.part.check(value)
        return self.success() if problem is None else self.failure(problem)


_SAFE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def safe_id(name: str) -> str:
    """A field name as a valid widget id part: itself when it is one, else a stable stand-in.

    Field names are identifiers in every documented reply; a server sending something
    else (spaces, brackets) must still get a working widget rather than a crash.
    """
    if _SAFE_ID.fullmatch(name):
        return name
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return "x_" + re.sub(r"[^A-Za-z0-9_-]", "_", name)[:40] + "_" + digest


def widget_id(spec: FieldSpec, part: FieldPart) -> str:
    """The id contract: ``field-X``, or ``field-X-<key>`` for compound parts."""
    field = safe_id(spec.field)
    return f"field-{field}" if not spec.compound else f"field-{field}-{safe_id(part.key)}"


def make_editor(
    spec: FieldSpec, part: FieldPart, value: Any = None, *, wid: str | None = None
) -> Widget:
    """The best widget for one part, prefilled with ``value`` when given."""
    wid = wid or widget_id(spec, part)
    placeholder = part.placeholder or ("" if part.kind is not Kind.NUMBER else "a number")
    if part.kind is Kind.SELECT:
        select: Select[str] = Select(
            [(o.label, o.value) for o in part.options],
            prompt=f"Choose {part.label.lower()}",
            id=wid,
            value=value
            if isinstance(value, str) and value in {o.value for o in part.options}
            else Select.NULL,
        )
        return select
    if part.kind is Kind.LIST:
        selected = value if isinstance(value, list) else ([value] if value else [])
        return ListPicker(
            part.options,
            selected=[str(v) for v in selected],
            placeholder=f"e.g. {part.example}" if part.example else "",
            id=wid,
        )
    if part.kind is Kind.TEXT:
        area = TextArea(
            str(value) if value else "",
            id=wid,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder=placeholder,
        )
        return area
    if part.kind is Kind.BOOLEAN:
        return Switch(value=bool(value), id=wid)
    restrict = None
    if part.kind is Kind.NUMBER:
        restrict = r"[0-9.,$ ]*" if not part.integer else r"[0-9, ]*"
    return Input(
        value="" if value is None else str(value),
        placeholder=placeholder,
        id=wid,
        validators=[PartValidator(part)],
        validate_on=["changed", "submitted", "blur"],
        restrict=restrict,
    )


def read_editor(widget: Widget) -> Any:
    """The raw answer in a widget, or None when it is empty."""
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, ListPicker):
        return widget.value or None
    if isinstance(widget, TextArea):
        return widget.text if widget.text.strip() else None
    if isinstance(widget, Switch):
        return widget.value
    if isinstance(widget, Input):
        return widget.value if widget.value.strip() else None
    return None


class FieldBox(Vertical, can_focus=False):
    """A question with its widget(s), help and error line."""

    DEFAULT_CSS = """
    FieldBox {
        height: auto;
        padding: 0 1 1 1;
        margin-bottom: 1;
        border-left: tall $panel;
        & .field-head { height: auto; }
        & .field-label { text-style: bold; }
        & .field-badge { color: $warning; text-style: bold; margin-left: 1; }
        & .field-prompt { color: $text; }
        & .field-why, & .field-hint { color: $text-muted; }
        & .field-reason { color: $warning; }
        & .field-error { color: $error; display: none; }
        & .field-parts { height: auto; }
        & .field-parts > .part { width: 1fr; height: auto; margin-right: 1; }
        & TextArea { height: 5; }
        &.-new { border-left: tall $warning; }
        &:focus-within { border-left: tall $primary; }
        &.-saved { border-left: tall $success; }
        /* An error outranks focus and NEW: it is what needs doing. */
        &.-error { border-left: tall $error; & .field-error { display: block; } }
    }
    """

    @dataclass
    class Edited(Message):
        """An answer changed."""

        box: FieldBox

        @property
        def control(self) -> FieldBox:
            """The question that changed."""
            return self.box

    def __init__(self, spec: FieldSpec, values: dict[str, Any] | None = None) -> None:
        super().__init__(id=f"box-{safe_id(spec.field)}", classes="-new" if spec.is_new else "")
        self.spec = spec
        self._initial = values or {}
        self.state: FieldState = "empty"

    def compose(self) -> ComposeResult:
        spec = self.spec
        with Horizontal(classes="field-head"):
            yield Label(spec.label, classes="field-label", markup=False)
            if spec.is_new:
                yield Label("NEW", classes="field-badge")
        if spec.prompt and spec.prompt != spec.label:
            yield Static(spec.prompt, classes="field-prompt", markup=False)
        if spec.is_new and spec.reason:
            yield Static(spec.reason, classes="field-reason", markup=False)
        if spec.message and spec.message not in (spec.prompt, spec.reason):
            yield Static(f"Why: {spec.message}", classes="field-why", markup=False)
        if spec.compound:
            with Horizontal(classes="field-parts", id=f"field-{safe_id(spec.field)}"):
                for part in spec.parts:
                    with Vertical(classes="part"):
                        yield Label(part.label, markup=False)
                        yield make_editor(spec, part, self._initial.get(part.key))
        else:
            part = spec.parts[0]
            yield make_editor(spec, part, self._initial.get(part.key))
        if spec.hint:
            yield Static(spec.hint, classes="field-hint", markup=False)
        yield Static("", classes="field-error", markup=False)

    def on_mount(self) -> None:
        if self.spec.error:
            self.set_error(self.spec.error)
        if any(v is not None for v in self.answers().values()):
            self.state = "edited"

    # ---- reading and marking ---------------------------------------------------------

    def editors(self) -> list[tuple[FieldPart, Widget]]:
        """Each part with its widget."""
        out = []
        for part in self.spec.parts:
            out.append((part, self.query_one(f"#{widget_id(self.spec, part)}", Widget)))
        return out

    def answers(self) -> dict[str, Any]:
        """The raw answer per update key (None where empty)."""
        return {part.key: read_editor(widget) for part, widget in self.editors()}

    def problems(self) -> dict[str, str]:
        """Client-side problems per key, for answers that are filled in."""
        out: dict[str, str] = {}
        for part, widget in self.editors():
            raw = read_editor(widget)
            if raw is None:
                continue
            problem = part.check(raw)
            if problem:
                out[part.key] = problem
        return out

    @property
    def complete(self) -> bool:
        """Every part has an answer."""
        return all(v is not None for v in self.answers().values())

    def set_error(self, message: str | None) -> None:
        """Show (or clear) one sentence under the question."""
        line = self.query_one(".field-error", Static)
        line.update(message or "")
        self.set_class(bool(message), "-error")
        if message:
            self.state = "rejected"

    def focus_editor(self) -> None:
        """Focus the first part's widget."""
        _, widget = self.editors()[0]
        widget.focus()

    # ---- events ----------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(Switch.Changed)
    @on(ListPicker.Changed)
    def _edited(self, event: Message) -> None:
        failures: list[str] = []
        if isinstance(event, Input.Changed) and event.validation_result is not None:
            failures = list(event.validation_result.failure_descriptions)
        # A new answer replaces whatever was wrong with the old one.
        self.set_error(failures[0] if failures else None)
        self.state = "rejected" if failures else "edited"
        self.post_message(self.Edited(self))
