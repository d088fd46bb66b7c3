"""`/jobs`: the account's own jobs and publishing (token), the marketplace (tokenless).

Not documented; chosen by the sandbox (reasons in `wizard/sandbox/README.md`, items 20 and
21): the search filter names `language`/`country`, all-words `q` and default `limit` 20; a
60 s facets window while `GET /jobs` and `GET /jobs/{id}` are not cached.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi import Path as PathParam
from starlette.responses import Response

from wizard.sandbox import openapi
from wizard.sandbox.access import authenticate
from wizard.sandbox.drafts import JOB_STATUSES
from wizard.sandbox.edge import CACHE_CONTROL, FACETS_KEY
from wizard.sandbox.errors import ApiError
from wizard.sandbox.marketplace import facet_counts, job_object
from wizard.sandbox.middleware import PUBLIC_PREFIX
from wizard.sandbox.paging import decode_cursor, encode_cursor, parse_limit
from wizard.sandbox.routes.common import (
    AUTH_ERRORS,
    BEARER,
    json_response,
    market_jobs,
    now_iso,
    origin,
    state,
)

_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Cache-Control": CACHE_CONTROL,
}
_PAY_TYPES = ("PAY_PER_HOUR", "FIXED_PRICE", "PAY_PER_LABEL")


async def list_mine(request: Request) -> Response:
    profile = authenticate(request.headers.get("authorization"))
    q = request.query_params
    return json_response(
        state(request).drafts.list_mine(
            profile,
            origin(request),
            status=q.get("status"),
            limit=q.get("limit"),
            cursor=q.get("cursor"),
        )
    )


async def publish_job(request: Request, id: str) -> Response:  # noqa: A002 (path name)
    profile = authenticate(request.headers.get("authorization"))
    status, payload = state(request).drafts.publish(profile, id, origin(request))
    return json_response(payload, status)


async def job_facets(request: Request) -> Response:
    sandbox = state(request)
    # Edge-cached as documented: the same counts and `generatedAt` for the whole window,
    # so a job published meanwhile is counted only once the window has passed.
    counts = sandbox.facets_cache.get(
        FACETS_KEY, lambda: facet_counts(market_jobs(sandbox), now_iso())
    )
    return json_response(counts, headers=_CORS)


async def search_jobs(request: Request) -> Response:
    return json_response(_search(request), headers=_CORS)


async def get_job(
    request: Request,
    id: Annotated[str, PathParam(max_length=64)],  # noqa: A002 (the documented path name)
) -> Response:
    link_origin = origin(request)
    for job in market_jobs(state(request)):
        if job.id == id:
            return json_response(job_object(job, link_origin), headers=_CORS)
    raise ApiError(404, f"No open job has the id '{id}'.", details={"id": id})


async def preflight() -> Response:
    return Response(
        status_code=204,
        headers={
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": "GET, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Authorization",
            "Access-Control-Max-Age": "86400",
        },
    )


def _search(request: Request) -> dict[str, Any]:
    q = request.query_params
    pay_type = q.get("payType")
    if pay_type is not None and pay_type not in _PAY_TYPES:
        raise ApiError(
            400,
            f"payType must be one of {', '.join(_PAY_TYPES)}.",
            details={
                "supportedPayTypes": list(_PAY_TYPES),
            },
        )
    limit = parse_limit(q.get("limit"), default=20)
    offset = decode_cursor(q.get("cursor")) or 0
    # Free text: every word must appear in the title or the description (README item 20).
    words = (q.get("q") or "").casefold().split()
    language = (q.get("language") or "").strip().casefold()
    country = (q.get("country") or "").strip().upper()
    matches = [
        job
        for job in market_jobs(state(request))
        if all(w in job.title.casefold() or w in job.description.casefold() for w in words)
        and (not language or language in (name.casefold() for name in job.languages))
        and (not country or country in job.countries)
        and (not pay_type or job.pay_type == pay_type)
    ]
    page = matches[offset : offset + limit]
    more = offset + limit < len(matches)
    link_origin = origin(request)
    return {
        "jobs": [job_object(job, link_origin) for job in page],
        "nextCursor": encode_cursor(offset + limit) if more else None,
        "generatedAt": now_iso(),
    }


def add_routes(app: FastAPI) -> None:
    """Add the `/jobs` routes to a sandbox app."""
    # Fixed paths before `/jobs/{id}`, which would match them too.
    app.add_api_route(
        f"{PUBLIC_PREFIX}/jobs/mine",
        list_mine,
        methods=["GET"],
        dependencies=[Depends(BEARER)],
        summary="The account's jobs, drafts included",
        tags=["jobs"],
        openapi_extra=openapi.query(
            openapi.param("status", {"type": "string", "enum": list(JOB_STATUSES)}),
            openapi.LIMIT_PARAM,
            openapi.CURSOR_PARAM,
        ),
        responses=openapi.responses({200: {"type": "object"}}, AUTH_ERRORS),
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/jobs/facets",
        job_facets,
        methods=["GET"],
        summary="Marketplace facet counts",
        tags=["marketplace"],
        responses=openapi.responses({200: openapi.FACETS_RESPONSE_SCHEMA}, (429,)),
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/jobs/facets", preflight, methods=["OPTIONS"], include_in_schema=False
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/jobs",
        search_jobs,
        methods=["GET"],
        summary="Search open jobs",
        tags=["marketplace"],
        openapi_extra=openapi.query(
            openapi.param("q", {"type": "string"}),
            openapi.param("language", {"type": "string"}),
            openapi.param("country", {"type": "string"}),
            openapi.param(
                "payType",
                {"type": "string", "enum": ["PAY_PER_HOUR", "FIXED_PRICE", "PAY_PER_LABEL"]},
            ),
            openapi.LIMIT_PARAM,
            openapi.CURSOR_PARAM,
        ),
        responses=openapi.responses({200: {"type": "object"}}, (400, 429, 502, 503)),
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/jobs", preflight, methods=["OPTIONS"], include_in_schema=False
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/jobs/{{id}}/publish",
        publish_job,
        methods=["POST"],
        dependencies=[Depends(BEARER)],
        summary="Publish a draft",
        tags=["jobs"],
        responses=openapi.responses({200: openapi.PUBLISH_RESPONSE_SCHEMA}, (*AUTH_ERRORS, 409)),
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/jobs/{{id}}",
        get_job,
        methods=["GET"],
        summary="One open job",
        tags=["marketplace"],
        responses=openapi.responses({200: {"type": "object"}}, (400, 404, 429, 502, 503)),
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/jobs/{{id}}", preflight, methods=["OPTIONS"], include_in_schema=False
    )
