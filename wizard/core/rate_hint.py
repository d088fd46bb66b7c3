"""What similar open jobs pay: a rate hint from the tokenless marketplace search (``GET /jobs``).

"similar open jobs pay $12–$25 / hour, median $18": the open jobs of the draft's payment
type whose title or description holds the draft's title words, their middle half (25th to
75th percentile) and median. When too few jobs share both words, each word alone is tried,
then the payment type alone ("open hourly jobs pay …"); at most four requests.

The hint is optional: it is cached on disk with the facets' TTL (a second form within the
TTL sends no request), concurrent callers share one fetch, and anything that goes wrong
(offline, rate-limited, a reply that makes no sense) gives None, never an error.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.api.opentrain.client import OpenTrainClient
from wizard.core.facets.cache import DEFAULT_FACETS_TTL, FacetCache, InFlight, entry_name
from wizard.core.keys import RATE_KEYS

MIN_SAMPLE = 3
"""Fewer jobs with a rate than this say nothing: no hint."""
SEARCH_LIMIT = 100
"""Jobs read per search (the documented maximum of one page)."""
MAX_TITLE_WORDS = 2
MAX_RATES: dict[str, float] = {
    "PAY_PER_HOUR": 1_000.0,
    "PAY_PER_LABEL": 100.0,
    "FIXED_PRICE": 1_000_000.0,
}
"""Rates above these are mistakes or hostile data, not the market: left out of the hint."""

PAY_TYPE_FOR_KEY: dict[str, str] = {key: pay_type for pay_type, key in RATE_KEYS.items()}
"""``pricePerHour`` → ``PAY_PER_HOUR``, and so on."""

_UNITS = {"PAY_PER_HOUR": " / hour", "PAY_PER_LABEL": " / label", "FIXED_PRICE": ""}
_SIMILAR = {
    "PAY_PER_HOUR": "similar open jobs",
    "PAY_PER_LABEL": "similar open jobs",
    "FIXED_PRICE": "similar fixed-price jobs",
}
_BROAD = {
    "PAY_PER_HOUR": "open hourly jobs",
    "PAY_PER_LABEL": "open per-label jobs",
    "FIXED_PRICE": "open fixed-price jobs",
}
_STOPWORD_TEXT = (
    "a an and are as at be by for from in into is of on or our the to we with you your "
    "job jobs work task tasks data project projects remote needed wanted team new"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


def title_words(title: str | None, limit: int = MAX_TITLE_WORDS) -> list[str]:
    """The title's most telling words, longest first: ``"Product image bounding boxes"`` →
    ``["bounding", "product"]``. Plurals lose their ``s`` so "boxes" finds "bounding-box"."""
    if not title:
        return []
    seen: list[str] = []
    for raw in _WORD.findall(title.casefold()):
        word = raw.strip("'-")
        if len(word) < 3 or word in _STOPWORDS:
            continue
        if word.endswith(("xes", "ches", "shes", "sses")):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
        if word not in seen:
            seen.append(word)
    # Longest first (a long word is usually the specific one); the title's order breaks ties.
    return sorted(seen, key=lambda w: -len(w))[:limit]


def _money(value: float) -> str:
    """``$18``, ``$6.50``, ``$0.05``, ``$1,200``: as precise as the amount needs."""
    if value >= 10:
        return f"${value:,.0f}"
    if value >= 1:
        return f"${value:.0f}" if value == round(value) else f"${value:.2f}"
    text = f"{value:.2g}"  # two significant digits: 0.275 → 0.28, 0.012 → 0.012
    if "e" in text:
        text = f"{value:.4f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"${whole}.{decimals.ljust(2, '0')}"


def _percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of a sorted list."""
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class RateHint:
    """What open jobs of one payment type pay."""

    pay_type: str
    low: float
    high: float
    median: float
    sample: int
    """How many jobs the numbers come from."""
    words: tuple[str, ...] = ()
    """The title words the jobs share; empty when only the payment type matched."""

    @property
    def sentence(self) -> str:
        """``similar open jobs pay $12–$25 / hour, median $18`` (``open hourly jobs pay …``
        when only the payment type matched)."""
        unit = _UNITS.get(self.pay_type, "")
        low, high = _money(self.low), _money(self.high)
        span = low if low == high else f"{low}–{high}"
        who = (_SIMILAR if self.words else _BROAD).get(self.pay_type, "open jobs")
        return f"{who} pay {span}{unit}, median {_money(self.median)}"

    def document(self) -> dict[str, Any]:
        """The cached form."""
        return {
            "payType": self.pay_type,
            "low": self.low,
            "high": self.high,
            "median": self.median,
            "sample": self.sample,
            "words": list(self.words),
        }

    @classmethod
    def from_document(cls, data: Any) -> RateHint | None:
        """Read a cached hint back; None for anything odd."""
        if not isinstance(data, dict):
            return None
        try:
            numbers = [float(data[k]) for k in ("low", "high", "median")]
            sample = int(data["sample"])
            pay_type = str(data["payType"])
            words = tuple(str(w) for w in data.get("words") or [])
        except (KeyError, TypeError, ValueError):
            return None
        if not all(math.isfinite(n) and n > 0 for n in numbers) or sample < MIN_SAMPLE:
            return None
        return cls(pay_type, numbers[0], numbers[1], numbers[2], sample, words)


def summarize(rates: list[float], pay_type: str, words: tuple[str, ...] = ()) -> RateHint | None:
    """The middle half and median of some rates; None when there are too few to mean much."""
    ceiling = MAX_RATES.get(pay_type, math.inf)
    usable = sorted(r for r in rates if math.isfinite(r) and 0 < r <= ceiling)
    if len(usable) < MIN_SAMPLE:
        return None
    import statistics  # here, not at the top: the module is on the first form's path

    return RateHint(
        pay_type=pay_type,
        low=_percentile(usable, 0.25),
        high=_percentile(usable, 0.75),
        median=statistics.median(usable),
        sample=len(usable),
        words=words,
    )


async def _search(client: OpenTrainClient, pay_type: str, words: list[str]) -> RateHint | None:
    page = await client.search_jobs(
        q=" ".join(words) or None, pay_type=pay_type, limit=SEARCH_LIMIT
    )
    rates = [
        rate
        for job in page.jobs
        if job.pay.payment_type in (None, pay_type) and (rate := _rate(job.pay, pay_type))
    ]
    return summarize(rates, pay_type, tuple(words))


def _rate(pay: Any, pay_type: str) -> float | None:
    # A job the server lists under this payType but without its own paymentType still
    # counts: read it as this type.
    if pay.payment_type is None:
        pay = pay.model_copy(update={"payment_type": pay_type})
    rate: float | None = pay.rate()
    return rate


async def fetch_rate_hint(
    client: OpenTrainClient, pay_type: str, title: str | None
) -> RateHint | None:
    """Ask the marketplace: the title's words together, each alone, then the payment type.

    Raises the client's errors (the cached wrapper swallows them).
    """
    words = title_words(title)
    tries = ([words] if len(words) > 1 else []) + [[word] for word in words] + [[]]
    for attempt in tries:
        hint = await _search(client, pay_type, attempt)
        if hint is not None:
            return hint
    return None


def cache_name(client: OpenTrainClient, pay_type: str, title: str | None, scope: str | None) -> str:
    """The cache entry for one origin, payment type and set of title words."""
    words = ",".join(sorted(title_words(title)))
    return entry_name("ratehint", scope or client.root, pay_type, words)


async def load_rate_hint(
    client: OpenTrainClient,
    pay_type: str,
    title: str | None,
    *,
    ttl: float = DEFAULT_FACETS_TTL,
    cache_dir: Path | None = None,
    scope: str | None = None,
    clock: Callable[[], float] = time.time,
    inflight: InFlight | None = None,
) -> RateHint | None:
    """The hint for a payment type and title, cached like facets; None whenever there is none.

    Never raises (cancellation aside): the marketplace being slow, offline or rate-limited
    must not disturb the form, so it is silent. Concurrent callers sharing ``inflight``
    share one lookup (None: this call's own).
    """
    if pay_type not in _UNITS:
        return None
    cache = FacetCache(cache_dir, ttl=ttl, clock=clock)
    name = cache_name(client, pay_type, title, scope)
    entry = cache.read(name)
    if entry is not None and "hint" in entry.payload:
        return RateHint.from_document(entry.payload["hint"])

    async def fetch() -> RateHint | None:
        hint = await fetch_rate_hint(client, pay_type, title)
        if ttl > 0:
            # "No hint" is an answer too: no point asking again within the TTL.
            payload = {"hint": hint.document() if hint is not None else None}
            await cache.write_soon(name, payload)
        return hint

    try:
        return await (inflight or InFlight()).once(cache.flight_key(name), fetch)
    except Exception:  # noqa: BLE001 - optional data: offline or rate-limited means no hint
        return None
