"""``draft-wizard facets``: the values the pick lists offer, with counts, for people and scripts.

Both facet docs suggest exactly this: look the values up instead of guessing strings.
OpenTrain's marketplace facets need no token; Recruitsome's need ``RECRUITSOME_API_KEY``
(in sandbox mode the sandbox serves them with its own demo key). People get one table per
facet group on stdout; ``--json`` prints exactly one JSON document that keeps each source's
own structure (counts, codes, ids, sub-tags). Exit codes: 0 done, 1 a source failed (an
invalid filter, a rejected key, the network), 2 a usage error. The key is never printed.

Facet values are server text: every line printed passes ``clean_text`` (no escape
sequences or control characters reach the terminal, whatever the API layer let through),
and the JSON document escapes what a terminal could act on.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from wizard.api.errors import APIStatusError, InsecureURLError, WizardAPIError
from wizard.api.opentrain.models import MarketplaceFacets
from wizard.api.recruitsome.client import RecruitsomeClient
from wizard.api.recruitsome.errors import InvalidFilterError
from wizard.api.recruitsome.filters import KNOWN_FILTERS, SCALAR_FILTERS, filter_base_name
from wizard.api.recruitsome.models import LocationFacet, VacancyFacets
from wizard.api.sanitize import clean_text
from wizard.cli.facets_args import SOURCES
from wizard.cli.facets_source import SourceInfo, UnknownFilterValue, origin_of, unknown_filter_value
from wizard.cli.output import json_text
from wizard.core.backend import Backend
from wizard.core.facets.loader import Fetched, load_facets
from wizard.core.keys import humanize_enum
from wizard.core.options import OPENTRAIN, RECRUITSOME, country_label, language_name
from wizard.launch import Launcher, recruitsome_client_for
from wizard.settings import Settings

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(ValueError):
    """The command line asks for something impossible (exit 2)."""


@dataclass
class FacetsRequest:
    """What the command line asked for."""

    sources: tuple[str, ...] | None = None
    """None: every configured source (OpenTrain, plus Recruitsome when a key is set)."""
    filters: dict[str, str | list[str]] = field(default_factory=dict)
    as_json: bool = False
    refresh: bool = False

    @property
    def explicit_recruitsome(self) -> bool:
        """Whether Recruitsome was asked for by name (so a missing key is an error)."""
        return self.sources is not None and RECRUITSOME in self.sources


def parse_filters(items: Sequence[str]) -> dict[str, str | list[str]]:
    """``["language=en", "tags=1,5", "tags=6"]`` → ``{"language": "en", "tags": [1, 5, 6]}``.

    Raises:
        UsageError: a malformed item, an unknown filter, an empty value, or a text
            filter given twice.
    """
    out: dict[str, str | list[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        name = filter_base_name(key)
        if not sep or not name:
            raise UsageError(f"--filter expects KEY=VALUE, got {item!r}.")
        if name not in KNOWN_FILTERS:
            raise UsageError(
                f"--filter {name!r} is not a Recruitsome facet filter; use one of: "
                f"{', '.join(KNOWN_FILTERS)}."
            )
        value = value.strip()
        if name in SCALAR_FILTERS:
            if not value:
                raise UsageError(f"--filter {name}= has no value.")
            if name in out:
                raise UsageError(f"--filter {name} is given twice; it takes one value.")
            out[name] = value
            continue
        values = [part.strip() for part in value.split(",") if part.strip()]
        if not values:
            raise UsageError(f"--filter {name}= has no value.")
        existing = out.setdefault(name, [])
        assert isinstance(existing, list)
        existing.extend(v for v in values if v not in existing)
    return out


def request_from_args(args: argparse.Namespace) -> FacetsRequest:
    """Read the parsed command line; raises ``UsageError`` when it makes no sense."""
    source = getattr(args, "source", None)
    if source is not None and source not in SOURCES:
        raise UsageError(f"--source must be one of: {', '.join(SOURCES)}.")
    raw_filters = getattr(args, "filters", None) or []
    if isinstance(raw_filters, str):
        raw_filters = [raw_filters]
    filters = parse_filters(list(raw_filters))
    if filters and source == OPENTRAIN:
        raise UsageError("--filter applies to Recruitsome facets; OpenTrain's take no filters.")
    return FacetsRequest(
        sources=(source,) if source else None,
        filters=filters,
        as_json=bool(getattr(args, "json", False)),
        refresh=bool(getattr(args, "refresh", False)),
    )


# ---- output -------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a facet table."""

    name: str
    detail: str
    count: int
    selected: bool = False
    depth: int = 0


def _say(text: str) -> None:
    print(clean_text(text), file=sys.stderr)


def _cell(text: str) -> str:
    # Cleaned before the widths are measured, and on one line: a tab or newline in a
    # facet value would break the table.
    return " ".join(clean_text(text).split())


def _table(title: str, unit: str, rows: list[Row]) -> list[str]:
    if not rows:
        return [title, "  (none)"]
    rows = [Row(_cell(r.name), _cell(r.detail), r.count, r.selected, r.depth) for r in rows]
    names = [("    " * row.depth) + row.name for row in rows]
    name_width = max(len(title) - 2, *(len(n) for n in names))
    detail_width = max(len(row.detail) for row in rows)
    count_width = max(len(unit), *(len(str(row.count)) for row in rows))
    gap = "  " + " " * detail_width + "  " if detail_width else "  "
    lines = [f"{title:<{name_width + 2}}{gap}{unit:>{count_width}}"]
    for row, name in zip(rows, names, strict=True):
        marker = "*" if row.selected else " "
        detail = f"  {row.detail:<{detail_width}}  " if detail_width else "  "
        lines.append(f"{marker} {name:<{name_width}}{detail}{row.count:>{count_width}}")
    return lines


def _age(fetched: Fetched[Any]) -> str:
    if not fetched.from_cache:
        return ""
    minutes = int(fetched.age // 60)
    return f", cached {minutes} min ago" if minutes else ", cached just now"


def render_marketplace(
    fetched: Fetched[MarketplaceFacets], source: SourceInfo | None = None
) -> list[str]:
    """OpenTrain's facets as tables, under a line saying where they come from."""
    facets = fetched.value
    when = f"generated {facets.generated_at}" if facets.generated_at else "no timestamp"
    lines = [f"OpenTrain marketplace: {facets.total_jobs} open jobs ({when}{_age(fetched)})"]
    if source is not None:
        lines.append(source.sentence("Source"))
    lines.append("")
    groups: list[tuple[str, list[Row]]] = [
        ("Categories", [Row(f.value, "", f.count) for f in facets.categories]),
        (
            "Languages",
            [Row(f.value, "", f.count) for f in facets.languages],
        ),
        (
            "Countries",
            [
                Row(country_label(f.value).rsplit(" (", 1)[0], f.value, f.count)
                for f in facets.countries
            ],
        ),
        ("Pay types", [Row(humanize_enum(f.value), f.value, f.count) for f in facets.pay_types]),
    ]
    for title, rows in groups:
        lines.extend(_table(title, "jobs", rows))
        lines.append("")
    return lines


def _place_rows(places: list[LocationFacet]) -> list[Row]:
    rows = []
    for place in places:
        where = place.place if place.place and place.place != place.name else ""
        if place.country_code:
            where = f"{where} ({place.country_code})" if where else place.country_code
        name = f"{place.name} - {where}" if where else place.name
        rows.append(Row(name, f"id {place.id}", place.count, place.selected))
    return rows


def _describe_filters(filters: dict[str, str | list[str]]) -> list[str]:
    return [
        f"{name}={value if isinstance(value, str) else ','.join(value)}"
        for name, value in filters.items()
    ]


def render_vacancies(
    fetched: Fetched[VacancyFacets],
    filters: dict[str, str | list[str]] | None = None,
    source: SourceInfo | None = None,
) -> list[str]:
    """Recruitsome's facets as tables; ``*`` marks the active filters."""
    facets = fetched.value
    data = facets.data
    applied = _describe_filters(filters) if filters else facets.meta.filter_names
    when = f"generated {facets.meta.generated_at}" if facets.meta.generated_at else "no timestamp"
    active = f"; filters: {', '.join(applied)}" if applied else ""
    lines = [f"Recruitsome vacancy facets ({when}{active}{_age(fetched)})"]
    if source is not None:
        lines.append(source.sentence("Source"))
    lines.append("")

    def plain(items: list[Any]) -> list[Row]:
        return [Row(i.name, f"id {i.id}", i.count, i.selected) for i in items]

    tags: list[Row] = []
    for tag in data.tags:
        tags.append(Row(tag.name, f"id {tag.id}", tag.count, tag.selected))
        tags.extend(Row(s.name, f"id {s.id}", s.count, s.selected, depth=1) for s in tag.sub_tags)
    languages = [
        Row(
            f"{lang.name} ({language_name(lang.code)})"
            if language_name(lang.code) and language_name(lang.code) != lang.name
            else lang.name or lang.code,
            lang.code,
            lang.count,
            lang.selected,
        )
        for lang in data.languages
    ]
    groups: list[tuple[str, list[Row]]] = [
        ("Locations", _place_rows(data.locations)),
        ("Work sites", _place_rows(data.company_locations)),
        ("Departments", plain(data.departments)),
        ("Experience levels", plain(data.experience_levels)),
        ("Job types", plain(data.job_types)),
        ("Education levels", plain(data.education_levels)),
        ("Tags", tags),
        ("Languages", languages),
    ]
    any_selected = False
    for title, rows in groups:
        any_selected = any_selected or any(row.selected for row in rows)
        lines.extend(_table(title, "vacancies", rows))
        lines.append("")
    if any_selected:
        lines.append("* an active filter")
    return lines


def _error_entry(err: Exception) -> dict[str, Any]:
    message = err.message if isinstance(err, WizardAPIError) else f"unexpected {type(err).__name__}"
    entry: dict[str, Any] = {"message": message, "kind": "api"}
    if isinstance(err, APIStatusError):
        entry.update(status=err.status_code, code=err.code)
    if isinstance(err, InvalidFilterError):
        entry.update(kind="filter", filter=err.filter, filters=err.filter_errors)
    if isinstance(err, UnknownFilterValue):
        entry.update(kind="filter", filter=err.filter)
    return entry


_NAMES = {OPENTRAIN: "OpenTrain marketplace", RECRUITSOME: "Recruitsome vacancy facets"}


def _source(
    root: str, sandbox: bool, fetched: Fetched[Any], generated_at: str | None
) -> SourceInfo:
    return SourceInfo(
        origin=origin_of(root),
        sandbox=sandbox,
        generated_at=generated_at,
        cached_age=fetched.age if fetched.from_cache else None,
    )


def _usage(request_json: bool, message: str) -> int:
    _say(f"draft-wizard facets: {message}")
    if request_json:
        print(json_text({"error": {"message": clean_text(message), "kind": "usage"}}))
    return EXIT_USAGE


# ---- running ------------------------------------------------------------------------------


async def run_facets_async(request: FacetsRequest, settings: Settings, launcher: Launcher) -> int:
    """Fetch, print, and return the exit code (the event-loop half of ``run_facets``)."""
    backend: Backend | None = None
    recruitsome: RecruitsomeClient | None = None
    try:
        try:
            backend = await launcher.connect()
            recruitsome = recruitsome_client_for(settings, backend)
        except InsecureURLError as err:
            return _usage(request.as_json, err.message)
        wanted = request.sources or SOURCES
        if RECRUITSOME in wanted and recruitsome is None:
            if request.explicit_recruitsome or request.filters:
                return _usage(
                    request.as_json,
                    "no Recruitsome API key is configured; set RECRUITSOME_API_KEY "
                    "(or use --sandbox).",
                )
            _say("Recruitsome: skipped (set RECRUITSOME_API_KEY to see your vacancy facets).")
        snapshot = await load_facets(
            backend.client if OPENTRAIN in wanted else None,
            recruitsome if RECRUITSOME in wanted else None,
            ttl=settings.facets_ttl,
            filters=request.filters,
            refresh=request.refresh,
            stale_fallback=False,
        )
        if snapshot.vacancies is not None and request.filters:
            # Unknown values give all-zero counts, which read like an answer: refuse them.
            unknown = unknown_filter_value(request.filters, snapshot.vacancies.value)
            if unknown is not None:
                snapshot.vacancies = None
                snapshot.errors[RECRUITSOME] = UnknownFilterValue(unknown[1], unknown[0])
        document: dict[str, Any] = {}
        lines: list[str] = []
        sources: dict[str, SourceInfo] = {}
        if snapshot.marketplace is not None:
            document[OPENTRAIN] = snapshot.marketplace.value.model_dump(mode="json", by_alias=True)
            sources[OPENTRAIN] = _source(
                backend.client.root,
                backend.sandbox,
                snapshot.marketplace,
                snapshot.marketplace.value.generated_at,
            )
            lines.extend(render_marketplace(snapshot.marketplace, sources[OPENTRAIN]))
        if snapshot.vacancies is not None and recruitsome is not None:
            document[RECRUITSOME] = snapshot.vacancies.value.to_document()
            sources[RECRUITSOME] = _source(
                recruitsome.root,
                backend.sandbox and origin_of(recruitsome.root) == origin_of(backend.client.root),
                snapshot.vacancies,
                snapshot.vacancies.value.meta.generated_at,
            )
            lines.extend(
                render_vacancies(snapshot.vacancies, request.filters, sources[RECRUITSOME])
            )
        if sources:
            document["sources"] = {name: info.document() for name, info in sources.items()}
            if request.as_json:
                # People read stderr in JSON mode: say where the numbers come from there.
                for name, info in sources.items():
                    _say(info.sentence(_NAMES[name]))
        for source, failure in snapshot.errors.items():
            name = "OpenTrain" if source == OPENTRAIN else "Recruitsome"
            message = str(_error_entry(failure)["message"])
            said = message if message.startswith(name) else f"{name}: {message}"
            _say(f"draft-wizard facets: {said}")
        if snapshot.errors:
            document["errors"] = {s: _error_entry(e) for s, e in snapshot.errors.items()}
        if request.as_json:
            print(json_text(document))
        elif lines:
            while lines and not lines[-1]:
                lines.pop()
            print(clean_text("\n".join(lines)))
        return EXIT_API if snapshot.errors else EXIT_OK
    finally:
        if recruitsome is not None:
            await recruitsome.aclose()
        if backend is not None:
            await backend.aclose()


def run_facets(args: argparse.Namespace, settings: Settings, launcher: Launcher) -> int:
    """Run ``draft-wizard facets``; returns the exit code. The caller stops the launcher."""
    as_json = bool(getattr(args, "json", False))
    try:
        request = request_from_args(args)
    except UsageError as err:
        return _usage(as_json, str(err))
    try:
        return asyncio.run(run_facets_async(request, settings, launcher))
    except KeyboardInterrupt:
        _say("draft-wizard facets: interrupted.")
        return EXIT_INTERRUPTED
