"""The published job: its URL, and what to do next."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Static

from wizard.api.opentrain.models import PublishResult
from wizard.core.session import DraftSession
from wizard.core.wording import break_url
from wizard.ui.messages import POST_LIVE_BINDING, PostForReal
from wizard.ui.screens.base import WizardScreen
from wizard.ui.services import Services
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.banner import SandboxBanner
from wizard.ui.widgets.steady_footer import SteadyFooter


class ResultScreen(WizardScreen[None]):
    """Shown after a successful publish."""

    CSS_PATH = "result.tcss"
    BINDINGS = [
        Binding("n", "new_draft", "New draft", id="result.new"),
        Binding("o", "open_job", "Open", id="result.open"),
        # The button says "Quit  q"; the footer already has ^q, so q stays off it (80 columns).
        Binding("q", "quit_now", "Quit", id="result.quit", show=False),
        POST_LIVE_BINDING,
    ]

    def __init__(self, services: Services, session: DraftSession, result: PublishResult) -> None:
        super().__init__(services)
        self.session = session
        self.result = result

    def compose(self) -> ComposeResult:
        if self.services.sandbox:
            yield SandboxBanner()
        result = self.result
        with Vertical(id="result-box"):
            heading = "Already published" if result.already_published else "Published"
            if self.services.sandbox:
                heading += " (in the sandbox)"
            yield Label(f"✓ {heading}", id="result-heading", markup=False)
            yield Static(self.session.title or result.job_id, id="result-title", markup=False)
            yield Static(result.job_url or "(the server sent no URL)", id="job-url", markup=False)
            if result.job_url:
                yield Static("o opens it in your browser", classes="result-hint", markup=False)
            if self.session.draft_url:
                yield Static(
                    f"Edit it later: {self.session.draft_url}", id="draft-url", markup=False
                )
            for warning in result.warnings:
                yield Static(f"⚠ {warning}", classes="result-warning", markup=False)
            with Horizontal(id="result-actions"):
                yield ActionButton("New draft  n", id="new-draft", variant="primary")
                if self.services.sandbox:
                    yield ActionButton("Post for real  l", id="post-live")
                yield ActionButton("Quit  q", id="quit")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#new-draft", Button).focus()

    def on_resize(self) -> None:
        # Long URLs break after a "/" or "-", never in the middle of a word.
        if self.result.job_url:
            width = self.query_one("#result-box").content_region.width
            text = break_url(self.result.job_url, width)
            self.query_one("#job-url", Static).update(Content(text))

    @on(Button.Pressed, "#new-draft")
    def action_new_draft(self) -> None:
        """Back to the start screen for another draft."""
        self.app.pop_screen()

    def action_open_job(self) -> None:
        """Open the published job (or, without its URL, the draft) in the browser."""
        url = self.result.job_url or self.session.draft_url
        if url:
            self.app.open_url(url)

    @on(Button.Pressed, "#quit")
    def action_quit_now(self) -> None:
        """Leave the app."""
        self.app.exit(0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Posting for real is for practice (sandbox) drafts only.
        return self.services.sandbox if action == "post_live" else True

    @on(Button.Pressed, "#post-live")
    def action_post_live(self) -> None:
        """Create this practice draft on the real API, with its answers."""
        if self.services.sandbox:
            self.app.post_message(PostForReal(self.session.job_id))

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the palette."""
        if self.services.sandbox:
            yield SystemCommand(
                "Post this for real",
                "Create this practice draft on the real API, with its answers",
                self.action_post_live,
            )
