"""ASGI middleware: request ids, per-route counters, and fault injection.

Faults touch only the public API (`/api/public/v1/...`) and never the tokenless facets or the
OpenAPI document, so clients can always discover the API even while it misbehaves.

A "drop" announces a `Content-Length`, sends half the body and returns: uvicorn then closes
the connection, and an HTTP client sees a truncated response (httpx raises
`RemoteProtocolError`), not a clean status code.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, items 23 and 25): every
answer carries `x-request-id` (the envelope's `requestId` on errors), and injected 429s
carry `Retry-After: 1` (the documented 120 requests/minute is `wizard.sandbox.ratelimit`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import threading
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wizard.sandbox.errors import envelope
from wizard.sandbox.faults import FaultConfig

PUBLIC_PREFIX = "/api/public/v1"
PATCH_DRAFT_ROUTE = f"PATCH {PUBLIC_PREFIX}/job-drafts/{{jobId}}"
_UNFAULTED_PATHS = frozenset(
    {
        f"{PUBLIC_PREFIX}/jobs/facets",
        f"{PUBLIC_PREFIX}/openapi.json",
        f"{PUBLIC_PREFIX}/openapi",
    }
)
FAULT_KINDS = ("latency", "drop", "rate_limit", "error", "hold", "drop_after")
INCOMPLETE_RESPONSE_LOG = "ASGI callable returned without completing response."


class Stats:
    """Counters the `/_sandbox/stats` endpoint reports; safe to read from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self.patches_received = 0
        self.holds_abandoned = 0

    def count_request(self, route: str) -> None:
        """One more request to this route (`"METHOD /path/{template}"`)."""
        with self._lock:
            self.requests[route] += 1
            if route == PATCH_DRAFT_ROUTE:
                self.patches_received += 1

    def count_fault(self, kind: str) -> None:
        """One more injected fault of this kind."""
        with self._lock:
            self.faults[kind] += 1

    def count_abandoned_hold(self) -> None:
        """A held request whose client went away before it was processed."""
        with self._lock:
            self.holds_abandoned += 1

    def reset(self) -> None:
        """Zero every counter."""
        with self._lock:
            self.requests.clear()
            self.faults.clear()
            self.patches_received = 0
            self.holds_abandoned = 0

    def snapshot(self, *, patches_applied: int, fault_spec: str) -> dict[str, Any]:
        """The counters as a JSON-ready dict."""
        with self._lock:
            return {
                "requests": dict(sorted(self.requests.items())),
                "faults": {kind: self.faults.get(kind, 0) for kind in FAULT_KINDS},
                "patchesReceived": self.patches_received,
                "patchesApplied": patches_applied,
                "holdsAbandoned": self.holds_abandoned,
                "faultSpec": fault_spec,
            }


class FaultInjector:
    """Decides, request by request, which fault (if any) to inject."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed)
        self.shutting_down = False
        """Set by the server on stop, so held requests end at once."""

    def configure(self, config: FaultConfig) -> None:
        """Switch to a new configuration (and reseed)."""
        self._rng = random.Random(config.seed)
        self.config = config

    def roll(self, rate: float) -> bool:
        """True with probability `rate`; consumes randomness only when the rate is set."""
        return rate > 0 and self._rng.random() < rate

    def choose_error_status(self) -> int:
        """Mostly 503, sometimes 502: both are transient and retryable."""
        return 502 if self._rng.random() < 1 / 3 else 503


class SandboxMiddleware:
    """Adds `x-request-id`, counts requests per route, and injects configured faults."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: list[BaseRoute],
        stats: Stats,
        injector: FaultInjector,
    ) -> None:
        self.app = app
        self.routes = routes
        self.stats = stats
        self.injector = injector

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        self.stats.count_request(self._route_label(scope))
        send = _with_header(send, b"x-request-id", request_id.encode())
        path: str = scope.get("path", "")
        faultable = (
            path.startswith(PUBLIC_PREFIX + "/")
            and path not in _UNFAULTED_PATHS
            and scope.get("method") != "OPTIONS"
        )
        if not faultable or not self.injector.config.active:
            await self.app(scope, receive, send)
            return
        await self._with_faults(scope, receive, send, request_id)

    def _route_label(self, scope: Scope) -> str:
        method = scope.get("method", "GET")
        for route in self.routes:
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return f"{method} {getattr(route, 'path', '?')}"
        return f"{method} (unmatched)"

    async def _with_faults(
        self, scope: Scope, receive: Receive, send: Send, request_id: str
    ) -> None:
        config = self.injector.config
        if config.latency > 0:
            self.stats.count_fault("latency")
            await asyncio.sleep(config.latency)
        if self.injector.roll(config.drop_rate):
            self.stats.count_fault("drop")
            body = _envelope_bytes("The connection was dropped.", "INTERNAL", request_id)
            await _cut(send, 502, [(b"content-type", b"application/json")], body)
            return
        if self.injector.roll(config.rate_limit_rate):
            self.stats.count_fault("rate_limit")
            await _send_json(
                send,
                429,
                _envelope_bytes(
                    "Too many requests: slow down and retry.",
                    "RATE_LIMITED",
                    request_id,
                    {"fault": "rate_limit", "retryAfterSeconds": 1},
                ),
                [(b"retry-after", b"1")],
            )
            return
        if self.injector.roll(config.error_rate):
            self.stats.count_fault("error")
            status = self.injector.choose_error_status()
            headers = [(b"retry-after", b"0")] if status == 503 else []
            await _send_json(
                send,
                status,
                _envelope_bytes(
                    f"The service is temporarily unavailable ({status}); retry the request.",
                    "INTERNAL",
                    request_id,
                    {"fault": "error", "transient": True},
                ),
                headers,
            )
            return
        hold = config.hold_seconds(_hold_kind(scope))
        if hold > 0:
            self.stats.count_fault("hold")
            outcome, receive = await self._hold(receive, hold)
            if outcome == "disconnected":
                # The client gave up: like a real server that had not started the work yet,
                # nothing is applied. There is nobody to answer.
                self.stats.count_abandoned_hold()
                return
            if outcome == "shutdown":
                await _send_json(
                    send,
                    503,
                    _envelope_bytes(
                        "The sandbox is shutting down; retry the request.",
                        "INTERNAL",
                        request_id,
                        {"transient": True},
                    ),
                    [(b"retry-after", b"1")],
                )
                return
        if self.injector.roll(config.drop_after_rate):
            self.stats.count_fault("drop_after")
            await self._process_then_cut(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _hold(self, receive: Receive, seconds: float) -> tuple[str, Receive]:
        """Read the body, then wait `seconds`, watching for the client going away."""
        buffered: list[Message] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return "disconnected", receive
            buffered.append(message)
            if not message.get("more_body", False):
                break
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        # Once the body is read, the server's receive() only returns when the client leaves.
        watcher: asyncio.Future[Message] | None = asyncio.ensure_future(receive())
        outcome = "ready"
        try:
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                if self.injector.shutting_down:
                    outcome = "shutdown"
                    break
                if watcher is None:
                    await asyncio.sleep(min(0.05, remaining))
                    continue
                done, _ = await asyncio.wait({watcher}, timeout=min(0.05, remaining))
                if done:
                    if watcher.result()["type"] == "http.disconnect":
                        outcome = "disconnected"
                        break
                    watcher = None
        finally:
            if watcher is not None and not watcher.done():
                watcher.cancel()
        return outcome, _replay(buffered, receive)

    async def _process_then_cut(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request to completion, then deliver only half of the response."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        await self.app(scope, receive, capture)
        if start is None:
            return
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await _cut(send, int(start["status"]), headers, b"".join(chunks))


def _hold_kind(scope: Scope) -> str:
    method = scope.get("method")
    path: str = scope.get("path", "")
    if method == "PATCH":
        return "patch"
    if method == "POST" and path.rstrip("/") == f"{PUBLIC_PREFIX}/job-drafts":
        return "create"
    if method == "POST" and path.endswith("/publish"):
        return "publish"
    return "other"


def _replay(buffered: list[Message], receive: Receive) -> Receive:
    pending = list(buffered)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _with_header(send: Send, name: bytes, value: bytes) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != name]
            message = {**message, "headers": [*headers, (name, value)]}
        await send(message)

    return wrapped


def _envelope_bytes(
    message: str, code: str, request_id: str, details: dict[str, Any] | None = None
) -> bytes:
    return json.dumps(envelope(message, code, request_id, details), separators=(",", ":")).encode()


async def _send_json(
    send: Send, status: int, body: bytes, extra_headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra_headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _cut(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    """Promise the whole body, deliver half, and stop: the server then drops the connection."""
    declared = max(len(body), 2)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(declared).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body[: declared // 2], "more_body": True})


class IncompleteResponseFilter(logging.Filter):
    """Silences uvicorn's complaint about the responses the drop faults cut on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != INCOMPLETE_RESPONSE_LOG


def quiet_intentional_drops() -> None:
    """Install `IncompleteResponseFilter` on uvicorn's error logger, once."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, IncompleteResponseFilter) for f in logger.filters):
        logger.addFilter(IncompleteResponseFilter())
