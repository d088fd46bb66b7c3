"""What every route handler needs: the app's state, the caller's origin, JSON in and out.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, item 22): the marketplace
is the sandbox's own published jobs first, then the seeded catalogue.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.security import HTTPBearer
from starlette.requests import ClientDisconnect

from wizard.sandbox.body import parse_json_body
from wizard.sandbox.errors import ApiError
from wizard.sandbox.marketplace import MarketJob, catalogue, iso, published_market_job
from wizard.sandbox.responses import SandboxJSONResponse
from wizard.sandbox.state import SandboxState

_HOST = re.compile(r"^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$")
BEARER = HTTPBearer(auto_error=False, description="A personal API token, ot_pat_...")
"""Declares the Bearer scheme in the OpenAPI document; handlers check the header themselves."""


def state(request: Request) -> SandboxState:
    """The state of the app serving this request."""
    found = request.app.state.sandbox
    assert isinstance(found, SandboxState)
    return found


def request_id(request: Request) -> str:
    """The id `SandboxMiddleware` gave this request ("" outside it)."""
    return str(request.scope.get("state", {}).get("request_id", ""))


def origin(request: Request) -> str:
    """The origin links should point at: the Host header when sane, else the socket."""
    host = request.headers.get("host", "")
    if _HOST.match(host):
        return f"http://{host}"
    server = request.scope.get("server")
    if server and server[0]:
        address = f"[{server[0]}]" if ":" in str(server[0]) else str(server[0])
        return f"http://{address}:{server[1]}" if server[1] else f"http://{address}"
    return "http://127.0.0.1"


def path(request: Request) -> str:
    """The raw scope path: building request.url would parse the client's Host header."""
    return str(request.scope.get("path", ""))


def json_response(
    body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> SandboxJSONResponse:
    """A JSON answer."""
    return SandboxJSONResponse(body, status_code=status, headers=headers)


async def read_json(request: Request) -> object:
    """The request's JSON body, or the 400 envelope."""
    try:
        raw = await request.body()
    except ClientDisconnect:
        # Nobody is left to read the answer; a 400 keeps it out of the error log.
        raise ApiError(400, "The client disconnected before sending the whole body.") from None
    return parse_json_body(raw)


def market_jobs(sandbox: SandboxState) -> list[MarketJob]:
    """Every open job: the sandbox's published ones first, then the seeded catalogue."""
    published = [published_market_job(r) for r in sandbox.store.open_jobs()]
    return [*published, *catalogue()]


def now_iso() -> str:
    """The current time as the API writes it."""
    return iso(datetime.now(tz=UTC))


AUTH_ERRORS = (400, 401, 403, 404, 429, 502, 503)
"""The error statuses every token-authenticated route documents."""
