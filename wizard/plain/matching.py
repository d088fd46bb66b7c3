"""Reading one typed line as an answer: a choice by number, name or prefix, a list, yes/no.

Pure functions with no I/O, so the rules are tested without a terminal. Every problem
is one sentence the person hears before the same question is asked again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wizard.core.options import Option

HELP = "?"
"""Typed alone on an answer line: say the question's help again."""
CLEAR = "-"
"""Typed alone on an answer line: forget an answer typed earlier."""


@dataclass(frozen=True)
class ChoiceMatch:
    """What a typed line means among numbered choices: an option, or why not."""

    option: Option | None = None
    problem: str | None = None


def _range(count: int) -> str:
    return "1" if count == 1 else f"a number from 1 to {count}"


def match_choice(text: str, options: Sequence[Option]) -> ChoiceMatch:
    """The option a line names: by its number, its label or value, or an unambiguous prefix.

    A prefix of the label (or value) comes first; failing that, the start of any word
    of the label ("hour" for "Pay per hour"). Case does not matter. An exact label or
    value wins over a longer option it is a prefix of ("Expert" is Expert even if
    "Expert reviewer" exists).
    """
    typed = text.strip()
    if not typed:
        return ChoiceMatch(problem="Type a number or a name.")
    count = len(options)
    number = typed.rstrip(".").strip()
    if number.isdigit():
        index = int(number)
        if 1 <= index <= count:
            return ChoiceMatch(options[index - 1])
        return ChoiceMatch(problem=f"There is no choice {number}; type {_range(count)}, or a name.")
    folded = typed.casefold()
    for option in options:
        if folded in (option.label.casefold(), option.value.casefold()):
            return ChoiceMatch(option)
    spaced = folded.replace("_", " ")
    found = [
        option
        for option in options
        if option.label.casefold().startswith(spaced)
        or option.value.casefold().replace("_", " ").startswith(spaced)
    ]
    if not found:
        # "hour" for "Pay per hour": the start of any word of the label.
        found = [
            option
            for option in options
            if any(word.startswith(spaced) for word in option.label.casefold().split())
        ]
    if len(found) == 1:
        return ChoiceMatch(found[0])
    if found:
        names = " or ".join(o.label for o in found[:4])
        return ChoiceMatch(problem=f"{typed!r} could be {names}; type more of it, or its number.")
    return ChoiceMatch(
        problem=f"{typed!r} is not one of the choices; type {_range(count)}, or a name."
    )


def split_list(text: str) -> list[str]:
    """Comma-separated values, trimmed, empty ones dropped, duplicates (any case) once."""
    out: list[str] = []
    seen: set[str] = set()
    for item in text.split(","):
        value = item.strip()
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


def yes_no(text: str, *, default: bool) -> bool | None:
    """A yes/no line: ``y``/``yes``, ``n``/``no`` (any case), empty for the default.

    None when the line is neither, so the question can be asked again.
    """
    folded = text.strip().casefold()
    if not folded:
        return default
    if folded in {"y", "yes"}:
        return True
    if folded in {"n", "no"}:
        return False
    return None


def top_values(options: Sequence[Option], limit: int = 10) -> list[Option]:
    """The most used options (those with a count), most used first, at most ``limit``."""
    used = [o for o in options if o.count]
    used.sort(key=lambda o: -(o.count or 0))
    return used[:limit]
