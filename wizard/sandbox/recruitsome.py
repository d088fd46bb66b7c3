"""A Recruitsome-compatible vacancy catalogue and its faceted counts.

Facet semantics follow Recruitsome's docs: each facet's counts honour every *other* active
filter, `selected` marks active values, and a main tag also matches its sub-tags (its count
includes them). `company_locations` (work sites) is filled for agency tenants only and is
`[]` for the others, as documented; both kinds of tenant see the same seeded vacancies.

Not documented; chosen by the sandbox (see `wizard/sandbox/README.md`, items 29-31):

- on a non-agency tenant any `company_location_id` is a 422 "must be a valid company
  location", like any other id the tenant does not have (the docs do not say whether the
  filter is ignored or refused there);
- the answer is computed afresh on every call, so `meta.generated_at` is "now": the docs
  say nothing about caching these facets;
- the filter limits (`language` two letters, `search` at most 255 characters);
- both tenants see the same seeded vacancies (a fixture, not API behaviour).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

CATALOGUE_SEED = 4242


@dataclass(frozen=True)
class Place:
    """A location or a company location (work site)."""

    id: int
    name: str
    city: str | None
    country_code: str | None
    country_name: str | None


@dataclass(frozen=True)
class Option:
    """A plain facet option: department, experience level, job type, education level."""

    id: int
    name: str


@dataclass(frozen=True)
class Tag:
    """A main tag and its sub-tags."""

    id: int
    name: str
    sub_tags: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Vacancy:
    """One active vacancy publication."""

    id: int
    slug: str
    title: str
    summary: str
    language: str
    location_id: int
    company_location_id: int | None
    department_id: int
    experience_level_id: int
    job_type_id: int
    education_level_id: int | None
    tag_ids: frozenset[int]


LOCATIONS: tuple[Place, ...] = (
    Place(1, "Amsterdam", "Amsterdam", "NL", "Netherlands"),
    Place(2, "Rotterdam", "Rotterdam", "NL", "Netherlands"),
    Place(3, "Utrecht", "Utrecht", "NL", "Netherlands"),
    Place(4, "Eindhoven", "Eindhoven", "NL", "Netherlands"),
    Place(5, "Antwerp", "Antwerp", "BE", "Belgium"),
    Place(6, "Brussels", "Brussels", "BE", "Belgium"),
    Place(7, "Berlin", "Berlin", "DE", "Germany"),
    Place(8, "Remote", None, None, None),
)
COMPANY_LOCATIONS: tuple[Place, ...] = (
    Place(10, "Harbour Refinery Pernis", "Rotterdam", "NL", "Netherlands"),
    Place(11, "Veldhoven Campus", "Veldhoven", "NL", "Netherlands"),
    Place(12, "Schiphol Logistics Hub", "Haarlemmermeer", "NL", "Netherlands"),
    Place(13, "Antwerp Port Terminal", "Antwerp", "BE", "Belgium"),
)
DEPARTMENTS: tuple[Option, ...] = (
    Option(5, "Engineering"),
    Option(6, "Sales"),
    Option(7, "Marketing"),
    Option(8, "Operations"),
    Option(9, "Finance"),
)
EXPERIENCE_LEVELS: tuple[Option, ...] = (
    Option(2, "Junior"),
    Option(3, "Medior"),
    Option(4, "Senior"),
)
JOB_TYPES: tuple[Option, ...] = (
    Option(1, "Full-time"),
    Option(2, "Part-time"),
    Option(3, "Contract"),
    Option(4, "Internship"),
)
EDUCATION_LEVELS: tuple[Option, ...] = (
    Option(7, "MBO"),
    Option(8, "Bachelor"),
    Option(9, "Master"),
    Option(10, "PhD"),
)
TAGS: tuple[Tag, ...] = (
    Tag(
        1,
        "Engineering",
        (Option(5, "Software Engineer"), Option(6, "DevOps Engineer"), Option(7, "Data Engineer")),
    ),
    Tag(2, "Sales", (Option(10, "Account Executive"), Option(11, "Sales Development"))),
    Tag(3, "Operations", (Option(12, "Process Operator"), Option(13, "Maintenance Technician"))),
    Tag(4, "Marketing", (Option(14, "Content Marketing"),)),
)
LANGUAGES: dict[str, str] = {"en": "English", "nl": "Nederlands", "de": "Deutsch", "fr": "Français"}

_TITLES: dict[int, tuple[tuple[str, int], ...]] = {
    # department id -> (title, tag id) pairs
    5: (
        ("Software Engineer", 5),
        ("DevOps Engineer", 6),
        ("Data Engineer", 7),
        ("Engineering Lead", 1),
    ),
    6: (("Account Executive", 10), ("Sales Development Representative", 11), ("Sales Manager", 2)),
    7: (("Content Marketer", 14), ("Marketing Manager", 4), ("Brand Specialist", 4)),
    8: (("Process Operator", 12), ("Maintenance Technician", 13), ("Shift Supervisor", 3)),
    9: (("Financial Controller", 3), ("Accounts Payable Clerk", 3)),
}

FILTER_NAMES: tuple[str, ...] = (
    "language",
    "location_id",
    "company_location_id",
    "department_id",
    "search",
    "experience_levels",
    "education_levels",
    "job_types",
    "tags",
)
_ARRAY_FILTERS: dict[str, str] = {
    "location_id": "location",
    "company_location_id": "company location",
    "department_id": "department",
    "experience_levels": "experience level",
    "education_levels": "education level",
    "job_types": "job type",
    "tags": "tag",
}


@cache
def vacancies() -> tuple[Vacancy, ...]:
    """The seeded vacancy catalogue (same on every run)."""
    rng = random.Random(CATALOGUE_SEED)
    result: list[Vacancy] = []
    for number in range(1, 101):
        department = rng.choices(DEPARTMENTS, weights=(35, 22, 15, 20, 8))[0]
        title, tag_id = rng.choice(_TITLES[department.id])
        location = rng.choices(LOCATIONS, weights=(30, 18, 12, 10, 8, 6, 6, 10))[0]
        company = rng.choice((None, None, *COMPANY_LOCATIONS))
        tags = {tag_id}
        if rng.random() < 0.25:
            tags.add(rng.choice((5, 6, 7, 10, 11, 12, 13, 14)))
        language = rng.choices(tuple(LANGUAGES), weights=(50, 35, 10, 5))[0]
        education = rng.choice((None, *[o.id for o in EDUCATION_LEVELS]))
        city = location.city or "remote"
        result.append(
            Vacancy(
                id=number,
                slug=re.sub(r"[^a-z0-9]+", "-", f"{title} {city} {number}".lower()).strip("-"),
                title=title,
                summary=f"<p>{title} in {city}, {department.name} team.</p>",
                language=language,
                location_id=location.id,
                company_location_id=company.id if company else None,
                department_id=department.id,
                experience_level_id=rng.choices(EXPERIENCE_LEVELS, weights=(25, 40, 35))[0].id,
                job_type_id=rng.choices(JOB_TYPES, weights=(70, 14, 11, 5))[0].id,
                education_level_id=education,
                tag_ids=frozenset(tags),
            )
        )
    return tuple(result)


@dataclass
class Filters:
    """Active facet filters, as parsed from the query string."""

    language: str | None = None
    search: str | None = None
    ids: dict[str, list[int]] = field(default_factory=dict)

    def applied(self) -> list[str]:
        """Names of the active filters, in the documented parameter order."""
        active = {name for name, values in self.ids.items() if values}
        if self.language:
            active.add("language")
        if self.search:
            active.add("search")
        return [name for name in FILTER_NAMES if name in active]


def parse_filters(
    items: Iterable[tuple[str, str]], *, agency: bool = True
) -> tuple[Filters, dict[str, list[str]]]:
    """Read the facet filters from query items, Laravel style.

    Accepts `location_id[]=1`, `location_id[0]=1` and `location_id=1` alike. A non-agency
    tenant (`agency=False`) has no work sites, so every `company_location_id` is invalid.

    Returns:
        The filters, and validation errors keyed like `location_id.0` (empty when valid).
    """
    filters = Filters()
    raw: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    language: str | None = None
    search: str | None = None
    for key, value in items:
        name = re.sub(r"\[[^\]]*\]$", "", key)
        if name in _ARRAY_FILTERS:
            raw.setdefault(name, []).append(value)
        elif name == "language":
            language = value
        elif name == "search":
            search = value
    # Checked as sent, so the rules are exactly what the OpenAPI document declares.
    if language is not None:
        if len(language) != 2:
            errors["language"] = ["The language must be 2 characters."]
        elif not re.fullmatch(r"[A-Za-z]{2}", language):
            errors["language"] = ["The language must only contain letters."]
        else:
            filters.language = language.lower()
    if search is not None:
        if len(search) > 255:
            errors["search"] = ["The search must not be greater than 255 characters."]
        else:
            filters.search = search.strip() or None
    known = known_ids() if agency else {**known_ids(), "company_location_id": frozenset()}
    for name, values in raw.items():
        ids: list[int] = []
        for index, value in enumerate(values):
            key = f"{name}.{index}"
            text = value
            if not re.fullmatch(r"-?[0-9]{1,18}", text):
                errors[key] = [f"The {key} must be an integer."]
            elif int(text) not in known[name]:
                errors[key] = [f"The {key} must be a valid {_ARRAY_FILTERS[name]}."]
            else:
                ids.append(int(text))
        filters.ids[name] = ids
    return filters, errors


@cache
def known_ids() -> dict[str, frozenset[int]]:
    """The valid ids of each array filter."""
    tag_ids = {t.id for t in TAGS} | {s.id for t in TAGS for s in t.sub_tags}
    return {
        "location_id": frozenset(p.id for p in LOCATIONS),
        "company_location_id": frozenset(p.id for p in COMPANY_LOCATIONS),
        "department_id": frozenset(o.id for o in DEPARTMENTS),
        "experience_levels": frozenset(o.id for o in EXPERIENCE_LEVELS),
        "education_levels": frozenset(o.id for o in EDUCATION_LEVELS),
        "job_types": frozenset(o.id for o in JOB_TYPES),
        "tags": frozenset(tag_ids),
    }


def _expanded_tags(selected: Iterable[int]) -> set[int]:
    """Selected tags plus the sub-tags of any selected main tag."""
    expanded = set(selected)
    for tag in TAGS:
        if tag.id in expanded:
            expanded.update(s.id for s in tag.sub_tags)
    return expanded


def _matches(vacancy: Vacancy, filters: Filters, *, ignore: str | None = None) -> bool:
    """Whether the vacancy passes every active filter except `ignore`."""
    if ignore != "language" and filters.language and vacancy.language != filters.language.lower():
        return False
    if ignore != "search" and filters.search:
        needle = filters.search.casefold()
        if needle not in vacancy.title.casefold() and needle not in vacancy.summary.casefold():
            return False
    singles = {
        "location_id": vacancy.location_id,
        "company_location_id": vacancy.company_location_id,
        "department_id": vacancy.department_id,
        "experience_levels": vacancy.experience_level_id,
        "education_levels": vacancy.education_level_id,
        "job_types": vacancy.job_type_id,
    }
    for name, value in singles.items():
        wanted = filters.ids.get(name)
        if name != ignore and wanted and value not in wanted:
            return False
    wanted_tags = filters.ids.get("tags")
    return not (
        ignore != "tags" and wanted_tags and not vacancy.tag_ids & _expanded_tags(wanted_tags)
    )


def facets(filters: Filters, *, agency: bool = True, now: datetime | None = None) -> dict[str, Any]:
    """The `/api/v1/vacancies/facets` response body for these filters.

    For a non-agency tenant (`agency=False`) `company_locations` is `[]`, as documented.
    """
    catalogue = vacancies()

    def pool(ignore: str) -> list[Vacancy]:
        return [v for v in catalogue if _matches(v, filters, ignore=ignore)]

    def place_options(places: tuple[Place, ...], name: str, attr: str) -> list[dict[str, Any]]:
        candidates = pool(name)
        selected = set(filters.ids.get(name, []))
        return [
            {
                "id": p.id,
                "name": p.name,
                "city": p.city,
                "country_code": p.country_code,
                "country_name": p.country_name,
                "count": sum(1 for v in candidates if getattr(v, attr) == p.id),
                "selected": p.id in selected,
            }
            for p in places
        ]

    def plain_options(options: tuple[Option, ...], name: str, attr: str) -> list[dict[str, Any]]:
        candidates = pool(name)
        selected = set(filters.ids.get(name, []))
        return [
            {
                "id": o.id,
                "name": o.name,
                "count": sum(1 for v in candidates if getattr(v, attr) == o.id),
                "selected": o.id in selected,
            }
            for o in options
        ]

    tag_pool = pool("tags")
    selected_tags = set(filters.ids.get("tags", []))
    tags = []
    for tag in TAGS:
        family = {tag.id, *(s.id for s in tag.sub_tags)}
        tags.append(
            {
                "id": tag.id,
                "name": tag.name,
                "count": sum(1 for v in tag_pool if v.tag_ids & family),
                "selected": tag.id in selected_tags,
                "sub_tags": [
                    {
                        "id": sub.id,
                        "name": sub.name,
                        "count": sum(1 for v in tag_pool if sub.id in v.tag_ids),
                        "selected": sub.id in selected_tags,
                    }
                    for sub in tag.sub_tags
                ],
            }
        )
    language_pool = pool("language")
    chosen_language = (filters.language or "").lower()
    languages = [
        {
            "code": code,
            "name": name,
            "count": sum(1 for v in language_pool if v.language == code),
            "selected": code == chosen_language,
        }
        for code, name in LANGUAGES.items()
    ]
    moment = now or datetime.now(tz=UTC)
    return {
        "data": {
            "locations": place_options(LOCATIONS, "location_id", "location_id"),
            "company_locations": (
                place_options(COMPANY_LOCATIONS, "company_location_id", "company_location_id")
                if agency
                else []
            ),
            "departments": plain_options(DEPARTMENTS, "department_id", "department_id"),
            "experience_levels": plain_options(
                EXPERIENCE_LEVELS, "experience_levels", "experience_level_id"
            ),
            "job_types": plain_options(JOB_TYPES, "job_types", "job_type_id"),
            "education_levels": plain_options(
                EDUCATION_LEVELS, "education_levels", "education_level_id"
            ),
            "tags": tags,
            "languages": languages,
        },
        "meta": {
            "generated_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "filters_applied": filters.applied(),
        },
    }
