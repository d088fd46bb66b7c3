"""Review before publishing: every value with where it came from, warnings, then confirm."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, Static

from wizard.core.display import SOURCE_LABELS, show_value
from wizard.core.form import FormModel
from wizard.core.keys import label_for_key


class ReviewScreen(ModalScreen[str | None]):
    """What will be published; Publish asks the server, Back returns to the form.

    Dismisses with ``"publish"``, ``"edit:<key>"`` (Enter on a value), or None.
    """

    CSS_PATH = "review.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back to the form", id="review.back"),
    ]

    def __init__(self, model: FormModel) -> None:
        super().__init__()
        self.model = model
        self.session = model.session
        self.stale = {s.key: s for s in model.stale_rates()}
        """Rates that do not go with the payment type: shown, never as if they applied."""

    def compose(self) -> ComposeResult:
        session = self.session
        with Vertical(id="review-dialog"):
            yield Label(
                f"Review: {session.title or session.job_id}", id="review-title", markup=False
            )
            with VerticalScroll(id="review-body"):
                yield DataTable(id="review-values", cursor_type="row", zebra_stripes=True)
                notes = self._notes()
                if notes:
                    yield Static(Content("\n".join(notes)), id="review-notes")
            yield Static(self._status(), id="review-status", markup=False)
            with Horizontal(id="review-actions"):
                yield Button(
                    "Publish anyway" if self.stale else "Publish",
                    id="confirm-publish",
                    variant="warning" if self.stale else "success",
                    disabled=not session.ready,
                )
                yield Button("Back", id="back")

    def _status(self) -> str:
        if not self.session.ready:
            return "Not ready yet."
        if self.stale:
            return (
                "The server accepts this draft, but it also holds a rate that does not apply "
                "(marked below), and the API cannot remove it. Publish anyway, or Enter on "
                "Payment type to change it back."
            )
        return (
            "The server says this draft is ready; publishing makes it visible on the "
            "marketplace. Enter on a value goes back to edit it."
        )

    def _notes(self) -> list[str]:
        session = self.session
        notes: list[str] = [f"✗ {stale.sentence}" for stale in self.stale.values()]
        for warning in session.warnings:
            notes.append(f"⚠ {warning}")
        for line in session.unmapped:
            notes.append(f"? not placed: {line}")
        for name in session.low_confidence:
            notes.append(f"⚠ check {label_for_key(name)}: the parser was not sure")
        return notes

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Field", "Value", "Source")
        for key, value in self.session.values.items():
            source = SOURCE_LABELS.get(self.session.provenance.get(key, ""), "")
            if key in self.stale:
                source = "does not apply"
            # rich Text, not str: server values must never be read as markup.
            table.add_row(
                Text(label_for_key(key)), Text(show_value(value, key)), Text(source), key=key
            )
        self.query_one("#confirm-publish", Button).focus()

    @on(Button.Pressed, "#confirm-publish")
    def _publish(self) -> None:
        self.dismiss("publish")

    @on(DataTable.RowSelected)
    def _edit(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.dismiss(f"edit:{event.row_key.value}")

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Return to the form without publishing."""
        self.dismiss(None)
