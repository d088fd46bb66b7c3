"""The facets disk cache and loader: TTL, corrupt files, atomic writes, concurrency, degradation."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.recruitsome.client import RecruitsomeClient
from wizard.api.retry import RetryPolicy
from wizard.core.facets import (
    DEFAULT_FACETS_TTL,
    FacetCache,
    cached_marketplace_facets,
    load_catalog,
    load_facets,
    marketplace_cache_name,
    vacancies_cache_name,
)
from wizard.core.options import OPENTRAIN, RECRUITSOME, OptionCatalog

KEY = "rs_live_cache_test_SECRET_5d1c"
OT_ORIGIN = "https://ot.example.test"
RS_ORIGIN = "https://rs.example.test"

MARKETPLACE: dict[str, Any] = {
    "totalJobs": 184,
    "categories": [{"value": "Text Annotation", "count": 62}],
    "languages": [{"value": "English", "count": 120}, {"value": "Spanish", "count": 28}],
    "countries": [{"value": "US", "count": 44}, {"value": "IN", "count": 31}],
    "payTypes": [{"value": "PAY_PER_HOUR", "count": 97}],
    "generatedAt": "2026-06-12T08:00:00.000Z",
}
VACANCIES: dict[str, Any] = {
    "data": {
        "locations": [
            {
                "id": 1,
                "name": "Amsterdam",
                "city": "Amsterdam",
                "country_code": "NL",
                "country_name": "Netherlands",
                "count": 45,
                "selected": False,
            }
        ],
        "tags": [
            {
                "id": 1,
                "name": "Engineering",
                "count": 42,
                "selected": False,
                "sub_tags": [
                    {"id": 5, "name": "Software Engineer", "count": 25, "selected": False}
                ],
            }
        ],
        "languages": [{"code": "nl", "name": "Nederlands", "count": 34, "selected": False}],
    },
    "meta": {"generated_at": "2026-06-12T08:00:00Z", "filters_applied": []},
}


class Clock:
    """A hand-driven clock."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


AsyncHandler = Callable[[httpx.Request], Awaitable[httpx.Response]]


class Server:
    """Counts requests per path and answers from per-path scripts (sync or async)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.opentrain: Callable[[httpx.Request], Any] = lambda _: httpx.Response(
            200, json=MARKETPLACE
        )
        self.recruitsome: Callable[[httpx.Request], Any] = lambda _: httpx.Response(
            200, json=VACANCIES
        )

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        handler = self.opentrain if request.url.path.endswith("/jobs/facets") else self.recruitsome
        answer = handler(request)
        if asyncio.iscoroutine(answer):
            answer = await answer
        assert isinstance(answer, httpx.Response)
        return answer

    def count(self, source: str) -> int:
        suffix = "/jobs/facets" if source == OPENTRAIN else "/vacancies/facets"
        return sum(1 for r in self.requests if r.url.path.endswith(suffix))


async def _no_sleep(_: float) -> None:
    return None


def clients(
    server: Server, *, key: str = KEY, ot_origin: str = OT_ORIGIN
) -> tuple[OpenTrainClient, RecruitsomeClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(server))
    retry = RetryPolicy(sleeper=_no_sleep)
    return (
        OpenTrainClient(ot_origin, None, http_client=http, retry=retry),
        RecruitsomeClient(RS_ORIGIN, key, http_client=http, retry=retry),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server() -> Server:
    return Server()


# ---- the cache file itself ------------------------------------------------------------------


def test_round_trip_with_private_files(tmp_path: Path, clock: Clock) -> None:
    cache = FacetCache(tmp_path / "c", ttl=600, clock=clock)
    assert cache.write("opentrain-x", {"a": 1})
    entry = cache.read("opentrain-x")
    assert entry is not None and entry.payload == {"a": 1} and entry.age == 0
    path = cache.path_for("opentrain-x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "c").stat().st_mode) == 0o700
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["facets-opentrain-x.json"]


def test_fresh_until_the_ttl_then_gone(tmp_path: Path, clock: Clock) -> None:
    cache = FacetCache(tmp_path, ttl=600, clock=clock)
    cache.write("n", {"a": 1})
    clock.now += 599.9
    assert cache.read("n") is not None
    clock.now += 0.1
    assert cache.read("n") is None
    # Still there for a caller that accepts older answers (the stale fallback).
    assert cache.read("n", max_age=3600) is not None


def test_ttl_zero_reads_nothing(tmp_path: Path, clock: Clock) -> None:
    cache = FacetCache(tmp_path, ttl=0, clock=clock)
    cache.write("n", {"a": 1})
    assert cache.read("n") is None


def _document(**overrides: Any) -> bytes:
    doc: dict[str, Any] = {"version": 1, "name": "n", "fetchedAt": 1_800_000_000.0}
    doc["payload"] = {"a": 1}
    doc.update(overrides)
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff\xfe garbage",
        b'{"version": 1, "name": "n", "fetchedAt": 18000',  # cut short
        b"[1, 2, 3]",
        _document(version=2),
        _document(name="other"),
        _document(payload=[1]),
        _document(fetchedAt="yesterday"),
        _document(fetchedAt=True),
        _document(fetchedAt=1_800_000_000.0 + 3600),  # from the future
    ],
)
def test_corrupt_files_are_ignored(tmp_path: Path, clock: Clock, content: bytes) -> None:
    cache = FacetCache(tmp_path, ttl=600, clock=clock)
    cache.path_for("n").write_bytes(content)
    assert cache.read("n") is None
    # The valid form of the same document is read, so the cases above fail for their reason.
    cache.path_for("n").write_bytes(_document())
    assert cache.read("n") is not None


def test_an_unreadable_entry_is_ignored(tmp_path: Path, clock: Clock) -> None:
    cache = FacetCache(tmp_path, ttl=600, clock=clock)
    cache.path_for("n").mkdir()  # reading a directory fails whoever we are
    assert cache.read("n") is None


def test_an_unwritable_cache_dir_is_not_an_error(tmp_path: Path, clock: Clock) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = FacetCache(blocker / "cache", ttl=600, clock=clock)
    assert cache.write("n", {"a": 1}) is False
    assert cache.read("n") is None


def test_writes_are_atomic(tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = FacetCache(tmp_path, ttl=600, clock=clock)
    cache.write("n", {"v": "old"})

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full at the worst moment")

    monkeypatch.setattr("wizard.core.facets.os.replace", crash)
    assert cache.write("n", {"v": "new"}) is False
    monkeypatch.undo()
    entry = cache.read("n")
    assert entry is not None and entry.payload == {"v": "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facets-n.json"]  # no temp left


def test_forget(tmp_path: Path, clock: Clock) -> None:
    cache = FacetCache(tmp_path, ttl=600, clock=clock)
    cache.write("n", {"a": 1})
    cache.forget("n")
    cache.forget("n")
    assert cache.read("n") is None


# ---- the loader -----------------------------------------------------------------------------


async def test_second_use_within_the_ttl_sends_no_request(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    ot, rs = clients(server)
    first = await load_catalog(ot, rs, ttl=600, cache_dir=tmp_path, clock=clock)
    assert (server.count(OPENTRAIN), server.count(RECRUITSOME)) == (1, 1)

    clock.now += 599
    second = await load_catalog(ot, rs, ttl=600, cache_dir=tmp_path, clock=clock)
    assert len(server.requests) == 2, "served from the cache"
    assert second.options_for("languages") == first.options_for("languages")
    assert second.options_for("countries")[:2] == first.options_for("countries")[:2]
    assert second.sources == [OPENTRAIN, RECRUITSOME]

    clock.now += 1
    await load_catalog(ot, rs, ttl=600, cache_dir=tmp_path, clock=clock)
    assert (server.count(OPENTRAIN), server.count(RECRUITSOME)) == (2, 2)


async def test_the_catalog_merges_both_sources(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    ot, rs = clients(server)
    catalog = await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)
    english = catalog.option("languages", "English")
    dutch = catalog.option("languages", "Dutch")
    assert english is not None and english.note == "used in 120 open jobs"
    assert dutch is not None and dutch.note == "in 34 of your vacancies"
    nl = catalog.option("countries", "NL")
    assert nl is not None and nl.count == 45 and nl.label == "Netherlands (NL)"
    (engineering,) = catalog.options_for("recruitsome:tags")
    assert [c.value for c in engineering.children] == ["Software Engineer"]
    assert catalog.notes == []


async def test_default_ttl_and_default_directory(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert DEFAULT_FACETS_TTL == 600
    ot, _ = clients(server)
    await load_catalog(ot, None)
    await load_catalog(ot, None)
    assert server.count(OPENTRAIN) == 1
    files = list((tmp_path / "xdg" / "draft-wizard").glob("facets-opentrain-*.json"))
    assert len(files) == 1


async def test_entries_are_scoped_by_origin_key_and_filters(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    ot, rs = clients(server)
    _, other_tenant = clients(server, key=KEY + "-other")
    other_origin, _ = clients(server, ot_origin="https://ot2.example.test")
    await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)
    await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock, filters={"language": "en"})
    await load_catalog(None, other_tenant, cache_dir=tmp_path, clock=clock)
    await load_catalog(other_origin, None, cache_dir=tmp_path, clock=clock)
    assert (server.count(OPENTRAIN), server.count(RECRUITSOME)) == (2, 3)
    # The same filters in another order hit the same entry.
    await load_catalog(None, rs, cache_dir=tmp_path, clock=clock, filters={"language": ["en"]})
    assert server.count(RECRUITSOME) == 3
    assert vacancies_cache_name(rs, {"tags": [1, 2]}) == vacancies_cache_name(rs, {"tags": [2, 1]})


async def test_the_key_is_never_written_to_disk(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    ot, rs = clients(server)
    await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)
    files = list(tmp_path.iterdir())
    assert len(files) == 2
    for path in files:
        assert KEY not in path.name
        assert KEY.encode() not in path.read_bytes()


async def test_both_sources_are_fetched_concurrently(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    recruitsome_asked = asyncio.Event()

    async def opentrain(_: httpx.Request) -> httpx.Response:
        # Sequential fetching would deadlock here: Recruitsome is asked only after.
        await asyncio.wait_for(recruitsome_asked.wait(), timeout=5)
        return httpx.Response(200, json=MARKETPLACE)

    def recruitsome(_: httpx.Request) -> httpx.Response:
        recruitsome_asked.set()
        return httpx.Response(200, json=VACANCIES)

    server.opentrain = opentrain
    server.recruitsome = recruitsome
    ot, rs = clients(server)
    catalog = await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)
    assert catalog.notes == [] and catalog.sources == [OPENTRAIN, RECRUITSOME]


async def test_concurrent_loads_share_one_request(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    gate = asyncio.Event()

    async def slow(_: httpx.Request) -> httpx.Response:
        await gate.wait()
        return httpx.Response(200, json=MARKETPLACE)

    server.opentrain = slow
    ot, rs = clients(server)
    loads = [
        asyncio.create_task(load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)) for _ in range(3)
    ]
    await asyncio.sleep(0.05)
    gate.set()
    catalogs = await asyncio.gather(*loads)
    assert (server.count(OPENTRAIN), server.count(RECRUITSOME)) == (1, 1)
    assert all(c.option("countries", "US").count == 44 for c in catalogs)  # type: ignore[union-attr]


async def test_a_failed_fetch_degrades_quietly(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    server.opentrain = lambda _: httpx.Response(503)
    server.recruitsome = lambda _: httpx.Response(401, json={"message": f"bad key {KEY}"})
    ot, rs = clients(server)
    catalog = await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)
    reference = OptionCatalog.reference()
    assert catalog.options_for("countries") == reference.options_for("countries")
    assert catalog.options_for("languages") == reference.options_for("languages")
    assert catalog.notes == [
        "Marketplace facets unavailable (The server failed (HTTP 503)); lists take free entry.",
        "Recruitsome suggestions unavailable (Recruitsome rejected the API key (bad key "
        "«redacted»); check RECRUITSOME_API_KEY).",
    ]
    assert all(KEY not in note for note in catalog.notes)
    assert list(tmp_path.iterdir()) == [], "failures are not cached"


async def test_an_unexpected_exception_never_escapes(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    def boom(_: httpx.Request) -> httpx.Response:
        raise RuntimeError("bug in a transport")

    server.opentrain = boom
    ot, rs = clients(server)
    catalog = await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)
    assert catalog.notes == [
        "Marketplace facets unavailable (unexpected RuntimeError); lists take free entry."
    ]
    assert catalog.option("languages", "Dutch").count == 34  # type: ignore[union-attr]


async def test_a_stale_answer_beats_nothing_when_the_server_fails(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    ot, rs = clients(server)
    await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)
    clock.now += 2 * 3600
    server.opentrain = lambda _: httpx.Response(503)
    server.recruitsome = lambda _: httpx.Response(503)
    catalog = await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)
    assert catalog.option("countries", "US").count == 44  # type: ignore[union-attr]
    assert catalog.option("languages", "Dutch").count == 34  # type: ignore[union-attr]
    assert catalog.notes == [
        "Marketplace facets unavailable (The server failed (HTTP 503)); showing counts from "
        "2 h ago.",
        "Recruitsome suggestions unavailable (Recruitsome failed (HTTP 503); try again later); "
        "showing counts from 2 h ago.",
    ]

    snapshot = await load_facets(
        ot, rs, cache_dir=tmp_path, clock=clock, stale_fallback=False, ttl=600
    )
    assert snapshot.marketplace is None and snapshot.vacancies is None
    assert set(snapshot.errors) == {OPENTRAIN, RECRUITSOME}


async def test_a_corrupt_entry_is_refetched_and_replaced(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    ot, rs = clients(server)
    cache = FacetCache(tmp_path, clock=clock)
    path = cache.path_for(marketplace_cache_name(ot))
    path.write_bytes(b'{"version": 1, "na')
    # A well-formed file whose payload is not facets at all.
    bad = {"version": 1, "name": vacancies_cache_name(rs), "fetchedAt": clock.now}
    cache.path_for(vacancies_cache_name(rs)).write_text(
        json.dumps({**bad, "payload": {"data": {"tags": [{"count": "many"}]}}})
    )
    catalog = await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)
    assert (server.count(OPENTRAIN), server.count(RECRUITSOME)) == (1, 1)
    assert catalog.notes == []
    assert cache.read(marketplace_cache_name(ot)) is not None
    assert cache.read(vacancies_cache_name(rs)) is not None
    await load_catalog(ot, rs, cache_dir=tmp_path, clock=clock)
    assert len(server.requests) == 2


async def test_refresh_asks_again_and_ttl_zero_never_caches(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    ot, _ = clients(server)
    cache = FacetCache(tmp_path, clock=clock)
    first = await cached_marketplace_facets(ot, cache)
    again = await cached_marketplace_facets(ot, cache)
    fresh = await cached_marketplace_facets(ot, cache, refresh=True)
    assert (first.from_cache, again.from_cache, fresh.from_cache) == (False, True, False)
    assert server.count(OPENTRAIN) == 2

    nocache = tmp_path / "none"
    await load_catalog(ot, None, ttl=0, cache_dir=nocache, clock=clock)
    await load_catalog(ot, None, ttl=0, cache_dir=nocache, clock=clock)
    assert server.count(OPENTRAIN) == 4
    assert not nocache.exists()


async def test_no_sources_is_the_reference_catalog(tmp_path: Path) -> None:
    catalog = await load_catalog(None, None, cache_dir=tmp_path)
    assert catalog.options_for("countries") == OptionCatalog.reference().options_for("countries")
    assert catalog.notes == []


async def test_the_cache_survives_a_new_process_view(
    tmp_path: Path, clock: Clock, server: Server
) -> None:
    # A new FacetCache (a new run) reads what the last one wrote.
    ot, _ = clients(server)
    await cached_marketplace_facets(ot, FacetCache(tmp_path, clock=clock))
    again = await cached_marketplace_facets(ot, FacetCache(tmp_path, clock=clock))
    assert again.from_cache and again.value.total_jobs == 184
    assert server.count(OPENTRAIN) == 1
    assert os.listdir(tmp_path) == [f"facets-{marketplace_cache_name(ot)}.json"]
