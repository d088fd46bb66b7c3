"""The two facet sources, fetched concurrently through the disk cache.

OpenTrain's tokenless ``GET /jobs/facets`` says which languages and countries the
marketplace uses, and how often; a recruiter's Recruitsome ``GET /api/v1/vacancies/facets``
(when a key is configured) says which languages, locations, departments and tags *their*
vacancies use. ``load_facets`` asks both at once and never raises: a source that fails
leaves its last cached answer (up to ``STALE_LIMIT`` old) or nothing, and a quiet note.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from wizard.api.errors import WizardAPIError
from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.opentrain.models import MarketplaceFacets
from wizard.api.record import Record, ShapeError
from wizard.core.facets.cache import (
    DEFAULT_FACETS_TTL,
    STALE_LIMIT,
    FacetCache,
    InFlight,
    entry_name,
)
from wizard.core.options import OPENTRAIN, RECRUITSOME

if TYPE_CHECKING:
    # Recruitsome's modules load only for a run with a Recruitsome key (most runs
    # have none): they are imported where a Recruitsome client is used.
    from wizard.api.recruitsome.client import RecruitsomeClient
    from wizard.api.recruitsome.filters import Filters
    from wizard.api.recruitsome.models import VacancyFacets

ModelT = TypeVar("ModelT", bound=Record)
T = TypeVar("T")


def marketplace_cache_name(client: OpenTrainClient, scope: str | None = None) -> str:
    """The cache entry of one OpenTrain origin's marketplace facets.

    ``scope`` replaces the origin when it is not stable: the embedded sandbox listens on a
    new port every run, so it is cached as ``sandbox`` (as the journal scopes it).
    """
    return entry_name("opentrain", scope or client.root)


def vacancies_cache_name(
    client: RecruitsomeClient, filters: Filters | None = None, scope: str | None = None
) -> str:
    """The cache entry of one Recruitsome tenant's facets under one set of filters.

    It is derived from the origin, a one-way digest of the key and the filters, so two
    tenants (or two filter sets) never share an entry and the key is never on disk.
    """
    origin = scope or client.root
    from wizard.api.recruitsome.filters import filters_cache_key

    return entry_name("recruitsome", origin, client.key_fingerprint, filters_cache_key(filters))


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """A source's answer, and whether it came from the cache."""

    value: T
    from_cache: bool = False
    age: float = 0.0
    """Seconds since it was fetched from the server."""
    stale: bool = False
    """Older than the TTL: shown only because the fetch just failed."""


async def _cached(
    cache: FacetCache | None,
    name: str,
    model: type[ModelT],
    fetch: Callable[[], Awaitable[ModelT]],
    dump: Callable[[ModelT], dict[str, Any]],
    *,
    refresh: bool,
    inflight: InFlight | None,
) -> Fetched[ModelT]:
    if cache is not None and not refresh:
        entry = cache.read(name)
        if entry is not None:
            with contextlib.suppress(ShapeError):
                return Fetched(model.model_validate(entry.payload), from_cache=True, age=entry.age)

    async def go() -> Fetched[ModelT]:
        value = await fetch()
        if cache is not None and cache.ttl > 0:
            await cache.write_soon(name, dump(value))
        return Fetched(value)

    key = cache.flight_key(name) if cache is not None else f"\x1f{name}"
    return await (inflight or InFlight()).once(key, go)


def _stale(cache: FacetCache | None, name: str, model: type[ModelT]) -> Fetched[ModelT] | None:
    if cache is None:
        return None
    entry = cache.read(name, max_age=STALE_LIMIT)
    if entry is None:
        return None
    try:
        return Fetched(model.model_validate(entry.payload), True, entry.age, stale=True)
    except ShapeError:
        return None


async def cached_marketplace_facets(
    client: OpenTrainClient,
    cache: FacetCache | None,
    *,
    refresh: bool = False,
    scope: str | None = None,
    inflight: InFlight | None = None,
) -> Fetched[MarketplaceFacets]:
    """OpenTrain's marketplace facets, from the cache when fresh; raises the client's errors.

    Concurrent callers sharing ``inflight`` share one request (None: this call's own).
    """
    return await _cached(
        cache,
        marketplace_cache_name(client, scope),
        MarketplaceFacets,
        client.facets,
        lambda facets: facets.model_dump(mode="json", by_alias=True),
        refresh=refresh,
        inflight=inflight,
    )


async def cached_vacancy_facets(
    client: RecruitsomeClient,
    cache: FacetCache | None,
    filters: Filters | None = None,
    *,
    refresh: bool = False,
    scope: str | None = None,
    inflight: InFlight | None = None,
) -> Fetched[VacancyFacets]:
    """A tenant's vacancy facets under ``filters``, from the cache when fresh; raises errors
    (``inflight`` as for ``cached_marketplace_facets``)."""
    from wizard.api.recruitsome.models import VacancyFacets

    return await _cached(
        cache,
        vacancies_cache_name(client, filters, scope),
        VacancyFacets,
        lambda: client.vacancy_facets(filters),
        VacancyFacets.to_document,
        refresh=refresh,
        inflight=inflight,
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


def failure_reason(err: Exception) -> str:
    """Why a source failed, as a clause for a note (no final stop)."""
    if isinstance(err, WizardAPIError):
        return err.message.rstrip(".")
    return f"unexpected {type(err).__name__}"


_UNAVAILABLE: dict[str, tuple[str, str]] = {
    OPENTRAIN: ("Marketplace facets unavailable", "; lists take free entry."),
    RECRUITSOME: ("Recruitsome suggestions unavailable", "."),
}
"""Per source: how its failure note starts, and how it ends when nothing is cached."""


def _settle(
    snapshot: FacetsSnapshot,
    source: str,
    outcome: Fetched[ModelT] | BaseException,
    stale: Callable[[], Fetched[ModelT] | None],
) -> Fetched[ModelT] | None:
    """A source's answer; or, when it failed, its stale answer (or None) and a note."""
    if isinstance(outcome, Fetched):
        return outcome
    if not isinstance(outcome, Exception):
        raise outcome  # cancellation and the like are not ours to swallow
    snapshot.errors[source] = outcome
    old = stale()
    what, without = _UNAVAILABLE[source]
    if old is not None:
        snapshot.notes.append(
            f"{what} ({failure_reason(outcome)}); showing counts from {_ago(old.age)}."
        )
    else:
        snapshot.notes.append(f"{what} ({failure_reason(outcome)}){without}")
    return old


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
    inflight: InFlight | None = None,
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
        scope: Caches under this name instead of the origin (the embedded sandbox).
        inflight: The fetches concurrent callers share (a run's backend owns one);
            None gives this call its own.
    """
    cache = FacetCache(cache_dir, ttl=ttl, clock=clock)
    inflight = inflight or InFlight()
    snapshot = FacetsSnapshot()
    jobs: list[Awaitable[Any]] = []
    if opentrain is not None:
        jobs.append(
            cached_marketplace_facets(
                opentrain, cache, refresh=refresh, scope=scope, inflight=inflight
            )
        )
    if recruitsome is not None:
        jobs.append(
            cached_vacancy_facets(
                recruitsome, cache, filters, refresh=refresh, scope=scope, inflight=inflight
            )
        )
    results = iter(await asyncio.gather(*jobs, return_exceptions=True))
    if opentrain is not None:
        ot_name = marketplace_cache_name(opentrain, scope)
        snapshot.marketplace = _settle(
            snapshot,
            OPENTRAIN,
            next(results),
            lambda: _stale(cache, ot_name, MarketplaceFacets) if stale_fallback else None,
        )
    if recruitsome is not None:
        from wizard.api.recruitsome.models import VacancyFacets

        rs_name = vacancies_cache_name(recruitsome, filters, scope)
        snapshot.vacancies = _settle(
            snapshot,
            RECRUITSOME,
            next(results),
            lambda: _stale(cache, rs_name, VacancyFacets) if stale_fallback else None,
        )
    return snapshot
