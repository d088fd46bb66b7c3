"""A ``fill`` killed with SIGKILL while the server holds its PATCH loses nothing.

The sandbox holds every PATCH (``hold=patch:30``); ``fill`` runs as a subprocess; once the
held PATCH has arrived the process is killed. Its answers must be pending in the journal
(they were written before the request left), and a second ``fill --job-id`` against the
same origin, with the hold gone, must re-send them and finish the draft. The hold goes
away in two ways: the same server drops it, or a second sandbox *process* starts on the
same port over the same SQLite file (a restarted server: the draft survives). A last case
kills ``fill`` after a server applied its PATCH but before it answered.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fault_proxy import FaultProxy, Hang
from tests.integration.fill_helpers import (
    ANSWERS,
    CREATE_ROUTE,
    DESCRIPTION,
    EXPECTED,
    PATCH_ROUTE,
    REPO,
    ROUND_ONE_KEYS,
    TITLE,
    FillRun,
    api_client,
    count,
    fill_env,
    journal,
    lost_answers,
    run_fill_cli,
    start_fill_cli,
    stats,
    stored_fields,
    write_answers,
)
from tests.loopback import wait_until
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer

LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+))")


@contextmanager
def sandbox_process(db: Path, port: int = 0, faults: str | None = None) -> Iterator[str]:
    """``draft-wizard sandbox --db FILE`` as its own process; yields its origin."""
    command = [sys.executable, "-m", "wizard", "sandbox", "--port", str(port), "--db", str(db)]
    if faults:
        command += ["--faults", faults]
    process = subprocess.Popen(  # our own interpreter and module
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        first: list[str] = []
        reader = threading.Thread(
            target=lambda: first.append(process.stdout.readline() if process.stdout else ""),
            daemon=True,
        )
        reader.start()
        reader.join(30)
        match = LISTENING.search(first[0] if first else "")
        assert match, f"the sandbox did not start: {first}"
        yield match.group(1)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stdout:
            process.stdout.close()


def kill_while_patch_is_held(base_url: str, answers: Path) -> str:
    """Start ``fill``, wait for its PATCH to be held, SIGKILL it; returns the job id."""
    before = stats(base_url)
    process = start_fill_cli(
        "--description", DESCRIPTION, "--answers", answers, "--json", env=fill_env(base_url)
    )
    try:
        wait_until(
            lambda: (
                count(stats(base_url), PATCH_ROUTE) > count(before, PATCH_ROUTE)
                and stats(base_url)["faults"]["hold"] > before["faults"]["hold"]
            ),
            timeout=30,
        )
        assert process.poll() is None, "fill ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        assert process.returncode == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
        _, stderr = process.communicate()
    match = re.search(r"Created draft (\w+)\.", stderr)
    assert match, stderr
    # The held request was abandoned with its client: the server applied nothing.
    wait_until(lambda: stats(base_url)["holdsAbandoned"] > before["holdsAbandoned"], timeout=10)
    assert stats(base_url)["patchesApplied"] == before["patchesApplied"]
    return match.group(1)


def assert_pending_round_one(base_url: str, job_id: str) -> None:
    pending = journal().pending(base_url, job_id)
    assert sorted(pending) == ROUND_ONE_KEYS
    assert pending["experienceLevel"] == "ENTRY_LEVEL"  # coerced before it was journaled
    assert pending["languages"] == ["English"]
    drafts = journal().drafts_with_pending(base_url)
    assert [d.job_id for d in drafts] == [job_id]  # offered for resume on the next start


def read_back(base_url: str, job_id: str) -> dict[str, Any]:
    """The draft's validation, read the documented way: a no-op PATCH of its title."""
    with api_client(base_url) as api:
        response = api.patch(f"/job-drafts/{job_id}", json={"jobTitle": TITLE})
        response.raise_for_status()
        validation: dict[str, Any] = response.json()["validation"]
        return validation


def finish(base_url: str, job_id: str, answers: Path) -> None:
    run = run_fill_cli("--job-id", job_id, "--answers", answers, "--json", env=fill_env(base_url))
    assert run.code == 0, run.stderr
    assert f"Re-sent {len(ROUND_ONE_KEYS)} saved answer(s) to {job_id}." in run.stderr
    assert run.doc["publishReady"] is True
    assert run.doc["rounds"] == 2  # the re-sent round, then the rate's
    assert journal().pending(base_url, job_id) == {}
    validation = read_back(base_url, job_id)
    assert validation["publishReady"] is True
    assert validation["missingFields"] == [] and validation["issues"] == []


def test_killed_during_a_held_patch_then_the_same_server_lets_go(tmp_path: Path) -> None:
    answers = write_answers(tmp_path, ANSWERS)
    with SandboxServer(faults="hold=patch:30") as server:
        job_id = kill_while_patch_is_held(server.base_url, answers)
        assert_pending_round_one(server.base_url, job_id)
        server.set_faults(None)
        finish(server.base_url, job_id, answers)
        assert lost_answers(stored_fields(server, job_id), EXPECTED) == {}


def test_killed_during_a_held_patch_then_the_server_restarts(tmp_path: Path) -> None:
    answers = write_answers(tmp_path, ANSWERS)
    db = tmp_path / "sandbox.sqlite3"
    with sandbox_process(db, faults="hold=patch:30") as base_url:
        job_id = kill_while_patch_is_held(base_url, answers)
        port = int(base_url.rsplit(":", 1)[1])
    assert_pending_round_one(base_url, job_id)
    # A new process on the same port (the same origin, so the same journal scope).
    with sandbox_process(db, port=port) as restarted:
        assert restarted == base_url
        finish(restarted, job_id, answers)
    from wizard.sandbox.store import Store

    store = Store(db)
    try:
        record = store.get_job(job_id)
        assert record is not None
        assert lost_answers(record.fields, EXPECTED) == {}
    finally:
        store.close()


def test_killed_during_a_held_create_makes_no_duplicate(tmp_path: Path) -> None:
    """The create's idempotency key is journaled first, so running again reuses it."""
    answers = write_answers(tmp_path, ANSWERS)
    with SandboxServer(faults="hold=create:30") as server:
        base_url = server.base_url
        before = stats(base_url)
        process = start_fill_cli(
            "--description", DESCRIPTION, "--answers", answers, env=fill_env(base_url)
        )
        try:
            wait_until(lambda: stats(base_url)["faults"]["hold"] > before["faults"]["hold"])
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate()
        server.set_faults(None)
        run = run_fill_cli(
            "--description", DESCRIPTION, "--answers", answers, "--json", env=fill_env(base_url)
        )
        assert run.code == 0, run.stderr
        with httpx.Client(base_url=base_url, timeout=5) as http:
            mine = http.get(
                "/api/public/v1/jobs/mine",
                headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
            ).json()
        assert [job["id"] for job in mine["jobs"]] == [run.doc["jobId"]]
        assert count(stats(base_url), CREATE_ROUTE) - count(before, CREATE_ROUTE) == 2


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_a_polite_stop_during_a_held_patch_keeps_the_answers_too(
    tmp_path: Path, signal_number: int
) -> None:
    answers = write_answers(tmp_path, ANSWERS)
    with SandboxServer(faults="hold=patch:30") as server:
        before = stats(server.base_url)
        process = start_fill_cli(
            "--description",
            DESCRIPTION,
            "--answers",
            answers,
            "--json",
            env=fill_env(server.base_url),
        )
        wait_until(lambda: stats(server.base_url)["faults"]["hold"] > before["faults"]["hold"])
        process.send_signal(signal_number)
        stdout, stderr = process.communicate(timeout=15)
        assert "Traceback" not in stderr, stderr
        if signal_number == signal.SIGINT:  # Ctrl+C: said in one sentence, exit 130
            assert process.returncode == 130
            assert "draft-wizard: interrupted; unsent answers stay in the journal." in stderr
            doc = FillRun(130, stdout, stderr, 0).doc  # and still one document for scripts
            assert doc["error"]["kind"] == "interrupted"
            assert doc["jobId"] and doc["publishReady"] is False
        else:
            assert process.returncode == -signal.SIGTERM
        match = re.search(r"Created draft (\w+)\.", stderr)
        assert match, stderr
        job_id = match.group(1)
        assert_pending_round_one(server.base_url, job_id)
        server.set_faults(None)
        finish(server.base_url, job_id, answers)


def test_killed_after_the_server_applied_the_patch_but_before_it_answered(
    tmp_path: Path,
) -> None:
    """A server that does the work and then never answers: the re-send is harmless."""
    answers = write_answers(tmp_path, ANSWERS)
    with SandboxServer() as server, FaultProxy(server.base_url) as proxy:
        proxy.script("PATCH", "/job-drafts/", Hang(30, forward_first=True))
        process = start_fill_cli(
            "--description", DESCRIPTION, "--answers", answers, env=fill_env(proxy.base_url)
        )
        try:
            assert proxy.hung.wait(30), "the PATCH never reached the server"
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
        finally:
            if process.poll() is None:
                process.kill()
            _, stderr = process.communicate()
        match = re.search(r"Created draft (\w+)\.", stderr)
        assert match, stderr
        job_id = match.group(1)
        # Applied on the server, never acknowledged here: still pending, so not lost.
        assert_pending_round_one(proxy.base_url, job_id)
        assert stored_fields(server, job_id)["headcount"] == 5
        finish(proxy.base_url, job_id, answers)
        first, resent = (json.loads(r.body) for r in proxy.seen("PATCH", "/job-drafts/")[:2])
        assert first == resent and sorted(first) == ROUND_ONE_KEYS  # the same body again
        assert lost_answers(stored_fields(server, job_id), EXPECTED) == {}
