"""Facets for the pick lists: fetched concurrently, cached on disk with a TTL, merged into options.

Two sources feed the lists. OpenTrain's tokenless ``GET /jobs/facets`` says which
languages and countries the marketplace uses, and how often; a recruiter's Recruitsome
``GET /api/v1/vacancies/facets`` (when a key is configured) says which languages,
locations, departments and tags *their* vacancies use. ``load_catalog`` fetches both at
once, keeps each answer in a small JSON file under the XDG cache dir for a TTL (a second
use within the TTL sends no request), and merges them into an ``OptionCatalog``. It never
raises: a source that fails leaves the reference lists (or its last cached answer) and a
quiet note in ``catalog.notes``, so the form is never blocked.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from wizard.api.errors import WizardAPIError
from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.opentrain.models import MarketplaceFacets
from wizard.api.recruitsome.client import RecruitsomeClient
from wizard.api.recruitsome.filters import Filters, filters_cache_key
from wizard.api.recruitsome.models import LocationFacet, TagFacet, VacancyFacets
from wizard.config import DEFAULT_FACETS_TTL as DEFAULT_FACETS_TTL
from wizard.config import STALE_LIMIT
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
from wizard.core.paths import cache_dir as default_cache_dir
from wizard.core.paths import private_dir

CACHE_VERSION = 1

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

ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")


# ---- the disk cache -------------------------------------------------------------------


@dataclass(frozen=True)
class CacheEntry:
    """One cached answer."""

    payload: dict[str, Any]
    fetched_at: float
    """When it was fetched (epoch seconds)."""
    age: float
    """Seconds since then."""


class FacetCache:
    """Small JSON files, one per source and scope, written atomically, read defensively.

    A file that is missing, unreadable, not JSON, of another version, dated in the future
    or otherwise odd is ignored (as if absent). Writes go to a temporary file in the same
    directory and are renamed into place, so a reader never sees half a file. Files and
    the directory are private to the user (a tenant's facets are its own business).
    """

    def __init__(
        self,
        directory: Path | None = None,
        *,
        ttl: float = DEFAULT_FACETS_TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Build a cache.

        Args:
            directory: Where the files live; ``$XDG_CACHE_HOME/draft-wizard`` when None.
            ttl: Seconds an entry stays fresh; 0 or less turns fresh reads off.
            clock: The time source (tests advance it by hand).
        """
        self.directory = directory if directory is not None else default_cache_dir()
        self.ttl = ttl
        self.clock = clock

    def path_for(self, name: str) -> Path:
        """The file that holds entry ``name``."""
        return self.directory / f"facets-{name}.json"

    def read(self, name: str, *, max_age: float | None = None) -> CacheEntry | None:
        """The entry if it is younger than ``max_age`` (default: the TTL), else None."""
        limit = self.ttl if max_age is None else max_age
        if limit <= 0:
            return None
        try:
            raw = self.path_for(name).read_bytes()
            document = json.loads(raw)
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        if not isinstance(document, dict) or document.get("version") != CACHE_VERSION:
            return None
        fetched_at = document.get("fetchedAt")
        payload = document.get("payload")
        if document.get("name") != name or not isinstance(payload, dict):
            return None
        if not isinstance(fetched_at, int | float) or isinstance(fetched_at, bool):
            return None
        age = self.clock() - float(fetched_at)
        if age < -60.0 or age >= limit:
            return None  # from the future (a clock jump), or too old
        return CacheEntry(payload=payload, fetched_at=float(fetched_at), age=max(age, 0.0))

    def write(self, name: str, payload: dict[str, Any]) -> bool:
        """Store an entry atomically; False (and nothing changed) when the disk says no."""
        document = {
            "version": CACHE_VERSION,
            "name": name,
            "fetchedAt": self.clock(),
            "payload": payload,
        }
        data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        tmp: str | None = None
        try:
            directory = private_dir(self.directory)
            fd, tmp = tempfile.mkstemp(prefix=f".facets-{name}.", suffix=".tmp", dir=directory)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path_for(name))
            tmp = None
            return True
        except OSError:
            return False
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def forget(self, name: str) -> None:
        """Drop an entry (missing is fine)."""
        with contextlib.suppress(OSError):
            self.path_for(name).unlink()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def marketplace_cache_name(client: OpenTrainClient, scope: str | None = None) -> str:
    """The cache entry of one OpenTrain origin's marketplace facets.

    ``scope`` replaces the origin when it is not stable: the embedded sandbox listens on a
    new port every run, so it is cached as ``sandbox`` (as the journal scopes it).
    """
    return f"opentrain-{_digest(scope or client.root)}"


def vacancies_cache_name(
    client: RecruitsomeClient, filters: Filters | None = None, scope: str | None = None
) -> str:
    """The cache entry of one Recruitsome tenant's facets under one set of filters.

    It is derived from the origin, a one-way digest of the key and the filters, so two
    tenants (or two filter sets) never share an entry and the key is never on disk.
    """
    origin = scope or client.root
    return f"recruitsome-{_digest(origin, client.key_fingerprint, filters_cache_key(filters))}"


# ---- fetching through the cache -------------------------------------------------------


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """A source's answer, and whether it came from the cache."""

    value: T
    from_cache: bool = False
    age: float = 0.0
    """Seconds since it was fetched from the server."""
    stale: bool = False
    """Older than the TTL: shown only because the fetch just failed."""


_INFLIGHT: dict[tuple[int, str], asyncio.Future[Any]] = {}


async def _once(key: str, factory: Callable[[], Awaitable[T]]) -> T:
    """Run ``factory`` once for concurrent callers asking for the same ``key``.

    The engine and the UI may both ask for facets while the form composes; the second
    caller waits for the first one's request instead of sending its own.
    """
    loop = asyncio.get_running_loop()
    token = (id(loop), key)
    running = _INFLIGHT.get(token)
    if running is not None and running.get_loop() is loop:
        result: T = await asyncio.shield(running)
        return result
    task: asyncio.Future[T] = asyncio.ensure_future(factory())
    # Someone always retrieves the outcome, so an abandoned failure is never logged.
    task.add_done_callback(lambda t: None if t.cancelled() else t.exception())
    _INFLIGHT[token] = task
    try:
        return await asyncio.shield(task)
    finally:
        if _INFLIGHT.get(token) is task:
            del _INFLIGHT[token]


def _write_soon(cache: FacetCache, name: str, payload: dict[str, Any]) -> Awaitable[bool]:
    # fsync can take milliseconds; keep it off the event loop the UI draws from.
    return asyncio.to_thread(cache.write, name, payload)


async def _cached(
    cache: FacetCache | None,
    name: str,
    model: type[ModelT],
    fetch: Callable[[], Awaitable[ModelT]],
    dump: Callable[[ModelT], dict[str, Any]],
    *,
    refresh: bool,
) -> Fetched[ModelT]:
    if cache is not None and not refresh:
        entry = cache.read(name)
        if entry is not None:
            with contextlib.suppress(ValidationError):
                return Fetched(model.model_validate(entry.payload), from_cache=True, age=entry.age)

    async def go() -> Fetched[ModelT]:
        value = await fetch()
        if cache is not None and cache.ttl > 0:
            await _write_soon(cache, name, dump(value))
        return Fetched(value)

    directory = str(cache.directory) if cache is not None else ""
    return await _once(f"{directory}\x1f{name}", go)


def _stale(cache: FacetCache | None, name: str, model: type[ModelT]) -> Fetched[ModelT] | None:
    if cache is None:
        return None
    entry = cache.read(name, max_age=STALE_LIMIT)
    if entry is None:
        return None
    try:
        return Fetched(model.model_validate(entry.payload), True, entry.age, stale=True)
    except ValidationError:
        return None


async def cached_marketplace_facets(
    client: OpenTrainClient,
    cache: FacetCache | None,
    *,
    refresh: bool = False,
    scope: str | None = None,
) -> Fetched[MarketplaceFacets]:
    """OpenTrain's marketplace facets, from the cache when fresh; raises the client's errors."""
    return await _cached(
        cache,
        marketplace_cache_name(client, scope),
        MarketplaceFacets,
        client.facets,
        lambda facets: facets.model_dump(mode="json", by_alias=True),
        refresh=refresh,
    )


async def cached_vacancy_facets(
    client: RecruitsomeClient,
    cache: FacetCache | None,
    filters: Filters | None = None,
    *,
    refresh: bool = False,
    scope: str | None = None,
) -> Fetched[VacancyFacets]:
    """A tenant's vacancy facets under ``filters``, from the cache when fresh; raises errors."""
    return await _cached(
        cache,
        vacancies_cache_name(client, filters, scope),
        VacancyFacets,
        lambda: client.vacancy_facets(filters),
        VacancyFacets.to_document,
        refresh=refresh,
    )


@dataclass
class FacetsSnapshot:
    """What the sources said (or why they said nothing)."""

    marketplace: Fetched[MarketplaceFacets] | None = None
    vacancies: Fetched[VacancyFacets] | None = None
    errors: dict[str, Exception] = field(default_factory=dict)
    """Failures by source name (``opentrain``, ``recruitsome``)."""
    notes: list[str] = field(default_factory=list)
    """Quiet notes for the person."""


def _ago(seconds: float) -> str:
    if seconds < 90:
        return "a minute ago"
    if seconds < 5400:
        return f"{round(seconds / 60)} min ago"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h ago"
    days = round(seconds / 86400)
    return f"{days} day{'s' if days != 1 else ''} ago"


def _reason(err: Exception) -> str:
    if isinstance(err, WizardAPIError):
        return err.message.rstrip(".")
    return f"unexpected {type(err).__name__}"


async def load_facets(
    opentrain: OpenTrainClient | None,
    recruitsome: RecruitsomeClient | None,
    *,
    ttl: float = DEFAULT_FACETS_TTL,
    cache_dir: Path | None = None,
    filters: Filters | None = None,
    refresh: bool = False,
    stale_fallback: bool = True,
    clock: Callable[[], float] = time.time,
    scope: str | None = None,
) -> FacetsSnapshot:
    """Fetch both sources concurrently through the cache; never raises.

    Args:
        opentrain: The OpenTrain client, or None to skip marketplace facets.
        recruitsome: The Recruitsome client, or None when no key is configured.
        ttl: Seconds a cached answer stays fresh; 0 always fetches and caches nothing.
        cache_dir: The cache directory; ``$XDG_CACHE_HOME/draft-wizard`` when None.
        filters: Recruitsome filters (the counts honour them).
        refresh: Skip fresh cache entries (the answer is still cached for next time).
        stale_fallback: When a fetch fails, use a cached answer up to ``STALE_LIMIT`` old.
        clock: The time source of the cache.
    """
    cache = FacetCache(cache_dir, ttl=ttl, clock=clock)
    snapshot = FacetsSnapshot()
    jobs: list[Awaitable[Any]] = []
    if opentrain is not None:
        jobs.append(cached_marketplace_facets(opentrain, cache, refresh=refresh, scope=scope))
    if recruitsome is not None:
        jobs.append(
            cached_vacancy_facets(recruitsome, cache, filters, refresh=refresh, scope=scope)
        )
    results = await asyncio.gather(*jobs, return_exceptions=True)
    position = 0
    if opentrain is not None:
        outcome = results[position]
        position += 1
        if isinstance(outcome, Fetched):
            snapshot.marketplace = outcome
        elif isinstance(outcome, Exception):
            snapshot.errors[OPENTRAIN] = outcome
            old = (
                _stale(cache, marketplace_cache_name(opentrain, scope), MarketplaceFacets)
                if stale_fallback
                else None
            )
            if old is not None:
                snapshot.marketplace = old
                snapshot.notes.append(
                    f"Marketplace facets unavailable ({_reason(outcome)}); showing counts "
                    f"from {_ago(old.age)}."
                )
            else:
                snapshot.notes.append(
                    f"Marketplace facets unavailable ({_reason(outcome)}); lists take free entry."
                )
        elif isinstance(outcome, BaseException):
            raise outcome  # cancellation and the like are not ours to swallow
    if recruitsome is not None:
        outcome = results[position]
        if isinstance(outcome, Fetched):
            snapshot.vacancies = outcome
        elif isinstance(outcome, Exception):
            snapshot.errors[RECRUITSOME] = outcome
            old_vacancies = (
                _stale(cache, vacancies_cache_name(recruitsome, filters, scope), VacancyFacets)
                if stale_fallback
                else None
            )
            if old_vacancies is not None:
                snapshot.vacancies = old_vacancies
                snapshot.notes.append(
                    f"Recruitsome suggestions unavailable ({_reason(outcome)}); showing "
                    f"counts from {_ago(old_vacancies.age)}."
                )
            else:
                snapshot.notes.append(f"Recruitsome suggestions unavailable ({_reason(outcome)}).")
        elif isinstance(outcome, BaseException):
            raise outcome
    return snapshot


# ---- merging into the catalog ---------------------------------------------------------


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


def tag_tree(tags: list[TagFacet]) -> list[Option]:
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
    catalog.set_options(TAGS_KEY, tag_tree(groups.tags))


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
) -> OptionCatalog:
    """Pick-list options from both facet sources, fetched concurrently and cached; never raises.

    A failed source leaves the reference lists (or its last cached answer, if any) and a
    quiet note in ``catalog.notes``.
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
        )
    except Exception as err:  # belt and braces: the form must never be blocked by facets
        snapshot = FacetsSnapshot(notes=[f"Facets unavailable ({_reason(err)})."])
    return build_catalog(snapshot, base)
