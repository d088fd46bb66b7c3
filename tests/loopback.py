"""What the test's own HTTP servers on 127.0.0.1 share: a quiet handler, the error envelope,
and polling for a condition another thread makes true.

``tests/fault_proxy.py`` (a proxy that injects faults) and ``tests/hostile_server.py``
(a hostile stand-in API) both build on the standard library's ``BaseHTTPRequestHandler``
so that a test of any layer can use them without another dependency.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any


def envelope(
    message: str, code: str, *, request_id: str = "req-test", **details: Any
) -> dict[str, Any]:
    """OpenTrain's documented error envelope: ``{error, code, requestId, details}``."""
    return {"error": message, "code": code, "requestId": request_id, "details": details}


class QuietHandler(BaseHTTPRequestHandler):
    """One request per connection (HTTP/1.0), every method to ``serve``, no access log."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        """Quiet: pytest shows what the test asserts, not an access log."""

    def serve(self) -> None:
        """Answer the request just parsed."""
        raise NotImplementedError

    def read_body(self) -> bytes:
        """The request's body (``Content-Length`` bytes; none without one)."""
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self.serve()

    def do_POST(self) -> None:  # noqa: N802
        self.serve()

    def do_PATCH(self) -> None:  # noqa: N802
        self.serve()

    def do_PUT(self) -> None:  # noqa: N802
        self.serve()

    def do_DELETE(self) -> None:  # noqa: N802
        self.serve()


def wait_until(predicate: Callable[[], object], timeout: float = 20.0) -> None:
    """Poll until ``predicate()`` is truthy, or fail; ``timeout`` only guards against a hang."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")
        time.sleep(0.02)
