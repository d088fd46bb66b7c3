"""The tokenless endpoints' 120 requests a minute per client, with the limit lowered so the
test stays fast: the sandbox answers 429 past it, and the wizard's client handles that 429.

The sliding window itself is tested with a fake clock (no sleeping).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from wizard.api.errors import RateLimitError
from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.retry import RetryPolicy
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer
from wizard.sandbox.ratelimit import TOKENLESS_LIMIT, SlidingWindowLimiter, is_tokenless

PREFIX = "/api/public/v1"
LIMIT = 4


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(tokenless_limit=LIMIT) as running:
        yield running


def test_past_the_limit_the_tokenless_endpoints_answer_429(server: SandboxServer) -> None:
    with httpx.Client(base_url=server.base_url + PREFIX, timeout=5) as anon:
        job_id = anon.get("/jobs", params={"limit": 1}).json()["jobs"][0]["id"]
        allowed = [
            anon.get("/jobs/facets").status_code,
            anon.get(f"/jobs/{job_id}").status_code,
            anon.get("/jobs", params={"payType": "PAY_PER_HOUR"}).status_code,
        ]
        assert allowed == [200, 200, 200]  # four requests in all: the limit
        refused = [anon.get(path) for path in ("/jobs", "/jobs/facets", f"/jobs/{job_id}")]
        for response in refused:
            assert response.status_code == 429
            body = response.json()
            assert body["code"] == "RATE_LIMITED"
            assert body["details"] == {"limit": LIMIT, "windowSeconds": 60}
            assert body["requestId"] == response.headers["x-request-id"]
            assert 1 <= int(response.headers["retry-after"]) <= 60
            assert response.headers["access-control-allow-origin"] == "*"
        # Preflights and the endpoints that need a token are never limited.
        assert anon.options("/jobs").status_code == 204
        assert anon.get("/openapi.json").status_code == 200
        auth = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
        assert anon.get("/jobs/mine", headers=auth).status_code == 200
        assert anon.get("/auth/me", headers=auth).status_code == 200
        # The sandbox's reset forgets the counts.
        httpx.post(f"{server.base_url}/_sandbox/reset", timeout=5).raise_for_status()
        assert anon.get("/jobs/facets").status_code == 200


async def test_the_wizards_client_gives_up_quickly_on_that_429(server: SandboxServer) -> None:
    delays: list[float] = []

    async def sleeper(seconds: float) -> None:
        delays.append(seconds)

    client = OpenTrainClient(server.base_url, None, retry=RetryPolicy(sleeper=sleeper))
    try:
        for _ in range(LIMIT):
            await client.search_jobs(pay_type="PAY_PER_LABEL", limit=5)
        with pytest.raises(RateLimitError) as caught:
            await client.search_jobs(pay_type="PAY_PER_LABEL", limit=5)
        with pytest.raises(RateLimitError):
            await client.facets()
    finally:
        await client.aclose()
    assert caught.value.code == "RATE_LIMITED"
    assert caught.value.retry_after is not None and caught.value.retry_after >= 1
    # One short retry per call at most, never the minute the server suggests.
    assert len(delays) == 2 and all(delay <= 2.0 for delay in delays)


def test_the_default_is_the_documented_120() -> None:
    assert TOKENLESS_LIMIT == 120
    assert SandboxServer().tokenless_limit is None  # None: the app's documented default


def test_the_window_slides() -> None:
    now = [0.0]
    limiter = SlidingWindowLimiter(3, 60.0, clock=lambda: now[0])
    for moment in (0.0, 10.0, 20.0):
        now[0] = moment
        assert limiter.hit("a") is None
    now[0] = 30.0
    assert limiter.hit("a") == pytest.approx(30.0)  # the hit at 0 s leaves at 60 s
    assert limiter.hit("b") is None  # per client
    now[0] = 60.0
    assert limiter.hit("a") is None  # the hit at 0 s left; refused ones were not counted
    now[0] = 61.0
    assert limiter.hit("a") == pytest.approx(9.0)  # hits at 10, 20 and 60 remain


def test_zero_turns_the_limit_off() -> None:
    limiter = SlidingWindowLimiter(0)
    assert not limiter.active
    assert all(limiter.hit("a") is None for _ in range(500))


@pytest.mark.parametrize(
    ("method", "path", "limited"),
    [
        ("GET", "/api/public/v1/jobs", True),
        ("GET", "/api/public/v1/jobs/facets", True),
        ("GET", "/api/public/v1/jobs/cmk123", True),
        ("GET", "/api/public/v1/jobs/changes", True),
        ("OPTIONS", "/api/public/v1/jobs", False),
        ("GET", "/api/public/v1/jobs/mine", False),
        ("POST", "/api/public/v1/jobs/cmk123/publish", False),
        ("GET", "/api/public/v1/jobs/cmk123/publish", False),
        ("GET", "/api/public/v1/jobsx", False),
        ("GET", "/api/public/v1/auth/me", False),
    ],
)
def test_which_requests_count(method: str, path: str, limited: bool) -> None:
    assert is_tokenless(method, path) is limited
