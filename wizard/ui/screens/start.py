"""The start screen: describe a new job (a sample is offered), or continue a draft."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from wizard.collector import resume_after_startup
from wizard.core.samples import Sample
from wizard.core.wording import plural
from wizard.ui.dialogs.confirm import ConfirmScreen
from wizard.ui.screens.base import WizardScreen
from wizard.ui.services import Services
from wizard.ui.widgets.account_banner import AccountBanner
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.banner import ProblemBanner, SandboxBanner
from wizard.ui.widgets.pick_list import PickList
from wizard.ui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from wizard.api.opentrain.models import MyJob
    from wizard.core.draft_lock import DraftLock
    from wizard.core.journal import JournalDraft
    from wizard.core.session import DraftSession

LOCAL_PREFIX = "local:"
SERVER_PREFIX = "server:"
FINISHED = frozenset({WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED})
_BODY_ACTIONS = frozenset({"create", "focus_drafts", "hide_draft"})
"""The start screen's keys that act on its body (none before it is built)."""


class StartScreen(WizardScreen[None]):
    """New draft from a description, the account's drafts, and this machine's drafts."""

    CSS_PATH = "start.tcss"
    BINDINGS = [
        Binding("ctrl+s", "create", "Create", id="start.create"),
        Binding("ctrl+o", "focus_drafts", "Drafts", id="start.drafts"),
        Binding("delete", "hide_draft", "Hide", id="start.hide-draft"),
    ]

    def __init__(
        self,
        services: Services,
        *,
        samples: tuple[Sample, ...],
        description: str | None = None,
        start_new: bool = False,
        job_id: str | None = None,
    ) -> None:
        """Build the start screen.

        Args:
            services: The app's backend and connection.
            samples: Sample descriptions offered.
            description: A description to show (and, with ``start_new``, create at once).
            start_new: Create a draft from ``description`` at once (``draft-wizard new``).
            job_id: Open this draft at once (``draft-wizard open``).
        """
        super().__init__(services)
        self.samples = samples
        self.initial_description = description
        self.start_new = start_new
        self.initial_job_id = job_id

    def compose(self) -> ComposeResult:
        if self.services.sandbox:
            yield SandboxBanner()
        yield Static("draft-wizard · finish a job draft", id="start-title", markup=False)
        yield ProblemBanner()
        yield AccountBanner()
        # ``new`` with a description and ``open`` go straight to a form: until then this
        # screen only says what is happening ("Creating the draft…"), and its body and
        # footer (whose keys act on the body) are built once the form is on screen, or
        # at once when the open fails.
        self.has_body = not self._drafts_deferred()
        body = self._body(self.initial_description) if self.has_body else []
        yield Horizontal(*body, id="start-body")
        if self.has_body:
            yield SteadyFooter()

    def _body(self, description: str | None) -> list[Widget]:
        """The sample list, the description box and the drafts list."""
        return [
            Vertical(
                Label("Describe the job", classes="section-title"),
                Select(
                    [(sample.name, index) for index, sample in enumerate(self.samples)],
                    prompt="Start from a sample description…",
                    id="sample",
                ),
                TextArea(
                    description or "",
                    id="description",
                    soft_wrap=True,
                    tab_behavior="focus",
                    placeholder="Paste or type the job description: title on the first line, "
                    "then the work, pay, languages…",
                ),
                ActionButton("Create draft  ctrl+s", id="create", variant="primary"),
                id="new-draft",
            ),
            Vertical(
                Label("Continue a draft", classes="section-title"),
                PickList(id="my-drafts"),
                Static("Connecting…", id="drafts-status", markup=False),
                id="drafts",
            ),
        ]

    async def _ensure_body(self) -> None:
        """Build the body and footer a direct open left out; the description stays
        unless its draft was created (leaving it in the box would invite a duplicate)."""
        if self.has_body or not self.is_attached:
            return
        if self._body_mount is None:
            description = None if self._description_used else self.initial_description
            body = self.query_one("#start-body", Horizontal)
            self._body_mount = body.mount_all(self._body(description))
            self.mount(SteadyFooter())
        await self._body_mount  # a second caller waits for the same mount
        if self.has_body:
            return
        self.has_body = True
        self.call_after_refresh(resume_after_startup)  # a no-op once resumed
        if self.is_current:
            self.query_one("#description", TextArea).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Without the body (a direct open under way) its keys have nothing to act on.
        return self.has_body or action not in _BODY_ACTIONS

    has_body = False
    """Whether the sample list, description box and drafts list are built."""
    _body_mount: AwaitMount | None = None
    _direct_open_done = False
    _description_used = False
    """The description made its draft: the body, when built, starts with an empty box."""
    _form_opened = False
    """Whether the draft named on the command line (``new``, ``open``) was opened or failed."""

    def _drafts_deferred(self) -> bool:
        """``new`` with a description and ``open`` go straight to a form: the drafts list
        (``/jobs/mine``, the journal) is filled once this screen is shown again, not on
        the way to that form."""
        direct = bool(self.initial_job_id or (self.start_new and self.initial_description))
        return direct and not self._direct_open_done

    def on_mount(self) -> None:
        if self.has_body:
            self.query_one("#description", TextArea).focus()
            # This is the first screen a person works on (see ``wizard.collector``).
            self.call_after_refresh(resume_after_startup)
        if not self._drafts_deferred():
            self.load_drafts()
        if self.initial_job_id:
            self.open_draft(self.initial_job_id)
        elif self.start_new and self.initial_description:
            self.create_draft(self.initial_description)

    # ---- drafts list -----------------------------------------------------------------

    @work(exclusive=True, group="drafts", exit_on_error=False)
    async def load_drafts(self) -> None:
        """Fill the drafts list: this machine's drafts first, then the account's."""
        backend = await self.services.wait_backend()
        status = self.query_one("#drafts-status", Static)
        if backend is None:
            status.update(self.services.connect_error or "Not connected.")
            return
        # What the token and account allow, before any question (read while connecting).
        self.query_one(AccountBanner).show(backend.engine.standing)
        if backend.notices:
            # Crash-safety off (or a damaged journal moved aside): said where it stays.
            self.query_one(ProblemBanner).show(" ".join(backend.notices), kind="info")
        listing = await backend.list_drafts()
        now = time.time()
        options = [
            Option(_local_row(draft, now), id=LOCAL_PREFIX + draft.job_id)
            for draft in listing.local
        ]
        if listing.problem is not None:
            status.update(f"Your drafts could not be listed: {listing.problem}")
        else:
            options += [
                Option(_server_row(job, now), id=SERVER_PREFIX + job.id) for job in listing.server
            ]
            status.update(
                f"{plural(len(options), 'draft')}: ctrl+o, then Enter opens one; Delete "
                "hides one from this list"
                if options
                else "No drafts yet: describe a job on the left to start one."
            )
        drafts = self.query_one("#my-drafts", OptionList)
        drafts.clear_options()
        drafts.add_options(options)
        drafts.display = bool(options)
        unsent = listing.unsent
        if unsent:
            self.notify(
                f"{plural(len(unsent), 'draft')} {'has' if len(unsent) == 1 else 'have'} "
                "answers that were never sent. Choose one under 'Continue a draft' (ctrl+o) "
                "to resume; they are sent first.",
                title="Resume",
                markup=False,
                timeout=10,
            )

    def action_hide_draft(self) -> None:
        """Hide the highlighted draft from this list (nothing is deleted)."""
        drafts = self.query_one("#my-drafts", OptionList)
        backend = self.services.backend
        if drafts.highlighted is None or backend is None:
            return
        option = drafts.get_option_at_index(drafts.highlighted)
        job_id = (option.id or "").split(":", 1)[-1]
        if not job_id or not backend.hide_draft(job_id):
            return
        self.notify(
            f"Draft {job_id} is hidden from this list; `draft-wizard open {job_id}` still "
            "opens it.",
            markup=False,
        )
        self.load_drafts()

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
            area.text = self.samples[event.value].text
            area.focus()

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        """Create a draft from the description (asking first if it was used before)."""
        text = self.query_one("#description", TextArea).text
        if not text.strip():
            self.query_one(ProblemBanner).show(
                "Describe the job first, or pick a sample description."
            )
            self.query_one("#description", TextArea).focus()
            return
        backend = self.services.backend
        earlier = backend.earlier_draft(text) if backend is not None else None
        if earlier is None:
            self.create_draft(text)
            return

        def decided(create_another: bool | None) -> None:
            if create_another:
                self.create_draft(text)
            elif create_another is False:
                self.open_draft(earlier.job_id)

        self.app.push_screen(
            ConfirmScreen(
                f"You already made a draft from this description: "
                f"{earlier.title or '(untitled)'} ({earlier.job_id}). Create another one?",
                yes="Create another",
                no="Open that one",
            ),
            decided,
        )

    def _busy(self, text: str | None) -> None:
        for button in self.query("#create").results(Button):
            button.disabled = text is not None
        banner = self.query_one(ProblemBanner)
        banner.show(text, kind="info") if text else banner.show(None)

    @work(exclusive=True, group="open", exit_on_error=False)
    async def create_draft(self, text: str) -> None:
        """Create the draft off the UI, then open its form."""
        self._busy("Creating the draft…")
        backend = await self.services.wait_backend()
        # Loaded by now: the connect worker imported the client stack in a thread.
        from wizard.api.errors import WizardAPIError
        from wizard.core.explain import explain

        if backend is None:
            self._busy(None)
            self.query_one(ProblemBanner).show(self.services.connect_error or "Not connected.")
            return
        problem = backend.engine.standing.draft_problem
        if problem:
            # Known from the account check: no request that can only be refused.
            self._busy(None)
            self.query_one(ProblemBanner).show(f"No draft was created. {problem}")
            return
        try:
            session = await backend.engine.create(text)
        except WizardAPIError as err:
            self._busy(None)
            self.query_one(ProblemBanner).show(explain(err)[0])
            return
        self._busy(None)
        # The description made its draft; leaving it in the box invites a duplicate.
        self._description_used = True
        if self.has_body:
            self.query_one("#description", TextArea).clear()
            self.query_one("#sample", Select).clear()
        self._open_form(session)

    @work(exclusive=True, group="open", exit_on_error=False)
    async def open_draft(self, job_id: str) -> None:
        """Open an existing draft (re-sending unsent answers first)."""
        self._busy(f"Opening draft {job_id}…")
        backend = await self.services.wait_backend()
        # Loaded by now: the connect worker imported the client stack in a thread.
        from wizard.api.errors import WizardAPIError
        from wizard.core.engine import DraftUnreadable
        from wizard.core.explain import explain
        from wizard.core.session import AnswersInvalid

        if backend is None:
            self._busy(None)
            self.query_one(ProblemBanner).show(self.services.connect_error or "Not connected.")
            return
        lock = backend.draft_lock(job_id)
        if not lock.acquire():
            # Another draft-wizard (a fill, another terminal) is writing this draft.
            self._busy(None)
            self.query_one(ProblemBanner).show(lock.busy_message())
            return
        try:
            opened = await backend.engine.open(job_id)
        except AnswersInvalid as err:
            lock.release()
            self._busy(None)
            self.query_one(ProblemBanner).show(f"Saved answers for {job_id} are invalid: {err}")
            return
        except (DraftUnreadable, WizardAPIError) as err:
            lock.release()
            self._busy(None)
            self.query_one(ProblemBanner).show(explain(err)[0])
            return
        self._busy(None)
        if opened.resent:
            self.notify(
                f"Re-sent {plural(len(opened.resent), 'answer')} the server had not confirmed.",
                title="Resumed",
                markup=False,
            )
        for key, reason in opened.dropped.items():
            self.notify(
                f"A saved answer for {key} was refused by the server and dropped: {reason}",
                title="Saved answer refused",
                severity="warning",
                markup=False,
                timeout=15,
            )
        if opened.note:
            self.notify(opened.note, markup=False, timeout=10)
        self._open_form(opened.session, backend.typed(job_id), lock)

    def _open_form(
        self,
        session: DraftSession,
        typed: dict[str, Any] | None = None,
        lock: DraftLock | None = None,
    ) -> None:
        # Imported when a form first opens, not before the start screen's first frame.
        from wizard.ui.screens.form import FormScreen

        self._form_opened = True
        backend = self.services.backend
        if lock is None and backend is not None:
            lock = backend.draft_lock(session.job_id)
            lock.acquire()  # a draft just created: nobody else can hold it yet
        self.app.push_screen(FormScreen(self.services, session, typed, lock=lock))
        # Run once the form is on screen (callbacks go to the top screen's next frame).
        self.call_after_refresh(self._ensure_body)

    async def on_screen_resume(self) -> None:
        if not self._drafts_deferred():
            await self._ensure_body()
            self.load_drafts()

    @on(Worker.StateChanged)
    async def _direct_open_finished(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "open" or event.state not in FINISHED:
            return
        if self._drafts_deferred():
            self._direct_open_done = True
            # Failed (or cancelled): this screen stays, so its body is built and its list
            # filled now. When the form opened, the list fills once the person comes back.
            if not self._form_opened:
                await self._ensure_body()
                self.load_drafts()


def ago(moment: float, now: float) -> str:
    """A time as people say it: "just now", "5 min ago", "3 h ago", "2 days ago"."""
    seconds = max(0.0, now - moment)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return f"{days} day{'s' if days != 1 else ''} ago"


def _progress(validation: dict[str, Any] | None) -> str:
    if not validation:
        return ""
    if validation.get("publishReady"):
        return "ready"
    missing = validation.get("missingFields")
    count = len(missing) if isinstance(missing, list) else validation.get("missingFieldCount")
    return f"{count} left" if isinstance(count, int) else ""


def _local_row(draft: JournalDraft, now: float) -> Content:
    """A draft worked on here: title, id, when, progress, and what is waiting."""
    details = [draft.job_id, ago(draft.updated_at, now), _progress(draft.validation)]
    waiting: tuple[str, str] | str = ""
    if draft.pending:
        waiting = (f"  {draft.pending} unsent", "$warning")
    elif draft.typed:
        waiting = (f"  {draft.typed} typed", "$warning")
    return Content.assemble(
        draft.title or "(untitled)",
        "\n",
        ("  " + " · ".join(d for d in details if d), "dim"),
        waiting,
    )


def _server_row(job: MyJob, now: float) -> Content:
    """A draft of the account not worked on here: title, id, last change."""
    details = [job.id]
    if job.updated_at:
        try:
            moment = datetime.fromisoformat(job.updated_at.replace("Z", "+00:00"))
            details.append("changed " + ago(moment.timestamp(), now))
        except ValueError:
            pass
    return Content.assemble(job.title or "(untitled)", "\n", ("  " + " · ".join(details), "dim"))
