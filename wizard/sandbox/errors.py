"""Errors the sandbox raises, and the bodies they become.

OpenTrain routes answer every non-2xx with the documented envelope
``{"error": "<sentence>", "code": "...", "requestId": "<uuid>", "details": {...}}``;
Recruitsome routes answer Laravel-style ``{"message": "...", "errors": {...}}``.

Not documented (`wizard/sandbox/README.md`, item 24): the codes of statuses the docs do not
list (405, 413 and 415 use ``BAD_REQUEST``; 500 uses ``INTERNAL``), chosen so every non-2xx
still has the documented envelope.
"""

from __future__ import annotations

from typing import Any

STATUS_CODES: dict[int, str] = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "BAD_REQUEST",
    409: "CONFLICT",
    413: "BAD_REQUEST",
    415: "BAD_REQUEST",
    429: "RATE_LIMITED",
}


def code_for(status: int) -> str:
    """The envelope `code` for an HTTP status."""
    return STATUS_CODES.get(status, "INTERNAL")


class ApiError(Exception):
    """An OpenTrain-style error: becomes the envelope with this status."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or code_for(status)
        self.details = details or {}
        self.headers = headers or {}


class RecruitsomeError(Exception):
    """A Recruitsome-style error: the body is sent as is."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(str(body.get("message", "")))
        self.status = status
        self.body = body


def envelope(
    message: str, code: str, request_id: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The documented error envelope."""
    return {"error": message, "code": code, "requestId": request_id, "details": details or {}}


def shown(value: str) -> str:
    """A client's value cut to 80 characters, to quote in an error message."""
    return value if len(value) <= 80 else value[:77] + "..."
