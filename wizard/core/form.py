"""The form model: one draft's questions as a person answers them, with no UI.

``DraftSession`` holds what the *server* says (validation, values, rounds). ``FormModel``
sits on top and holds what the *person* has done since: the raw text of every answer
as typed, whether it can be sent, what is on its way, what the server refused, and
edits to values the draft already has. Everything a screen shows — progress, the
checklist, the one banner, what a send would carry, whether publishing can work — is
derived from it here, never stored twice.

The Textual form and the plain line mode are projections of this model; it is tested
with plain pytest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from wizard.core.fields import AnswerError, FieldPart, FieldSpec, build_part, humanize_text
from wizard.core.keys import RATE_KEYS, humanize_enum, label_for_key
from wizard.core.session import DraftSession, RoundDiff
from wizard.core.wording import plural

QuestionState = Literal["open", "typed", "invalid", "sending", "rejected"]
"""Where one question stands: nothing typed; typed and sendable; typed but not
sendable (a client-side problem); on its way; refused by the server."""

Origin = Literal["typed", "resumed"]
"""Where a raw answer came from: typed in this run, or restored from the journal."""

BannerKind = Literal["error", "info", "success"]


def is_empty(raw: Any) -> bool:
    """Whether a raw answer means "not answered yet"."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list) and not raw


@dataclass
class Question:
    """One question of the round and what the person has made of it."""

    spec: FieldSpec
    raw: dict[str, Any] = field(default_factory=dict)
    """The answer per update key, exactly as typed (absent or empty: not answered)."""
    client_errors: dict[str, str] = field(default_factory=dict)
    server_error: str | None = None
    """The server's sentence about this question (an issue, or a rejected value)."""
    sending: bool = False
    origin: Origin | None = None
    advisory: str | None = None
    """The server's issue about this question on a draft it calls ready: a warning."""

    @property
    def field(self) -> str:
        """The missing field this question answers."""
        return self.spec.field

    @property
    def answers(self) -> dict[str, Any]:
        """The non-empty raw answers, by update key."""
        if not self.raw:  # most questions of a long form: read on every keystroke
            return {}
        return {k: v for k, v in self.raw.items() if not is_empty(v) and k in self.spec.keys}

    @property
    def complete(self) -> bool:
        """Every part has an answer."""
        return all(not is_empty(self.raw.get(key)) for key in self.spec.keys)

    @property
    def state(self) -> QuestionState:
        """The question's state, derived from its answers and errors."""
        if self.sending:
            return "sending"
        if self.client_errors:
            return "invalid"
        if self.server_error and (self.answers or self.spec.from_issue):
            return "rejected"
        return "typed" if self.answers else "open"

    @property
    def error(self) -> str | None:
        """The one sentence to show under the question."""
        if self.client_errors:
            return next(iter(self.client_errors.values()))
        return self.server_error

    @property
    def held_back(self) -> bool:
        """The server refused exactly this answer: the next send goes without it.

        It stays typed (and unsent) until the person changes it; re-sending the same
        value would only sink the valid answers with it again.
        """
        return self.server_error is not None and bool(self.answers) and not self.spec.from_issue

    @property
    def warning(self) -> str | None:
        """A doubt about a typed answer that does not stop it being sent (an unknown
        country code): the API does not document it as invalid, so it is still sent."""
        for key, raw in self.answers.items():
            doubt = self.spec.part(key).doubt(raw)
            if doubt:
                return doubt
        return self.advisory

    def check(self) -> None:
        """Re-check every typed part with the same coercion ``fill`` uses."""
        self.client_errors = {}
        for key, raw in self.answers.items():
            problem = self.spec.part(key).check(raw)
            if problem:
                self.client_errors[key] = problem


@dataclass
class ValueEdit:
    """A change to a value the draft already has; it travels with the next send."""

    key: str
    raw: Any
    error: str | None = None


@dataclass(frozen=True)
class Banner:
    """The one message the form shows above its questions."""

    text: str
    kind: BannerKind = "error"


@dataclass(frozen=True)
class RoundPlan:
    """What a new validation changes on screen, question by question."""

    round: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    """Why each added question appeared."""
    resolved: list[str] = field(default_factory=list)
    """Questions the server no longer asks because they were answered."""


@dataclass(frozen=True)
class SendPlan:
    """What one send would carry, or why nothing can be sent."""

    body: dict[str, Any]
    """Raw answers by update key (questions and value edits together)."""
    problems: dict[str, str]
    """Client-side problems by update key; when any, nothing is sent."""

    @property
    def ok(self) -> bool:
        """Whether the send can go ahead."""
        return bool(self.body) and not self.problems


@dataclass(frozen=True)
class StaleRate:
    """A rate the draft holds that does not go with its payment type."""

    key: str
    value: Any
    payment_type: str

    @property
    def sentence(self) -> str:
        """Plain words for the review and the form."""
        return (
            f"{label_for_key(self.key)} ({self.value}) does not apply to a "
            f"{humanize_enum(self.payment_type)} job. The API has no way to remove a value, "
            "so the draft keeps it; the rate of the chosen payment type is the one that counts."
        )


def _same(part: FieldPart, raw: Any, saved: Any) -> bool:
    """Whether a raw answer means the value the draft already has."""
    if saved is None:
        return False
    try:
        return bool(part.coerce(raw) == part.coerce(saved))
    except AnswerError:
        return False


def parts_signature(spec: FieldSpec) -> tuple[Any, ...]:
    """What a question's widgets are built from: keys, kinds and options."""
    return tuple((p.key, p.kind, tuple(o.value for o in p.options)) for p in spec.parts)


def _spec_signature(spec: FieldSpec) -> tuple[Any, ...]:
    """What about a question, if it changes, needs its widget updated."""
    texts = (spec.label, spec.prompt, spec.message, spec.hint, spec.error, spec.reason)
    return (*texts, spec.is_new, parts_signature(spec))


class FormModel:
    """The single source of truth for one draft's form."""

    def __init__(self, session: DraftSession, typed: dict[str, Any] | None = None) -> None:
        """Build the model from a session, restoring typed answers kept in the journal.

        Args:
            session: The draft as the server last described it.
            typed: Raw answers by update key, typed in an earlier run and never sent.
        """
        self.session = session
        self.questions: dict[str, Question] = {}
        self.value_edits: dict[str, ValueEdit] = {}
        self.leftover: dict[str, Any] = {}
        """Typed answers that match no question and no known value; kept, not shown."""
        self.value_problems: dict[str, str] = {}
        """Server problems with already-filled values (moderation), by key."""
        self.failure: str | None = None
        """Why the last send or publish failed, when it was not about one question."""
        self.refused = False
        """The last send was refused on the client; cleared as soon as nothing is invalid."""
        self.last_plan: RoundPlan | None = None
        self.refused_round = 0
        """The round during which the server last refused answers."""
        self.restored = 0
        self._signatures: dict[str, tuple[Any, ...]] = {}
        self._sync_questions()
        if typed:
            self.restored = self.restore(typed)

    # ---- reading ---------------------------------------------------------------------

    def question(self, field_name: str) -> Question | None:
        """A question by its field name."""
        return self.questions.get(field_name)

    def question_for_key(self, key: str) -> Question | None:
        """The question that sends an update key (or is named by it)."""
        return self.question_for_key_in(self.questions, key)

    @property
    def filled_keys(self) -> list[str]:
        """Keys the draft already has a value for that no question asks about."""
        return [k for k in self.session.values if self.question_for_key(k) is None]

    @property
    def addable_keys(self) -> list[str]:
        """Keys the server accepts (``draft.updateKeys``) that no question asks, the draft
        has no value for, and that go with the payment type (no second rate)."""
        capabilities = self.session.capabilities
        accepted = capabilities.draft.update_keys if capabilities is not None else []
        payment = self.session.values.get("paymentType")
        other_rates = {k for p, k in RATE_KEYS.items() if p != payment} if payment else set()
        return [
            key
            for key in accepted
            if self.session.values.get(key) is None
            and self.question_for_key(key) is None
            and key not in other_rates
        ]

    @property
    def sending(self) -> bool:
        """Whether a send is on its way."""
        return any(q.sending for q in self.questions.values())

    def unsent(self) -> int:
        """How many answers are typed (questions and value edits) and not yet sent."""
        questions = sum(1 for q in self.questions.values() if q.answers and not q.sending)
        return questions + len(self.value_edits)

    def typed_snapshot(self) -> dict[str, Any]:
        """Every unsent raw answer by update key: what the journal keeps as *typed*."""
        out: dict[str, Any] = dict(self.leftover)
        for question in self.questions.values():
            out.update(question.answers)
        out.update({key: edit.raw for key, edit in self.value_edits.items()})
        return out

    def progress(self) -> str:
        """A few words: how far the draft is (what is unsent is told beside the buttons)."""
        session = self.session
        if self.ready:
            return "publishing blocked" if self.value_problems else "ready to publish"
        text = f"{session.remaining} left"
        plan = self.last_plan
        if plan is not None and plan.added:
            text += f"  (+{len(plan.added)} new)"
        return text

    def checklist(self) -> list[tuple[str, str, str, bool]]:
        """Rows ``(field, label, state, is_new)``; what the last send resolved shows saved."""
        rows: list[tuple[str, str, str, bool]] = [
            (q.field, q.spec.label, q.state, q.spec.is_new) for q in self.questions.values()
        ]
        plan = self.last_plan
        if plan is not None:
            rows += [(name, label_for_key(name), "saved", False) for name in plan.resolved]
        return rows

    def banner(self) -> Banner | None:
        """The one message to show, from the current state (never a stale one)."""
        # Looked at only after a refused send: this runs on every keystroke.
        if self.refused and (
            any(q.state == "invalid" for q in self.questions.values())
            or any(e.error for e in self.value_edits.values())
        ):
            return Banner("Fix the highlighted answer before sending; nothing was sent.")
        rejected = [q for q in self.questions.values() if q.state == "rejected" and q.answers]
        if rejected and self.session.round > self.refused_round:
            # The others went through since; only the refused answers wait.
            names = ", ".join(q.spec.label for q in rejected)
            return Banner(
                f"The other answers were saved; the server still refuses {names} "
                "(see below). Change it and send again (ctrl+s)."
            )
        if rejected:
            names = ", ".join(q.spec.label for q in rejected)
            others = self.unsent() - len(rejected)
            then = (
                f" ctrl+s sends the other {plural(others, 'answer')} without "
                f"{'it' if len(rejected) == 1 else 'them'}."
                if others > 0
                else " Change it and send again (ctrl+s)."
            )
            return Banner(
                f"The server refused {names} (see below), so nothing was saved; your "
                f"answers are kept.{then}"
            )
        if self.failure:
            return Banner(self.failure)
        blocking = self.session.blocking_issues
        if blocking and not self.ready:
            return Banner("Not ready: " + " ".join(blocking))
        if self.ready and not self.unsent():
            if self.value_problems:
                return Banner("Publishing was blocked: change the highlighted values, then send.")
            return Banner("Ready to publish: press ctrl+r to review and publish.", "success")
        return None

    @property
    def ready(self) -> bool:
        """The server's ``publishReady``, and nothing else: the API's own loop condition.

        ``issues[]`` are shown as warnings (``advisories``); when the server says ready
        despite them, publishing is offered, and if it still refuses, its 400 re-plans.
        """
        return self.session.validation.publish_ready

    def advisories(self) -> list[tuple[str | None, str]]:
        """The server's issues as ``(update key or None, sentence)``, for warnings."""
        return [
            (issue.field, humanize_text(issue.message) or issue.message)
            for issue in self.session.validation.issues
        ]

    @property
    def can_publish(self) -> bool:
        """Publishing can work: the server says ready and nothing typed is waiting."""
        return self.ready and not self.unsent() and not self.sending

    def stale_rates(self) -> list[StaleRate]:
        """Rates the draft holds that do not go with its (possibly just edited) payment type."""
        edit = self.value_edits.get("paymentType")
        payment = edit.raw if edit is not None else self.session.values.get("paymentType")
        question = self.question_for_key("paymentType")
        if question is not None and isinstance(question.raw.get("paymentType"), str):
            payment = question.raw["paymentType"]
        if not isinstance(payment, str) or payment not in RATE_KEYS:
            return []
        wanted = RATE_KEYS[payment]
        return [
            StaleRate(key, self.session.values[key], payment)
            for key in RATE_KEYS.values()
            if key != wanted and self.session.values.get(key) is not None
        ]

    # ---- editing ---------------------------------------------------------------------

    def type(self, field_name: str, key: str, raw: Any, origin: Origin = "typed") -> Question:
        """Record a raw answer for one part of a question and re-check it."""
        question = self.questions[field_name]
        question.raw[key] = raw
        question.origin = origin
        # A new answer replaces whatever the server said about the old one; if the server
        # still objects, its next validation says so again.
        question.server_error = None
        question.check()
        self._settle_refusal()
        return question

    def edit_value(self, key: str, raw: Any) -> str | None:
        """Change an already-filled value; returns its problem, if any.

        The edit is sent with the next send, never on its own. Setting it back to the
        value the draft has (or to empty) drops the edit.
        """
        saved = self.session.values.get(key)
        part = self._value_part(key)
        if is_empty(raw) or raw == saved or _same(part, raw, saved):
            # A widget echoing the value it was built with ("18" for 18) is no edit.
            self.value_edits.pop(key, None)
            self._settle_refusal()
            return None
        problem = part.check(raw)
        self.value_edits[key] = ValueEdit(key, raw, problem)
        self.value_problems.pop(key, None)
        self._settle_refusal()
        return problem

    def restore(self, typed: dict[str, Any]) -> int:
        """Put typed answers back (from the journal); returns how many found a home."""
        restored = 0
        for key, raw in typed.items():
            if is_empty(raw):
                continue
            question = self.question_for_key(key)
            if question is not None:
                part_key = key if key in question.spec.keys else question.spec.keys[0]
                self.type(question.field, part_key, raw, origin="resumed")
                restored += 1
            elif key in self.session.values:
                self.edit_value(key, raw)
                restored += 1 if key in self.value_edits else 0
            else:
                self.leftover[key] = raw
        return restored

    # ---- sending ---------------------------------------------------------------------

    def plan_send(self) -> SendPlan:
        """What a send would carry; problems block it (and are shown)."""
        body: dict[str, Any] = {}
        problems: dict[str, str] = {}
        held: dict[str, Any] = {}
        for question in self.questions.values():
            question.check()
            problems.update(question.client_errors)
            (held if question.held_back else body).update(question.answers)
        for key, edit in self.value_edits.items():
            if edit.error:
                problems[key] = edit.error
            else:
                body[key] = edit.raw
        if not body:
            # Only refused answers are left: sending them again is the person's call.
            body = held
        return SendPlan(body=body, problems=problems)

    def begin_send(self) -> SendPlan:
        """Check everything; when it can go, mark the carried questions as sending."""
        plan = self.plan_send()
        self.refused = bool(plan.problems)
        if plan.ok:
            self.failure = None
            for question in self.questions.values():
                question.sending = any(key in plan.body for key in question.answers)
        return plan

    def send_refused(self, errors: dict[str, str], sentence: str | None = None) -> int:
        """The send did not land: pin the server's (or the coercion's) errors to their
        questions and keep every answer. Returns how many errors found a question."""
        for question in self.questions.values():
            question.sending = False
        self.refused_round = self.session.round
        pinned = 0
        for key, message in errors.items():
            message = humanize_text(message) or message
            owner = self.question_for_key(key)
            if owner is not None:
                owner.server_error = message
                pinned += 1
            elif key in self.value_edits:
                self.value_edits[key].error = message
                pinned += 1
        self.failure = None if pinned else sentence
        return pinned

    def send_failed(self, sentence: str) -> None:
        """The send could not be delivered (network, server down): keep every answer."""
        for question in self.questions.values():
            question.sending = False
        self.failure = sentence

    def round_applied(self, diff: RoundDiff, sent: dict[str, Any]) -> RoundPlan:
        """The server accepted ``sent`` and answered with a new validation: re-plan.

        Answers that were sent are now the server's values; answers typed while the
        send was on its way (or to questions not sent) stay as typed.
        """
        for question in self.questions.values():
            question.sending = False
            for key in list(question.raw):
                if key in sent and question.raw[key] == sent[key]:
                    del question.raw[key]
        for key in list(self.value_edits):
            if key in sent and self.value_edits[key].raw == sent[key]:
                del self.value_edits[key]
        self.failure = None
        self.refused = False
        plan = self._sync_questions(diff)
        self.last_plan = plan
        return plan

    def validation_replaced(self) -> RoundPlan:
        """The session's validation changed without a send (a publish-time 400)."""
        plan = self._sync_questions()
        self.last_plan = plan
        return plan

    def moderation_reasons(self, reasons: list[str]) -> dict[str, str]:
        """Moderation reasons that name a value (by key or label), by that value's key."""
        named: dict[str, str] = {}
        for reason in reasons:
            lowered = reason.casefold()
            for key in self.session.values:
                if key.casefold() in lowered or label_for_key(key).casefold() in lowered:
                    named.setdefault(key, reason)
                    break
        return named

    def publish_blocked(self, reasons: dict[str, str], sentence: str) -> None:
        """Moderation named values; keep each reason on its value until it changes."""
        for key, reason in reasons.items():
            question = self.question_for_key(key)
            if question is not None:
                question.server_error = reason
            else:
                self.value_problems[key] = reason
        self.failure = sentence

    # ---- internals -------------------------------------------------------------------

    def _value_part(self, key: str) -> FieldPart:
        session = self.session
        return build_part(key, capabilities=session.capabilities, catalog=session.catalog)

    def _settle_refusal(self) -> None:
        invalid = any(q.client_errors for q in self.questions.values()) or any(
            e.error for e in self.value_edits.values()
        )
        if self.refused and not invalid:
            self.refused = False

    def _sync_questions(self, diff: RoundDiff | None = None) -> RoundPlan:
        """Match the questions to the session's current specs, keeping typed answers."""
        old = self.questions
        fresh: dict[str, Question] = {}
        plan_added: list[str] = []
        changed: list[str] = []
        kept: list[str] = []
        signatures: dict[str, tuple[Any, ...]] = {}
        for spec in self.session.specs:
            signature = _spec_signature(spec)
            signatures[spec.field] = signature
            previous = old.get(spec.field)
            if previous is None:
                question = Question(spec)
                plan_added.append(spec.field)
            else:
                question = previous
                question.spec = spec
                if self._signatures.get(spec.field) != signature:
                    changed.append(spec.field)
                else:
                    kept.append(spec.field)
            question.advisory = None
            if spec.error and self.ready and not question.answers:
                # publishReady despite the issue: the server allows it, so it is a warning.
                question.advisory, question.server_error = spec.error, None
            elif spec.error or not question.held_back:
                # A refused answer not re-sent keeps the server's sentence until changed.
                question.server_error = spec.error
            # Typed answers for keys the question no longer owns fall back to leftovers.
            for key in [k for k in question.raw if k not in spec.keys]:
                self.leftover[key] = question.raw.pop(key)
            question.check()
            fresh[spec.field] = question
        removed = [name for name in old if name not in fresh]
        for name in removed:
            # A question that disappears with an unsent answer keeps it, so nothing is lost.
            self.leftover.update(old[name].answers)
        # Leftovers that now have a home (a question that came back) are restored.
        for key in list(self.leftover):
            home = self.question_for_key_in(fresh, key)
            if home is not None:
                part_key = key if key in home.spec.keys else home.spec.keys[0]
                home.raw.setdefault(part_key, self.leftover.pop(key))
                home.check()
        self.questions = fresh
        self._signatures = signatures
        for key in list(self.value_problems):
            if key not in self.session.values:
                del self.value_problems[key]
        reasons = {name: fresh[name].spec.reason or "" for name in plan_added}
        return RoundPlan(
            round=self.session.round,
            added=plan_added if old or diff is not None else [],
            removed=removed,
            changed=changed,
            kept=kept,
            reasons=reasons,
            resolved=list(diff.resolved) if diff is not None else [],
        )

    @staticmethod
    def question_for_key_in(questions: dict[str, Question], key: str) -> Question | None:
        """The question among ``questions`` that sends ``key``."""
        for question in questions.values():
            if key in question.spec.keys or question.field == key:
                return question
        return None
