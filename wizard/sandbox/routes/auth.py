"""`GET /auth/me`: who the token belongs to."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from starlette.responses import Response

from wizard.sandbox import openapi
from wizard.sandbox.access import authenticate
from wizard.sandbox.middleware import PUBLIC_PREFIX
from wizard.sandbox.routes.common import BEARER, json_response, origin, state


async def auth_me(request: Request) -> Response:
    profile = authenticate(request.headers.get("authorization"))
    return json_response(state(request).drafts.me(profile, origin(request)))


def add_routes(app: FastAPI) -> None:
    """Add `/auth/me` to a sandbox app."""
    app.add_api_route(
        f"{PUBLIC_PREFIX}/auth/me",
        auth_me,
        methods=["GET"],
        dependencies=[Depends(BEARER)],
        summary="Who the token belongs to",
        tags=["auth"],
        responses=openapi.responses({200: {"type": "object"}}, (401, 404)),
    )
