"""The form: every question the server says is missing, re-planned after each send.

Answers go out as ONE PATCH per send (ctrl+s). The reply's validation re-plans the
form: answered questions disappear, newly required ones appear marked NEW with the
reason. Problems are pinned to their question; problems that name no question go to
one banner. Typed answers survive every re-plan and every failure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Static

from wizard.api.errors import (
    APIStatusError,
    ModerationBlockedError,
    PublishNotReadyError,
    WizardAPIError,
)
from wizard.api.models import PublishResult
from wizard.core.explain import explain
from wizard.core.keys import label_for_key
from wizard.core.session import AnswersInvalid, DraftSession, RoundDiff
from wizard.ui.screens.base import WizardScreen
from wizard.ui.widgets.banner import ProblemBanner, SandboxBanner
from wizard.ui.widgets.checklist import Checklist
from wizard.ui.widgets.field_box import FieldBox, safe_id
from wizard.ui.widgets.list_picker import ListPicker
from wizard.ui.widgets.parsed_values import ParsedValues, ValueRow


class FormScreen(WizardScreen[None]):
    """Answer the server's questions until the draft is ready."""

    CSS_PATH = "form.tcss"
    BINDINGS = [
        Binding("ctrl+s", "send", "Send answers", id="form.send"),
        Binding("ctrl+r", "review", "Review & publish", id="form.review"),
        Binding("ctrl+j", "checklist", "Checklist", id="form.checklist"),
        Binding("escape", "back", "Drafts", id="form.back"),
    ]

    def __init__(self, session: DraftSession) -> None:
        super().__init__()
        self.session = session
        self._typed: dict[str, dict[str, Any]] = {}
        """Answers typed but not yet accepted, by field then update key."""
        self._last_diff: RoundDiff | None = session.history[-1] if session.history else None
        self._sending = False
        self.rendered_round = 0
        """The validation round the questions on screen were planned from."""
        self._values_open = False
        self._render_lock = asyncio.Lock()
        self._value_errors: dict[str, str] = {}
        self._publish_blocked = False
        """Problems with already-filled values (moderation), kept until the value changes."""

    def compose(self) -> ComposeResult:
        if self.wizard.sandbox:
            yield SandboxBanner()
        with Horizontal(id="form-head"):
            yield Static("", id="draft-title", markup=False)
            yield Static("", id="progress", markup=False)
        yield ProblemBanner()
        with Horizontal(id="form-body"):
            yield Checklist(id="checklist")
            yield VerticalScroll(id="fields")
        with Horizontal(id="actions"):
            yield Button("Send answers  ctrl+s", id="send", variant="primary")
            yield Button("Review & publish  ctrl+r", id="publish", variant="success")
            yield Static("", id="send-status", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        await self.render_round()

    def on_resize(self) -> None:
        # Below 100 columns the checklist gives its room to the questions; ctrl+j then
        # opens the command palette, whose "Jump to" entries reach every question.
        self.set_class(self.size.width < 100, "-narrow")

    # ---- rendering -------------------------------------------------------------------

    def boxes(self) -> list[FieldBox]:
        """The questions on screen."""
        return list(self.query(FieldBox))

    def box_for_key(self, key: str) -> FieldBox | None:
        """The question that sends an update key (or is named by it)."""
        for box in self.boxes():
            if key in box.spec.keys or box.spec.field == key:
                return box
        return None

    def _capture_typed(self) -> None:
        for box in self.boxes():
            answers = {k: v for k, v in box.answers().items() if v is not None}
            if answers:
                self._typed[box.spec.field] = answers
            else:
                self._typed.pop(box.spec.field, None)

    async def render_round(self, *, capture: bool = True) -> None:
        """Re-plan the questions from the session's current validation.

        Args:
            capture: Keep what is typed in the current questions (False after a send,
                when the caller has already kept only the unsent answers).
        """
        # Two replies can land close together (a send and a value edit); rebuilding the
        # questions must not interleave.
        async with self._render_lock:
            await self._render_round(capture=capture)

    async def _render_round(self, *, capture: bool) -> None:
        session = self.session
        if capture:
            self._capture_typed()
        fields = self.query_one("#fields", VerticalScroll)
        await fields.remove_children()
        boxes = [FieldBox(spec, self._typed.get(spec.field)) for spec in session.specs]
        if boxes:
            await fields.mount_all(boxes)
        elif session.ready:
            await fields.mount(
                Static(
                    "✓ The server says this draft is ready to publish.\n"
                    "Press ctrl+r to review every value and publish.",
                    id="ready-panel",
                    markup=False,
                )
            )
        else:
            await fields.mount(
                Static(
                    "The server lists no questions, but the draft is not ready yet. "
                    "See the problems above.",
                    id="ready-panel",
                    markup=False,
                )
            )
        if session.values:
            await fields.mount(
                ParsedValues(session, collapsed=not self._values_open, errors=self._value_errors)
            )
        title = session.title or "(untitled draft)"
        self.query_one("#draft-title", Static).update(f"{title}  ·  {session.job_id}")
        self._update_progress()
        blocking = session.blocking_issues
        banner = self.query_one(ProblemBanner)
        if blocking:
            banner.show("Not ready: " + " ".join(blocking))
        self.query_one("#publish", Button).disabled = not session.ready
        self._refresh_checklist()
        self._focus_first_open()
        self.rendered_round = session.round

    def _update_progress(self) -> None:
        session = self.session
        left = session.remaining
        text = "ready to publish" if session.ready else f"{left} left"
        if session.ready and self._publish_blocked:
            text = "ready, but publishing was blocked"
        diff = self._last_diff
        if diff is not None and diff.added and not session.ready:
            text += f"  (+{len(diff.added)} new)"
        issues = len(session.validation.issues)
        if issues:
            text += f"  ·  {issues} issue(s)"
        self.query_one("#progress", Static).update(text)

    def _refresh_checklist(self) -> None:
        rows = [
            (box.spec.field, box.spec.label, box.state, box.spec.is_new) for box in self.boxes()
        ]
        # What the last send resolved stays listed as saved, so progress is visible.
        diff = self._last_diff
        if diff is not None and diff.round > 1:
            rows += [(field, label_for_key(field), "saved", False) for field in diff.resolved]
        checklist = self.query_one(Checklist)
        checklist.show(rows)
        checklist.display = bool(rows)

    def _focus_first_open(self) -> None:
        for box in self.boxes():
            if not box.complete:
                box.focus_editor()
                return
        if self.session.ready:
            self.query_one("#publish", Button).focus()
        elif self.boxes():
            self.query_one("#send", Button).focus()

    # ---- editing ---------------------------------------------------------------------

    @on(FieldBox.Edited)
    def _edited(self) -> None:
        self._refresh_checklist()
        self.query_one("#send-status", Static).update(f"{self.unsent_count()} unsent")

    @on(Input.Submitted, "FieldBox Input")
    def _advance(self, event: Input.Submitted) -> None:
        if isinstance(event.input.parent, ListPicker):
            return
        self.focus_next()

    @on(ListPicker.Advance)
    def _advance_from_picker(self) -> None:
        self.focus_next()

    def unsent_count(self) -> int:
        """Questions with typed answers not yet sent."""
        return sum(
            1
            for box in self.boxes()
            if box.state in ("edited", "rejected")
            and any(v is not None for v in box.answers().values())
        )

    @on(Checklist.Jump)
    def _jump(self, event: Checklist.Jump) -> None:
        self.jump_to(event.field)

    def jump_to(self, field: str) -> None:
        """Focus a question's widget (or a saved value's editor) and scroll it into view."""
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
            self.query_one(Checklist).focus()

    def action_back(self) -> None:
        """Back to the start screen (typed answers stay in the form until quit)."""
        if self.unsent_count():
            self.notify("Unsent answers are kept until you quit.", markup=False)
        self.app.pop_screen()

    # ---- sending ---------------------------------------------------------------------

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        """Check every typed answer, then send them all in one PATCH."""
        if self._sending:
            return
        banner = self.query_one(ProblemBanner)
        answers: dict[str, Any] = {}
        first_bad: FieldBox | None = None
        for box in self.boxes():
            problems = box.problems()
            if problems:
                box.set_error(next(iter(problems.values())))
                first_bad = first_bad or box
                continue
            answers.update({k: v for k, v in box.answers().items() if v is not None})
        if first_bad is not None:
            banner.show("Fix the highlighted answer before sending; nothing was sent.")
            first_bad.focus_editor()
            self._refresh_checklist()
            return
        if not answers:
            banner.show("Answer at least one question, then send.", kind="info")
            return
        banner.show(None)
        for box in self.boxes():
            if any(box.answers().get(k) is not None for k in box.spec.keys):
                box.state = "sending"
        self._refresh_checklist()
        self.send_answers(answers)

    @work(exclusive=True, group="send", exit_on_error=False)
    async def send_answers(self, answers: dict[str, Any]) -> None:
        """PATCH the answers off the UI, then re-plan from the reply."""
        backend = await self.wizard.wait_backend()
        if backend is None:
            return
        self._sending = True
        status = self.query_one("#send-status", Static)
        status.update("sending…")
        banner = self.query_one(ProblemBanner)
        try:
            diff = await backend.engine.submit(self.session, answers)
        except AnswersInvalid as err:
            self._pin(err.errors)
            banner.show("Fix the highlighted answer before sending; nothing was sent.")
            return
        except APIStatusError as err:
            sentence, _ = explain(err)
            pinned = self._pin(err.field_errors)
            if pinned:
                banner.show(
                    f"The server rejected {pinned} answer(s); see the highlighted "
                    "questions. Your answers are kept."
                )
            else:
                banner.show(f"{sentence} Your answers are kept; send again with ctrl+s.")
            return
        except WizardAPIError as err:
            self._restore_states()
            banner.show(f"{explain(err)[0]} Your answers are saved; send again with ctrl+s.")
            return
        finally:
            self._sending = False
            status.update("")
        self._last_diff = diff
        # Sent answers now live on the server; only unsent ones ride into the re-plan.
        self._typed = {}
        for box in self.boxes():
            unsent = {k: v for k, v in box.answers().items() if v is not None and k not in answers}
            if unsent:
                self._typed[box.spec.field] = unsent
        await self.render_round(capture=False)
        added = f", {len(diff.added)} new question(s)" if diff.added else ""
        self.notify(
            f"Saved. {len(diff.resolved)} answered{added}; {self.session.remaining} left.",
            title="Sent",
            markup=False,
        )
        if self.session.ready:
            self.query_one(ProblemBanner).show(
                "Ready to publish: press ctrl+r to review and publish.", kind="success"
            )

    @on(ValueRow.Commit)
    def _value_changed(self, event: ValueRow.Commit) -> None:
        self.save_value(event.row, event.key, event.raw)

    @work(group="values", exclusive=False, exit_on_error=False)
    async def save_value(self, row: ValueRow, key: str, raw: Any) -> None:
        """PATCH one already-filled value, then re-plan (it may add or resolve questions)."""
        backend = await self.wizard.wait_backend()
        if backend is None:
            return
        try:
            await backend.engine.submit(self.session, {key: raw})
        except AnswersInvalid as err:
            row.status(next(iter(err.errors.values())), error=True)
            return
        except APIStatusError as err:
            row.status(err.field_errors.get(key) or explain(err)[0], error=True)
            return
        except WizardAPIError as err:
            row.status(f"{explain(err)[0]} Saved locally; it is re-sent next time.", error=True)
            return
        self._values_open = True
        self._value_errors.pop(key, None)
        self._publish_blocked = bool(self._value_errors)
        await self.render_round()
        self.notify(f"Saved {row.spec.label}.", markup=False)

    def edit_value(self, key: str) -> None:
        """Open the already-filled values and focus one (from the review screen)."""
        box = self.box_for_key(key)
        if box is not None:
            self.jump_to(box.spec.field)
            return
        values = self.query(ParsedValues)
        if not values:
            return
        values.first().collapsed = False
        self._values_open = True
        editor = self.query(f"#value-{safe_id(key)}")
        if editor:
            editor.first().focus()
            editor.first().scroll_visible()

    def _pin(self, errors: dict[str, str]) -> int:
        """Show errors on their questions; returns how many were pinned."""
        pinned = 0
        for key, message in errors.items():
            box = self.box_for_key(key)
            if box is None:
                continue
            box.set_error(message)
            pinned += 1
        self._restore_states()
        self._refresh_checklist()
        first = next((b for b in self.boxes() if b.has_class("-error")), None)
        if first is not None:
            first.focus_editor()
        return pinned

    def _restore_states(self) -> None:
        for box in self.boxes():
            if box.state == "sending":
                box.state = "edited"
        self._refresh_checklist()

    # ---- publishing ------------------------------------------------------------------

    @on(Button.Pressed, "#publish")
    def action_review(self) -> None:
        """Review every value, then publish after a confirmation."""
        if not self.session.ready:
            self.query_one(ProblemBanner).show(
                f"Not ready yet: {self.session.remaining} question(s) left. "
                "Answer them and send with ctrl+s.",
                kind="info",
            )
            return
        if self.unsent_count():
            self.query_one(ProblemBanner).show(
                "Send your changed answers first (ctrl+s), then review.", kind="info"
            )
            return
        from wizard.ui.screens.review import ReviewScreen

        def reviewed(decision: str | None) -> None:
            if decision == "publish":
                self.publish()
            elif decision and decision.startswith("edit:"):
                self.edit_value(decision.removeprefix("edit:"))

        self.app.push_screen(ReviewScreen(self.session), reviewed)

    @work(exclusive=True, group="publish", exit_on_error=False)
    async def publish(self) -> None:
        """Publish off the UI; problems come back to the form."""
        backend = await self.wizard.wait_backend()
        if backend is None:
            return
        banner = self.query_one(ProblemBanner)
        banner.show("Publishing…", kind="info")
        try:
            result = await backend.engine.publish(self.session)
        except PublishNotReadyError as err:
            await self.render_round()
            banner.show(f"Not ready to publish: {err.message} Answer the questions below.")
            return
        except ModerationBlockedError as err:
            self._publish_blocked = True
            self._update_progress()
            self._pin_moderation(err.reasons)
            banner.show(explain(err)[0])
            return
        except WizardAPIError as err:
            banner.show(explain(err)[0])
            return
        banner.show(None)
        self._show_result(result)

    def _pin_moderation(self, reasons: list[str]) -> None:
        """Moderation reasons that name a field (by label or key) go on that field.

        The first field named gets the focus, so the fix starts where the problem is.
        """
        focused = False
        for reason in reasons:
            lowered = reason.casefold()
            for key in self.session.values:
                if key.casefold() not in lowered and label_for_key(key).casefold() not in lowered:
                    continue
                box = self.box_for_key(key)
                rows = self.query(f"#row-{safe_id(key)}").results(ValueRow)
                row = next(rows, None)
                if box is not None:
                    box.set_error(reason)
                    if not focused:
                        box.scroll_visible(animate=False)
                        box.focus_editor()
                        focused = True
                elif row is not None:
                    self._value_errors[key] = reason
                    self._values_open = True
                    self.query_one(ParsedValues).collapsed = False
                    row.status(reason, error=True)
                    if not focused:
                        # Jump, don't glide: the reason should be in view at once.
                        row.scroll_visible(animate=False)
                        row.editor.focus(scroll_visible=False)
                        focused = True
                break

    def _show_result(self, result: PublishResult) -> None:
        from wizard.ui.screens.result import ResultScreen

        self.app.switch_screen(ResultScreen(self.session, result))

    # ---- command palette -------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Commands this screen adds to the palette."""
        yield SystemCommand(
            "Send answers", "Send every typed answer in one PATCH", self.action_send
        )
        yield SystemCommand(
            "Review and publish", "Check every value, then publish", self.action_review
        )
        for box in self.boxes():
            yield SystemCommand(
                f"Jump to: {box.spec.label}",
                box.spec.prompt,
                lambda field=box.spec.field: self.jump_to(field),
            )
