"""What ``fill`` tells scripts and people about questions and answers-file keys.

- Each open question as a JSON entry (``field``, ``label``, ``prompt``, ``type``, and for
  choices ``enumValues``) and as lines for people, with the values it allows.
- The answers-file keys that matched no question of any round, each with the closest
  question name (``difflib``) when there is one.
- The command that continues a draft once the file is completed.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.core.fields import FieldPart, FieldSpec
from wizard.core.keys import Kind


def enum_values(spec: FieldSpec) -> list[str] | None:
    """The raw values a choice question accepts (its first choice part's), else None."""
    for part in spec.parts:
        if part.kind is Kind.SELECT and part.options:
            return [option.value for option in part.options]
    return None


def question_entry(spec: FieldSpec) -> dict[str, Any]:
    """One ``missingFields`` entry of ``fill --json``."""
    entry: dict[str, Any] = {
        "field": spec.field,
        "label": spec.label,
        "prompt": spec.prompt,
        "type": spec.raw_type,
        "updateKeys": spec.keys,
    }
    values = enum_values(spec)
    if values is not None:
        entry["enumValues"] = values
    if spec.error:
        entry["error"] = spec.error
    return entry


def _number_rule(part: FieldPart) -> str:
    what = "a whole number" if part.integer else "a number"
    if part.minimum is not None and part.maximum is not None:
        return f"{what} from {_num(part.minimum)} to {_num(part.maximum)}"
    if part.minimum is not None:
        return f"{what}, at least {_num(part.minimum)}"
    if part.maximum is not None:
        return f"{what}, at most {_num(part.maximum)}"
    return what


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def allowed(part: FieldPart) -> str:
    """What one key accepts, in a few words: ``one of: A, B``, ``a number``, ``a list``."""
    if part.kind is Kind.SELECT and part.options:
        rule = "one of: " + ", ".join(option.value for option in part.options)
    elif part.kind is Kind.SELECT:
        rule = "one value"
    elif part.kind is Kind.NUMBER:
        rule = _number_rule(part)
    elif part.kind is Kind.LIST:
        rule = "a list of values (one value is a one-item list)"
    elif part.kind is Kind.BOOLEAN:
        rule = "true or false"
    elif part.kind is Kind.UNKNOWN:
        rule = f"a value of type {part.raw_type}" if part.raw_type else "a value"
    else:
        rule = "text"
    if part.example and part.kind is not Kind.SELECT:
        return f"{rule} (e.g. {part.example})"
    return rule


def question_lines(spec: FieldSpec) -> list[str]:
    """A question for people: its name and prompt, then what each of its keys accepts."""
    lines = [f"  {spec.field} [{', '.join(spec.keys)}]: {spec.prompt}"]
    for part in spec.parts:
        lines.append(f"      {part.key}: {allowed(part)}")
    if spec.error:
        lines.append(f"      problem: {spec.error}")
    return lines


def continue_command(job_id: str, answers_path: Path, *, publish: bool, as_json: bool) -> str:
    """The ``draft-wizard fill --job-id …`` command that carries on with this draft."""
    words = ["draft-wizard", "fill", "--job-id", job_id, "--answers", str(answers_path)]
    if publish:
        words.append("--publish")
    if as_json:
        words.append("--json")
    return " ".join(shlex.quote(word) for word in words)


@dataclass(frozen=True)
class UnmatchedKey:
    """An answers-file key no question of any round used."""

    key: str
    closest: str | None
    """The question name (field or update key) it most resembles, if any is close."""
    known: bool
    """An update key the API accepts that no round asked for (set already, or optional)."""

    def sentence(self, answers_path: Path) -> str:
        """One line for stderr."""
        if self.known:
            return (
                f"{answers_path}: {self.key} was not asked by the server (already set, or"
                " optional), so it was not sent."
            )
        hint = f"; did you mean {self.closest}?" if self.closest else "."
        return f"{answers_path}: {self.key} matches no question and was not sent{hint}"

    def document(self) -> dict[str, Any]:
        """Its ``unmatchedKeys`` entry in ``fill --json``."""
        return {"key": self.key, "closest": self.closest, "known": self.known}


def unmatched_keys(
    answers: Iterable[str],
    matched: set[str],
    asked: set[str],
    known: Iterable[str] = (),
) -> list[UnmatchedKey]:
    """The keys (in file order) that matched no question, with the closest name for each.

    Args:
        answers: the answers file's top-level keys.
        matched: keys that matched a question in some round.
        asked: every field name and update key of every question seen.
        known: update keys the API accepts (capabilities, documented keys).
    """
    known_set = set(known)
    candidates = sorted(asked | known_set)
    by_fold: dict[str, str] = {}
    for name in candidates:
        by_fold.setdefault(name.casefold(), name)
    out: list[UnmatchedKey] = []
    for key in answers:
        if key in matched:
            continue
        if key in known_set:
            out.append(UnmatchedKey(key, None, known=True))
            continue
        # Case first ("HeadCount"), then spelling ("headcont"); questions asked win ties.
        closest = by_fold.get(key.casefold())
        if closest is None:
            pool = sorted(asked) + [c for c in candidates if c not in asked]
            folded = [c.casefold() for c in pool]
            found = difflib.get_close_matches(key.casefold(), folded, n=1, cutoff=0.6)
            closest = pool[folded.index(found[0])] if found else None
        out.append(UnmatchedKey(key, closest, known=False))
    return out
