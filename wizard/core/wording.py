"""Words a recruiter uses: prices, plurals, the order of choices, and plain server prose.

The server's prose is written for integrators ("ISO 3166-1 alpha-2 codes", "Job title is
required before publishing."); a person finishing a draft needs the same facts in fewer,
plainer words. Everything here is a pure function, shared by every screen and tested
on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

PRICE_UNITS = {"pricePerHour": "hour", "pricePerLabel": "label"}
"""Rate keys shown as "$18 / hour"; ``fixedPrice`` is shown as "$500 fixed"."""

PRICE_KEYS = frozenset({*PRICE_UNITS, "fixedPrice"})

NATURAL_ORDER: dict[str, tuple[str, ...]] = {
    "experienceLevel": ("ENTRY_LEVEL", "INTERMEDIATE", "EXPERT", "ANY_EXPERIENCE_LEVEL"),
}
"""Enums whose values have an order people expect (by level); others keep the server's."""

_CATCH_ALL = re.compile(r"(^|_)(ANY|UNKNOWN|OTHER|NOT_SPECIFIED|NONE)(_|$)")
"""Values that mean "no preference" or "don't know": always offered last."""


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 answer`` / ``2 answers`` (``many`` for irregular plurals)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def is_are(count: int) -> str:
    """The verb that goes with a count."""
    return "is" if count == 1 else "are"


def money(amount: float) -> str:
    """``18`` → ``$18``, ``0.05`` → ``$0.05``, ``1200`` → ``$1,200``, ``12.5`` → ``$12.50``."""
    if float(amount).is_integer():
        return f"${int(amount):,}"
    text = f"{amount:,.2f}" if round(amount, 2) == amount else f"{amount:,.4f}".rstrip("0")
    return f"${text}"


def format_price(key: str, value: Any) -> str | None:
    """A rate as a recruiter writes it ("$18 / hour", "$0.05 / label", "$500 fixed"),
    or None when ``key`` is no rate or ``value`` no number."""
    if key not in PRICE_KEYS or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if key == "fixedPrice":
        return f"{money(value)} fixed"
    return f"{money(value)} / {PRICE_UNITS[key]}"


def ordered_values(key: str, values: Sequence[str]) -> list[str]:
    """Enum values in a natural order: by level where levels exist, else as the server
    lists them (its capabilities order is meaningful), catch-alls ("Any…", "Not
    specified") last either way. Values we do not know keep their place among the rest."""
    rank = {value: index for index, value in enumerate(NATURAL_ORDER.get(key, ()))}
    indexed = list(enumerate(values))

    def sort_key(item: tuple[int, str]) -> tuple[int, int, int]:
        position, value = item
        catch_all = 1 if _CATCH_ALL.search(value.upper()) else 0
        return (catch_all, rank.get(value, len(rank)) if rank else 0, position)

    return [value for _, value in sorted(indexed, key=sort_key)]


_ISO_COUNTRY = r"ISO[ -]?3166(?:-1)?(?:[ -]alpha[ -]?2)?"
_JARGON: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\ban? " + _ISO_COUNTRY + r"\s+code\b", re.I), "a two-letter country code"),
    (re.compile(_ISO_COUNTRY + r"\s+codes\b", re.I), "two-letter country codes"),
    (re.compile(_ISO_COUNTRY + r"\s+code\b", re.I), "two-letter country code"),
    (re.compile(_ISO_COUNTRY + r"\s+", re.I), ""),
    (re.compile(r"ISO[ -]?639(?:-1)?\s+codes?\b", re.I), "language codes"),
    (re.compile(r"\bstring\[\]", re.I), "list"),
)


def plain(text: str) -> str:
    """Server prose without standards jargon: "ISO 3166-1 alpha-2 codes, e.g. US" →
    "country codes, e.g. US"."""
    for pattern, replacement in _JARGON:
        text = pattern.sub(replacement, text)
    return text[:1].upper() + text[1:] if text else text


_REQUIRED = re.compile(
    r"^(?:the |a |an )?(?P<what>.+?) (?:is|are) (?:required|missing|needed)"
    r"(?: (?:before|for|to) publish(?:ing)?(?: the job)?)?\.?$",
    re.I,
)
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def adds_to(
    message: str | None, label: str, prompt: str | None = None, hint: str | None = None
) -> bool:
    """Whether a server's "why" sentence says more than the question already does.

    "Job title is required before publishing." adds nothing under "Job title"; "A
    labeling overview is required while the description is shorter than 280
    characters." does.
    """
    if not message or not message.strip():
        return False
    text = " ".join(message.split())
    if prompt and text.casefold() == " ".join(prompt.split()).casefold():
        return False
    filler = {"the", "a", "an", "is", "are", "be", "it", "this", "value", "field", "answer"}
    if hint and _words(text) <= _words(hint) | _words(label) | filler:
        return False  # the hint under the widget says it already
    match = _REQUIRED.match(text)
    if match is None:
        return True
    what = _words(match.group("what"))
    # "Job title is required" / "Countries are required": nothing beyond the label.
    return not what <= _words(label) | {"the", "a", "an", "value", "field", "answer"}


def break_url(url: str, width: int) -> str:
    """A long URL over lines of at most ``width``, broken after a ``/``, ``-``, ``?`` or
    ``=`` where possible (never inside a word, unless a word is longer than a line)."""
    if width < 8 or len(url) <= width:
        return url
    lines: list[str] = []
    rest = url
    while len(rest) > width:
        cut = max(rest.rfind(mark, 0, width) for mark in "/-?=&")
        cut = cut + 1 if cut > width // 3 else width
        lines.append(rest[:cut])
        rest = rest[cut:]
    return "\n".join([*lines, rest])
