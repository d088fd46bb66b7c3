"""The documented 120 requests a minute per client on the tokenless marketplace endpoints.

The reference: `GET /jobs`, `/jobs/facets`, `/jobs/{id}` and `/jobs/changes` allow "120
requests/minute per IP", past which they answer 429 `RATE_LIMITED`. The sandbox counts
`GET`s to those paths per client address in a sliding 60-second window and answers the
documented envelope once a client is past the limit.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, item 23): the window
slides (no fixed minute boundaries); the 429 carries `Retry-After` (whole seconds until the
oldest counted request leaves the window) and `details: {limit, windowSeconds}`; refused
requests are not counted; `OPTIONS` preflights are never limited; one limiter per app
instance, so tests and benchmarks never share a budget.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from wizard.sandbox.errors import envelope

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

TOKENLESS_LIMIT = 120
"""Requests a client may make to the tokenless endpoints per window (the documented 120)."""
TOKENLESS_WINDOW_SECONDS = 60.0
"""The window of that limit: a minute, as documented."""

_PREFIX = "/api/public/v1/jobs"
_AUTHENTICATED_SUFFIXES = ("/publish", "/close")


def is_tokenless(method: str, path: str) -> bool:
    """Whether a request goes to a tokenless marketplace endpoint (and so is limited)."""
    if method != "GET":
        return False
    if path == _PREFIX:
        return True
    if not path.startswith(_PREFIX + "/"):
        return False
    rest = path[len(_PREFIX) + 1 :]
    # /jobs/mine is the account's own list (token); /jobs/{id}/publish is a write.
    return bool(rest) and rest != "mine" and not rest.endswith(_AUTHENTICATED_SUFFIXES)


class SlidingWindowLimiter:
    """At most `limit` hits per `window` seconds per client key; thread-safe.

    Args:
        limit: hits allowed per window; 0 or less turns the limit off.
        window: the window in seconds.
        clock: a monotonic clock in seconds (tests pass a fake one).
    """

    def __init__(
        self,
        limit: int = TOKENLESS_LIMIT,
        window: float = TOKENLESS_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if window <= 0:
            raise ValueError("The rate-limit window must be positive.")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    @property
    def active(self) -> bool:
        """Whether any request can be refused."""
        return self.limit > 0

    def hit(self, key: str) -> float | None:
        """Count one request; None when allowed, else the seconds until one is allowed."""
        if not self.active:
            return None
        with self._lock:
            now = self._clock()
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(self.window - (now - hits[0]), 0.0)
            hits.append(now)
            if len(self._hits) > 10_000:
                # Forget idle clients so a scan of many addresses cannot grow the table.
                window = self.window
                self._hits = {k: v for k, v in self._hits.items() if v and now - v[-1] < window}
            return None

    def reset(self) -> None:
        """Forget every count (the sandbox's reset does this)."""
        with self._lock:
            self._hits.clear()


class TokenlessRateLimit:
    """ASGI middleware: 429 `RATE_LIMITED` past the limit on the tokenless endpoints."""

    def __init__(self, app: ASGIApp, *, limiter: SlidingWindowLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.limiter.active
            or not is_tokenless(str(scope.get("method", "")), str(scope.get("path", "")))
        ):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = str(client[0]) if client else "unknown"
        wait = self.limiter.hit(key)
        if wait is None:
            await self.app(scope, receive, send)
            return
        request_id = str(scope.get("state", {}).get("request_id", ""))
        limit, window = self.limiter.limit, self.limiter.window
        body = json.dumps(
            envelope(
                f"Too many requests: at most {limit} a minute to the public job endpoints;"
                " retry later.",
                "RATE_LIMITED",
                request_id,
                {"limit": limit, "windowSeconds": int(window)},
            ),
            separators=(",", ":"),
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(max(1, math.ceil(wait))).encode()),
            (b"access-control-allow-origin", b"*"),
        ]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
