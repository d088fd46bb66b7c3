"""One question of the form: label, prompt, why it is asked, the right widget, and its error.

The editing widget has id ``field-<field>``; a compound question's parts are
``field-<field>-<updateKey>``. All server text is shown literally (markup off).

A box is a view of one ``Question`` of the form model: it reports every change as
``FieldBox.Edited`` and shows what the model says (error, state, NEW and why); a new
round updates it in place.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, Switch, TextArea

from wizard.core.fields import FieldPart, FieldSpec
from wizard.core.form import Question
from wizard.core.keys import Kind
from wizard.core.options import Option
from wizard.core.wording import adds_to
from wizard.ui.widgets.list_picker import FilterInput, ListPicker
from wizard.ui.widgets.ordered_input import OrderedInput
from wizard.ui.widgets.quiet import set_content, set_display, set_text


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


def _choice_text(option: Option) -> Text:
    """A choice's label, with how often the marketplace uses it when known (dimmed)."""
    text = Text(option.label)
    if option.note and option.count:
        text.append(f"  · {option.note}", style="dim")
    return text


def make_editor(
    spec: FieldSpec, part: FieldPart, value: Any = None, *, wid: str | None = None
) -> Widget:
    """The best widget for one part, prefilled with ``value`` when given."""
    wid = wid or widget_id(spec, part)
    placeholder = part.placeholder or ("" if part.kind is not Kind.NUMBER else "a number")
    if part.kind is Kind.SELECT:
        # Option prompts as rich Text, never markup: labels come from the server. The
        # placeholder is ours alone for the same reason.
        select: Select[str] = Select(
            [(_choice_text(o), o.value) for o in part.options],
            prompt="Choose one…",
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
    return OrderedInput(
        value="" if value is None else str(value),
        placeholder=placeholder,
        id=wid,
        # A jump or Tab puts the cursor after the value: one Backspace must not wipe it.
        select_on_focus=False,
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


def owning_box(widget: Widget | None) -> FieldBox | None:
    """The question a widget (say, the focused one) belongs to, if any."""
    node = widget
    while node is not None:
        if isinstance(node, FieldBox):
            return node
        node = node.parent if isinstance(node.parent, Widget) else None
    return None


class FieldBox(Vertical, can_focus=False):
    """A question with its widget(s), help and error line."""

    DEFAULT_CSS = """
    FieldBox {
        height: auto;
        padding: 0 1 1 1;
        margin-bottom: 1;
        border-left: tall $panel;
        & .field-label { text-style: bold; }
        & .field-prompt { color: $text; }
        & .field-hint { color: $text-muted; }
        & .field-error { color: $error; display: none; }
        & .field-parts { height: auto; }
        & .field-parts > .part { width: 1fr; height: auto; margin-right: 1; }
        & TextArea { height: 5; }
        &.-new { border-left: tall $warning; }
        /* Focus is a thicker bar and an underlined label: visible without colour too. */
        &:focus-within {
            border-left: thick $primary;
            & .field-label { text-style: bold underline; }
        }
        /* An error outranks focus and NEW: it is what needs doing. */
        &.-error { border-left: tall $error; & .field-error { display: block; } }
        &.-warning { & .field-error { display: block; color: $warning; } }
    }
    """

    @dataclass
    class Edited(Message):
        """An answer changed: ``raw`` is the new raw value of update key ``key``."""

        box: FieldBox
        key: str
        raw: Any

        @property
        def control(self) -> FieldBox:
            """The question that changed."""
            return self.box

    def __init__(self, question: Question) -> None:
        spec = question.spec
        super().__init__(id=f"box-{safe_id(spec.field)}", classes="-new" if spec.is_new else "")
        self.question = question
        self.built_from = spec
        """The spec the widgets were built from (a round may change the question's)."""
        self._initial = dict(question.raw)

    @property
    def spec(self) -> FieldSpec:
        """The question's spec (as of the last round)."""
        return self.question.spec

    @property
    def state(self) -> str:
        """The question's state, from the model."""
        return self.question.state

    def compose(self) -> ComposeResult:
        # Few widgets per question: the label line and the prompt lines are one Static
        # each (styled Content), since every widget costs on each round and keystroke.
        spec = self.spec
        yield Static("", classes="field-label", markup=False)
        yield Static("", classes="field-prompt", markup=False)
        # The error (or warning) sits above the widget: a tall pick list must not push
        # the server's sentence out of view.
        yield Static("", classes="field-error", markup=False)
        if spec.compound:
            with Horizontal(classes="field-parts", id=f"field-{safe_id(spec.field)}"):
                for part in spec.parts:
                    with Vertical(classes="part"):
                        yield Label(part.label, markup=False)
                        yield make_editor(spec, part, self._initial.get(part.key))
        else:
            part = spec.parts[0]
            yield make_editor(spec, part, self._initial.get(part.key))
        yield Static("", classes="field-hint", markup=False)

    def on_mount(self) -> None:
        self.show_spec()
        self.show_state()

    # ---- showing the model -----------------------------------------------------------

    def _text(self, selector: str, text: str | None) -> None:
        widget = self.query_one(selector, Static)
        set_text(widget, text or "")
        set_display(widget, bool(text))

    def show_spec(self) -> None:
        """Show the question's label, prompt, why and hint (after a round changed them).

        Server text goes in as literal Content: never markup, whatever brackets it holds.
        """
        spec = self.spec
        self.set_class(spec.is_new, "-new")
        head = self.query_one(".field-label", Static)
        label = Content.assemble(spec.label, ("  NEW", "bold $warning") if spec.is_new else "")
        set_content(head, label)
        lines: list[Content] = []
        if spec.prompt and spec.prompt != spec.label:
            lines.append(Content(spec.prompt))
        if spec.is_new and spec.reason:
            # One reason per new question: why it appeared says why it is asked.
            lines.append(Content.styled(spec.reason, "$warning"))
        elif adds_to(spec.message, spec.label, spec.prompt, spec.hint) and (
            spec.message != spec.error
        ):
            lines.append(Content.styled(f"Why: {spec.message}", "dim"))
        prompt = self.query_one(".field-prompt", Static)
        set_content(prompt, Content("\n").join(lines))
        set_display(prompt, bool(lines))
        self._text(".field-hint", spec.hint)

    def show_state(self) -> None:
        """Show the question's error, else its warning (or none), as the model has it."""
        error = self.question.error
        warning = None if error else self.question.warning
        line = self.query_one(".field-error", Static)
        # A mark as well as a colour: the state reads the same without colour.
        set_text(line, f"✗ {error}" if error else (f"⚠ {warning}" if warning else ""))
        if self.has_class("-error") != bool(error):
            self.set_class(bool(error), "-error")
        if self.has_class("-warning") != bool(warning):
            self.set_class(bool(warning), "-warning")

    # ---- reading ---------------------------------------------------------------------

    def editors(self) -> list[tuple[FieldPart, Widget]]:
        """Each part with its widget."""
        out = []
        for part in self.spec.parts:
            out.append((part, self.query_one(f"#{widget_id(self.spec, part)}", Widget)))
        return out

    def answers(self) -> dict[str, Any]:
        """The raw answer per update key (None where empty), as the widgets hold it."""
        return {part.key: read_editor(widget) for part, widget in self.editors()}

    @property
    def complete(self) -> bool:
        """Every part has an answer."""
        return self.question.complete

    def focus_editor(self) -> None:
        """Focus the first part's widget and bring the question into view at once.

        No gliding scroll: an animation redraws the screen every frame for its length.
        """
        _, widget = self.editors()[0]
        widget.focus(scroll_visible=False)
        # Its top: the label, the question and any error come first, even when it is tall.
        self.scroll_visible(animate=False, top=True)

    def _key_of(self, widget: Widget) -> str | None:
        node: Widget | None = widget
        ids = {widget_id(self.spec, part): part.key for part in self.spec.parts}
        while node is not None and node is not self:
            if node.id in ids:
                return ids[node.id]
            node = node.parent if isinstance(node.parent, Widget) else None
        return None

    # ---- events ----------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(Switch.Changed)
    @on(ListPicker.Changed)
    def _edited(self, event: Message) -> None:
        control = getattr(event, "control", None)
        if not isinstance(control, Widget) or isinstance(control, FilterInput):
            return  # a picker's filter box: its picker reports the selection
        key = self._key_of(control)
        if key is None:
            return
        event.stop()
        editor = next(w for p, w in self.editors() if p.key == key)
        self.post_message(self.Edited(self, key, read_editor(editor)))
