"""The start screen: describe a new job (a sample is offered), or continue a draft."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from wizard.ui.screens.base import WizardScreen
from wizard.ui.widgets.banner import ProblemBanner, SandboxBanner

if TYPE_CHECKING:
    from wizard.core.session import DraftSession

LOCAL_PREFIX = "local:"
SERVER_PREFIX = "server:"


class StartScreen(WizardScreen[None]):
    """New draft from a description, the account's drafts, and this machine's drafts."""

    CSS_PATH = "start.tcss"
    BINDINGS = [
        Binding("ctrl+s", "create", "Create draft", id="start.create"),
        Binding("ctrl+o", "focus_drafts", "Drafts", id="start.drafts"),
    ]

    def compose(self) -> ComposeResult:
        app = self.wizard
        if app.sandbox:
            yield SandboxBanner()
        yield Static("draft-wizard · finish a job draft", id="start-title", markup=False)
        yield ProblemBanner()
        with Horizontal(id="start-body"):
            with Vertical(id="new-draft"):
                yield Label("Describe the job", classes="section-title")
                yield Select(
                    [(sample.name, index) for index, sample in enumerate(app.samples)],
                    prompt="Start from a sample description…",
                    id="sample",
                )
                yield TextArea(
                    app.initial_description or "",
                    id="description",
                    soft_wrap=True,
                    tab_behavior="focus",
                    placeholder="Paste or type the job description: title on the first line, "
                    "then the work, pay, languages…",
                )
                yield Button("Create draft  ctrl+s", id="create", variant="primary")
            with Vertical(id="drafts"):
                yield Label("Continue a draft", classes="section-title")
                yield OptionList(id="my-drafts")
                yield Static("Connecting…", id="drafts-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#description", TextArea).focus()
        self.load_drafts()
        app = self.wizard
        if app.initial_job_id:
            self.open_draft(app.initial_job_id)
        elif app.start_new and app.initial_description:
            self.create_draft(app.initial_description)

    # ---- drafts list -----------------------------------------------------------------

    @work(exclusive=True, group="drafts", exit_on_error=False)
    async def load_drafts(self) -> None:
        """Fill the drafts list: unsent answers on this machine first, then the account's."""
        backend = await self.wizard.wait_backend()
        # Loaded by now: the connect worker imported the client stack in a thread.
        from wizard.api.errors import WizardAPIError
        from wizard.core.explain import explain

        status = self.query_one("#drafts-status", Static)
        if backend is None:
            status.update(self.wizard.connect_error or "Not connected.")
            return
        options: list[Option] = []
        seen: set[str] = set()
        if backend.journal is not None:
            for draft in backend.journal.drafts(backend.scope):
                seen.add(draft.job_id)
                title = draft.title or "(untitled)"
                note = (
                    f"  {draft.pending} unsent answer(s)" if draft.pending else "  on this machine"
                )
                style = "$warning" if draft.pending else "dim"
                options.append(
                    Option(Content.assemble(title, (note, style)), id=LOCAL_PREFIX + draft.job_id)
                )
        try:
            page = await backend.client.my_jobs(status="DRAFT", limit=25)
        except WizardAPIError as err:
            status.update(f"Your drafts could not be listed: {explain(err)[0]}")
        else:
            for job in page.jobs:
                if job.id in seen:
                    continue
                options.append(
                    Option(
                        Content.assemble(job.title or "(untitled)", ("  draft", "dim")),
                        id=SERVER_PREFIX + job.id,
                    )
                )
            status.update(
                f"{len(options)} draft(s): Enter opens one"
                if options
                else "No drafts yet: describe a job on the left to start one."
            )
        drafts = self.query_one("#my-drafts", OptionList)
        drafts.clear_options()
        drafts.add_options(options)
        drafts.display = bool(options)
        unsent = backend.journal.drafts_with_pending(backend.scope) if backend.journal else []
        if unsent:
            self.notify(
                f"{len(unsent)} draft(s) have answers that were never sent. Choose one under "
                "'Continue a draft' (ctrl+o) to resume; they are sent first.",
                title="Resume",
                markup=False,
                timeout=10,
            )

    def action_focus_drafts(self) -> None:
        """Move to the drafts list."""
        self.query_one("#my-drafts", OptionList).focus()

    @on(OptionList.OptionSelected, "#my-drafts")
    def _draft_chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        job_id = option_id.split(":", 1)[1] if ":" in option_id else option_id
        if job_id:
            self.open_draft(job_id)

    # ---- new draft -------------------------------------------------------------------

    @on(Select.Changed, "#sample")
    def _sample_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            area = self.query_one("#description", TextArea)
            area.text = self.wizard.samples[event.value].text
            area.focus()

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        """Create a draft from the description."""
        text = self.query_one("#description", TextArea).text
        if not text.strip():
            self.query_one(ProblemBanner).show(
                "Describe the job first, or pick a sample description."
            )
            self.query_one("#description", TextArea).focus()
            return
        self.create_draft(text)

    def _busy(self, text: str | None) -> None:
        self.query_one("#create", Button).disabled = text is not None
        banner = self.query_one(ProblemBanner)
        banner.show(text, kind="info") if text else banner.show(None)

    @work(exclusive=True, group="open", exit_on_error=False)
    async def create_draft(self, text: str) -> None:
        """Create the draft off the UI, then open its form."""
        self._busy("Creating the draft…")
        backend = await self.wizard.wait_backend()
        # Loaded by now: the connect worker imported the client stack in a thread.
        from wizard.api.errors import WizardAPIError
        from wizard.core.explain import explain

        if backend is None:
            self._busy(None)
            self.query_one(ProblemBanner).show(self.wizard.connect_error or "Not connected.")
            return
        try:
            session = await backend.engine.create(text)
        except WizardAPIError as err:
            self._busy(None)
            self.query_one(ProblemBanner).show(explain(err)[0])
            return
        self._busy(None)
        self._open_form(session)

    @work(exclusive=True, group="open", exit_on_error=False)
    async def open_draft(self, job_id: str) -> None:
        """Open an existing draft (re-sending unsent answers first)."""
        self._busy(f"Opening draft {job_id}…")
        backend = await self.wizard.wait_backend()
        # Loaded by now: the connect worker imported the client stack in a thread.
        from wizard.api.errors import WizardAPIError
        from wizard.core.engine import DraftUnreadable
        from wizard.core.explain import explain
        from wizard.core.session import AnswersInvalid

        if backend is None:
            self._busy(None)
            self.query_one(ProblemBanner).show(self.wizard.connect_error or "Not connected.")
            return
        try:
            opened = await backend.engine.open(job_id)
        except AnswersInvalid as err:
            self._busy(None)
            self.query_one(ProblemBanner).show(f"Saved answers for {job_id} are invalid: {err}")
            return
        except (DraftUnreadable, WizardAPIError) as err:
            self._busy(None)
            self.query_one(ProblemBanner).show(explain(err)[0])
            return
        self._busy(None)
        if opened.resent:
            self.notify(
                f"Re-sent {len(opened.resent)} answer(s) that were never acknowledged.",
                title="Resumed",
            )
        for key, reason in opened.dropped.items():
            self.notify(
                f"A saved answer for {key} was refused by the server and dropped: {reason}",
                title="Saved answer refused",
                severity="warning",
                markup=False,
                timeout=15,
            )
        self._open_form(opened.session)

    def _open_form(self, session: DraftSession) -> None:
        from wizard.ui.screens.form import FormScreen

        self.app.push_screen(FormScreen(session))

    def on_screen_resume(self) -> None:
        self.load_drafts()
