"""Pick-list options for list and enum keys: values, human labels, counts, where they come from.

A catalog starts from ISO reference data (every country, every language) so a list is
never empty, then takes counts from facets: OpenTrain's marketplace facets and, when a
key is configured, a recruiter's Recruitsome vacancy facets. Each source's count is kept
apart (120 open jobs and 45 of your vacancies are not one number), and each option says
where its counts come from. Options with counts sort first; zero-count options go last
and are shown dimmed. Hierarchical facets (Recruitsome tags) are options with children.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from wizard.refdata.countries import COUNTRIES
from wizard.refdata.languages import LANGUAGES

OPENTRAIN = "opentrain"
"""Source name of OpenTrain's marketplace facets."""
RECRUITSOME = "recruitsome"
"""Source name of a recruiter's Recruitsome vacancy facets."""

ENUM_COUNT_KEYS: dict[str, str] = {"paymentType": "opentrain:payTypes"}
"""Enum keys whose choices have marketplace counts, and the catalog key holding them
(the same name ``wizard.core.facets.catalog`` stores the ``payTypes`` facet under)."""


@dataclass(frozen=True)
class SourceCount:
    """One source's count for an option, and how to say it."""

    source: str
    """``opentrain``, ``recruitsome``, or another source name."""
    count: int
    note: str
    """E.g. "used in 120 open jobs" or "in 45 of your vacancies"."""


@dataclass(frozen=True)
class Option:
    """One choice in a pick list."""

    value: str
    """What is sent to the server."""
    label: str
    """What the person sees (a name, without counts)."""
    count: int | None = None
    """How often it is used, all sources together; it orders the list. None: unknown."""
    note: str | None = None
    """Where the count comes from, e.g. "used in 120 open jobs; in 45 of your vacancies"."""
    children: tuple[Option, ...] = ()
    """Sub-options, for hierarchical facets (Recruitsome tags)."""
    counts: tuple[SourceCount, ...] = ()
    """Each source's own count."""
    ref: str | None = None
    """The source's identifier for the option (a Recruitsome id, an ISO code), if any."""

    @property
    def dimmed(self) -> bool:
        """Options nobody uses yet are shown, but dimmed."""
        return self.count == 0

    def matches(self, needle: str) -> bool:
        """Case-insensitive filter on label and value."""
        needle = needle.casefold()
        return needle in self.label.casefold() or needle in self.value.casefold()

    def matches_tree(self, needle: str) -> bool:
        """Whether this option or any descendant matches (a parent stays visible for it)."""
        return any(option.matches(needle) for option in self.walk())

    def walk(self) -> Iterator[Option]:
        """This option, then its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def _country_options() -> list[Option]:
    return [
        Option(value=code, label=f"{name} ({code})", ref=code) for code, name in COUNTRIES.items()
    ]


def _language_options() -> list[Option]:
    by_name: dict[str, str] = {}
    for code, name in LANGUAGES.items():
        by_name.setdefault(name, code)
    return [Option(value=name, label=name, ref=by_name[name]) for name in sorted(by_name)]


def country_label(code: str, name: str | None = None) -> str:
    """``Netherlands (NL)``: the ISO name when known, else the name given, else the code."""
    code = code.strip().upper()
    known = COUNTRIES.get(code) or (name.strip() if name and name.strip() else None)
    return f"{known} ({code})" if known else code


def language_name(code: str) -> str | None:
    """The English name of an ISO 639-1 code (``nl`` → ``Dutch``), or None."""
    return LANGUAGES.get(code.strip().lower())


def country_code(name: str) -> str | None:
    """The ISO 3166-1 code of an English country name, or of a code itself, or None."""
    needle = name.strip().casefold()
    if needle.upper() in COUNTRIES:
        return needle.upper()
    for code, known in COUNTRIES.items():
        if known.casefold() == needle:
            return code
    return None


@dataclass
class OptionCatalog:
    """Options per update key, with counts merged in from facet sources."""

    by_key: dict[str, list[Option]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Quiet notes for the person, e.g. that facets could not be fetched."""
    sources: list[str] = field(default_factory=list)
    """The facet sources whose counts are in this catalog (``opentrain``, ``recruitsome``)."""

    @classmethod
    def reference(cls) -> OptionCatalog:
        """A catalog from ISO data alone: every country and language, no counts."""
        return cls(by_key={"countries": _country_options(), "languages": _language_options()})

    def keys(self) -> list[str]:
        """The keys that have options."""
        return list(self.by_key)

    def options_for(self, key: str) -> list[Option]:
        """Options for a key, most used first, unused last; empty when none are known.

        Children (a tag's sub-tags) are ordered the same way.
        """
        return _sorted(self.by_key.get(key, []))

    def option(self, key: str, value: str) -> Option | None:
        """The option (at any depth) whose value is ``value``, case-insensitively."""
        needle = value.strip().casefold()
        for top in self.by_key.get(key, []):
            for option in top.walk():
                if option.value.casefold() == needle:
                    return option
        return None

    def set_options(self, key: str, options: Iterable[Option]) -> None:
        """Replace a key's options (a source-only list, such as Recruitsome's tags)."""
        self.by_key[key] = list(options)

    def add_counts(
        self,
        key: str,
        counts: Iterable[tuple[str, int]],
        *,
        note_template: str,
        label_for: dict[str, str] | None = None,
        source: str | None = None,
    ) -> None:
        """Merge ``(value, count)`` pairs into a key's options.

        Values match existing options case-insensitively (by value or by label); new
        values are added. ``note_template`` is formatted with ``count`` (and ``s``, the
        plural suffix). Each source's count is kept in ``Option.counts``; ``count`` is
        their sum and orders the list. Options no source counted get count 0 (unused).
        """
        options = list(self.by_key.get(key, []))
        index = {o.value.casefold(): i for i, o in enumerate(options)}
        index.update({o.label.casefold(): i for i, o in enumerate(options)})
        name = source or "facets"
        for value, count in counts:
            note = note_template.format(count=count, s="" if count == 1 else "s")
            entry = SourceCount(source=name, count=count, note=note)
            position = index.get(value.casefold())
            if position is None:
                label = (label_for or {}).get(value, value)
                options.append(
                    Option(value=value, label=label, count=count, note=note, counts=(entry,))
                )
                index[value.casefold()] = len(options) - 1
                continue
            current = options[position]
            total = (current.count or 0) + count
            merged_note = note if current.note is None else f"{current.note}; {note}"
            options[position] = replace(
                current, count=total, note=merged_note, counts=(*current.counts, entry)
            )
        if source and source not in self.sources:
            self.sources.append(source)
        # Options with no count from any source are explicitly unused: count 0.
        self.by_key[key] = [o if o.count is not None else replace(o, count=0) for o in options]

    def canonical(self, key: str, raw: str) -> str | None:
        """The option value a typed answer means (by value or label, at any depth), or None."""
        needle = raw.strip().casefold()
        for top in self.by_key.get(key, []):
            for option in top.walk():
                if needle in (option.value.casefold(), option.label.casefold()):
                    return option.value
        if key == "countries":
            code = country_code(raw)
            if code is not None:
                return code
        if key == "languages" and needle in LANGUAGES:
            return LANGUAGES[needle]
        return None


def _sort_key(option: Option) -> tuple[int, int, str]:
    count = option.count
    if count is None:
        return (1, 0, option.label.casefold())
    if count == 0:
        return (2, 0, option.label.casefold())
    return (0, -count, option.label.casefold())


def _sorted(options: Iterable[Option]) -> list[Option]:
    out: list[Option] = []
    for option in sorted(options, key=_sort_key):
        if option.children:
            option = replace(option, children=tuple(_sorted(option.children)))
        out.append(option)
    return out
