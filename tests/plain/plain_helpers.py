"""Running the plain mode in this process on scripted lines, against an in-process sandbox."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from wizard.bootstrap import IN_PROCESS_ORIGIN, in_process_sandbox_backend
from wizard.core.backend import Backend, make_backend
from wizard.core.journal import Journal
from wizard.plain.flow import PlainWizard
from wizard.plain.lines import Lines

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


def token_backend(app: Any, token: str) -> Backend:
    """A backend on a given sandbox app with another demo account's token."""
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
    backend = make_backend(
        base_url=IN_PROCESS_ORIGIN,
        token=token,
        sandbox=True,
        journal=Journal.default(),
        http_client=http,
        allow_insecure=True,
    )
    backend.owned.append(http)
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
