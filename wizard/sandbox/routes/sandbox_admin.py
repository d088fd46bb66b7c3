"""`/_sandbox/...`: the sandbox's own controls (stats, reset, faults), not in the schema."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from wizard.sandbox.errors import ApiError
from wizard.sandbox.faults import FaultConfig
from wizard.sandbox.routes.common import json_response, read_json, state


async def stats(request: Request) -> Response:
    sandbox = state(request)
    return json_response(
        sandbox.stats.snapshot(
            patches_applied=sandbox.drafts.patches_applied,
            fault_spec=sandbox.injector.config.to_spec(),
        )
    )


async def reset(request: Request) -> Response:
    sandbox = state(request)
    sandbox.store.reset()
    sandbox.stats.reset()
    sandbox.facets_cache.clear()
    if sandbox.tokenless_limiter is not None:
        sandbox.tokenless_limiter.reset()
    sandbox.drafts.patches_applied = 0
    return json_response({"ok": True})


async def set_faults(request: Request) -> Response:
    body = await read_json(request)
    spec = body.get("spec") if isinstance(body, dict) else None
    if not isinstance(spec, str):
        raise ApiError(400, 'Send {"spec": "<fault spec>"}; an empty spec turns faults off.')
    try:
        config = FaultConfig.parse(spec)
    except ValueError as exc:
        raise ApiError(400, str(exc), details={"spec": spec[:200]}) from None
    state(request).injector.configure(config)
    return json_response({"ok": True, "faults": config.to_spec()})


def add_routes(app: FastAPI) -> None:
    """Add the control routes to a sandbox app."""
    app.add_api_route("/_sandbox/stats", stats, methods=["GET"], include_in_schema=False)
    app.add_api_route("/_sandbox/reset", reset, methods=["POST"], include_in_schema=False)
    app.add_api_route("/_sandbox/faults", set_faults, methods=["POST"], include_in_schema=False)
