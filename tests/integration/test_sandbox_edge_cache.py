"""The sandbox's imitation of OpenTrain's edge cache on `GET /jobs/facets`.

The reference: the tokenless endpoints are edge-cached (`Cache-Control: public, s-maxage=300,
stale-while-revalidate=3600`) for up to five minutes, so `generatedAt` may lag. The sandbox
serves one facets answer for a window, per app instance.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from wizard.sandbox import SANDBOX_TOKEN, SandboxServer
from wizard.sandbox.app import sandbox_state
from wizard.sandbox.edge import CACHE_CONTROL, FACETS_KEY, FACETS_WINDOW_SECONDS, EdgeCache

PREFIX = "/api/public/v1"
FACETS = f"{PREFIX}/jobs/facets"
DOCUMENTED_CACHE_CONTROL = "public, s-maxage=300, stale-while-revalidate=3600"
READY = (
    "Bounding box annotation for retail shelf images\n"
    "We need 10 annotators to draw bounding boxes around every product in 20,000 images of"
    " supermarket shelves. Pay is $18/hour. Annotators must read English and be based in the US"
    " or Canada. Entry-level candidates are welcome: we train you on our guidelines in CVAT"
    " during a paid onboarding week, and a reviewer checks every batch before it is accepted."
)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


def publish_one(base_url: str) -> str:
    headers = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
    with httpx.Client(base_url=base_url + PREFIX, headers=headers, timeout=5) as api:
        created = api.post("/job-drafts", json={"rawJobDescription": READY})
        assert created.status_code == 201, created.text
        job_id: str = created.json()["jobId"]
        api.post(f"/jobs/{job_id}/publish").raise_for_status()
    return job_id


# ---- the cache itself -----------------------------------------------------------------------


def test_one_answer_per_window_then_a_fresh_one() -> None:
    now = [100.0]
    calls: list[int] = []
    cache = EdgeCache(10, clock=lambda: now[0])

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    assert cache.age("k") is None
    first = cache.get("k", compute)
    now[0] = 109.999
    assert cache.get("k", compute) is first and cache.age("k") == pytest.approx(9.999)
    assert cache.get("other", compute) == {"n": 2}, "each key has its own answer"
    now[0] = 110.0
    assert cache.get("k", compute) == {"n": 3}
    cache.clear()
    assert cache.age("k") is None and cache.get("k", compute) == {"n": 4}


def test_a_zero_window_recomputes_and_a_negative_one_is_refused() -> None:
    cache = EdgeCache(0)
    assert [cache.get("k", lambda: object()) for _ in range(2)][0] is not None
    assert cache.age("k") is None
    with pytest.raises(ValueError, match="negative"):
        EdgeCache(-1)


def test_the_window_stays_inside_the_documented_lag() -> None:
    # "Edge-cached for up to 5 minutes": a longer window would lag more than the real API.
    assert 0 < FACETS_WINDOW_SECONDS <= 300
    assert CACHE_CONTROL == DOCUMENTED_CACHE_CONTROL


# ---- over HTTP ------------------------------------------------------------------------------


def test_facets_are_stable_within_the_window_and_say_so(server: SandboxServer) -> None:
    with httpx.Client(base_url=server.base_url, timeout=5) as anon:
        first = anon.get(FACETS)
        second = anon.get(FACETS)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json(), "same counts and the same generatedAt"
    for response in (first, second):
        assert response.headers["cache-control"] == DOCUMENTED_CACHE_CONTROL
        assert response.headers["access-control-allow-origin"] == "*"


def test_each_app_has_its_own_cache() -> None:
    # Tests and benchmarks build many sandboxes: an answer cached by one must never be
    # served by another (whose jobs differ).
    with SandboxServer() as one, SandboxServer() as other:
        assert sandbox_state(one.app).facets_cache is not sandbox_state(other.app).facets_cache
        cached = httpx.get(f"{one.base_url}{FACETS}", timeout=5).json()
        publish_one(other.base_url)
        fresh = httpx.get(f"{other.base_url}{FACETS}", timeout=5).json()
        assert fresh["totalJobs"] == cached["totalJobs"] + 1
        assert httpx.get(f"{one.base_url}{FACETS}", timeout=5).json() == cached


def test_a_reset_forgets_the_cached_answer(server: SandboxServer) -> None:
    cache = sandbox_state(server.app).facets_cache
    httpx.get(f"{server.base_url}{FACETS}", timeout=5).raise_for_status()
    assert cache.age(FACETS_KEY) is not None
    httpx.post(f"{server.base_url}/_sandbox/reset", timeout=5).raise_for_status()
    assert cache.age(FACETS_KEY) is None


def test_a_server_with_a_short_window_counts_a_published_job_soon() -> None:
    with SandboxServer(facets_window=0) as uncached:
        before = httpx.get(f"{uncached.base_url}{FACETS}", timeout=5).json()["totalJobs"]
        publish_one(uncached.base_url)
        after = httpx.get(f"{uncached.base_url}{FACETS}", timeout=5).json()["totalJobs"]
    assert after == before + 1
