"""A real loopback HTTP proxy in front of a server, that answers chosen requests with a fault.

Everything passes through to the upstream untouched, except requests a rule matches:
those get the rule's action instead, for failures the sandbox cannot produce on demand
(a 429 on the first PATCH, a body that is not JSON, a claim-required 403, a reply that
never comes, a listener that goes away) while the client still speaks real HTTP over a
socket::

    with FaultProxy(server.base_url) as proxy:
        proxy.script("PATCH", "/job-drafts/", Respond(429, envelope(...), {"Retry-After": "1"}))
        rule = proxy.script("PATCH", "/job-drafts/", Reset(), times=3)
        ...
        proxy.clear()  # every fault gone: everything passes through again

A rule applies to the next ``times`` requests whose method is ``method`` and whose path
holds ``path``; the first rule that still applies wins, then it is spent. ``rule.hits``
counts the requests it took. Every request is recorded in ``proxy.requests`` (with its
body and what was done with it).

One request per connection (HTTP/1.0), so no connection outlives a request: once the
listener is closed (``stop_listening``, a ``Die`` action) every later request is refused,
and ``start`` listens on the same port again, the same origin to the client's journal.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.loopback import QuietHandler, envelope

__all__ = [
    "Action",
    "Die",
    "FaultProxy",
    "Hang",
    "Recorded",
    "Reset",
    "Respond",
    "Rule",
    "envelope",
]


@dataclass(frozen=True)
class Respond:
    """Answer in the upstream's place.

    A dict or list body is sent as JSON; bytes or text as they are, labelled JSON when
    they look like it and HTML otherwise, unless ``headers`` name a ``Content-Type``.
    """

    status: int
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    forward_first: bool = False
    """Pass the request upstream first (so it is applied), then answer this instead."""


@dataclass(frozen=True)
class Reset:
    """Close the connection with a TCP reset and no answer."""

    forward_first: bool = False
    """Pass the request upstream first: the server applied it, the client never hears."""


@dataclass(frozen=True)
class Hang:
    """Keep the client waiting, unanswered, for ``seconds`` or until the proxy stops."""

    seconds: float = 30.0
    forward_first: bool = False
    """Pass the request upstream first (it is applied) before hanging."""


@dataclass(frozen=True)
class Die:
    """Stop listening (later connects are refused) and reset this connection."""


Action = Respond | Reset | Hang | Die


@dataclass
class Rule:
    """Replace the answer to the next ``times`` matching requests with ``action``."""

    method: str
    path: str
    """A fragment of the request path (``"/job-drafts/"``, ``"/publish"``)."""
    action: Action
    times: int = 1
    hits: int = 0
    """How many requests it has taken so far."""

    def takes(self, method: str, path: str) -> bool:
        """Whether this rule applies to a request (and is not spent)."""
        return self.hits < self.times and method == self.method and self.path in path


@dataclass
class Recorded:
    """One request the proxy saw, and what it did with it (an action's name, or ``pass``)."""

    method: str
    path: str
    body: bytes
    action: str


_HOP_HEADERS = {"host", "content-length", "connection", "transfer-encoding"}
"""Request and response headers that describe one hop, not the message: never forwarded."""


class FaultProxy:
    """A stdlib HTTP server on 127.0.0.1 forwarding to ``upstream``, with faults by rule.

    Without an upstream every request no rule takes is a 502.
    """

    def __init__(self, upstream: str | None, *, port: int = 0) -> None:
        self.upstream = upstream.rstrip("/") if upstream else None
        self.port = port
        self.rules: list[Rule] = []
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._http = httpx.Client(timeout=60)
        self.hung = threading.Event()
        """Set once a ``Hang`` has begun (after passing its request upstream, if it does)."""
        self.released = threading.Event()
        """Set (by ``stop``) to end every ``Hang`` at once."""

    # ---- the test's side -------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The origin clients should use."""
        return f"http://127.0.0.1:{self.port}"

    def script(self, method: str, path: str, action: Action, *, times: int = 1) -> Rule:
        """Answer the next ``times`` requests matching ``method`` and ``path`` with ``action``."""
        rule = Rule(method.upper(), path, action, times)
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """Forget every rule: everything passes through again."""
        with self._lock:
            self.rules.clear()

    def seen(self, method: str, path: str = "") -> list[Recorded]:
        """The recorded requests with this method and a path holding ``path``."""
        with self._lock:
            return [r for r in self.requests if r.method == method and path in r.path]

    # ---- life cycle ------------------------------------------------------------------

    def start(self) -> FaultProxy:
        """Listen (on the same port again after ``stop_listening`` or ``Die``)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        self.port = sock.getsockname()[1]
        self._sock = sock
        accept = threading.Thread(target=self._accept, args=(sock,), daemon=True)
        self._threads.append(accept)
        accept.start()
        return self

    def stop_listening(self) -> None:
        """Close the listening socket: connects are refused from now on."""
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes accept() at once on Linux
            sock.close()

    def stop(self) -> None:
        """Stop for good: refuse connects, end every hang, close the upstream client."""
        self.released.set()
        self.stop_listening()
        for thread in self._threads:
            thread.join(2)
        self._http.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- internals -------------------------------------------------------------------

    def _accept(self, sock: socket.socket) -> None:
        while True:
            try:
                conn, address = sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn, address), daemon=True).start()

    def _serve(self, conn: socket.socket, address: Any) -> None:
        try:
            handler = _Handler(conn, address, self)
            if handler.reset:
                # Linger 0: close() sends a TCP reset instead of an orderly end.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        finally:
            conn.close()

    def take(self, method: str, path: str, body: bytes) -> Action | None:
        """Record a request and return the action of the first rule that takes it."""
        with self._lock:
            rule = next((r for r in self.rules if r.takes(method, path)), None)
            if rule is not None:
                rule.hits += 1
            action = rule.action if rule is not None else None
            self.requests.append(
                Recorded(method, path, body, type(action).__name__ if action else "pass")
            )
        return action

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> httpx.Response | None:
        """Send upstream; None when the upstream cut the connection (pass that on)."""
        if self.upstream is None:
            return httpx.Response(502, json=envelope("No upstream.", "INTERNAL"))
        try:
            return self._http.request(method, self.upstream + path, headers=headers, content=body)
        except httpx.TransportError:
            return None


class _Handler(QuietHandler):
    """One request: record it, act on the rule that takes it, or pass it through."""

    reset = False
    """Whether the connection ends with a TCP reset instead of an answer."""

    def __init__(self, conn: socket.socket, address: Any, proxy: FaultProxy) -> None:
        self.proxy = proxy
        super().__init__(conn, address, proxy)  # type: ignore[arg-type]

    def serve(self) -> None:
        body = self.read_body()
        action = self.proxy.take(self.command, self.path, body)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
        if isinstance(action, Die):
            self.proxy.stop_listening()
            self.reset = True
            return
        if action is not None and action.forward_first:
            self.proxy.forward(self.command, self.path, headers, body)
        if isinstance(action, Hang):
            self.proxy.hung.set()
            self.proxy.released.wait(action.seconds)
            self.reset = True
        elif isinstance(action, Reset):
            self.reset = True
        elif isinstance(action, Respond):
            self._answer(action.status, *_payload(action))
        else:
            self._pass(self.proxy.forward(self.command, self.path, headers, body))

    def _pass(self, response: httpx.Response | None) -> None:
        if response is None:  # the upstream cut the connection: so does the proxy
            self.reset = True
            return
        # httpx has decoded the body: its encoding, length and framing no longer hold.
        dropped = _HOP_HEADERS | {"content-encoding", "date", "server"}
        passed = {k: v for k, v in response.headers.items() if k.lower() not in dropped}
        self._answer(response.status_code, response.content, passed)

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in {"server", "content-length"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _payload(action: Respond) -> tuple[bytes, dict[str, str]]:
    """The body bytes of a scripted answer and its headers, with a ``Content-Type``."""
    body = action.body
    data = json.dumps(body).encode() if isinstance(body, dict | list) else body
    data = data.encode() if isinstance(data, str) else data
    headers = dict(action.headers)
    if data and not any(k.lower() == "content-type" for k in headers):
        looks_json = isinstance(body, dict | list) or data[:1] in (b"{", b"[")
        headers["Content-Type"] = "application/json" if looks_json else "text/html"
    return data, headers
