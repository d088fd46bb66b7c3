"""The plain line mode's conversation: start, rounds of questions, review, publish.

It drives the same ``DraftEngine`` and ``FormModel`` as the Textual form: every answer
goes into the model as typed (and into the journal as *typed* at once), each round is
ONE PATCH through ``engine.submit`` (journal pending first, then the acknowledgement),
the reply re-plans the model, and the draft is locked against a second writer. Reading
a line blocks; the engine's coroutines run one at a time on one event loop
(``asyncio.Runner``), so Ctrl+C lands either at a prompt or in a request, and both end
with the typed answers kept and a sentence on how to resume.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from wizard.api.errors import (
    APIStatusError,
    DailyLimitError,
    ModerationBlockedError,
    PublishNotReadyError,
    RateLimitError,
    ServerError,
    WizardAPIError,
)
from wizard.core.backend import Backend
from wizard.core.draft_lock import DraftLock
from wizard.core.engine import DraftUnreadable
from wizard.core.explain import explain
from wizard.core.fields import FieldPart, build_part
from wizard.core.form import FormModel, Question
from wizard.core.keys import Kind, label_for_key
from wizard.core.samples import SAMPLES, Sample
from wizard.core.session import AnswersInvalid, DraftSession
from wizard.plain.lines import InputEnded, Lines
from wizard.plain.matching import CLEAR, HELP, match_choice, split_list, yes_no
from wizard.plain.render import (
    answer_prompt,
    most_used_lines,
    option_lines,
    plural,
    question_lines,
    review_choices,
    review_lines,
    round_summary,
    shown_answer,
    typed_earlier,
)

T = TypeVar("T")

EXIT_DONE = 0
"""Published, or stopped by the person's choice with everything saved."""
EXIT_API = 1
"""The API refused or could not be reached (one sentence said why)."""
EXIT_INPUT_ENDED = 3
"""Standard input ended before the draft was finished (questions are left, as in ``fill``)."""
EXIT_INTERRUPTED = 130
"""Ctrl+C."""

CONVENTIONS = (
    "Answer each question and press Enter. An empty line leaves a question open, "
    "? repeats its help, and Ctrl+D stops; what you typed is kept."
)


Started = tuple[DraftSession, dict[str, Any]]
"""A draft to work on, and the answers typed for it in an earlier run."""


class Stop(Exception):
    """End the run with this exit code (the sentence was already said)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class PlainWizard:
    """One plain-mode run: connect, start a draft, ask, send, review, publish."""

    def __init__(
        self,
        lines: Lines,
        connect: Callable[[], Awaitable[Backend]],
        *,
        sandbox: bool,
        samples: tuple[Sample, ...] = SAMPLES,
    ) -> None:
        """Build a run.

        Args:
            lines: Where lines are read and written.
            connect: Builds the backend (starting the embedded sandbox when configured).
            sandbox: Whether the run talks to the sandbox (said once at the start).
            samples: Sample descriptions offered at the start.
        """
        self.lines = lines
        self._connect = connect
        self.sandbox = sandbox
        self.samples = samples
        self.backend: Backend | None = None
        self.model: FormModel | None = None
        self._lock: DraftLock | None = None
        self._runner = asyncio.Runner()
        self._journal_broken = False
        self._asked: set[str] = set()
        """Questions asked in this run (an answer restored from the journal is shown once)."""

    # ---- running -----------------------------------------------------------------------

    def _await(self, call: Awaitable[T]) -> T:
        async def wrapped() -> T:
            return await call

        return self._runner.run(wrapped())

    def run(
        self, *, description: str | None = None, start_new: bool = False, job_id: str | None = None
    ) -> int:
        """Run to the end; returns the exit code. Never raises for the person's sake."""
        try:
            return self._run(description, start_new, job_id)
        except Stop as stop:
            return stop.code
        except InputEnded:
            return self._input_ended()
        except KeyboardInterrupt:
            return self._interrupted()
        except Exception as err:  # noqa: BLE001 - the contract is one sentence, never a traceback
            # A state nothing above foresaw (a journal failing mid-run, a reply no model
            # expected): one sentence, and what was typed is still kept.
            self.lines.tell(
                f"Something went wrong ({type(err).__name__}: {err}); what you typed is kept."
            )
            return EXIT_API
        finally:
            self._close()

    def _run(self, description: str | None, start_new: bool, job_id: str | None) -> int:
        say = self.lines.say
        say("draft-wizard, plain line mode.")
        if self.sandbox:
            say("Sandbox: nothing you do here is published.")
        backend = self._connected()
        if job_id is not None:
            session, typed = self._open(backend, job_id)
        elif description is not None:
            session, typed = self._create(backend, description)
        else:
            session, typed = self._choose_start(backend, drafts=not start_new)
        model = FormModel(session, typed)
        self.model = model
        if model.restored:
            say(f"Restored {plural(model.restored, 'typed answer')} from last time.")
        say(CONVENTIONS)
        return self._finish(model)

    def _connected(self) -> Backend:
        try:
            backend = self._await(self._connect())
            self.backend = backend
            self._await(backend.prepare())
        except WizardAPIError as err:
            self.lines.say(f"Cannot connect: {explain(err)[0]}")
            raise Stop(EXIT_API) from None
        except OSError as err:
            self.lines.say(f"Could not start: {err.strerror or err}.")
            raise Stop(EXIT_API) from None
        for notice in backend.notices:
            self.lines.say(f"Note: {notice}")
        for note in backend.engine.notes:
            self.lines.say(f"Note: {note}")
        standing = backend.engine.standing
        for sentence in standing.sentences:
            self.lines.say(f"Account: {sentence}")
        if not standing.can_draft:
            # Every step from here writes to a draft; asking questions would only waste them.
            raise Stop(EXIT_API)
        return backend

    def _close(self) -> None:
        self._save_typed()
        if self._lock is not None:
            self._lock.release()
        try:
            if self.backend is not None:
                self._await(self.backend.aclose())
        except (KeyboardInterrupt, OSError):
            pass  # closing sockets on the way out: nothing the person needs to hear
        finally:
            self._runner.close()

    # ---- starting ------------------------------------------------------------------------

    def _choose_start(self, backend: Backend, *, drafts: bool) -> Started:
        """Offer the samples (and the drafts to continue); or take a typed description."""
        say = self.lines.say
        choices: list[tuple[str, str, str]] = []  # (kind, value, label)
        for sample in self.samples:
            choices.append(("sample", sample.text, f"Sample: {sample.name}"))
        if drafts:
            choices += [("draft", job_id, label) for job_id, label in self._drafts(backend)]
        say("Start a draft: type the number of a sample, or type the job description.")
        say(
            "A description can take several lines, blank ones too; finish it with a line "
            "holding only a dot."
        )
        for number, (_, _, label) in enumerate(choices, 1):
            say(f"{number}. {label}")
        while True:
            first = self.lines.ask("Number or description: ").strip()
            if not first:
                say("Type a number from the list, or the job description.")
                continue
            if first.rstrip(".").isdigit():
                index = int(first.rstrip("."))
                if not 1 <= index <= len(choices):
                    say(f"There is no choice {index}; type a number from 1 to {len(choices)}.")
                    continue
                kind, value, label = choices[index - 1]
                if kind == "draft":
                    return self._open(backend, value)
                say(f"Using {label}.")
                return self._create(backend, value)
            # A dot ends it, not an empty line: a pasted description keeps its paragraphs
            # instead of spilling them into the answers of the first questions.
            text = [first]
            while (line := self.lines.ask("Next line, or . to finish: ")).strip() != ".":
                text.append(line)
            return self._create(backend, "\n".join(text).strip() + "\n")

    def _drafts(self, backend: Backend) -> list[tuple[str, str]]:
        """Drafts to continue: this machine's first (with what waits), then the account's."""
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        journal = backend.journal
        if journal is not None:
            seen |= journal.hidden(backend.scope)
            for draft in journal.drafts(backend.scope)[:10]:
                seen.add(draft.job_id)
                waiting = []
                if draft.pending:
                    waiting.append(f"{draft.pending} unsent")
                if draft.typed:
                    waiting.append(f"{draft.typed} typed")
                details = ", ".join([draft.job_id, *waiting])
                out.append((draft.job_id, f"Continue: {draft.title or '(untitled)'} ({details})"))
        try:
            page = self._await(backend.client.my_jobs(status="DRAFT", limit=10))
        except WizardAPIError as err:
            self.lines.say(f"Your drafts could not be listed: {explain(err)[0]}")
            return out
        for job in page.jobs:
            if job.id not in seen:
                out.append((job.id, f"Continue: {job.title or '(untitled)'} ({job.id})"))
        return out

    def _create(self, backend: Backend, text: str) -> Started:
        journal = backend.journal
        earlier = journal.draft_for_description(backend.scope, text) if journal else None
        if earlier is not None:
            again = self._confirm(
                f"You already made a draft from this description: "
                f"{earlier.title or '(untitled)'} ({earlier.job_id}). "
                "Create another one? [y/N] ",
                default=False,
            )
            if not again:
                return self._open(backend, earlier.job_id)
        self.lines.say("Creating the draft...")
        try:
            session = self._await(backend.engine.create(text))
        except WizardAPIError as err:
            self.lines.say(f"The draft could not be created: {explain(err)[0]}")
            raise Stop(EXIT_API) from None
        self._take_lock(backend, session.job_id)
        self.lines.say(
            f"Created draft {session.job_id}: {session.title or '(untitled)'}. "
            f"{plural(session.remaining, 'question')} to answer."
        )
        return session, {}

    def _open(self, backend: Backend, job_id: str) -> Started:
        self._take_lock(backend, job_id)
        self.lines.say(f"Opening draft {job_id}...")
        try:
            opened = self._await(backend.engine.open(job_id))
        except AnswersInvalid as err:
            self.lines.say(f"Saved answers for {job_id} are invalid: {err}")
            raise Stop(EXIT_API) from None
        except (DraftUnreadable, WizardAPIError) as err:
            self.lines.say(explain(err)[0])
            raise Stop(EXIT_API) from None
        session = opened.session
        if opened.resent:
            self.lines.say(
                f"Re-sent {plural(len(opened.resent), 'answer')} that never reached the server."
            )
        for key, reason in opened.dropped.items():
            self.lines.say(
                f"A saved answer for {label_for_key(key)} was refused and dropped: {reason}"
            )
        if opened.note:
            self.lines.say(opened.note)
        typed = backend.journal.typed(backend.scope, job_id) if backend.journal else {}
        self.lines.say(
            f"Draft {job_id}: {session.title or '(untitled)'}. "
            + (
                "It is ready to publish."
                if session.ready
                else f"{plural(session.remaining, 'question')} to answer."
            )
        )
        return session, typed

    def _take_lock(self, backend: Backend, job_id: str) -> None:
        lock = backend.draft_lock(job_id)
        if not lock.acquire():
            self.lines.say(lock.busy_message())
            raise Stop(EXIT_API)
        self._lock = lock

    # ---- rounds --------------------------------------------------------------------------

    def _finish(self, model: FormModel) -> int:
        while True:
            self._rounds(model)
            code = self._review_and_publish(model)
            if code is not None:
                return code

    def _to_ask(self, model: FormModel) -> list[Question]:
        """This round's questions: refused ones first, then new ones, then the open rest.

        Answers typed and not yet sent (a send that did not get through) are not asked
        again; they go with the next send. Answers restored from an earlier run are
        shown once, to be kept or changed.
        """
        waiting = [
            q
            for q in model.questions.values()
            if q.error or not q.answers or (q.origin == "resumed" and q.field not in self._asked)
        ]
        return sorted(waiting, key=lambda q: (not q.error, not q.spec.is_new))

    def _rounds(self, model: FormModel) -> None:
        """Ask and send, one PATCH per round, until the server says ready."""
        session = model.session
        while not (session.ready and not model.unsent()):
            if not model.questions and not model.unsent():
                # Nothing to ask, yet not ready: only the server's own sentences can help.
                blocking = " ".join(session.blocking_issues) or "no reason was given"
                self.lines.say(
                    f"The server lists no questions, but the draft is not ready: {blocking}"
                )
                raise Stop(self._stopped(model, code=EXIT_API))
            questions = self._to_ask(model)
            for position, question in enumerate(questions, 1):
                self._ask(model, question, position, len(questions))
            plan = model.begin_send()
            if plan.problems:
                banner = model.banner()
                self.lines.say(banner.text if banner else "Fix the answers that are marked.")
                # A changed value that cannot be sent has no question to ask it again:
                # drop the change (the draft keeps its value) rather than ask forever.
                for key in [k for k in plan.problems if k in model.value_edits]:
                    model.edit_value(key, None)
                    self.lines.say(f"The change to {label_for_key(key)} was dropped.")
                continue
            if not plan.body:
                still = [q.spec.label for q in model.questions.values()]
                self.lines.say(
                    "Nothing was answered, so nothing was sent. "
                    f"{plural(len(still), 'question')} still open: {', '.join(still)}."
                )
                if not self._confirm("Go through them again? [Y/n] ", default=True):
                    raise Stop(self._stopped(model))
                continue
            self._send(model, plan.body)

    def _send(self, model: FormModel, body: dict[str, Any]) -> None:
        assert self.backend is not None
        self.lines.say(f"Sending {plural(len(body), 'answer')}...")
        try:
            diff = self._await(self.backend.engine.submit(model.session, body))
        except AnswersInvalid as err:
            model.send_refused(err.errors, "An answer cannot be sent; nothing was sent.")
            self._say_refusal(model, err.errors)
        except WizardAPIError as err:
            # Trouble on the way (network, 5xx, 429 after the retries) is worth another
            # try; a refusal (4xx) is about the answers, or needs something else first.
            if not isinstance(err, APIStatusError) or isinstance(err, ServerError | RateLimitError):
                self._send_failed(model, err)
                return
            sentence = explain(err)[0]
            pinned = model.send_refused(err.field_errors, f"{sentence} Your answers are kept.")
            self._say_refusal(model, err.field_errors, sentence)
            if not pinned and not self._confirm("Try sending again? [y/N] ", default=False):
                raise Stop(self._stopped(model, code=EXIT_API)) from None
        else:
            plan = model.round_applied(diff, body)
            self.lines.say(round_summary(plan, model))
        self._save_typed()

    def _send_failed(self, model: FormModel, err: WizardAPIError) -> None:
        """The send did not get through (network, server trouble, retries used up)."""
        model.send_failed(f"{explain(err)[0]} Your answers are kept.")
        self._save_typed()
        self.lines.say(model.failure or explain(err)[0])
        if not self._confirm("Try sending again? [Y/n] ", default=True):
            raise Stop(self._stopped(model, code=EXIT_API))

    def _say_refusal(
        self, model: FormModel, errors: dict[str, str], sentence: str | None = None
    ) -> None:
        """One sentence per refused answer, naming its question; else the server's sentence."""
        named = False
        for key, message in errors.items():
            question = model.question_for_key(key)
            label = question.spec.label if question else label_for_key(key)
            self.lines.say(f"Not accepted: {label}: {message}")
            named = True
        if named:
            self.lines.say("Your answers are kept; the refused ones are asked again.")
        elif sentence:
            self.lines.say(f"{sentence} Your answers are kept.")

    # ---- one question --------------------------------------------------------------------

    def _ask(self, model: FormModel, question: Question, position: int, total: int) -> None:
        self._asked.add(question.field)
        self.lines.say()
        for line in question_lines(question, position, total):
            self.lines.say(line)
        for part in question.spec.parts:
            if not self._ask_part(model, question, part, position, total):
                return  # an empty line leaves the whole question open

    def _ask_part(
        self, model: FormModel, question: Question, part: FieldPart, position: int, total: int
    ) -> bool:
        """Ask one part until it has a usable answer or is left open; False when left open."""
        say = self.lines.say
        field, key = question.field, part.key
        if part.kind is Kind.SELECT:
            for line in option_lines(part):
                say(line)
        earlier = question.raw.get(key)
        if earlier is not None and key not in question.client_errors:
            say(typed_earlier(part, earlier))
        while True:
            text = self.lines.ask(answer_prompt(part))
            stripped = text.strip()
            if stripped == HELP:
                self._help(question, part, position, total)
                continue
            if stripped == CLEAR:
                model.type(field, key, None)
                self._save_typed()
                say(f"{part.label}: cleared.")
                return False
            if not stripped:
                kept = question.raw.get(key)
                if kept is not None and key not in question.client_errors:
                    return True
                if kept is not None:
                    model.type(field, key, None)  # an answer that cannot be sent is dropped
                    self._save_typed()
                return False
            raw, problem = _interpret(part, stripped)
            if problem is not None:
                say(problem)
                continue
            model.type(field, key, raw)
            self._save_typed()
            error = question.client_errors.get(key)
            if error:
                say(error)
                continue
            if part.kind in (Kind.SELECT, Kind.LIST, Kind.BOOLEAN):
                say(f"{part.label}: {shown_answer(part, raw)}.")
            return True

    def _help(self, question: Question, part: FieldPart, position: int, total: int) -> None:
        for line in question_lines(question, position, total):
            self.lines.say(line)
        if part.kind is Kind.SELECT:
            for line in option_lines(part):
                self.lines.say(line)
            self.lines.say("Answer with a number, or with a name or the start of one.")
        elif part.kind is Kind.LIST:
            for line in most_used_lines(part):
                self.lines.say(line)
            self.lines.say("Separate values with commas.")
        self.lines.say("Enter leaves the question open.")

    # ---- review and publish --------------------------------------------------------------

    def _review_and_publish(self, model: FormModel) -> int | None:
        """Review, confirm, publish; None sends the person back to the questions."""
        assert self.backend is not None
        session = model.session
        self.lines.say()
        for line in review_lines(model):
            self.lines.say(line)
        standing = self.backend.engine.standing
        if not standing.can_publish:
            self.lines.say(
                f"Not published: {standing.publish_problem} The draft is saved and ready; "
                f"`draft-wizard open {session.job_id} --plain` continues it."
            )
            return EXIT_API  # as `fill --publish` does when the account cannot publish
        self.lines.say("To change a value first, type its number or name.")
        publish = self._publish_or_change(model)
        if publish is None:
            return None  # a value changed: send it, then review again
        if not publish:
            self.lines.say(
                f"Not published. The draft is saved and ready; "
                f"`draft-wizard open {session.job_id} --plain` publishes it later."
            )
            return EXIT_DONE
        self.lines.say("Publishing...")
        try:
            result = self._await(self.backend.engine.publish(session))
        except PublishNotReadyError as err:
            model.validation_replaced()
            labels = ", ".join(q.spec.label for q in model.questions.values())
            self.lines.say(f"Not ready to publish: {err.message} Still to answer: {labels}.")
            return None
        except ModerationBlockedError as err:
            sentence = explain(err)[0]
            reasons = model.moderation_reasons(err.reasons)
            model.publish_blocked(reasons, sentence)
            concerns = ", ".join(label_for_key(key) for key in reasons)
            self.lines.say(sentence + (f" It concerns: {concerns}." if concerns else ""))
            if not reasons:
                return EXIT_API
            for key in reasons:
                self._edit_value(model, key)
            if not model.unsent():
                self.lines.say("Nothing was changed, so the draft was not published.")
                return self._stopped(model, code=EXIT_API)
            return None
        except DailyLimitError as err:
            self.lines.say(
                f"Not published: {explain(err)[0]} "
                f"`draft-wizard open {session.job_id} --plain` publishes it later."
            )
            return EXIT_API
        except WizardAPIError as err:
            self.lines.say(f"Publishing failed: {explain(err)[0]}")
            if self._confirm("Try publishing again? [y/N] ", default=False):
                return None
            return self._stopped(model, code=EXIT_API)
        self.lines.say("Already published." if result.already_published else "Published.")
        self.lines.result(result.job_url or "(the server gave no URL)")
        return EXIT_DONE

    def _publish_or_change(self, model: FormModel) -> bool | None:
        """``Publish now? [y/N]``: yes, no, or None once a value was changed."""
        while True:
            text = self.lines.ask("Publish now? [y/N] ")
            decision = yes_no(text, default=False)
            if decision is not None:
                return decision
            match = match_choice(text, review_choices(model))
            if match.option is None:
                self.lines.say(
                    "Type y to publish, n not to, or the number or name of a value to change it."
                )
                continue
            self._edit_value(model, match.option.value)
            if model.unsent():
                return None
            self.lines.say("Nothing was changed.")

    def _edit_value(self, model: FormModel, key: str) -> None:
        """Ask a new value for one of the draft's values (chosen in the review, or named
        by moderation); it goes with the next send."""
        session = model.session
        part = build_part(key, capabilities=session.capabilities, catalog=session.catalog)
        now = shown_answer(part, session.values.get(key))
        self.lines.say()
        self.lines.say(f"{part.label} is now: {now}. Type the new value, or Enter to keep it.")
        if part.kind is Kind.SELECT:
            for line in option_lines(part):
                self.lines.say(line)
        prompt = answer_prompt(part)
        while True:
            text = self.lines.ask(f"New {prompt[:1].lower()}{prompt[1:]}")
            if text.strip() == HELP:
                self.lines.say("Type the new value, or press Enter to keep the current one.")
                continue
            if not text.strip():
                model.edit_value(key, None)  # keep the draft's value
                return
            raw, problem = _interpret(part, text.strip())
            problem = problem or model.edit_value(key, raw)
            if problem is None:
                self._save_typed()
                return
            self.lines.say(problem)

    # ---- yes/no, and ending --------------------------------------------------------------

    def _confirm(self, prompt: str, *, default: bool) -> bool:
        while True:
            answer = yes_no(self.lines.ask(prompt), default=default)
            if answer is not None:
                return answer
            self.lines.say("Type y for yes or n for no.")

    def _save_typed(self) -> None:
        """Keep what is typed and unsent in the journal (the TUI's ``TypedKeeper``)."""
        backend, model = self.backend, self.model
        if backend is None or backend.journal is None or model is None or self._journal_broken:
            return
        try:
            backend.journal.save_typed(backend.scope, model.session.job_id, model.typed_snapshot())
        except (OSError, sqlite3.Error) as err:
            self._journal_broken = True
            self.lines.say(f"Note: typed answers cannot be kept on this machine ({err}).")

    def _resume_hint(self, model: FormModel) -> str:
        job_id = model.session.job_id
        return f"`draft-wizard open {job_id} --plain` continues the draft."

    def _stopped(self, model: FormModel, *, code: int = EXIT_DONE) -> int:
        self._save_typed()
        left = model.session.remaining
        open_ = f" with {plural(left, 'question')} open" if left else ""
        self.lines.tell(
            f"Stopped. Draft {model.session.job_id} is saved{open_}; {self._resume_hint(model)}"
        )
        return code

    def _kept(self, model: FormModel) -> str:
        """What of this run's answers waits on this machine, in words (empty: nothing)."""
        pending = self._pending(model)
        typed = [key for key in model.typed_snapshot() if key not in pending]
        parts = []
        if typed:
            verb = "is" if len(typed) == 1 else "are"
            parts.append(f"your {plural(len(typed), 'typed answer')} {verb} kept on this machine")
        if pending:
            # Stopped in the middle of a send (or refused): opening the draft re-sends them.
            verb = "is" if len(pending) == 1 else "are"
            parts.append(
                f"{plural(len(pending), 'answer')} the server did not confirm {verb} sent "
                "again when you open it"
            )
        return "; ".join(parts)

    def _pending(self, model: FormModel) -> set[str]:
        backend = self.backend
        if backend is None or backend.journal is None:
            return set()
        try:
            return set(backend.journal.pending(backend.scope, model.session.job_id))
        except (OSError, sqlite3.Error):
            return set()

    def _input_ended(self) -> int:
        model = self.model
        if model is None:
            self.lines.tell(
                "Input ended before a draft was chosen, so nothing was created: answer in a "
                "terminal, or use `draft-wizard fill` with an answers file."
            )
            return EXIT_INPUT_ENDED
        self._save_typed()
        kept = self._kept(model)
        left = model.session.remaining
        self.lines.tell(
            f"Input ended. Draft {model.session.job_id} is saved with "
            f"{plural(left, 'question')} open"
            + (f"; {kept}" if kept else "")
            + f". {self._resume_hint(model)}"
        )
        return EXIT_INPUT_ENDED

    def _interrupted(self) -> int:
        model = self.model
        if model is None:
            self.lines.tell("Interrupted before a draft was opened.")
            return EXIT_INTERRUPTED
        self._save_typed()
        kept = self._kept(model)
        job_id = model.session.job_id
        if kept:
            self.lines.tell(f"Interrupted: {kept}. {self._resume_hint(model)}")
        else:
            self.lines.tell(f"Interrupted. Draft {job_id} is saved; {self._resume_hint(model)}")
        return EXIT_INTERRUPTED


def _interpret(part: FieldPart, text: str) -> tuple[Any, str | None]:
    """A typed line as the raw answer the model takes, or the sentence saying why not."""
    if part.kind is Kind.SELECT and part.options:
        match = match_choice(text, part.options)
        return (match.option.value if match.option else None), match.problem
    if part.kind is Kind.LIST:
        items = split_list(text)
        if not items:
            return None, "Type at least one value; separate values with commas."
        return items, None
    return text, None
