"""A real loopback HTTP proxy in front of the sandbox that can replace chosen responses.

Everything passes through to the sandbox untouched, except requests matching a rule:
those get a canned status and body, a reset connection, or no answer at all. The
tests use it for failures the sandbox cannot produce on demand (a non-JSON body, a 409,
a claim-required 403...), while the client still speaks real HTTP over a socket.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


@dataclass
class Rule:
    """Replace the response to matching requests."""

    method: str
    path: str
    """A regular expression searched in the request path."""
    status: int = 500
    body: bytes | dict[str, Any] | list[Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    action: str = "respond"
    """``respond``, ``reset`` (drop the connection) or ``hang`` (answer nothing)."""
    times: int = 1
    """How many requests it applies to; then it is spent."""
    hang_seconds: float = 5.0
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule applies to a request."""
        return self.hits < self.times and method == self.method and bool(re.search(self.path, path))


def envelope(http_status: int, code: str, message: str, **details: Any) -> dict[str, Any]:
    """OpenTrain's error envelope."""
    return {"error": message, "code": code, "requestId": f"req-{http_status}", "details": details}


class FaultProxy:
    """The proxy; ``base_url`` is what the client should talk to."""

    def __init__(self, upstream: str, *, port: int = 0) -> None:
        self.upstream = upstream.rstrip("/")
        self.rules: list[Rule] = []
        self.seen: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._connections: list[socket.socket] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return  # keep test output quiet

            def setup(self) -> None:
                super().setup()
                with proxy._lock:
                    proxy._connections.append(self.connection)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                method, path = self.command, self.path
                with proxy._lock:
                    proxy.seen.append((method, path))
                    rule = next((r for r in proxy.rules if r.matches(method, path)), None)
                    if rule is not None:
                        rule.hits += 1
                if rule is None:
                    self._forward(method, path, body)
                elif rule.action == "reset":
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.connection.close()
                    self.close_connection = True
                elif rule.action == "hang":
                    time.sleep(rule.hang_seconds)
                    self.close_connection = True
                else:
                    payload = rule.body
                    data = (
                        payload
                        if isinstance(payload, bytes)
                        else json.dumps(payload).encode()
                        if payload is not None
                        else b""
                    )
                    self.send_response(rule.status)
                    content_type = (
                        "application/json" if not isinstance(payload, bytes) else ("text/html")
                    )
                    self.send_header("Content-Type", rule.headers.get("Content-Type", content_type))
                    for name, value in rule.headers.items():
                        if name != "Content-Type":
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

            def _forward(self, method: str, path: str, body: bytes) -> None:
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in {"host", "content-length", "connection"}
                }
                with httpx.Client(timeout=30) as client:
                    response = client.request(
                        method, proxy.upstream + path, content=body, headers=headers
                    )
                self.send_response(response.status_code)
                for name, value in response.headers.items():
                    if name.lower() not in {
                        "content-length",
                        "transfer-encoding",
                        "connection",
                        "content-encoding",
                    }:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.content)))
                self.end_headers()
                self.wfile.write(response.content)

            do_GET = do_POST = do_PATCH = do_DELETE = _handle  # noqa: N815

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._stopped = False

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The proxy's origin."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, rule: Rule) -> Rule:
        """Add a rule (first matching rule wins)."""
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """Forget every rule: everything passes through again."""
        with self._lock:
            self.rules.clear()

    def start(self) -> FaultProxy:
        """Serve in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket (later connections are refused)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        # Kept-alive connections would still be served by their threads: cut them too.
        with self._lock:
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                    connection.close()
            self._connections.clear()
