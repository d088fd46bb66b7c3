"""``GET /jobs`` through the OpenTrain client over an ``httpx.MockTransport``: the request it
sends, the lenient page it reads, and how it treats the tokenless endpoints' 429."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from wizard.api.errors import APITimeoutError, BadRequestError, RateLimitError
from wizard.api.opentrain.client import API_PREFIX, OpenTrainClient
from wizard.api.opentrain.models import JobSearchPage
from wizard.api.retry import RetryPolicy
from wizard.config import OPTIONAL_DEADLINE

TOKEN = "ot_pat_8f2a1234_s3cr3tS3CR3Tsecret91cd"
ORIGIN = "https://api.example.test"

Handler = Callable[[httpx.Request], httpx.Response]


def job(job_id: str, pay_type: str = "PAY_PER_HOUR", **pay: Any) -> dict[str, Any]:
    return {
        "id": job_id,
        "title": f"Job {job_id}",
        "status": "OPEN",
        "countries": ["US"],
        "languages": ["English"],
        "experienceLevel": "Intermediate",
        "pay": {"paymentType": pay_type, "currency": "USD", **pay},
    }


def rate_limited(retry_after: str | None = "60") -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    body = {"error": "Too many requests.", "code": "RATE_LIMITED", "requestId": "req-9"}
    return httpx.Response(429, json=body, headers=headers)


class Harness:
    def __init__(self, handler: Handler, *, token: str | None = TOKEN, timeout: float = 30.0):
        self.requests: list[httpx.Request] = []
        self.delays: list[float] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return handler(request)

        async def sleeper(seconds: float) -> None:
            self.delays.append(seconds)

        self.http = httpx.AsyncClient(transport=httpx.MockTransport(record))
        self.client = OpenTrainClient(
            ORIGIN,
            token,
            http_client=self.http,
            retry=RetryPolicy(sleeper=sleeper),
            timeout=timeout,
        )


@pytest.fixture
async def made() -> AsyncIterator[list[Harness]]:
    harnesses: list[Harness] = []
    yield harnesses
    for harness in harnesses:
        await harness.http.aclose()


@pytest.fixture
def make(made: list[Harness]) -> Callable[..., Harness]:
    def build(handler: Handler, **kwargs: Any) -> Harness:
        harness = Harness(handler, **kwargs)
        made.append(harness)
        return harness

    return build


async def test_search_is_a_tokenless_get_with_the_filters(make: Callable[..., Harness]) -> None:
    page_body = {"jobs": [job("a", hourlyRate=18)], "nextCursor": "cur_20", "generatedAt": "t"}
    h = make(lambda _r: httpx.Response(200, json=page_body))
    page = await h.client.search_jobs(
        q=" bounding boxes ", pay_type="PAY_PER_HOUR", language="English", country="US", limit=500
    )
    request = h.requests[0]
    assert (request.method, request.url.path) == ("GET", API_PREFIX + "/jobs")
    assert "authorization" not in request.headers  # tokenless, even with a token configured
    assert dict(request.url.params) == {
        "q": "bounding boxes",
        "payType": "PAY_PER_HOUR",
        "language": "English",
        "country": "US",
        "limit": "100",  # the documented maximum
    }
    assert page.next_cursor == "cur_20" and page.generated_at == "t"
    assert [j.id for j in page.jobs] == ["a"]
    assert page.jobs[0].pay.rate() == 18.0


async def test_no_filters_sends_no_query(make: Callable[..., Harness]) -> None:
    h = make(lambda _r: httpx.Response(200, json={"jobs": []}))
    page = await h.client.search_jobs(q="  ")
    assert h.requests[0].url.query == b""
    assert page.jobs == [] and page.next_cursor is None


async def test_an_unknown_pay_type_is_refused_before_sending(make: Callable[..., Harness]) -> None:
    h = make(lambda _r: httpx.Response(200, json={"jobs": []}))
    with pytest.raises(ValueError, match="payType"):
        await h.client.search_jobs(pay_type="HOURLY")
    assert h.requests == []


async def test_the_servers_400_is_a_bad_request(make: Callable[..., Harness]) -> None:
    body = {"error": "payType must be one of …", "code": "BAD_REQUEST", "requestId": "r"}
    h = make(lambda _r: httpx.Response(400, json=body))
    with pytest.raises(BadRequestError):
        await h.client.search_jobs(q="x")
    assert len(h.requests) == 1  # never retried


def test_the_page_is_lenient() -> None:
    page = JobSearchPage.model_validate(
        {
            "jobs": [
                job("hourly-range", hourlyMin="10", hourlyMax=20),
                job("label", "PAY_PER_LABEL", perLabelRate="0.05"),
                job("fixed", "FIXED_PRICE", fixedPrice=500),
                job("no-pay", pay=None),
                {"title": "no id: skipped"},
                "not an object",
                {**job("junk"), "pay": "free", "countries": "US", "extra": {"x": 1}},
                job("nan", hourlyRate="NaN"),
                job("bool", hourlyRate=True),
            ],
            "nextCursor": 7,
            "generatedAt": None,
        }
    )
    rates = {j.id: j.pay.rate() for j in page.jobs}
    assert rates == {
        "hourly-range": 15.0,
        "label": 0.05,
        "fixed": 500.0,
        "no-pay": None,
        "junk": None,
        "nan": None,
        "bool": None,
    }
    assert page.next_cursor == "7"
    assert next(j for j in page.jobs if j.id == "junk").countries == []


async def test_a_429_is_retried_once_with_a_short_wait_then_raised(
    make: Callable[..., Harness],
) -> None:
    """Optional data: the Retry-After of a minute is cut short, and only one retry."""
    h = make(lambda _r: rate_limited("60"))
    with pytest.raises(RateLimitError) as caught:
        await h.client.search_jobs(q="x")
    assert len(h.requests) == 2
    assert h.delays and all(delay <= 2.0 for delay in h.delays)
    assert caught.value.status_code == 429
    assert caught.value.code == "RATE_LIMITED"


async def test_a_429_then_success_returns_the_page(make: Callable[..., Harness]) -> None:
    replies = iter([rate_limited("1"), httpx.Response(200, json={"jobs": [job("a")]})])
    h = make(lambda _r: next(replies))
    page = await h.client.search_jobs(pay_type="PAY_PER_HOUR")
    assert [j.id for j in page.jobs] == ["a"]
    assert h.delays == [1.0]  # a short Retry-After is honoured as asked
    assert h.client.retries_made == 1


async def test_a_429_without_retry_after_backs_off_briefly(make: Callable[..., Harness]) -> None:
    h = make(lambda _r: rate_limited(None))
    with pytest.raises(RateLimitError):
        await h.client.search_jobs()
    assert len(h.requests) == 2 and all(0 < delay <= 1.0 for delay in h.delays)


async def test_facets_share_the_same_429_handling(make: Callable[..., Harness]) -> None:
    h = make(lambda _r: rate_limited("3600"))
    with pytest.raises(RateLimitError):
        await h.client.facets()
    assert len(h.requests) == 2 and all(delay <= 2.0 for delay in h.delays)


async def test_a_slow_marketplace_gets_a_short_deadline(
    make: Callable[..., Harness], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attempt's deadline is at most OPTIONAL_DEADLINE, whatever the client's timeout."""
    seen: list[float | None] = []
    real_timeout = asyncio.timeout

    def recording_timeout(delay: float | None) -> Any:
        seen.append(delay)
        return real_timeout(0.01)  # end the hanging attempt at once

    async def hang(_request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, json={"jobs": []})

    http = httpx.AsyncClient(transport=httpx.MockTransport(hang))
    delays: list[float] = []

    async def sleeper(seconds: float) -> None:
        delays.append(seconds)

    client = OpenTrainClient(
        ORIGIN, None, http_client=http, retry=RetryPolicy(sleeper=sleeper), timeout=30.0
    )
    monkeypatch.setattr("wizard.api.transport.asyncio.timeout", recording_timeout)
    try:
        with pytest.raises(APITimeoutError):
            await client.search_jobs(q="x")
    finally:
        await http.aclose()
    assert seen == [OPTIONAL_DEADLINE, OPTIONAL_DEADLINE]  # two attempts, each short
    assert len(delays) == 1 and delays[0] <= 1.0
