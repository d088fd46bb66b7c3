"""Where ``draft-wizard facets`` data comes from, and filter values its source does not know.

People (and scripts) must be able to tell practice data from the live marketplace: every
answer is labelled with its origin (the built-in sandbox, or the API's origin) and the
time the source generated it.

A filter value the source has never heard of (``--filter language=xx``) makes Recruitsome
answer counts of zero everywhere, which reads like a real answer. The source lists every
value it knows in the same reply (that is how its facets work), so a filter value missing
from that list is reported as one sentence instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from wizard.api.errors import WizardAPIError
from wizard.api.recruitsome.models import FacetOption, VacancyFacets

SANDBOX_NOTE = "the built-in sandbox (practice data, not the live marketplace)"


class UnknownFilterValue(WizardAPIError):
    """A filter value the source does not list (its counts would all be zero)."""

    title = "Unknown filter value"

    def __init__(self, message: str, filter_name: str) -> None:
        super().__init__(message)
        self.filter = filter_name


def origin_of(url: str) -> str:
    """``https://app.opentrain.ai/api/public/v1`` → ``https://app.opentrain.ai``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else url


@dataclass(frozen=True)
class SourceInfo:
    """Where one source's answer came from."""

    origin: str
    sandbox: bool
    generated_at: str | None
    cached_age: float | None = None
    """Seconds since it was fetched, when it came from the local cache."""

    def sentence(self, name: str) -> str:
        """``OpenTrain: from https://app.opentrain.ai, generated 2026-…``."""
        where = SANDBOX_NOTE if self.sandbox else self.origin
        when = f"generated {self.generated_at}" if self.generated_at else "no generation time"
        cached = ""
        if self.cached_age is not None:
            minutes = int(self.cached_age // 60)
            cached = f", cached {minutes} min ago" if minutes else ", cached just now"
        return f"{name}: from {where}, {when}{cached}"

    def document(self) -> dict[str, Any]:
        """Its entry under ``sources`` in ``facets --json``."""
        return {
            "origin": self.origin,
            "sandbox": self.sandbox,
            "generatedAt": self.generated_at,
            "cached": self.cached_age is not None,
        }


_ID_GROUPS: dict[str, str] = {
    "location_id": "locations",
    "company_location_id": "company_locations",
    "department_id": "departments",
    "experience_levels": "experience_levels",
    "education_levels": "education_levels",
    "job_types": "job_types",
    "tags": "tags",
}
_WHAT: dict[str, str] = {
    "location_id": "location",
    "company_location_id": "work site",
    "department_id": "department",
    "experience_levels": "experience level",
    "education_levels": "education level",
    "job_types": "job type",
    "tags": "tag",
}


def _ids(options: list[Any]) -> set[str]:
    out: set[str] = set()
    for option in options:
        if isinstance(option, FacetOption) and option.id is not None:
            out.add(str(option.id))
        for sub in getattr(option, "sub_tags", []) or []:
            if isinstance(sub, FacetOption) and sub.id is not None:
                out.add(str(sub.id))
    return out


def _listing(values: list[str], limit: int = 12) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def unknown_filter_value(
    filters: dict[str, str | list[str]], facets: VacancyFacets
) -> tuple[str, str] | None:
    """The first filter whose value the answer does not list: ``(filter, sentence)``.

    ``search`` is free text (no match is a real answer), so it is never reported.
    """
    data = facets.data
    for name, value in filters.items():
        if name == "language" and isinstance(value, str):
            codes = [lang.code for lang in data.languages if lang.code]
            if value.casefold() not in {code.casefold() for code in codes}:
                return name, (
                    f"Recruitsome does not know the language {value!r}; its vacancies use "
                    f"{_listing(sorted(codes)) or 'no language codes'}."
                )
        group = _ID_GROUPS.get(name)
        if group is None:
            continue
        known = _ids(getattr(data, group))
        values = [value] if isinstance(value, str) else value
        for item in values:
            if str(item) not in known:
                what = _WHAT[name]
                listed = sorted(known, key=lambda v: (len(v), v))
                return name, (
                    f"Recruitsome has no {what} with the id {item!r} ({name}); its ids are "
                    f"{_listing(listed) or 'none'}."
                )
    return None
