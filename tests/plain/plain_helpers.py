"""Running the plain mode in this process on scripted lines, against an in-process sandbox."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from wizard.api.retry import RetryPolicy
from wizard.bootstrap import IN_PROCESS_ORIGIN, in_process_sandbox_backend
from wizard.core.backend import Backend, make_backend
from wizard.core.journal import Journal
from wizard.plain.flow import PlainWizard
from wizard.plain.lines import Lines
from wizard.sandbox import SANDBOX_TOKEN

ESC = "\x1b"


@dataclass
class PlainRun:
    """What one run said, and how it ended."""

    code: int
    out: str
    err: str
    results: str
    """What went to the results stream alone (the job's URL once published)."""

    @property
    def transcript(self) -> str:
        return self.out + self.err


def sandbox_backend(db: Path) -> Backend:
    """A sandbox backend on a draft store that outlives it (so a second run finds drafts)."""
    return in_process_sandbox_backend(journal=Journal.default(), db_path=db)


class FlakyPatches(httpx.AsyncBaseTransport):
    """A transport whose first ``failures`` PATCHes never reach the server."""

    def __init__(self, inner: httpx.AsyncBaseTransport, failures: int) -> None:
        self.inner = inner
        self.failures = failures

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH" and self.failures > 0:
            self.failures -= 1
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


async def _no_wait(_seconds: float) -> None:
    return None


def token_backend(app: Any, token: str = SANDBOX_TOKEN, *, patch_failures: int = 0) -> Backend:
    """A backend on a given sandbox app, with a demo account's token; its first
    ``patch_failures`` PATCHes fail to connect (retries do not wait)."""
    transport = FlakyPatches(httpx.ASGITransport(app=app), patch_failures)
    http = httpx.AsyncClient(transport=transport)
    backend = make_backend(
        base_url=IN_PROCESS_ORIGIN,
        token=token,
        sandbox=True,
        journal=Journal.default(),
        http_client=http,
        allow_insecure=True,
    )
    backend.owned.append(http)
    backend.client.retry = RetryPolicy(sleeper=_no_wait)
    return backend


def run_plain(backend: Backend, answers: list[str], **start: Any) -> PlainRun:
    """Run the plain mode with ``answers`` as its input lines (then end of input)."""
    stdin = io.StringIO("".join(line + "\n" for line in answers))
    out, err, results = io.StringIO(), io.StringIO(), io.StringIO()

    async def connect() -> Backend:
        return backend

    lines = Lines(stdin, out, err, echo=True, results=results)
    wizard = PlainWizard(lines, connect, sandbox=backend.sandbox)
    code = wizard.run(**start)
    return PlainRun(code, out.getvalue(), err.getvalue(), results.getvalue())
