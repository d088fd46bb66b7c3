"""The Textual app: wiring, global keys, the connection worker and the request log store.

Everything it talks to is injected: settings, and a ``connect`` coroutine that builds
the backend (starting the embedded sandbox when configured). ``make_app`` in
``wizard.bootstrap`` is the one factory the command line and the tests both use.

The screens import nothing of this module: each is handed the app as its ``Services``
(``wizard.ui.services``) and speaks to it with messages (``wizard.ui.messages``).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from wizard.collector import resume_after_startup, settle_after_connect
from wizard.core.samples import SAMPLES, Sample
from wizard.settings import Settings
from wizard.ui.go_live import ConnectLive, Live, post_for_real, posted_sentence
from wizard.ui.messages import PostForReal
from wizard.ui.screens.start import StartScreen
from wizard.ui.tour.hooks import TourApp

if TYPE_CHECKING:
    from wizard.api.transport import Exchange, ExchangeObserver
    from wizard.core.backend import Backend

Connect = Callable[["ExchangeObserver | None"], Awaitable["Backend"]]


class WizardApp(TourApp):
    """Finish OpenTrain job drafts: the server's validation is the form."""

    # The form's stylesheet is read with the app's (its rules are all scoped to
    # FormScreen): pushing the first form then re-parses and re-applies nothing.
    CSS_PATH = [Path(__file__).parent / "app.tcss", Path(__file__).parent / "screens/form.tcss"]
    TITLE = "draft-wizard"
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+l", "request_log", "Log", id="app.request-log"),
        Binding("ctrl+q", "quit_app", "Quit", id="app.quit", priority=True),
    ]

    @dataclass
    class Connected(Message):
        """The backend is ready."""

        backend: Backend

    @dataclass
    class ConnectFailed(Message):
        """The backend could not be reached; ``sentence`` says why."""

        sentence: str

    @dataclass
    class ExchangeRecorded(Message):
        """A request finished (for the request log)."""

        exchange: Exchange

    def __init__(
        self,
        settings: Settings,
        connect: Connect,
        *,
        description: str | None = None,
        start_new: bool = False,
        job_id: str | None = None,
        samples: tuple[Sample, ...] = SAMPLES,
        cleanup: Callable[[], None] | None = None,
        offer_tour: bool = False,
        connect_live: ConnectLive | None = None,
    ) -> None:
        """Build the app.

        Args:
            settings: Resolved configuration (decides the sandbox banner).
            connect: Builds the backend; called once, in a worker.
            description: A description to create a draft from straight away.
            start_new: Open the new-draft form at once (``draft-wizard new``).
            job_id: Open this draft at once (``draft-wizard open``).
            samples: Sample descriptions offered on the start screen.
            cleanup: Called (in a thread) once the app has closed its backend, e.g. to
                stop an embedded sandbox server.
            offer_tour: Offer the guided first run (on the bare start screen, once).
            connect_live: Connects to the real API for "Post this for real" (the
                composition root gives it; without it that command says it is unavailable).
        """
        super().__init__()
        self.offer_tour = offer_tour
        self.settings = settings
        self._connect = connect
        self.initial_description = description
        self.start_new = start_new
        self.initial_job_id = job_id
        self.samples = samples
        self._cleanup = cleanup
        self.connect_live = connect_live
        self.exit_note: str | None = None
        """A sentence to print once the terminal is back (e.g. how to resume)."""
        self.backend: Backend | None = None
        self.connect_error: str | None = None
        self.exchanges: list[Exchange] = []
        self._backend_ready = asyncio.Event()

    @property
    def sandbox(self) -> bool:
        """Whether this run talks to the embedded sandbox."""
        return self.settings.sandbox

    def on_mount(self) -> None:
        self.push_screen(
            StartScreen(
                self,
                samples=self.samples,
                description=self.initial_description,
                start_new=self.start_new,
                job_id=self.initial_job_id,
            )
        )
        if self.start_new and self.initial_description or self.initial_job_id:
            # Straight to a form (``new``, ``open``): the start screen only says what is
            # under way, so connecting starts now, not a frame after it is drawn (the
            # form then comes that much sooner; the note, ~30 ms later).
            self.connect_backend()
        else:
            # The start screen first: connecting imports the client stack on this loop
            # (see ``Launcher.connect``), which must not hold back what the person reads.
            self.call_after_refresh(self.connect_backend)
        for warning in self.settings.warnings:
            self.notify(warning, title="Warning", severity="warning", markup=False, timeout=15)

    # ---- connection ------------------------------------------------------------------

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def connect_backend(self) -> None:
        """Build the backend and fetch capabilities and facets, off the UI."""
        try:
            backend = await self._connect(self._observe)
            self.backend = backend
            await backend.prepare()
        except Exception as err:
            # Imported only now: connect is what loads the client stack.
            from wizard.api.errors import WizardAPIError
            from wizard.core.explain import explain

            if isinstance(err, WizardAPIError):
                self.connect_error = explain(err)[0]
            elif isinstance(err, OSError):
                self.connect_error = f"Could not start: {err.strerror or err}"
            else:
                raise
            self.post_message(self.ConnectFailed(self.connect_error))
            self._backend_ready.set()
            return
        self._backend_ready.set()
        self.post_message(self.Connected(backend))

    async def wait_backend(self) -> Backend | None:
        """The backend once connected, or None when connecting failed."""
        await self._backend_ready.wait()
        return self.backend

    def _observe(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)
        self.post_message(self.ExchangeRecorded(exchange))

    @on(Connected)
    def _connected(self, event: Connected) -> None:
        # Everything loaded so far (modules, the stylesheet, the client stack) lives as
        # long as the app.
        settle_after_connect()
        for notice in event.backend.notices:
            # Crash-safety off, or a damaged journal moved aside: worth a long look.
            self.notify(notice, title="Journal", severity="warning", markup=False, timeout=20)
        for note in event.backend.engine.notes:
            self.notify(note, severity="information", markup=False)

    @on(ExchangeRecorded)
    def _exchange_recorded(self, event: ExchangeRecorded) -> None:
        # Until the log was opened once its module is not loaded, and loading it here
        # would cost every early request (on the way to the first form) an import.
        log = sys.modules.get("wizard.ui.dialogs.request_log")
        # A request can finish while the app is closing, when no screen is left.
        if log is not None and self.screen_stack and isinstance(self.screen, log.RequestLogScreen):
            self.screen.add_exchange(event.exchange)

    @on(ConnectFailed)
    def _connect_failed(self, event: ConnectFailed) -> None:
        resume_after_startup()  # no form will come to do it
        self.notify(
            event.sentence, title="Cannot connect", severity="error", markup=False, timeout=15
        )

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        # The one funnel for anything a worker did not handle itself: a sentence, no
        # traceback, and the app keeps running (answers stay where they are).
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            self.log.error(f"worker {event.worker.name!r} failed", error)
            self.notify(
                f"Something went wrong ({type(error).__name__}: {error}). Your answers are "
                "kept; try again.",
                title="Unexpected problem",
                severity="error",
                markup=False,
                timeout=15,
            )

    async def on_unmount(self) -> None:
        if self.backend is not None:
            await self.backend.aclose()
        if self._cleanup is not None:
            await asyncio.to_thread(self._cleanup)

    # ---- global actions --------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette: Textual's own commands, ours, and the screen's."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "How the wizard works, and its keys", self.action_help)
        yield SystemCommand(
            "Request log", "Every request and response, token redacted", self.action_request_log
        )
        extra = getattr(screen, "palette_commands", None)
        if callable(extra):
            yield from extra()

    def action_help(self) -> None:
        """Show the help screen."""
        from wizard.ui.dialogs.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_request_log(self) -> None:
        """Toggle the request log."""
        from wizard.ui.dialogs.request_log import RequestLogScreen

        if isinstance(self.screen, RequestLogScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(RequestLogScreen(self.exchanges))

    def action_help_quit(self) -> None:
        """Ctrl+C (with nothing selected to copy): say how to quit, instead of nothing."""
        self.notify(
            "Press ctrl+q to quit (you are asked first if answers are unsent).",
            title="Quit?",
            markup=False,
        )

    def action_quit_app(self) -> None:
        """Quit; typed answers are kept on this machine, and the way back is said."""
        from wizard.ui.dialogs.confirm import ConfirmScreen
        from wizard.ui.screens.form import FormScreen

        forms = [screen for screen in self.screen_stack if isinstance(screen, FormScreen)]
        for form in forms:
            form.save_typed_now()
        waiting = [form for form in forms if form.unsent_count()]
        if not waiting:
            self.exit(0)
            return
        form = waiting[-1]
        count = form.unsent_count()
        job_id = form.session.job_id
        command = f"draft-wizard open {job_id}"
        noun = "answer" if count == 1 else "answers"
        kept = (
            f"Your {count} typed {noun} for draft {job_id} {'is' if count == 1 else 'are'} "
            f"kept; `{command}` brings {'it' if count == 1 else 'them'} back."
        )
        if self.backend is None or self.backend.journal is None:
            kept = f"You have {count} unsent {noun}; they are lost if you quit now."

        def decided(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit_note = kept
                self.exit(0)

        self.push_screen(
            ConfirmScreen(f"{kept} Quit now?", yes="Quit", no="Stay"),
            decided,
        )

    # ---- posting a practice draft for real (wizard.ui.go_live) ---------------------------

    @on(PostForReal)
    def _post_for_real_asked(self, event: PostForReal) -> None:
        self.post_for_real(event.practice_job_id)

    def post_for_real(self, practice_job_id: str) -> None:
        """Post a practice draft for real in a worker (one at a time), off the screens' lives."""
        self.run_worker(
            self._post_for_real(practice_job_id),
            group="post-live",
            exclusive=True,
            exit_on_error=False,
            description="Posting a practice draft for real",
        )

    def _tell_live(self, sentence: str, *, severity: SeverityLevel = "error") -> None:
        self.notify(sentence, title="Post for real", severity=severity, markup=False, timeout=20)

    async def _post_for_real(self, practice_job_id: str) -> None:
        practice_backend = self.backend
        if not self.sandbox or practice_backend is None:
            return
        if self.connect_live is None:
            self._tell_live("Posting for real is not available in this run.")
            return
        live = await post_for_real(
            practice_backend,
            practice_job_id,
            connect_live=self.connect_live,
            allow_insecure=self.settings.allow_insecure_http,
            observe=self._observe,
            tell=self._tell_live,
        )
        if live is not None:
            await self._go_live(live)

    async def _go_live(self, live: Live) -> None:
        """Move the app to the real API and open the real draft's form."""
        from wizard.ui.screens.form import FormScreen
        from wizard.ui.widgets.banner import SandboxBanner

        practice = self.backend
        self.backend = live.backend
        self.settings = live.settings
        while len(self.screen_stack) > 1 and not isinstance(self.screen, StartScreen):
            await self.pop_screen()
        for screen in self.screen_stack:
            for banner in screen.query(SandboxBanner):
                await banner.remove()
        if practice is not None:
            await practice.aclose()
        lock = live.backend.draft_lock(live.session.job_id)
        lock.acquire()  # a draft just created: nobody else can hold it yet
        self._tell_live(posted_sentence(live), severity="information")
        await self.push_screen(FormScreen(self, live.session, lock=lock))


def run_until_exit(app: WizardApp) -> int:
    """Run an app until it exits, then say what it left to say; returns the exit code."""
    import sys

    result = app.run()
    if app.exit_note:
        print(app.exit_note, file=sys.stderr)  # noqa: T201 - the terminal is ours again
    return int(result or 0)
