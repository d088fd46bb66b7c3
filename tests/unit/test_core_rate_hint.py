"""The rate hint: which searches it makes, what it says, its cache, and its silence when the
marketplace is offline or rate-limited. The client runs over an ``httpx.MockTransport``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.retry import RetryPolicy
from wizard.core.rate_hint import (
    PAY_TYPE_FOR_KEY,
    RateHint,
    load_rate_hint,
    summarize,
    title_words,
)

ORIGIN = "https://app.example.test"
Handler = Callable[[httpx.Request], httpx.Response]


def jobs(pay_type: str, *rates: float) -> dict[str, Any]:
    key = {"PAY_PER_HOUR": "hourlyRate", "PAY_PER_LABEL": "perLabelRate"}.get(
        pay_type, "fixedPrice"
    )
    return {
        "jobs": [
            {"id": f"j{i}", "title": "x", "pay": {"paymentType": pay_type, key: rate}}
            for i, rate in enumerate(rates)
        ],
        "nextCursor": None,
    }


class Market:
    """A scripted marketplace: answers by the words of ``q``; records every query."""

    def __init__(self, answers: dict[str, Any] | Handler) -> None:
        self.queries: list[dict[str, str]] = []
        self.answers = answers

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.queries.append(params)
        if callable(self.answers):
            return self.answers(request)
        body = self.answers.get(params.get("q", ""), {"jobs": []})
        return httpx.Response(200, json=body)


@pytest.fixture
async def client_for() -> AsyncIterator[Callable[[Market], OpenTrainClient]]:
    opened: list[httpx.AsyncClient] = []

    async def no_wait(_seconds: float) -> None:
        return None

    def build(market: Market) -> OpenTrainClient:
        http = httpx.AsyncClient(transport=httpx.MockTransport(market))
        opened.append(http)
        return OpenTrainClient(ORIGIN, None, http_client=http, retry=RetryPolicy(sleeper=no_wait))

    yield build
    for http in opened:
        await http.aclose()


def test_title_words() -> None:
    assert title_words("Product image bounding boxes") == ["bounding", "product"]
    assert title_words("Spanish call-centre audio transcription", limit=3) == [
        "transcription",
        "call-centre",
        "spanish",
    ]
    assert title_words("Data for the job") == []
    assert title_words(None) == []
    assert title_words("Label 500 Images!") == ["label", "image"]  # ties keep title order


def test_summarize_takes_the_middle_half_and_the_median() -> None:
    hint = summarize([10, 12, 14, 18, 20, 25, 30, 45], "PAY_PER_HOUR", ("audio",))
    assert hint is not None
    assert (hint.low, hint.high, hint.median, hint.sample) == (12, 25, 19.0, 8)
    assert hint.sentence == "similar open jobs pay $12–$25 / hour, median $19"
    assert summarize([10, 12], "PAY_PER_HOUR") is None  # too few to say anything
    assert summarize([0, -1, float("nan"), 5], "PAY_PER_HOUR") is None
    # Absurd rates (a typo, or a hostile server) are not the market.
    assert summarize([1e300, 5e4, 20, 25], "PAY_PER_HOUR") is None
    hint = summarize([1e300, 20, 25, 30], "PAY_PER_HOUR")
    assert hint is not None and hint.high == 30 and hint.sample == 3


@pytest.mark.parametrize(
    ("hint", "sentence"),
    [
        (
            RateHint("PAY_PER_HOUR", 12, 25, 18, 9, ("audio",)),
            "similar open jobs pay $12–$25 / hour, median $18",
        ),
        (
            RateHint("PAY_PER_HOUR", 6.5, 9, 7.25, 9),
            "open hourly jobs pay $6.50–$9 / hour, median $7.25",
        ),
        (
            RateHint("PAY_PER_LABEL", 0.03, 0.126, 0.05, 9, ("box",)),
            "similar open jobs pay $0.03–$0.13 / label, median $0.05",
        ),
        (
            RateHint("PAY_PER_LABEL", 0.012, 0.012, 0.012, 9),
            "open per-label jobs pay $0.012 / label, median $0.012",
        ),
        (
            RateHint("FIXED_PRICE", 500, 2400, 1200, 9, ("survey",)),
            "similar fixed-price jobs pay $500–$2,400, median $1,200",
        ),
    ],
)
def test_sentences(hint: RateHint, sentence: str) -> None:
    assert hint.sentence == sentence
    assert RateHint.from_document(hint.document()) == hint


def test_rate_keys_name_their_pay_type() -> None:
    assert PAY_TYPE_FOR_KEY == {
        "pricePerHour": "PAY_PER_HOUR",
        "pricePerLabel": "PAY_PER_LABEL",
        "fixedPrice": "FIXED_PRICE",
    }


async def test_the_title_words_together_then_each_alone(
    client_for: Callable[[Market], OpenTrainClient], tmp_path: Path
) -> None:
    market = Market(
        {
            "bounding product": jobs("PAY_PER_HOUR", 20),  # one job: too few
            "bounding": jobs("PAY_PER_HOUR", 11, 12),  # two: still too few
            "product": jobs("PAY_PER_HOUR", 10, 14, 18, 22, 30),
        }
    )
    hint = await load_rate_hint(
        client_for(market), "PAY_PER_HOUR", "Product image bounding boxes", cache_dir=tmp_path
    )
    assert hint is not None
    assert hint.sentence == "similar open jobs pay $14–$22 / hour, median $18"
    assert [q.get("q") for q in market.queries] == ["bounding product", "bounding", "product"]
    assert all(q["payType"] == "PAY_PER_HOUR" and q["limit"] == "100" for q in market.queries)


async def test_with_no_similar_job_the_pay_type_alone_answers(
    client_for: Callable[[Market], OpenTrainClient], tmp_path: Path
) -> None:
    market = Market({"": jobs("PAY_PER_LABEL", 0.02, 0.04, 0.05, 0.08)})
    hint = await load_rate_hint(client_for(market), "PAY_PER_LABEL", "Zebra", cache_dir=tmp_path)
    assert hint is not None and hint.words == ()
    assert hint.sentence == "open per-label jobs pay $0.02–$0.05 / label, median $0.045"
    assert [q.get("q") for q in market.queries] == ["zebra", None]


async def test_jobs_of_another_pay_type_are_not_counted(
    client_for: Callable[[Market], OpenTrainClient], tmp_path: Path
) -> None:
    mixed = jobs("PAY_PER_HOUR", 10, 20, 30)
    mixed["jobs"] += jobs("FIXED_PRICE", 900, 1000, 1100)["jobs"]
    market = Market({"": mixed})
    hint = await load_rate_hint(client_for(market), "PAY_PER_HOUR", None, cache_dir=tmp_path)
    assert hint is not None and hint.sample == 3 and hint.high == 30


async def test_cached_like_facets(
    client_for: Callable[[Market], OpenTrainClient], tmp_path: Path
) -> None:
    now = [1000.0]
    market = Market({"audio": jobs("PAY_PER_HOUR", 10, 20, 30)})
    client = client_for(market)

    async def ask() -> RateHint | None:
        return await load_rate_hint(
            client, "PAY_PER_HOUR", "Audio", cache_dir=tmp_path, ttl=600, clock=lambda: now[0]
        )

    first = await ask()
    assert first is not None and len(market.queries) == 1
    now[0] += 599
    assert await ask() == first and len(market.queries) == 1  # within the TTL: no request
    now[0] += 2
    assert await ask() == first and len(market.queries) == 2  # past it: asked again


async def test_no_hint_is_cached_too(
    client_for: Callable[[Market], OpenTrainClient], tmp_path: Path
) -> None:
    market = Market({})
    client = client_for(market)
    assert await load_rate_hint(client, "FIXED_PRICE", "Rare", cache_dir=tmp_path) is None
    asked = len(market.queries)
    assert asked == 2  # the one word, then the pay type alone
    assert await load_rate_hint(client, "FIXED_PRICE", "Rare", cache_dir=tmp_path) is None
    assert len(market.queries) == asked


async def test_silent_when_rate_limited_and_nothing_cached(
    client_for: Callable[[Market], OpenTrainClient], tmp_path: Path
) -> None:
    def limited(_request: httpx.Request) -> httpx.Response:
        body = {"error": "Too many requests.", "code": "RATE_LIMITED", "requestId": "r"}
        return httpx.Response(429, json=body, headers={"Retry-After": "60"})

    market = Market(limited)
    client = client_for(market)
    assert await load_rate_hint(client, "PAY_PER_HOUR", "Audio", cache_dir=tmp_path) is None
    assert len(market.queries) == 2  # one short retry, then silence
    assert not list(tmp_path.glob("facets-ratehint-*"))  # a failure is not remembered
    market.answers = {"audio": jobs("PAY_PER_HOUR", 10, 20, 30)}
    assert await load_rate_hint(client, "PAY_PER_HOUR", "Audio", cache_dir=tmp_path) is not None


async def test_silent_when_offline(
    client_for: Callable[[Market], OpenTrainClient], tmp_path: Path
) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no network", request=request)

    assert (
        await load_rate_hint(
            client_for(Market(offline)), "PAY_PER_HOUR", "Audio", cache_dir=tmp_path
        )
        is None
    )


async def test_silent_on_a_reply_that_makes_no_sense(
    client_for: Callable[[Market], OpenTrainClient], tmp_path: Path
) -> None:
    market = Market(lambda _r: httpx.Response(200, content=b"<html>"))
    assert await load_rate_hint(client_for(market), "PAY_PER_HOUR", "A", cache_dir=tmp_path) is None


async def test_an_unknown_pay_type_asks_nothing(
    client_for: Callable[[Market], OpenTrainClient], tmp_path: Path
) -> None:
    market = Market({})
    assert await load_rate_hint(client_for(market), "BARTER", "A", cache_dir=tmp_path) is None
    assert market.queries == []


async def test_at_most_four_searches(
    client_for: Callable[[Market], OpenTrainClient], tmp_path: Path
) -> None:
    market = Market({})
    hint = await load_rate_hint(
        client_for(market), "PAY_PER_HOUR", "Careful multilingual transcription", cache_dir=tmp_path
    )
    assert hint is None
    assert [q.get("q") for q in market.queries] == [
        "transcription multilingual",
        "transcription",
        "multilingual",
        None,
    ]
