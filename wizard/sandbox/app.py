"""The sandbox's FastAPI application: OpenTrain's public API and Recruitsome's facets.

Handlers authenticate, read the raw body themselves and hand over to `DraftService`; every
error on an OpenTrain route becomes the documented envelope, on a Recruitsome route a
Laravel-style body. Nothing here may answer 500 to any input.

Not documented; chosen by the sandbox (reasons in `wizard/sandbox/README.md`, items 20-24,
28, 30 and 32): the search filter names `language`/`country`, all-words `q` and default
`limit` 20; a 60 s facets window while `GET /jobs` and `GET /jobs/{id}` are not cached; how
the 120/min limit answers (`wizard.sandbox.ratelimit`); `BAD_REQUEST` for 405, `INTERNAL`
for 500; `INSUFFICIENT_SCOPE` in a top-level `code`; uncached Recruitsome facets; the
health body.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from wizard.sandbox import drafts, openapi, recruitsome
from wizard.sandbox.accounts import (
    SANDBOX_RECRUITSOME_KEYS,
    SANDBOX_TOKENS,
    RecruitsomeKey,
    TokenProfile,
)
from wizard.sandbox.drafts import DraftService
from wizard.sandbox.edge import CACHE_CONTROL, FACETS_KEY, FACETS_WINDOW_SECONDS, EdgeCache
from wizard.sandbox.errors import ApiError, RecruitsomeError, code_for, envelope
from wizard.sandbox.faults import FaultConfig
from wizard.sandbox.marketplace import MarketJob, catalogue, facet_counts, iso, job_object
from wizard.sandbox.middleware import PUBLIC_PREFIX, FaultInjector, SandboxMiddleware, Stats
from wizard.sandbox.ratelimit import TOKENLESS_LIMIT, SlidingWindowLimiter, TokenlessRateLimit
from wizard.sandbox.responses import SandboxJSONResponse
from wizard.sandbox.store import Store

logger = logging.getLogger(__name__)

RECRUITSOME_PREFIX = "/api/v1"
_HOST = re.compile(r"^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$")
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Cache-Control": CACHE_CONTROL,
}
_AUTH_ERRORS = (400, 401, 403, 404, 429, 502, 503)
_bearer = HTTPBearer(auto_error=False, description="A personal API token, ot_pat_...")


@dataclass
class SandboxState:
    """Everything one sandbox app instance owns."""

    store: Store
    drafts: DraftService
    stats: Stats
    injector: FaultInjector
    facets_cache: EdgeCache
    """`GET /jobs/facets` answers, per app instance (see `wizard.sandbox.edge`)."""
    tokenless_limiter: SlidingWindowLimiter | None = None
    """The 120 a minute per client on the tokenless endpoints (`wizard.sandbox.ratelimit`)."""


def create_app(
    *,
    db_path: str | Path | None = None,
    faults: FaultConfig | str | None = None,
    facets_window: float = FACETS_WINDOW_SECONDS,
    tokenless_limit: int = TOKENLESS_LIMIT,
) -> FastAPI:
    """Build a sandbox app.

    Args:
        db_path: SQLite file for drafts, published jobs, idempotency keys and publish counts;
            None keeps everything in memory.
        faults: a `FaultConfig` or spec string (see `wizard.sandbox.faults`); None for none.
        facets_window: seconds one `GET /jobs/facets` answer is served unchanged, like the
            real edge cache; 0 recomputes on every call.
        tokenless_limit: requests a minute each client may make to the tokenless
            endpoints before a 429 (documented: 120); 0 turns the limit off.
    """
    config = FaultConfig.coerce(faults)
    store = Store(db_path)
    limiter = SlidingWindowLimiter(tokenless_limit)
    state = SandboxState(
        store=store,
        drafts=DraftService(store),
        stats=Stats(),
        injector=FaultInjector(config),
        facets_cache=EdgeCache(facets_window),
        tokenless_limiter=limiter,
    )
    app = FastAPI(
        title="OpenTrain public API (sandbox)",
        version="v1",
        description=(
            "An embedded, local imitation of the OpenTrain public API and of Recruitsome's"
            " vacancy facets. Nothing done here is published anywhere."
        ),
        openapi_url=f"{PUBLIC_PREFIX}/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        default_response_class=SandboxJSONResponse,
    )
    app.state.sandbox = state
    _add_openapi_alias(app)
    _add_public_routes(app)
    _add_recruitsome_routes(app)
    _add_control_routes(app)
    _add_error_handlers(app)
    # Inside SandboxMiddleware, so a 429 still carries x-request-id and is counted.
    app.add_middleware(TokenlessRateLimit, limiter=limiter)
    app.add_middleware(
        SandboxMiddleware, routes=app.router.routes, stats=state.stats, injector=state.injector
    )
    return app


def sandbox_state(app: FastAPI) -> SandboxState:
    """The state object of an app made by `create_app`."""
    state = app.state.sandbox
    assert isinstance(state, SandboxState)
    return state


# --- helpers -------------------------------------------------------------------------------


def _state(request: Request) -> SandboxState:
    state = request.app.state.sandbox
    assert isinstance(state, SandboxState)
    return state


def _request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))


def _origin(request: Request) -> str:
    """The origin links should point at: the Host header when sane, else the socket."""
    host = request.headers.get("host", "")
    if _HOST.match(host):
        return f"http://{host}"
    server = request.scope.get("server")
    if server and server[0]:
        address = f"[{server[0]}]" if ":" in str(server[0]) else str(server[0])
        return f"http://{address}:{server[1]}" if server[1] else f"http://{address}"
    return "http://127.0.0.1"


def _authenticate(request: Request) -> TokenProfile:
    header = request.headers.get("authorization")
    if not header:
        raise ApiError(401, "Authentication required: send Authorization: Bearer <API token>.")
    scheme, _, credentials = header.strip().partition(" ")
    token = credentials.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "The Authorization header must have the form 'Bearer <API token>'.")
    profile = SANDBOX_TOKENS.get(token)
    if profile is None:
        # The token itself is never echoed: error bodies end up in logs.
        raise ApiError(401, "The API token is invalid, expired or revoked.")
    return profile


def _json(
    body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> SandboxJSONResponse:
    return SandboxJSONResponse(body, status_code=status, headers=headers)


async def _read_json(request: Request) -> object:
    try:
        raw = await request.body()
    except ClientDisconnect:
        # Nobody is left to read the answer; a 400 keeps it out of the error log.
        raise ApiError(400, "The client disconnected before sending the whole body.") from None
    return drafts.parse_json_body(raw)


def _market_jobs(state: SandboxState) -> list[MarketJob]:
    published = [drafts.published_market_job(r) for r in state.store.open_jobs()]
    return [*published, *catalogue()]


def _now_iso() -> str:
    return iso(datetime.now(tz=UTC))


# --- OpenTrain public API ------------------------------------------------------------------


def _add_openapi_alias(app: FastAPI) -> None:
    """Serve the OpenAPI document at `/api/public/v1/openapi` too.

    The reference names `openapi.json`; the official Python SDK's docstrings name `openapi`
    (no suffix) as the authoritative contract. Both answer the same document, so a client
    following either finds it.
    """

    async def openapi_document(_request: Request) -> Response:
        return _json(app.openapi())

    app.add_api_route(
        f"{PUBLIC_PREFIX}/openapi", openapi_document, methods=["GET"], include_in_schema=False
    )


def _add_public_routes(app: FastAPI) -> None:
    secured = [Depends(_bearer)]
    p = PUBLIC_PREFIX

    async def auth_me(request: Request) -> Response:
        return _json(_state(request).drafts.me(_authenticate(request), _origin(request)))

    async def get_capabilities(request: Request) -> Response:
        return _json(drafts.capabilities(_authenticate(request)))

    async def create_draft(request: Request) -> Response:
        profile = _authenticate(request)
        body = await _read_json(request)
        status, payload = _state(request).drafts.create(profile, body, _origin(request))
        return _json(payload, status)

    async def patch_draft(request: Request, jobId: str) -> Response:
        profile = _authenticate(request)
        body = await _read_json(request)
        status, payload = _state(request).drafts.patch(profile, jobId, body, _origin(request))
        return _json(payload, status)

    async def publish_job(request: Request, id: str) -> Response:  # noqa: A002 (path name)
        profile = _authenticate(request)
        status, payload = _state(request).drafts.publish(profile, id, _origin(request))
        return _json(payload, status)

    async def list_mine(request: Request) -> Response:
        profile = _authenticate(request)
        q = request.query_params
        return _json(
            _state(request).drafts.list_mine(
                profile,
                _origin(request),
                status=q.get("status"),
                limit=q.get("limit"),
                cursor=q.get("cursor"),
            )
        )

    async def job_facets(request: Request) -> Response:
        state = _state(request)
        # Edge-cached as documented: the same counts and `generatedAt` for the whole window,
        # so a job published meanwhile is counted only once the window has passed.
        counts = state.facets_cache.get(
            FACETS_KEY, lambda: facet_counts(_market_jobs(state), _now_iso())
        )
        return _json(counts, headers=_CORS)

    async def search_jobs(request: Request) -> Response:
        return _json(_search(request), headers=_CORS)

    async def get_job(
        request: Request,
        id: Annotated[str, PathParam(max_length=64)],  # noqa: A002 (the documented path name)
    ) -> Response:
        origin = _origin(request)
        for job in _market_jobs(_state(request)):
            if job.id == id:
                return _json(job_object(job, origin), headers=_CORS)
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

    ok = openapi.responses
    app.add_api_route(
        f"{p}/auth/me",
        auth_me,
        methods=["GET"],
        dependencies=secured,
        summary="Who the token belongs to",
        tags=["auth"],
        responses=ok({200: {"type": "object"}}, (401, 404)),
    )
    app.add_api_route(
        f"{p}/job-drafts/capabilities",
        get_capabilities,
        methods=["GET"],
        dependencies=secured,
        summary="Draft capabilities, keys and enums",
        tags=["drafts"],
        responses=ok({200: {"type": "object"}}, (401, 403, 429, 502, 503)),
    )
    app.add_api_route(
        f"{p}/job-drafts",
        create_draft,
        methods=["POST"],
        dependencies=secured,
        status_code=201,
        summary="Create a job draft",
        tags=["drafts"],
        openapi_extra=openapi.body(openapi.DRAFT_CREATE_SCHEMA),
        responses=ok(
            {201: openapi.CREATE_RESPONSE_SCHEMA, 200: openapi.CREATE_RESPONSE_SCHEMA}, _AUTH_ERRORS
        ),
    )
    app.add_api_route(
        f"{p}/job-drafts/{{jobId}}",
        patch_draft,
        methods=["PATCH"],
        dependencies=secured,
        summary="Update a draft's fields",
        tags=["drafts"],
        openapi_extra=openapi.body(openapi.DRAFT_UPDATE_SCHEMA),
        responses=ok({200: openapi.PATCH_RESPONSE_SCHEMA}, (*_AUTH_ERRORS, 409)),
    )
    app.add_api_route(
        f"{p}/jobs/mine",
        list_mine,
        methods=["GET"],
        dependencies=secured,
        summary="The account's jobs, drafts included",
        tags=["jobs"],
        openapi_extra=openapi.query(
            openapi.param("status", {"type": "string", "enum": list(drafts.JOB_STATUSES)}),
            openapi.LIMIT_PARAM,
            openapi.CURSOR_PARAM,
        ),
        responses=ok({200: {"type": "object"}}, _AUTH_ERRORS),
    )
    app.add_api_route(
        f"{p}/jobs/facets",
        job_facets,
        methods=["GET"],
        summary="Marketplace facet counts",
        tags=["marketplace"],
        responses=ok({200: openapi.FACETS_RESPONSE_SCHEMA}, (429,)),
    )
    app.add_api_route(f"{p}/jobs/facets", preflight, methods=["OPTIONS"], include_in_schema=False)
    app.add_api_route(
        f"{p}/jobs",
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
        responses=ok({200: {"type": "object"}}, (400, 429, 502, 503)),
    )
    app.add_api_route(f"{p}/jobs", preflight, methods=["OPTIONS"], include_in_schema=False)
    app.add_api_route(
        f"{p}/jobs/{{id}}/publish",
        publish_job,
        methods=["POST"],
        dependencies=secured,
        summary="Publish a draft",
        tags=["jobs"],
        responses=ok({200: openapi.PUBLISH_RESPONSE_SCHEMA}, (*_AUTH_ERRORS, 409)),
    )
    app.add_api_route(
        f"{p}/jobs/{{id}}",
        get_job,
        methods=["GET"],
        summary="One open job",
        tags=["marketplace"],
        responses=ok({200: {"type": "object"}}, (400, 404, 429, 502, 503)),
    )
    app.add_api_route(f"{p}/jobs/{{id}}", preflight, methods=["OPTIONS"], include_in_schema=False)


_PAY_TYPES = ("PAY_PER_HOUR", "FIXED_PRICE", "PAY_PER_LABEL")


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
    limit = drafts.parse_limit(q.get("limit"), default=20)
    offset = drafts.decode_cursor(q.get("cursor")) or 0
    # Free text: every word must appear in the title or the description (README item 20).
    words = (q.get("q") or "").casefold().split()
    language = (q.get("language") or "").strip().casefold()
    country = (q.get("country") or "").strip().upper()
    matches = [
        job
        for job in _market_jobs(_state(request))
        if all(w in job.title.casefold() or w in job.description.casefold() for w in words)
        and (not language or language in (name.casefold() for name in job.languages))
        and (not country or country in job.countries)
        and (not pay_type or job.pay_type == pay_type)
    ]
    page = matches[offset : offset + limit]
    more = offset + limit < len(matches)
    origin = _origin(request)
    return {
        "jobs": [job_object(job, origin) for job in page],
        "nextCursor": drafts.encode_cursor(offset + limit) if more else None,
        "generatedAt": _now_iso(),
    }


# --- Recruitsome-compatible facets ---------------------------------------------------------


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


def _add_recruitsome_routes(app: FastAPI) -> None:
    async def vacancy_facets(request: Request) -> Response:
        key = _recruitsome_key(request)
        filters, errors = recruitsome.parse_filters(
            request.query_params.multi_items(), agency=key.agency
        )
        if errors:
            raise RecruitsomeError(
                422, {"message": "The given data was invalid.", "errors": errors}
            )
        return _json(recruitsome.facets(filters, agency=key.agency))

    async def health() -> Response:
        return _json({"status": "ok", "timestamp": _now_iso()})

    app.add_api_route(
        f"{RECRUITSOME_PREFIX}/vacancies/facets",
        vacancy_facets,
        methods=["GET"],
        dependencies=[Depends(_bearer)],
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


# --- control endpoints (not in the schema) -------------------------------------------------


def _add_control_routes(app: FastAPI) -> None:
    async def stats(request: Request) -> Response:
        state = _state(request)
        return _json(
            state.stats.snapshot(
                patches_applied=state.drafts.patches_applied,
                fault_spec=state.injector.config.to_spec(),
            )
        )

    async def reset(request: Request) -> Response:
        state = _state(request)
        state.store.reset()
        state.stats.reset()
        state.facets_cache.clear()
        if state.tokenless_limiter is not None:
            state.tokenless_limiter.reset()
        state.drafts.patches_applied = 0
        return _json({"ok": True})

    async def set_faults(request: Request) -> Response:
        body = await _read_json(request)
        spec = body.get("spec") if isinstance(body, dict) else None
        if not isinstance(spec, str):
            raise ApiError(400, 'Send {"spec": "<fault spec>"}; an empty spec turns faults off.')
        try:
            config = FaultConfig.parse(spec)
        except ValueError as exc:
            raise ApiError(400, str(exc), details={"spec": spec[:200]}) from None
        _state(request).injector.configure(config)
        return _json({"ok": True, "faults": config.to_spec()})

    app.add_api_route("/_sandbox/stats", stats, methods=["GET"], include_in_schema=False)
    app.add_api_route("/_sandbox/reset", reset, methods=["POST"], include_in_schema=False)
    app.add_api_route("/_sandbox/faults", set_faults, methods=["POST"], include_in_schema=False)


# --- error handling ------------------------------------------------------------------------


def _path(request: Request) -> str:
    # The raw scope path: building request.url would parse the client's Host header.
    return str(request.scope.get("path", ""))


def _is_recruitsome(request: Request) -> bool:
    return _path(request).startswith(RECRUITSOME_PREFIX + "/")


def _add_error_handlers(app: FastAPI) -> None:
    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        body = envelope(exc.message, exc.code, _request_id(request), exc.details)
        return _json(body, exc.status, headers=exc.headers or None)

    async def on_recruitsome_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RecruitsomeError)
        return _json(exc.body, exc.status)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers or {})
        method = request.method
        if exc.status_code == 404:
            message = f"No route matches {method} {_path(request)[:200]}."
        elif exc.status_code == 405:
            message = f"{method} is not allowed on {_path(request)[:200]}."
        else:
            message = str(exc.detail)
        if _is_recruitsome(request):
            return _json({"message": message}, exc.status_code, headers=headers or None)
        body = envelope(message, code_for(exc.status_code), _request_id(request))
        return _json(body, exc.status_code, headers=headers or None)

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
        body = envelope(message, "BAD_REQUEST", _request_id(request), {"issues": issues})
        return _json(body, 400)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("Unexpected error in the sandbox", exc_info=exc)
        body = envelope("The sandbox hit an unexpected error.", "INTERNAL", _request_id(request))
        return _json(body, 500)

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RecruitsomeError, on_recruitsome_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
