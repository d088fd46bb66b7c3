"""Review before publishing: every value with where it came from, warnings, then confirm."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, Static

from wizard.core.display import SOURCE_LABELS, show_value
from wizard.core.form import FormModel
from wizard.core.keys import label_for_key
from wizard.ui.messages import POST_LIVE_BINDING, PostForReal
from wizard.ui.widgets.action_button import ActionButton


class ReviewScreen(ModalScreen[str | None]):
    """What will be published; Publish asks the server, Back returns to the form.

    Dismisses with ``"publish"``, ``"edit:<key>"`` (Enter on a value), or None.
    """

    CSS_PATH = "review.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back to the form", id="review.back"),
        Binding("o", "open_draft", "Open draft", id="review.open-draft"),
        POST_LIVE_BINDING,
    ]

    def __init__(
        self, model: FormModel, *, publish_problem: str | None = None, practice: bool = False
    ) -> None:
        super().__init__()
        self.practice = practice
        """Whether this is a practice (sandbox) draft, which can be posted for real."""
        self.model = model
        self.session = model.session
        self.publish_problem = publish_problem
        """Why publishing cannot work for this account (the account check), or None."""
        self.stale = {s.key: s for s in model.stale_rates()}
        # The server's advisory issues, read once: the notes and the Source column share them.
        self.advisories = model.advisories()
        """Rates that do not go with the payment type: shown, never as if they applied."""

    def compose(self) -> ComposeResult:
        session = self.session
        with Vertical(id="review-dialog"):
            yield Label(
                f"Review: {session.title or session.job_id}", id="review-title", markup=False
            )
            if session.draft_url:
                yield Static(
                    # The URL on a line of its own, so it wraps only if it must.
                    Content.assemble(
                        ("Draft (o opens it in your browser):\n", "dim"), session.draft_url
                    ),
                    id="review-draft-url",
                )
            with VerticalScroll(id="review-body"):
                # Warnings first: at 80x24 what is below the values is out of sight.
                notes = self._notes()
                if notes:
                    yield Static(Content("\n".join(notes)), id="review-notes")
                yield DataTable(id="review-values", cursor_type="row", zebra_stripes=True)
            yield Static(self._status(), id="review-status", markup=False)
            with Horizontal(id="review-actions"):
                yield ActionButton(
                    "Cannot publish"
                    if self.publish_problem
                    else ("Publish anyway" if self.stale else "Publish"),
                    id="confirm-publish",
                    variant="warning" if self.stale else "success",
                    disabled=not self.model.ready or self.publish_problem is not None,
                    # Text, not str: the sentence may hold a server's claim link.
                    tooltip=Text(self.publish_problem) if self.publish_problem else None,
                )
                if self.practice:
                    yield ActionButton("Post for real  l", id="post-live")
                yield ActionButton("Back", id="back")

    def _status(self) -> str:
        if not self.model.ready:
            return "Not ready yet."
        if self.publish_problem:
            return self.publish_problem
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
        for key, message in self.advisories:
            # The server's issues: shown, never gating what the server allows.
            notes.append(f"⚠ {label_for_key(key)}: {message}" if key else f"⚠ {message}")
        for warning in session.warnings:
            notes.append(f"⚠ {warning}")
        for line in session.unmapped:
            notes.append(f"? Not used from your description: {line}")
        for name in session.low_confidence:
            notes.append(
                f"⚠ Check {label_for_key(name)}: read from your description, please confirm"
            )
        return notes

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Field", "Value", "Source")
        values = self.session.values
        flagged = {key for key, _ in self.advisories if key}
        doubtful = set(self.session.low_confidence)
        labels = {key: label_for_key(key) for key in values}
        # The value column gives way so Field and Source always fit the dialog (80x24 too).
        dialog = min(110, self.app.size.width * 9 // 10) - 4
        label_width = max((len(label) for label in labels.values()), default=5)
        width = max(12, min(60, dialog - label_width - len("from your description") - 12))
        for key, value in values.items():
            source = SOURCE_LABELS.get(self.session.provenance.get(key, ""), "")
            if key in self.stale:
                source = "does not apply"
            elif key in flagged:
                source = "⚠ see above"
            elif key in doubtful:
                source = "⚠ please check"
            # rich Text, not str: server values must never be read as markup.
            table.add_row(
                Text(labels[key]), Text(show_value(value, key, width)), Text(source), key=key
            )
        self.query_one("#confirm-publish", Button).focus()

    def action_open_draft(self) -> None:
        """Open the draft in the browser (the server's draft URL)."""
        if self.session.draft_url:
            self.app.open_url(self.session.draft_url)
            self.notify("Opening the draft in your browser.", markup=False)

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.practice and self.model.ready if action == "post_live" else True

    @on(Button.Pressed, "#post-live")
    def action_post_live(self) -> None:
        """Create this practice draft on the real API, with its answers."""
        if self.practice and self.model.ready:
            app = self.app
            self.dismiss(None)
            app.post_message(PostForReal(self.session.job_id))

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the palette."""
        if self.practice and self.model.ready:
            yield SystemCommand(
                "Post this for real",
                "Create this practice draft on the real API, with its answers",
                self.action_post_live,
            )
