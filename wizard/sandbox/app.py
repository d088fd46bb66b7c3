"""The sandbox's FastAPI application: OpenTrain's public API and Recruitsome's facets.

`create_app` builds one app: its state, the routes (one module per resource in
`wizard.sandbox.routes`), the error handlers (`wizard.sandbox.error_handlers`) and the
middleware. Handlers authenticate, read the raw body themselves and hand over to
`DraftService`; every error on an OpenTrain route becomes the documented envelope, on a
Recruitsome route a Laravel-style body. Nothing here may answer 500 to any input.

Not documented; chosen by the sandbox (reasons in `wizard/sandbox/README.md`, item 23): how
the 120/min limit answers (`wizard.sandbox.ratelimit`).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from starlette.responses import Response

from wizard.sandbox.drafts import DraftService
from wizard.sandbox.edge import FACETS_WINDOW_SECONDS, EdgeCache
from wizard.sandbox.error_handlers import add_error_handlers
from wizard.sandbox.faults import FaultConfig
from wizard.sandbox.middleware import PUBLIC_PREFIX, FaultInjector, SandboxMiddleware, Stats
from wizard.sandbox.ratelimit import TOKENLESS_LIMIT, SlidingWindowLimiter, TokenlessRateLimit
from wizard.sandbox.responses import SandboxJSONResponse
from wizard.sandbox.routes import auth, drafts, jobs, recruitsome
from wizard.sandbox.routes import sandbox_admin as admin
from wizard.sandbox.routes.common import json_response
from wizard.sandbox.state import SandboxState
from wizard.sandbox.store import Store


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
    # In this order: it is the OpenAPI document's order, and `/jobs/{id}` must come after
    # the fixed `/jobs/...` paths it would also match.
    for routes in (auth, drafts, jobs, recruitsome, admin):
        routes.add_routes(app)
    add_error_handlers(app)
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


def _add_openapi_alias(app: FastAPI) -> None:
    """Serve the OpenAPI document at `/api/public/v1/openapi` too.

    The reference names `openapi.json`; the official Python SDK's docstrings name `openapi`
    (no suffix) as the authoritative contract. Both answer the same document, so a client
    following either finds it.
    """

    async def openapi_document(_request: Request) -> Response:
        return json_response(app.openapi())

    app.add_api_route(
        f"{PUBLIC_PREFIX}/openapi", openapi_document, methods=["GET"], include_in_schema=False
    )
