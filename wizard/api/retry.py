"""The one retry policy for every call: which failures are retried, and how long to wait.

Connect errors, timeouts, dropped connections, 429, 502, 503 and 504 are retried up
to three attempts in all. ``Retry-After`` is honoured up to a cap; otherwise the wait
grows exponentially with jitter. Other 4xx are never retried, and neither is the
daily publish limit (a 429 that is not transient).
"""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

import httpx

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
"""Statuses worth another attempt."""

RETRYABLE_TRANSPORT_ERRORS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)
"""Transport failures worth another attempt (refused, reset, dropped mid-response)."""


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


@dataclass
class RetryPolicy:
    """How many attempts, and how long to wait between them."""

    max_attempts: int = 3
    """Attempts in all, the first included."""
    initial_delay: float = 0.5
    """Backoff before the second attempt, doubled for each later one."""
    max_delay: float = 8.0
    """Ceiling of the exponential backoff."""
    max_retry_after: float = 30.0
    """Ceiling on a server's ``Retry-After``; a longer wait is cut to this."""
    sleeper: Callable[[float], Awaitable[None]] = field(default=_sleep)
    """What waits; tests hand in one that records and returns at once."""

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based).

        A ``retry_after`` that is ``nan`` or negative is ignored (it would mean instant
        retries); a huge or infinite one is cut to ``max_retry_after``.
        """
        if retry_after is not None and not math.isnan(retry_after) and retry_after >= 0:
            return min(retry_after, self.max_retry_after)
        backoff = min(self.initial_delay * 2.0 ** (attempt - 1), self.max_delay)
        # Jitter keeps many clients from retrying in lock-step.
        jitter: float = random.uniform(0.75, 1.0)
        return float(backoff * jitter)

    def for_optional_data(self) -> RetryPolicy:
        """The same policy, hurried: for data the wizard can do without (facets).

        One more attempt at most and short waits, whatever ``Retry-After`` asks: a
        rate-limited facets endpoint must not hold the form back for a minute.
        """
        return replace(
            self,
            max_attempts=min(self.max_attempts, 2),
            max_delay=min(self.max_delay, 1.0),
            max_retry_after=min(self.max_retry_after, 2.0),
        )
