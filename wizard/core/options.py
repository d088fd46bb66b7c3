"""Pick-list options for list and enum keys: values, human labels, counts, where they come from.

A catalog starts from ISO reference data (every country, every language) so a list is
never empty, then takes counts from facets: OpenTrain's marketplace facets and, when a
key is configured, a recruiter's Recruitsome vacancy facets. Options with counts sort
first; zero-count options go last and are shown dimmed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from wizard.core.reference_data import COUNTRIES, LANGUAGES


@dataclass(frozen=True)
class Option:
    """One choice in a pick list."""

    value: str
    """What is sent to the server."""
    label: str
    """What the person sees."""
    count: int | None = None
    """How often it is used (marketplace jobs, or the recruiter's vacancies)."""
    note: str | None = None
    """Where the count comes from, e.g. "used in 120 open jobs"."""
    children: tuple[Option, ...] = ()
    """Sub-options, for hierarchical facets (Recruitsome tags)."""

    @property
    def dimmed(self) -> bool:
        """Options nobody uses yet are shown, but dimmed."""
        return self.count == 0

    def matches(self, needle: str) -> bool:
        """Case-insensitive filter on label and value."""
        needle = needle.casefold()
        return needle in self.label.casefold() or needle in self.value.casefold()


def _country_options() -> list[Option]:
    return [Option(value=code, label=f"{name} ({code})") for code, name in COUNTRIES.items()]


def _language_options() -> list[Option]:
    names = sorted({name for name in LANGUAGES.values()})
    return [Option(value=name, label=name) for name in names]


@dataclass
class OptionCatalog:
    """Options per update key, with counts merged in from facet sources."""

    by_key: dict[str, list[Option]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Quiet notes for the person, e.g. that facets could not be fetched."""

    @classmethod
    def reference(cls) -> OptionCatalog:
        """A catalog from ISO data alone: every country and language, no counts."""
        return cls(by_key={"countries": _country_options(), "languages": _language_options()})

    def options_for(self, key: str) -> list[Option]:
        """Options for a key, most used first, unused last; empty when none are known."""
        options = self.by_key.get(key, [])
        return sorted(options, key=_sort_key)

    def add_counts(
        self,
        key: str,
        counts: Iterable[tuple[str, int]],
        *,
        note_template: str,
        label_for: dict[str, str] | None = None,
    ) -> None:
        """Merge ``(value, count)`` pairs into a key's options.

        Values match existing options case-insensitively (by value or by label); new
        values are added. ``note_template`` is formatted with ``count``.
        """
        options = list(self.by_key.get(key, []))
        index = {o.value.casefold(): i for i, o in enumerate(options)}
        index.update({o.label.casefold(): i for i, o in enumerate(options)})
        for value, count in counts:
            note = note_template.format(count=count)
            position = index.get(value.casefold())
            if position is None:
                label = (label_for or {}).get(value, value)
                options.append(Option(value=value, label=label, count=count, note=note))
                index[value.casefold()] = len(options) - 1
                continue
            current = options[position]
            total = (current.count or 0) + count
            merged_note = note if current.note is None else f"{current.note}; {note}"
            options[position] = replace(current, count=total, note=merged_note)
        # Options with no count from any source are explicitly unused: count 0.
        self.by_key[key] = [o if o.count is not None else replace(o, count=0) for o in options]

    def canonical(self, key: str, raw: str) -> str | None:
        """The option value a typed answer means (by value or label), or None."""
        needle = raw.strip().casefold()
        for option in self.by_key.get(key, []):
            if needle in (option.value.casefold(), option.label.casefold()):
                return option.value
        if key == "countries":
            for code, name in COUNTRIES.items():
                if needle == name.casefold():
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
