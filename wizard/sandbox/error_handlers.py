"""How exceptions become answers: the documented envelope, or Laravel's body on Recruitsome.

Nothing may answer 500 to any input; if something does, it is the envelope with `INTERNAL`.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, item 24): `BAD_REQUEST`
for 405, `INTERNAL` for 500.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from wizard.sandbox.errors import ApiError, RecruitsomeError, code_for, envelope
from wizard.sandbox.routes.common import json_response, path, request_id
from wizard.sandbox.routes.recruitsome import RECRUITSOME_PREFIX

logger = logging.getLogger(__name__)


def add_error_handlers(app: FastAPI) -> None:
    """Install the handlers on a sandbox app."""
    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RecruitsomeError, on_recruitsome_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)


async def on_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    body = envelope(exc.message, exc.code, request_id(request), exc.details)
    return json_response(body, exc.status, headers=exc.headers or None)


async def on_recruitsome_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RecruitsomeError)
    return json_response(exc.body, exc.status)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    method = request.method
    if exc.status_code == 404:
        message = f"No route matches {method} {path(request)[:200]}."
    elif exc.status_code == 405:
        message = f"{method} is not allowed on {path(request)[:200]}."
    else:
        message = str(exc.detail)
    if path(request).startswith(RECRUITSOME_PREFIX + "/"):
        return json_response({"message": message}, exc.status_code, headers=headers or None)
    body = envelope(message, code_for(exc.status_code), request_id(request))
    return json_response(body, exc.status_code, headers=headers or None)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    # Only path parameters are declared to FastAPI, so this is rare; keep the envelope.
    assert isinstance(exc, RequestValidationError)
    issues = [
        {
            "code": "custom",
            "path": [str(p) for p in err.get("loc", ())][1:],
            "message": str(err.get("msg", "Invalid value")),
        }
        for err in exc.errors()
    ]
    first = issues[0] if issues else {"path": [], "message": "Invalid value"}
    where = ".".join(first["path"]) or "request"
    message = f"Invalid {where}: {str(first['message']).rstrip('.')}."
    body = envelope(message, "BAD_REQUEST", request_id(request), {"issues": issues})
    return json_response(body, 400)


async def on_unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("Unexpected error in the sandbox", exc_info=exc)
    body = envelope("The sandbox hit an unexpected error.", "INTERNAL", request_id(request))
    return json_response(body, 500)
