"""``OPENTRAIN_BASE_URL`` (the official Python SDK's name for the origin) steers ``fill``.

A real ``draft-wizard fill`` subprocess with only that variable and a token set talks to
the sandbox at that origin, not to production and not to the embedded sandbox; and it
ranks where DESIGN.md puts it: after ``OT_API_BASE_URL``, before ``OPENTRAIN_API_BASE_URL``.
Each loser points at a loopback port nothing listens on, so reading it would fail loudly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.fill_helpers import (
    ANSWERS,
    CREATE_ROUTE,
    DESCRIPTION,
    EXPECTED,
    count,
    fill_env,
    free_port,
    run_fill_cli,
    stats,
    stored_fields,
    write_answers,
)
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


def _fill(tmp_path: Path, **variables: str) -> tuple[int, dict[str, object], str]:
    env = fill_env(None, token=None, OT_API_TOKEN=SANDBOX_TOKEN, **variables)
    answers = write_answers(tmp_path, ANSWERS)
    run = run_fill_cli("--description", DESCRIPTION, "--answers", answers, "--json", env=env)
    return run.code, run.doc if run.code == 0 else {}, run.stderr


def test_opentrain_base_url_is_the_origin_fill_talks_to(
    server: SandboxServer, tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    before = stats(server.base_url)
    code, doc, stderr = _fill(
        tmp_path, OPENTRAIN_BASE_URL=server.base_url, OPENTRAIN_API_BASE_URL=dead
    )
    assert code == 0, stderr
    assert doc["publishReady"] is True
    assert count(stats(server.base_url), CREATE_ROUTE) - count(before, CREATE_ROUTE) == 1
    # The draft lives in this sandbox's store: not the embedded one, not production.
    fields = stored_fields(server, str(doc["jobId"]))
    assert {k: fields.get(k) for k in EXPECTED} == EXPECTED


def test_ot_api_base_url_still_wins(server: SandboxServer, tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    before = stats(server.base_url)
    code, _, stderr = _fill(tmp_path, OT_API_BASE_URL=server.base_url, OPENTRAIN_BASE_URL=dead)
    assert code == 0, stderr
    assert count(stats(server.base_url), CREATE_ROUTE) - count(before, CREATE_ROUTE) == 1
