"""The sandbox's stand-in for OpenTrain's edge cache on `GET /jobs/facets`.

The reference says the tokenless marketplace endpoints are edge-cached
(`Cache-Control: public, s-maxage=300, stale-while-revalidate=3600`) "for up to 5 minutes,
so `generatedAt` may lag". The sandbox imitates that on the facets: one answer is computed,
then served unchanged (same counts, same `generatedAt`) until its window ends. A job
published meanwhile shows up once the window has passed, never later.

One `EdgeCache` belongs to one app instance (it lives in the app's `SandboxState`), so the
many sandboxes tests and benchmarks build never share an answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

FACETS_WINDOW_SECONDS = 60.0
"""How long one facets answer is served. Not documented as such: the docs promise only a lag
of "up to 5 minutes"; a minute stays inside that while a practice session that publishes a
draft sees it counted soon."""

FACETS_KEY = "GET /jobs/facets"
"""The cache key of the facets answer (the endpoint takes no parameters, so one key)."""

CACHE_CONTROL = "public, s-maxage=300, stale-while-revalidate=3600"
"""The header the reference documents for the edge-cached tokenless endpoints."""


class EdgeCache:
    """Answers kept per key for `window` seconds; thread-safe.

    Args:
        window: seconds an answer is served before it is computed again; 0 turns caching off.
        clock: a monotonic clock in seconds (tests pass a fake one).
    """

    def __init__(
        self, window: float = FACETS_WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if window < 0:
            raise ValueError("The cache window cannot be negative.")
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Any]] = {}

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        """The cached answer for `key`, or a fresh one from `compute` once the window ended.

        `compute` runs under the lock: concurrent callers wait for one computation instead
        of each recomputing (the work is a few milliseconds).
        """
        with self._lock:
            now = self._clock()
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < self.window:
                return entry[1]
            value = compute()
            if self.window > 0:
                self._entries[key] = (now, value)
            return value

    def age(self, key: str) -> float | None:
        """Seconds since `key`'s answer was computed; None when nothing is cached."""
        with self._lock:
            entry = self._entries.get(key)
            return None if entry is None else self._clock() - entry[0]

    def clear(self) -> None:
        """Forget every answer (the sandbox's reset does this: its world starts over)."""
        with self._lock:
            self._entries.clear()
