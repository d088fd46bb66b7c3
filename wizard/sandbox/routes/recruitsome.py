"""Recruitsome's `/api/v1`: vacancy facets (Bearer API key) and health.

Not documented; chosen by the sandbox (reasons in `wizard/sandbox/README.md`, items 28, 30
and 32): `INSUFFICIENT_SCOPE` in a top-level `code`; uncached facets; the health body.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from starlette.responses import Response

from wizard.sandbox import openapi, recruitsome
from wizard.sandbox.accounts import SANDBOX_RECRUITSOME_KEYS, RecruitsomeKey
from wizard.sandbox.errors import RecruitsomeError
from wizard.sandbox.routes.common import BEARER, json_response, now_iso

RECRUITSOME_PREFIX = "/api/v1"


def _recruitsome_key(request: Request) -> RecruitsomeKey:
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.strip().partition(" ")
    if not header or scheme.lower() != "bearer" or not credentials.strip():
        raise RecruitsomeError(401, {"message": "Unauthenticated."})
    key = SANDBOX_RECRUITSOME_KEYS.get(credentials.strip())
    if key is None:
        raise RecruitsomeError(401, {"message": "Invalid authentication credentials."})
    if not key.tenant_api_enabled:
        raise RecruitsomeError(403, {"message": "API access is not enabled for this tenant."})
    if "vacancies:read" not in key.scopes:
        raise RecruitsomeError(
            403,
            {
                "message": "This API key does not have the required scope: vacancies:read.",
                "code": "INSUFFICIENT_SCOPE",
            },
        )
    return key


async def vacancy_facets(request: Request) -> Response:
    key = _recruitsome_key(request)
    filters, errors = recruitsome.parse_filters(
        request.query_params.multi_items(), agency=key.agency
    )
    if errors:
        raise RecruitsomeError(422, {"message": "The given data was invalid.", "errors": errors})
    return json_response(recruitsome.facets(filters, agency=key.agency))


async def health() -> Response:
    return json_response({"status": "ok", "timestamp": now_iso()})


def add_routes(app: FastAPI) -> None:
    """Add Recruitsome's routes to a sandbox app."""
    app.add_api_route(
        f"{RECRUITSOME_PREFIX}/vacancies/facets",
        vacancy_facets,
        methods=["GET"],
        dependencies=[Depends(BEARER)],
        summary="Recruitsome: vacancy facets",
        tags=["recruitsome"],
        openapi_extra=openapi.query(*openapi.RECRUITSOME_FACET_PARAMS),
        responses=openapi.laravel_responses(
            {"type": "object", "required": ["data", "meta"]}, (401, 403, 422)
        ),
    )
    app.add_api_route(
        f"{RECRUITSOME_PREFIX}/health",
        health,
        methods=["GET"],
        summary="Recruitsome: health",
        tags=["recruitsome"],
    )
