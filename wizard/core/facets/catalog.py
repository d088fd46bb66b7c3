"""The facets merged into the pick lists' ``OptionCatalog``.

OpenTrain's marketplace counts and a recruiter's Recruitsome counts are added to the
reference lists (languages and countries, with a note per source), and Recruitsome's own
groups (locations, departments, tags as a tree) are kept under ``recruitsome:*`` keys.
``load_catalog`` fetches (see ``loader``) and merges in one call, and never raises.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.opentrain.models import MarketplaceFacets
from wizard.core.facets.cache import DEFAULT_FACETS_TTL, InFlight
from wizard.core.facets.loader import FacetsSnapshot, failure_reason, load_facets
from wizard.core.keys import humanize_enum
from wizard.core.options import (
    OPENTRAIN,
    RECRUITSOME,
    Option,
    OptionCatalog,
    SourceCount,
    country_code,
    country_label,
    language_name,
)

if TYPE_CHECKING:
    # Only a run with a Recruitsome key reads vacancy facets (``apply_vacancies``).
    from wizard.api.recruitsome.client import RecruitsomeClient
    from wizard.api.recruitsome.filters import Filters
    from wizard.api.recruitsome.models import LocationFacet, TagFacet, VacancyFacets

OPENTRAIN_NOTE = "used in {count} open job{s}"
RECRUITSOME_NOTE = "in {count} of your vacancies"

CATEGORIES_KEY = "opentrain:categories"
PAY_TYPES_KEY = "opentrain:payTypes"
TAGS_KEY = "recruitsome:tags"
"""Recruitsome tags, as a tree: main tags with their sub-tags as children."""
RECRUITSOME_GROUP_KEYS: dict[str, str] = {
    "locations": "recruitsome:locations",
    "company_locations": "recruitsome:company_locations",
    "departments": "recruitsome:departments",
    "experience_levels": "recruitsome:experience_levels",
    "job_types": "recruitsome:job_types",
    "education_levels": "recruitsome:education_levels",
}
"""Catalog keys of the other Recruitsome groups (suggestions; no draft key takes them as is)."""


def _marketplace_language(value: str) -> str:
    # Documented as names ("English"); a code is tolerated and named.
    if len(value.strip()) == 2:
        return language_name(value) or value
    return value


def _marketplace_country(value: str) -> str:
    # Documented as ISO-2 codes ("US"); a name is tolerated and coded.
    return country_code(value) or value


def apply_marketplace(catalog: OptionCatalog, facets: MarketplaceFacets) -> None:
    """Merge OpenTrain's marketplace counts: languages, countries, categories, pay types."""
    languages: dict[str, int] = {}
    for item in facets.languages:
        name = _marketplace_language(item.value)
        languages[name] = languages.get(name, 0) + item.count
    catalog.add_counts(
        "languages", languages.items(), note_template=OPENTRAIN_NOTE, source=OPENTRAIN
    )
    countries: dict[str, int] = {}
    for item in facets.countries:
        code = _marketplace_country(item.value)
        countries[code] = countries.get(code, 0) + item.count
    catalog.add_counts(
        "countries",
        countries.items(),
        note_template=OPENTRAIN_NOTE,
        label_for={code: country_label(code) for code in countries},
        source=OPENTRAIN,
    )
    catalog.add_counts(
        CATEGORIES_KEY,
        [(item.value, item.count) for item in facets.categories],
        note_template=OPENTRAIN_NOTE,
        source=OPENTRAIN,
    )
    catalog.add_counts(
        PAY_TYPES_KEY,
        [(item.value, item.count) for item in facets.pay_types],
        note_template=OPENTRAIN_NOTE,
        label_for={item.value: humanize_enum(item.value) for item in facets.pay_types},
        source=OPENTRAIN,
    )


def _recruitsome_count(count: int) -> SourceCount:
    return SourceCount(RECRUITSOME, count, RECRUITSOME_NOTE.format(count=count))


def _location_label(location: LocationFacet) -> str:
    name = location.name or location.city or location.country_name or str(location.id)
    if location.city and location.city == name:
        return f"{name}, {location.country_name}" if location.country_name else name
    place = location.place
    return f"{name} ({place})" if place and place != name else name


def _flat_option(name: str, count: int, ident: Any, label: str | None = None) -> Option:
    entry = _recruitsome_count(count)
    return Option(
        value=name,
        label=label or name,
        count=count,
        note=entry.note,
        counts=(entry,),
        ref=None if ident is None else str(ident),
    )


def _tag_tree(tags: list[TagFacet]) -> list[Option]:
    """Recruitsome tags as options: each main tag with its sub-tags as children."""
    tree: list[Option] = []
    for tag in tags:
        children = tuple(
            _flat_option(sub.name or str(sub.id), sub.count, sub.id) for sub in tag.sub_tags
        )
        parent = _flat_option(tag.name or str(tag.id), tag.count, tag.id)
        tree.append(replace(parent, children=children))
    return tree


def _country_counts(facets: VacancyFacets) -> tuple[dict[str, int], dict[str, str]]:
    """Vacancies per country code, and a name for each code.

    Locations and work sites are summed separately and the larger total is kept, so a
    vacancy with both a location and a work site in one country is not counted twice.
    """
    names: dict[str, str] = {}

    def per_country(locations: list[LocationFacet]) -> dict[str, int]:
        out: dict[str, int] = {}
        for location in locations:
            code = location.country_code or (
                country_code(location.country_name) if location.country_name else None
            )
            if not code:
                continue  # remote, or a place with no country: nothing to suggest
            out[code] = out.get(code, 0) + location.count
            if location.country_name:
                names.setdefault(code, location.country_name)
        return out

    by_location = per_country(facets.data.locations)
    by_site = per_country(facets.data.company_locations)
    merged = {
        code: max(by_location.get(code, 0), by_site.get(code, 0))
        for code in [*by_location, *(c for c in by_site if c not in by_location)]
    }
    return merged, names


def apply_vacancies(catalog: OptionCatalog, facets: VacancyFacets) -> None:
    """Merge a recruiter's Recruitsome counts: languages (ISO codes named), countries of
    their locations, and their own groups (tags as a tree) under ``recruitsome:*`` keys."""
    from wizard.api.recruitsome.models import LocationFacet

    languages: dict[str, int] = {}
    for language in facets.data.languages:
        name = language_name(language.code) if language.code else None
        name = name or language.name or language.code
        if name:
            languages[name] = languages.get(name, 0) + language.count
    catalog.add_counts(
        "languages", languages.items(), note_template=RECRUITSOME_NOTE, source=RECRUITSOME
    )
    countries, names = _country_counts(facets)
    catalog.add_counts(
        "countries",
        countries.items(),
        note_template=RECRUITSOME_NOTE,
        label_for={code: country_label(code, names.get(code)) for code in countries},
        source=RECRUITSOME,
    )
    groups = facets.data
    for group, key in RECRUITSOME_GROUP_KEYS.items():
        items = getattr(groups, group)
        options = [
            _flat_option(
                item.name or str(item.id),
                item.count,
                item.id,
                _location_label(item) if isinstance(item, LocationFacet) else None,
            )
            for item in items
        ]
        catalog.set_options(key, options)
    catalog.set_options(TAGS_KEY, _tag_tree(groups.tags))


def build_catalog(snapshot: FacetsSnapshot, base: OptionCatalog | None = None) -> OptionCatalog:
    """The reference catalog (or ``base``) with the snapshot's counts and notes merged in."""
    catalog = base if base is not None else OptionCatalog.reference()
    if snapshot.marketplace is not None:
        apply_marketplace(catalog, snapshot.marketplace.value)
    if snapshot.vacancies is not None:
        apply_vacancies(catalog, snapshot.vacancies.value)
    catalog.notes.extend(note for note in snapshot.notes if note not in catalog.notes)
    return catalog


async def load_catalog(
    opentrain: OpenTrainClient | None,
    recruitsome: RecruitsomeClient | None,
    *,
    ttl: float = DEFAULT_FACETS_TTL,
    cache_dir: Path | None = None,
    filters: Filters | None = None,
    base: OptionCatalog | None = None,
    clock: Callable[[], float] = time.time,
    scope: str | None = None,
    inflight: InFlight | None = None,
) -> OptionCatalog:
    """Pick-list options from both facet sources, fetched concurrently and cached; never raises.

    A failed source leaves the reference lists (or its last cached answer, if any) and a
    quiet note in ``catalog.notes``. Concurrent callers sharing ``inflight`` share one
    request per source (None: this call's own).
    """
    try:
        snapshot = await load_facets(
            opentrain,
            recruitsome,
            ttl=ttl,
            cache_dir=cache_dir,
            filters=filters,
            clock=clock,
            scope=scope,
            inflight=inflight,
        )
    except Exception as err:  # belt and braces: the form must never be blocked by facets
        snapshot = FacetsSnapshot(notes=[f"Facets unavailable ({failure_reason(err)})."])
    return build_catalog(snapshot, base)
