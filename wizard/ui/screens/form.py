"""The form: a projection of the form model (``wizard.core.form``) for one draft.

Every keystroke goes into the model, and the model is saved to the journal as *typed*
shortly after (off the UI thread), so a closed terminal or Esc loses nothing. Answers
go out as ONE PATCH per send (ctrl+s), never on a focus change. The reply re-plans the
model; the screen then reconciles its widgets: answered questions are removed, new
ones mounted (marked NEW with the reason), changed ones updated in place, the rest
left alone, and focus stays where the person is while that question is still open.
Workers only talk to the server; their results come back as messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, Input, Static

from wizard.api.errors import (
    APIStatusError,
    ModerationBlockedError,
    PublishNotReadyError,
    WizardAPIError,
)
from wizard.api.opentrain.models import PublishResult
from wizard.collector import resume_after_startup
from wizard.core.draft_lock import DraftLock
from wizard.core.explain import explain
from wizard.core.form import FormModel, RoundPlan, parts_signature
from wizard.core.rate_hint import RateHint
from wizard.core.session import AnswersInvalid, DraftSession, RoundDiff
from wizard.ui import form_text
from wizard.ui.first_paint import above_the_fold
from wizard.ui.jump_commands import JumpCommands
from wizard.ui.screens.base import WizardScreen
from wizard.ui.services import Services
from wizard.ui.typed_keeper import TypedKeeper
from wizard.ui.widgets.account_banner import AccountBanner
from wizard.ui.widgets.action_button import ActionButton
from wizard.ui.widgets.banner import ProblemBanner, SandboxBanner
from wizard.ui.widgets.checklist import Checklist
from wizard.ui.widgets.field_box import FieldBox, owning_box
from wizard.ui.widgets.list_picker import ListPicker
from wizard.ui.widgets.quiet import set_display, set_text
from wizard.ui.widgets.rate_hint import RateHints
from wizard.ui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    # The filled values and the details are built after the first frame, and their
    # modules imported then (``_build_details``).
    from wizard.ui.widgets.add_detail import AddDetail
    from wizard.ui.widgets.parsed_values import ParsedValues, ValueRow

W = TypeVar("W", bound=Widget)

MAX_SHOWN = 50
"""Questions on screen at once. A broken or hostile server can list thousands; the
form shows the first ones and says how many wait, so it stays quick to use."""


class FormScreen(WizardScreen[None]):
    """Answer the server's questions until the draft is ready."""

    CSS_PATH = "form.tcss"
    COMMANDS = WizardScreen.COMMANDS | {JumpCommands}
    BINDINGS = [
        # Short words: at 80 columns the footer must still show f1 and ^l after these.
        Binding("ctrl+s", "send", "Send", id="form.send"),
        Binding("ctrl+r", "review", "Review", id="form.review"),
        Binding("ctrl+j", "checklist", "Jump", id="form.checklist"),
        Binding("escape", "back", "Drafts", id="form.back"),
    ]

    @dataclass
    class RoundApplied(Message):
        """The server accepted a send; the session holds its new validation."""

        diff: RoundDiff
        sent: dict[str, Any]

    @dataclass
    class SendRefused(Message):
        """The send did not land; ``errors`` by update key, ``sentence`` for the banner."""

        errors: dict[str, str]
        sentence: str

    @dataclass
    class SendFailed(Message):
        """The send could not be delivered; every answer is kept."""

        sentence: str

    @dataclass
    class Published(Message):
        """The server published the draft."""

        result: PublishResult

    @dataclass
    class PublishRefused(Message):
        """Publishing did not work; ``reasons`` by value key for a moderation block."""

        sentence: str
        reasons: dict[str, str]
        replanned: bool = False

    def __init__(
        self,
        services: Services,
        session: DraftSession,
        typed: dict[str, Any] | None = None,
        *,
        lock: DraftLock | None = None,
    ) -> None:
        """Build the form for a session.

        Args:
            services: The app's backend and connection.
            session: The draft, as the server last described it.
            typed: Answers typed in an earlier run and never sent (from the journal).
            lock: This process's hold on the draft (released when the form closes).
        """
        super().__init__(services)
        self.session = session
        self._lock = lock
        self.model = FormModel(session, typed)
        self.rendered_round = 0
        """The validation round the questions on screen were planned from."""
        self._parts: dict[str, Widget] = {}
        self._details: tuple[ParsedValues, AddDetail] | None = None
        """The filled values and the details, once mounted (just after the first frame)."""
        self._details_built: tuple[ParsedValues, AddDetail] | None = None
        self._details_mount: AwaitMount | None = None
        self._typed = TypedKeeper(self, self.model, self._save_typed)
        self._round_note = ""
        """What the last send did, shown beside the buttons until the next edit."""
        self._restored_note = ""
        """Said after the unsent count until the first send: answers came back."""
        self.rate_hints = RateHints(self, self.boxes, lambda: session.title, self._rate_hint)
        """What similar open jobs pay, under the question that asks a rate."""
        self._publish_problem: str | None = None
        """Why publishing cannot work for this account (the account check), or None."""

    def compose(self) -> ComposeResult:
        if self.services.sandbox:
            yield SandboxBanner()
        with Horizontal(id="form-head"):
            yield Static("", id="draft-title", markup=False)
            yield Static("", id="progress", markup=False)
        yield ProblemBanner()
        yield AccountBanner()
        with Horizontal(id="form-body"):
            yield Checklist(id="checklist")
            # A tab stop of its own (arrows scroll it); its focus is drawn (form.tcss).
            with VerticalScroll(id="fields"):
                # Those above the fold now; the rest, and the filled values and details
                # below the questions, right after the first frame.
                for name in self.shown()[: self._first_paint()]:
                    yield FieldBox(self.model.questions[name])
                yield Static("", id="more-questions", markup=False)
                yield Static("", id="ready-panel", markup=False)
        with Horizontal(id="actions"):
            yield ActionButton("Send answers  ctrl+s", id="send", variant="primary")
            yield ActionButton("Review & publish  ctrl+r", id="publish", variant="success")
            yield Static("", id="send-status", markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._show_account()
        self._project()
        self._focus_first_open()
        self.call_after_refresh(self._build_below_the_fold)
        self.rate_hints.place()
        restored = self.model.restored
        if restored:
            # Beside the buttons, not in a toast: a toast would sit over them.
            self._restored_note = f" · {restored} restored"
            self._project()

    async def _build_details(self) -> None:
        """Mount the filled values and the details (once), from the model as it is now."""
        if self._details is not None:
            return
        if self._details_mount is None:
            from wizard.ui.widgets.add_detail import AddDetail
            from wizard.ui.widgets.parsed_values import ParsedValues

            built = (ParsedValues(self.model), AddDetail(self.model))
            self._details_mount = self.part("#fields", VerticalScroll).mount_all(built)
            self._details_built = built
        await self._details_mount  # a second caller waits for the same mount
        if self._details is None and self._details_built is not None:
            self._details = self._details_built
            for values in self._details:
                values.show_statuses()

    def _first_paint(self) -> int:
        specs = (self.model.questions[name].spec for name in self.shown())
        return above_the_fold(specs, self.app.size.height)

    async def _build_below_the_fold(self) -> None:
        """Build what compose left out (see ``wizard.ui.first_paint``): the questions
        below the fold, then the filled values and the details under them."""
        resume_after_startup()  # the first form is painted (see ``wizard.collector``)
        if not self.is_attached:
            return  # closed within its first frame
        built = {box.spec.field for box in self.boxes()}
        rest = [FieldBox(self.model.questions[n]) for n in self.shown() if n not in built]
        fields = self.part("#fields", VerticalScroll)
        if rest:
            await fields.mount_all(rest, before=self.part("#more-questions", Static))
        await self._build_details()
        if owning_box(self.focused) is None:
            self._focus_first_open()  # the first open question may have been among them
        self.rate_hints.place()  # the rate's question may have been among them
        self.rendered_round = self.session.round

    def on_resize(self) -> None:
        # Below 100 columns the checklist gives its room to the questions; ctrl+j then
        # opens the command palette, whose "Jump to" entries reach every question.
        self.set_class(self.size.width < 100, "-narrow")
        if self.is_mounted:
            checklist = self.part("#checklist", Checklist)
            set_display(checklist, bool(self.model.questions) and not self.has_class("-narrow"))

    def _show_account(self) -> None:
        """The account's sentences above the questions; the reason on Publish when it cannot."""
        backend = self.services.backend
        standing = backend.engine.standing if backend is not None else None
        self.part("#account-banner", AccountBanner).show(standing)
        self._publish_problem = standing.publish_problem if standing is not None else None
        if standing is not None and standing.publish_problem:
            publish = self.part("#publish", Button)
            publish.label = f"Cannot publish: {standing.publish_reason}"
            # Text, not str: the sentence may hold a server's claim link (never markup).
            publish.tooltip = Text(standing.publish_problem)

    # ---- projection --------------------------------------------------------------------

    def part(self, selector: str, kind: type[W]) -> W:
        """One of the screen's fixed widgets, looked up once.

        The projection runs after every keystroke; a DOM query per widget per key adds
        up on a form of a hundred widgets.
        """
        found = self._parts.get(selector)
        if not isinstance(found, kind) or not found.is_attached:
            found = self.query_one(selector, kind)
            self._parts[selector] = found
        return found

    def boxes(self) -> list[FieldBox]:
        """The questions on screen, in order."""
        fields = self.part("#fields", VerticalScroll)
        return [child for child in fields.children if isinstance(child, FieldBox)]

    def box_for_key(self, key: str) -> FieldBox | None:
        """The question that sends an update key (or is named by it)."""
        question = self.model.question_for_key(key)
        if question is None:
            return None
        return next((b for b in self.boxes() if b.spec.field == question.field), None)

    def shown(self) -> list[str]:
        """The questions on screen: the first ``MAX_SHOWN`` in the server's order."""
        return list(self.model.questions)[:MAX_SHOWN]

    def unsent_count(self) -> int:
        """Answers typed and not yet sent (questions and changed values)."""
        return self.model.unsent()

    def _project(self, edited: FieldBox | None = None) -> None:
        """Show everything derived from the model: title, progress, banner, checklist.

        Called after every keystroke, so each part is touched only when it changed; with
        ``edited``, only that question's own line is re-shown (typing in one question
        changes no other).
        """
        model = self.model
        session = self.session
        title = session.title or "(untitled draft)"
        # One fixed-height row of fixed widths (the CSS): a repaint, never a layout.
        set_text(
            self.part("#draft-title", Static), f"{title}  ·  {session.job_id}", fixed_size=True
        )
        set_text(self.part("#progress", Static), model.progress(), fixed_size=True)
        banner = model.banner()
        problem = self.part("#banner", ProblemBanner)
        if banner is not None and banner.kind == "success" and not model.questions:
            banner = None  # the ready panel says it: once is enough
        if banner is None:
            problem.show(None)
        else:
            problem.show(banner.text, kind=banner.kind)
        panel = self.part("#ready-panel", Static)
        set_display(panel, not model.questions)
        if not model.questions:
            set_text(panel, form_text.ready_panel(model.ready))
        more = len(model.questions) - MAX_SHOWN
        waiting = self.part("#more-questions", Static)
        set_display(waiting, more > 0)
        if more > 0:
            set_text(waiting, form_text.more_questions(more))
        publish = self.part("#publish", Button)
        # Publishing is offered only when it can work: ready (publishReady), and allowed
        # for the account.
        closed = not model.ready or self._publish_problem is not None
        if publish.disabled != closed:
            publish.disabled = closed
        status = form_text.send_status(model, self._restored_note, self._round_note)
        set_text(self.part("#send-status", Static), status, fixed_size=True)
        rows = model.checklist()[:MAX_SHOWN]
        checklist = self.part("#checklist", Checklist)
        checklist.show(rows)
        # Narrow screens give the checklist's room to the questions (ctrl+j: the palette).
        set_display(checklist, bool(rows) and not self.has_class("-narrow"))
        for box in [edited] if edited is not None else self.boxes():
            box.show_state()
        # The filled values' and the details' rows depend on the payment type alone (a rate
        # that no longer applies): a keystroke in any other question leaves them as they are.
        if self._details is not None and (edited is None or "paymentType" in edited.spec.keys):
            for values in self._details:
                values.show_statuses()

    async def _reconcile(self, plan: RoundPlan) -> None:
        """Bring the widgets in line with a re-planned model, touching only what changed."""
        fields = self.part("#fields", VerticalScroll)
        focused_box = owning_box(self.focused)
        stay = (
            focused_box is not None
            and focused_box.spec.field in self.model.questions
            and not self.model.questions[focused_box.spec.field].complete
        )
        with self.app.batch_update():
            boxes = {box.spec.field: box for box in self.boxes()}
            gone = [boxes.pop(name) for name in plan.removed if name in boxes]
            # A question whose widgets changed kind or options is rebuilt; the others
            # are updated in place, so what is typed in them stays put.
            rebuild = [
                name
                for name in plan.changed
                if name in boxes
                and parts_signature(boxes[name].built_from)
                != parts_signature(self.model.questions[name].spec)
            ]
            gone += [boxes.pop(name) for name in rebuild]
            shown = self.shown()
            gone += [boxes.pop(name) for name in list(boxes) if name not in shown]
            if gone:
                if plan.added and owning_box(self.focused) in gone:
                    # The focus goes to the new question below: let go of it first, so
                    # removing the focused box does not move it (and restyle) on the way.
                    self.set_focus(None, scroll_visible=False)
                await fields.remove_children(gone)
            previous: FieldBox | None = None
            for name in shown:
                question = self.model.questions[name]
                box = boxes.get(name)
                if box is None:
                    box = FieldBox(question)
                    if previous is None:
                        await fields.mount(box, before=0)
                    else:
                        await fields.mount(box, after=previous)
                elif name in plan.changed:
                    box.question = question
                    box.show_spec()
                previous = box
            # A detail just added leaves "Add a detail" before it joins "Already filled".
            if self._details is not None:
                values, details = self._details
                await details.sync()
                await values.sync()
            self._project()
            # Focus inside the batch, so the move is drawn with the rest of the round.
            added = [b for b in self.boxes() if b.spec.field in plan.added]
            if added:
                # What the send brought is what needs doing next; scrolled into view once
                # it has its size, so its widget is on screen too, not just its label.
                added[0].focus_editor()
                self.call_after_refresh(added[0].scroll_visible, animate=False)
            elif not stay:
                self._focus_first_open()
            # The rate hint's line joins the batch: laid out with the round, not after it.
            placed = self.rate_hints.place()
            if placed is not None:
                await placed
        self.rendered_round = self.session.round

    def _focus_first_open(self) -> None:
        for box in self.boxes():
            if not box.complete or box.question.error:
                box.focus_editor()
                return
        if self.model.ready:
            self.part("#publish", Button).focus()
        elif self.boxes():
            self.part("#send", Button).focus()

    # ---- editing -----------------------------------------------------------------------

    @on(FieldBox.Edited)
    def _edited(self, event: FieldBox.Edited) -> None:
        field = event.box.spec.field
        question = self.model.questions.get(field)
        if question is None or question.raw.get(event.key) == event.raw:
            return  # a widget echoing what it was built with is no edit
        self.model.type(field, event.key, event.raw)
        self._round_note = ""
        self._project(edited=event.box)
        self._typed.changed()

    def on_value_row_changed(self, event: ValueRow.Changed) -> None:
        """A filled value or a detail edited (``ValueRow.Changed``, by handler name: the
        row's module loads after the first frame)."""
        self.model.edit_value(event.key, event.raw)
        self._project()
        self._typed.changed()

    @on(Input.Submitted, "FieldBox Input")
    def _advance(self, event: Input.Submitted) -> None:
        if isinstance(event.input.parent, ListPicker):
            return
        self.focus_next()

    @on(ListPicker.Advance)
    def _advance_from_picker(self) -> None:
        self.focus_next()

    @on(Checklist.Jump)
    def _jump(self, event: Checklist.Jump) -> None:
        self.jump_to(event.field)

    def jump_to(self, field: str) -> None:
        """Focus a question's widget (or a value's editor) and scroll it into view."""
        for box in self.boxes():
            if box.spec.field == field:
                box.scroll_visible()
                box.focus_editor()
                return
        self.edit_value(field)

    def action_checklist(self) -> None:
        """Focus the checklist (the command palette when the screen is narrow)."""
        if self.has_class("-narrow"):
            self.app.action_command_palette()
        else:
            self.part("#checklist", Checklist).focus()

    def action_back(self) -> None:
        """Back to the start screen; typed answers are kept on this machine."""
        self.save_typed_now()
        unsent = self.model.unsent()
        if unsent:
            self.notify(form_text.kept_on_leaving(unsent), markup=False)
        self.app.pop_screen()

    # ---- the journal of typed answers ----------------------------------------------------

    def save_typed_now(self) -> None:
        """Write typed answers at once (leaving the form, quitting)."""
        self._typed.now()

    async def _rate_hint(self, pay_type: str, title: str | None) -> RateHint | None:
        backend = await self.services.wait_backend()
        return None if backend is None else await backend.rate_hint(pay_type, title)

    def _save_typed(self, typed: dict[str, Any]) -> None:
        backend = self.services.backend
        if backend is not None:
            backend.save_typed(self.session.job_id, typed)

    def on_unmount(self) -> None:
        self.save_typed_now()
        if self._lock is not None:
            self._lock.release()

    # ---- sending -----------------------------------------------------------------------

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        """Check every typed answer, then send them all in one PATCH."""
        if self.model.sending:
            return
        plan = self.model.begin_send()
        self._project()
        if plan.problems:
            first = next(
                (b for b in self.boxes() if b.question.state == "invalid"),
                None,
            )
            if first is not None:
                first.scroll_visible(animate=False)
                first.focus_editor()
            else:
                key = next(iter(plan.problems))
                self.edit_value(key)
            return
        if not plan.body:
            self.part("#banner", ProblemBanner).show(
                "Nothing to send yet: answer a question, then press ctrl+s.", kind="info"
            )
            return
        self.send_answers(plan.body)

    @work(exclusive=True, group="send", exit_on_error=False)
    async def send_answers(self, answers: dict[str, Any]) -> None:
        """PATCH the answers off the UI; the result comes back as a message."""
        backend = await self.services.wait_backend()
        if backend is None:
            self.post_message(self.SendFailed(self.services.connect_error or "Not connected."))
            return
        try:
            diff = await backend.engine.submit(self.session, answers)
        except AnswersInvalid as err:
            self.post_message(
                self.SendRefused(
                    err.errors, "Fix the highlighted answer before sending; nothing was sent."
                )
            )
        except APIStatusError as err:
            sentence, _ = explain(err)
            self.post_message(
                self.SendRefused(
                    err.field_errors, f"{sentence} Your answers are kept; send again with ctrl+s."
                )
            )
        except WizardAPIError as err:
            self.post_message(
                self.SendFailed(
                    f"{explain(err)[0]} Your answers are saved; send again with ctrl+s."
                )
            )
        else:
            self.post_message(self.RoundApplied(diff, answers))

    @on(RoundApplied)
    async def _round_applied(self, event: RoundApplied) -> None:
        plan = self.model.round_applied(event.diff, event.sent)
        self._restored_note = ""
        # What was sent is on the server (and acknowledged in the journal); what is
        # still typed stays typed. Written in a thread: the journal syncs to disk.
        self._typed.soon()
        await self._reconcile(plan)
        # Said in the status line beside the buttons, not in a toast: a toast would
        # cover the form and cost the round two more redraws.
        self._round_note = form_text.round_note(plan, self.model.ready, self.session.remaining)
        self._project()

    @on(SendRefused)
    def _send_refused(self, event: SendRefused) -> None:
        self.model.send_refused(event.errors, event.sentence)
        self._project()
        first = next((b for b in self.boxes() if b.question.error), None)
        if first is not None:
            first.focus_editor()
            # Its top, where the server's sentence is, even when the question is tall.
            self.call_after_refresh(first.scroll_visible, animate=False, top=True)

    @on(SendFailed)
    def _send_failed(self, event: SendFailed) -> None:
        self.model.send_failed(event.sentence)
        self._project()

    def edit_value(self, key: str) -> None:
        """Bring one value's editor into view and focus it (from the review screen)."""
        box = self.box_for_key(key)
        if box is not None:
            self.jump_to(box.spec.field)
            return
        self.call_later(self._reveal_value, key)

    async def _reveal_value(self, key: str) -> None:
        from wizard.ui.widgets.add_detail import AddDetail
        from wizard.ui.widgets.parsed_values import ParsedValues

        await self._build_details()
        values: ParsedValues | AddDetail = self.part("#parsed-values", ParsedValues)
        if key in self.model.addable_keys:
            values = self.part("#add-detail", AddDetail)
        row = await values.reveal(key)
        if row is None:
            return

        def bring_into_view() -> None:
            # Jump, don't glide: after the refresh, so the opened list has its place.
            row.scroll_visible(animate=False)
            row.editor.focus(scroll_visible=False)

        self.call_after_refresh(bring_into_view)

    # ---- publishing --------------------------------------------------------------------

    @on(Button.Pressed, "#publish")
    def action_review(self) -> None:
        """Review every value, then publish after a confirmation."""
        if not self.model.ready:
            self.part("#banner", ProblemBanner).show(
                form_text.not_ready(self.session.remaining), kind="info"
            )
            return
        if self.model.unsent():
            self.part("#banner", ProblemBanner).show(
                "Send your changed answers first (ctrl+s), then review.", kind="info"
            )
            return
        from wizard.ui.screens.review import ReviewScreen

        def reviewed(decision: str | None) -> None:
            if decision == "publish":
                self.publish()
            elif decision and decision.startswith("edit:"):
                self.edit_value(decision.removeprefix("edit:"))

        self.app.push_screen(
            ReviewScreen(
                self.model, publish_problem=self._publish_problem, practice=self.services.sandbox
            ),
            reviewed,
        )

    @work(exclusive=True, group="publish", exit_on_error=False)
    async def publish(self) -> None:
        """Publish off the UI; the result comes back as a message."""
        backend = await self.services.wait_backend()
        if backend is None:
            return
        self.part("#banner", ProblemBanner).show("Publishing…", kind="info")
        try:
            result = await backend.engine.publish(self.session)
        except PublishNotReadyError as err:
            self.post_message(
                self.PublishRefused(
                    f"Not ready to publish: {err.message} Answer the questions below.",
                    {},
                    replanned=True,
                )
            )
        except ModerationBlockedError as err:
            reasons = self.model.moderation_reasons(err.reasons)
            self.post_message(self.PublishRefused(explain(err)[0], reasons))
        except WizardAPIError as err:
            self.post_message(self.PublishRefused(explain(err)[0], {}))
        else:
            self.post_message(self.Published(result))

    @on(PublishRefused)
    async def _publish_refused(self, event: PublishRefused) -> None:
        if event.replanned:
            await self._reconcile(self.model.validation_replaced())
        self.model.publish_blocked(event.reasons, event.sentence)
        self._round_note = ""
        self._project()
        self.part("#banner", ProblemBanner).show(event.sentence)
        if event.reasons:
            self._focus_moderated(next(iter(event.reasons)))

    def _focus_moderated(self, key: str) -> None:
        """The first value moderation named gets the focus, so the fix starts there."""
        box = self.box_for_key(key)
        if box is not None:
            box.focus_editor()
            return
        self.call_later(self._reveal_value, key)

    @on(Published)
    def _published(self, event: Published) -> None:
        from wizard.ui.screens.result import ResultScreen

        self.part("#banner", ProblemBanner).show(None)
        self.app.switch_screen(ResultScreen(self.services, self.session, event.result))

    # ---- command palette ---------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the palette."""
        yield SystemCommand(
            "Send answers", "Send every typed answer in one PATCH", self.action_send
        )
        yield SystemCommand(
            "Review and publish", "Check every value, then publish", self.action_review
        )

    def jump_targets(self) -> Iterable[tuple[str, str, str]]:
        """Each question's field, label and prompt, for the palette's "Jump to" entries."""
        for question in self.model.questions.values():
            yield question.field, question.spec.label, question.spec.prompt
