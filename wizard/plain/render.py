"""The words of the plain mode: a question, its choices, a round's summary, the review.

Pure functions of the form model (``wizard.core.form``), so what a screen reader hears
is tested without a terminal. Nothing here styles text: meaning is in the words and in
the order of the lines, never in colour or layout.
"""

from __future__ import annotations

from typing import Any

from wizard.core.display import SOURCE_LABELS, show_value
from wizard.core.fields import AnswerError, FieldPart, FieldSpec
from wizard.core.form import FormModel, Question, RoundPlan
from wizard.core.keys import Kind, label_for_key
from wizard.core.options import Option
from wizard.core.wording import plural as plural
from wizard.plain.matching import top_values

MAX_EXAMPLE = 40
"""Longer examples are not repeated on the answer line (they would be read every time)."""


def why(spec: FieldSpec) -> str | None:
    """Why the question is asked, only when that adds something to its prompt and hint.

    "Headcount is required before publishing." says nothing the question does not.
    """
    message = (spec.message or "").strip()
    if not message or message in (spec.prompt, spec.reason, spec.hint):
        return None
    generic = {
        f"{spec.label} is required".casefold(),
        f"{spec.label} is required before publishing".casefold(),
    }
    if message.rstrip(".").casefold() in generic:
        return None
    return message


def option_lines(part: FieldPart) -> list[str]:
    """Numbered choices, one a line: ``1. Expert``."""
    return [f"{number}. {option.label}" for number, option in enumerate(part.options, 1)]


def answer_prompt(part: FieldPart) -> str:
    """The answer line: the part's label and, briefly, what kind of answer it takes."""
    example = part.example if part.example and len(part.example) <= MAX_EXAMPLE else None
    if part.kind is Kind.SELECT:
        hint = "number or name"
    elif part.kind is Kind.LIST:
        hint = "comma-separated" + (f", e.g. {example}" if example else "")
    elif part.kind is Kind.BOOLEAN:
        hint = "yes or no"
    elif part.kind is Kind.NUMBER:
        hint = f"e.g. {example}" if example else "a number"
    else:
        hint = f"e.g. {example}" if example and part.kind is not Kind.TEXT else ""
    return f"{part.label} ({hint}): " if hint else f"{part.label}: "


def question_lines(question: Question, position: int, total: int) -> list[str]:
    """Label, prompt, why (when it adds something), hint and problem, one a line."""
    spec = question.spec
    lines = [f"Question {position} of {total}: {spec.label}" + (" (new)" if spec.is_new else "")]
    if spec.prompt and spec.prompt != spec.label:
        lines.append(spec.prompt)
    if spec.is_new and spec.reason:
        lines.append(spec.reason)
    reason = why(spec)
    if reason:
        lines.append(f"Why: {reason}")
    if spec.hint:
        lines.append(f"Hint: {spec.hint}")
    if question.error:
        lines.append(f"Problem: {question.error}")
    kinds = {part.kind for part in spec.parts}
    if Kind.LIST in kinds:
        lines.append("Type ? for the most used values.")
    return lines


def typed_earlier(part: FieldPart, raw: Any) -> str:
    """The line for an answer typed before (this run, or restored from the journal)."""
    return f"Typed earlier: {shown_answer(part, raw)}. Enter keeps it, - clears it."


def most_used_lines(part: FieldPart) -> list[str]:
    """The most used values of a list, from the facets, with their counts."""
    top = top_values(part.options)
    if not top:
        return [f"No usage counts are known for {part.label}; type any values."]
    lines = [f"Most used values for {part.label}:"]
    lines += [f"{option.label}: {option.note or option.count}" for option in top]
    return lines


def shown_answer(part: FieldPart, raw: Any) -> str:
    """An answer as it will be understood: choices by label, list items canonical."""
    if part.kind is Kind.SELECT:
        for option in part.options:
            if option.value == raw:
                return option.label
    if part.kind is Kind.BOOLEAN:
        try:
            return show_value(part.coerce(raw))
        except AnswerError:
            return show_value(raw)
    if part.kind is Kind.LIST and isinstance(raw, list):
        shown = []
        for item in raw:
            canonical = part.catalog.canonical(part.key, str(item)) if part.catalog else None
            if canonical is None and part.options:
                shown.append(f"{item} (not a known value; sent as typed)")
            else:
                shown.append(show_value(canonical or item, part.key))
        return ", ".join(shown)
    return show_value(raw, part.key)


def round_summary(plan: RoundPlan, model: FormModel) -> str:
    """What a send changed: ``Saved: 2 answered, 1 new question: Headcount, because …``."""
    parts = [f"{len(plan.resolved)} answered"] if plan.resolved or plan.added else []
    if plan.added:
        news = []
        for name in plan.added:
            question = model.questions.get(name)
            label = question.spec.label if question else label_for_key(name)
            news.append(label + _because(plan.reasons.get(name, "")))
        parts.append(f"{plural(len(plan.added), 'new question')}: " + "; ".join(news))
    session = model.session
    if session.ready:
        tail = "the draft is ready to publish"
    else:
        tail = f"{plural(session.remaining, 'question')} left"
    head = "Saved: " + ", ".join(parts) if parts else "Saved"
    return f"{head}. {tail[:1].upper()}{tail[1:]}."


def _because(reason: str) -> str:
    reason = reason.strip().rstrip(".")
    if not reason:
        return ""
    if reason.startswith("Required because "):
        return ", because " + reason.removeprefix("Required because ")
    return f" ({reason[:1].lower()}{reason[1:]})"


def review_lines(model: FormModel) -> list[str]:
    """Every value of the draft, numbered, as ``label: value (where it came from)``; notes.

    The numbers are those of ``review_choices``, so a value can be changed by its number.
    """
    session = model.session
    stale = {s.key: s for s in model.stale_rates()}
    lines = [f"Review of {session.title or '(untitled draft)'} (draft {session.job_id}):"]
    for number, (key, value) in enumerate(session.values.items(), 1):
        source = SOURCE_LABELS.get(session.provenance.get(key, ""), "")
        if key in stale:
            source = "does not apply"
        tail = f" ({source})" if source else ""
        lines.append(f"{number}. {label_for_key(key)}: {show_value(value, key)}{tail}")
    lines += [f"Note: {s.sentence}" for s in stale.values()]
    lines += [f"Warning: {warning}" for warning in session.warnings]
    lines += [f"Not used from your description: {line}" for line in session.unmapped]
    lines += [
        f"Check {label_for_key(name)}: read from your description, please confirm."
        for name in session.low_confidence
    ]
    return lines


def review_choices(model: FormModel) -> list[Option]:
    """The reviewed values as choices (value: the update key), in the review's order."""
    return [Option(key, label_for_key(key)) for key in model.session.values]
