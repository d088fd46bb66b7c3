"""`/job-drafts`: the capabilities, creating a draft, patching its fields."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from starlette.responses import Response

from wizard.sandbox import openapi
from wizard.sandbox.access import authenticate
from wizard.sandbox.identity import capabilities
from wizard.sandbox.middleware import PUBLIC_PREFIX
from wizard.sandbox.routes.common import (
    AUTH_ERRORS,
    BEARER,
    json_response,
    origin,
    read_json,
    state,
)


async def get_capabilities(request: Request) -> Response:
    return json_response(capabilities(authenticate(request.headers.get("authorization"))))


async def create_draft(request: Request) -> Response:
    profile = authenticate(request.headers.get("authorization"))
    body = await read_json(request)
    status, payload = state(request).drafts.create(profile, body, origin(request))
    return json_response(payload, status)


async def patch_draft(request: Request, jobId: str) -> Response:  # noqa: N803 (the path name)
    profile = authenticate(request.headers.get("authorization"))
    body = await read_json(request)
    status, payload = state(request).drafts.patch(profile, jobId, body, origin(request))
    return json_response(payload, status)


def add_routes(app: FastAPI) -> None:
    """Add the `/job-drafts` routes to a sandbox app."""
    app.add_api_route(
        f"{PUBLIC_PREFIX}/job-drafts/capabilities",
        get_capabilities,
        methods=["GET"],
        dependencies=[Depends(BEARER)],
        summary="Draft capabilities, keys and enums",
        tags=["drafts"],
        responses=openapi.responses({200: {"type": "object"}}, (401, 403, 429, 502, 503)),
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/job-drafts",
        create_draft,
        methods=["POST"],
        dependencies=[Depends(BEARER)],
        status_code=201,
        summary="Create a job draft",
        tags=["drafts"],
        openapi_extra=openapi.body(openapi.DRAFT_CREATE_SCHEMA),
        responses=openapi.responses(
            {201: openapi.CREATE_RESPONSE_SCHEMA, 200: openapi.CREATE_RESPONSE_SCHEMA}, AUTH_ERRORS
        ),
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/job-drafts/{{jobId}}",
        patch_draft,
        methods=["PATCH"],
        dependencies=[Depends(BEARER)],
        summary="Update a draft's fields",
        tags=["drafts"],
        openapi_extra=openapi.body(openapi.DRAFT_UPDATE_SCHEMA),
        responses=openapi.responses({200: openapi.PATCH_RESPONSE_SCHEMA}, (*AUTH_ERRORS, 409)),
    )
