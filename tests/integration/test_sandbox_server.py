"""Running the sandbox: the threaded server, SQLite persistence, `serve`, and package hygiene."""

from __future__ import annotations

import ast
import functools
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from wizard.sandbox import (
    SANDBOX_OTHER_TOKEN,
    SANDBOX_RECRUITSOME_KEY,
    SANDBOX_TOKEN,
    SandboxServer,
)

REPO = Path(__file__).resolve().parents[2]
SANDBOX_DIR = REPO / "wizard" / "sandbox"
PREFIX = "/api/public/v1"
READY = (
    "Bounding box annotation for retail shelf images\n"
    "We need 10 annotators to draw bounding boxes around every product in 20,000 images of"
    " supermarket shelves. Pay is $18/hour. Annotators must read English and be based in the US"
    " or Canada. Entry-level candidates are welcome: we train you on our guidelines in CVAT"
    " during a paid onboarding week, and a reviewer checks every batch before it is accepted."
)
PARTIAL = "Receipt checking\nCheck 3,000 receipts in French, $0.04 per label."


def client(server: SandboxServer, token: str = SANDBOX_TOKEN) -> httpx.Client:
    return httpx.Client(
        base_url=server.base_url + PREFIX, headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


def python_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


# --- lifecycle -------------------------------------------------------------------------------


def test_start_is_fast_and_base_url_is_a_bare_origin() -> None:
    server = SandboxServer()
    with pytest.raises(RuntimeError):
        _ = server.base_url
    started = time.perf_counter()
    server.start()
    elapsed = time.perf_counter() - started
    origin = server.base_url
    try:
        assert elapsed < 2.0  # the goal is well under 1 s; the margin absorbs a busy CI machine
        assert re.fullmatch(r"http://127\.0\.0\.1:\d{2,5}", origin)
        assert httpx.get(f"{server.base_url}{PREFIX}/jobs/facets", timeout=5).status_code == 200
        with pytest.raises(RuntimeError):
            server.start()
    finally:
        server.stop()
    server.stop()  # idempotent
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{origin}{PREFIX}/jobs/facets", timeout=1)


def test_servers_are_independent_and_in_memory_by_default() -> None:
    with SandboxServer() as one, SandboxServer() as two:
        assert one.base_url != two.base_url
        with client(one) as api:
            job_id = api.post("/job-drafts", json={"rawJobDescription": PARTIAL}).json()["jobId"]
        with client(two) as api:
            assert api.patch(f"/job-drafts/{job_id}", json={"headcount": 2}).status_code == 404


def test_a_busy_port_is_a_clear_oserror() -> None:
    with SandboxServer() as running:
        port = int(running.base_url.rsplit(":", 1)[1])
        with pytest.raises(OSError, match=r"Cannot listen on http://127\.0\.0\.1:\d+: .+\.$"):
            SandboxServer(port=port).start()


# --- persistence -------------------------------------------------------------------------------


def test_sqlite_keeps_drafts_keys_and_publish_counts_across_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "sandbox.sqlite3"
    create_body = {
        "rawJobDescription": PARTIAL,
        "idempotencyKey": "persist-1",
        "externalId": "ext-1",
    }
    with SandboxServer(db_path=db) as first, client(first) as api:
        draft = api.post("/job-drafts", json=create_body).json()["jobId"]
        api.patch(f"/job-drafts/{draft}", json={"headcount": 7}).raise_for_status()
        ready = api.post("/job-drafts", json={"rawJobDescription": READY}).json()["jobId"]
        first_publish = api.post(f"/jobs/{ready}/publish").json()
        with client(first, SANDBOX_OTHER_TOKEN) as unclaimed:
            theirs = unclaimed.post("/job-drafts", json={"rawJobDescription": READY}).json()
            unclaimed.post(f"/jobs/{theirs['jobId']}/publish").raise_for_status()
        facets_before = httpx.get(f"{first.base_url}{PREFIX}/jobs/facets", timeout=5).json()[
            "totalJobs"
        ]

    with SandboxServer(db_path=db) as second, client(second) as api:
        replay = api.post("/job-drafts", json=create_body)
        assert replay.status_code == 200
        body = replay.json()
        assert body["jobId"] == draft and body["externalId"] == "ext-1"
        assert body["normalizedFields"]["headcount"] == 7
        mine = {job["id"]: job for job in api.get("/jobs/mine").json()["jobs"]}
        assert mine[draft]["status"] == "DRAFT" and mine[ready]["status"] == "OPEN"
        again = api.post(f"/jobs/{ready}/publish").json()
        assert again["alreadyPublished"] is True
        assert again["publishAttemptId"] == first_publish["publishAttemptId"]
        assert again["jobUrl"].startswith(second.base_url)
        facets_after = httpx.get(f"{second.base_url}{PREFIX}/jobs/facets", timeout=5).json()[
            "totalJobs"
        ]
        assert facets_after == facets_before
        with client(second, SANDBOX_OTHER_TOKEN) as other:
            # The unclaimed account's publish before the restart counts toward its three.
            for _ in range(2):
                job = other.post("/job-drafts", json={"rawJobDescription": READY}).json()["jobId"]
                assert other.post(f"/jobs/{job}/publish").status_code == 200
            job = other.post("/job-drafts", json={"rawJobDescription": READY}).json()["jobId"]
            assert other.post(f"/jobs/{job}/publish").status_code == 429
            assert other.patch(f"/job-drafts/{draft}", json={"headcount": 1}).status_code == 403


# --- serve -------------------------------------------------------------------------------------


def test_serve_prints_where_it_listens_and_the_demo_credentials() -> None:
    code = "from wizard.sandbox import serve; serve('127.0.0.1', 0)"
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=python_env(),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        assert match, line
        assert SANDBOX_TOKEN in line and SANDBOX_RECRUITSOME_KEY in line
        response = httpx.get(
            f"{match.group(1)}{PREFIX}/auth/me",
            headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
            timeout=5,
        )
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(10)


# --- package hygiene --------------------------------------------------------------------------


def test_importing_the_package_does_not_load_the_server_stack() -> None:
    code = (
        "import sys, wizard.sandbox as s; "
        "assert s.SANDBOX_TOKEN and s.FaultConfig.parse('seed=1'); "
        "heavy = ('fastapi', 'uvicorn', 'starlette', 'pydantic'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=python_env(), check=True
    ).stdout
    assert output.strip() == "[]"


@functools.cache
def _modules() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(SANDBOX_DIR.glob("*.py"))
    ]


def test_sandbox_imports_nothing_from_the_client_layers() -> None:
    forbidden = ("wizard.api", "wizard.core", "wizard.ui")
    offenders: list[str] = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            names: list[Any] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(forbidden)]
    assert offenders == []


def test_every_module_has_a_docstring_and_future_annotations() -> None:
    for path, tree in _modules():
        assert ast.get_docstring(tree), path.name
        futures = [
            node
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module == "__future__"
        ]
        assert futures and futures[0].names[0].name == "annotations", path.name


def test_no_token_is_logged_by_the_server(capfd: pytest.CaptureFixture[str]) -> None:
    with SandboxServer() as server, client(server) as api:
        api.get("/auth/me")
        httpx.get(
            f"{server.base_url}{PREFIX}/auth/me",
            headers={"Authorization": "Bearer ot_pat_secret_x"},
            timeout=5,
        )
    captured = capfd.readouterr()
    assert SANDBOX_TOKEN not in captured.out + captured.err
    assert "ot_pat_secret_x" not in captured.out + captured.err
