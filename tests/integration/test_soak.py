"""Soak: many ``fill`` sessions through injected faults, and not one answer lost.

The sandbox injects latency, 502/503s, 429s, connections cut before the request is
processed and cut after it was applied, all from a fixed seed. Each session is ``fill``
(``run_fill``, in process, retry waits patched to zero) with its own description and
its own answers; a session that ends with exit 1 is run again with ``--job-id`` (or, if
its create never got an answer, with the same description: the journaled idempotency
key makes that safe), a few times at most. Every session must complete, every draft must
hold exactly its own file's answers, nothing may stay pending, and no draft may be
created twice.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.integration.fill_helpers import (
    ANSWERS,
    DESCRIPTION,
    EXPECTED,
    lost_answers,
    stats,
    stored_fields,
)
from wizard.api.retry import RetryPolicy
from wizard.cli.fill import EXIT_API, EXIT_OK, FillRequest, run_fill
from wizard.core.backend import Backend
from wizard.core.journal import Journal
from wizard.launch import Launcher
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer

SESSIONS = 25
MAX_RERUNS = 4
FAULTS = (
    "latency=0.003,error_rate=0.12,drop_rate=0.05,drop_after_rate=0.06,"
    "rate_limit_rate=0.05,seed=20240611"
)

pytestmark = pytest.mark.slow


class CountingLauncher(Launcher):
    """A launcher that remembers each backend, to read the client's retry count."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.backends: list[Backend] = []

    async def connect(self, observer: Any = None) -> Backend:
        backend = await super().connect(observer)
        self.backends.append(backend)
        return backend


def session_files(tmp_path: Path, index: int) -> tuple[str, Path, dict[str, Any]]:
    """A description, an answers file and the values the server must end up holding."""
    # A letter code, not a number: the sandbox's parser would read "Batch 6" as a volume.
    code = "".join(chr(ord("A") + int(d)) for d in str(index))
    description = DESCRIPTION.replace("Product image", f"Series {code} product image", 1)
    rate = round(0.05 + index / 1000, 3)
    answers = {**ANSWERS, "headcount": str(index + 1), "pricePerLabel": str(rate)}
    path = tmp_path / f"answers-{index}.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return description, path, {**EXPECTED, "headcount": index + 1, "pricePerLabel": rate}


async def test_soak_many_sessions_through_faults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:

    from wizard.sandbox.app import sandbox_state
    from wizard.settings import SecretStr, Settings

    monkeypatch.setattr(RetryPolicy, "delay", lambda *_args, **_kwargs: 0.0)  # waits: none
    started = time.perf_counter()
    with SandboxServer(faults=FAULTS) as server:
        settings = Settings(
            token=SecretStr(SANDBOX_TOKEN),
            token_source="test",
            base_url=server.base_url,
            sandbox=False,
        )
        launcher = CountingLauncher(settings, journal=Journal.default())
        expected: dict[str, dict[str, Any]] = {}
        completed = reruns = json_retries = 0
        for index in range(SESSIONS):
            description, answers, wanted = session_files(tmp_path, index)
            request = FillRequest(answers_path=answers, description=description, as_json=True)
            for attempt in range(MAX_RERUNS + 1):
                code = await run_fill(request, launcher)
                doc = json.loads(capsys.readouterr().out)  # exactly one document per run
                json_retries += doc.get("retries", 0)
                if code == EXIT_OK:
                    break
                assert code == EXIT_API, doc
                assert attempt < MAX_RERUNS, f"session {index} never completed: {doc}"
                reruns += 1
                if doc.get("jobId"):  # carry on with the draft: pending answers go first
                    request = FillRequest(answers_path=answers, job_id=doc["jobId"], as_json=True)
            assert doc["publishReady"] is True, doc
            completed += 1
            expected[doc["jobId"]] = wanted

        fault_counts: dict[str, int] = stats(server.base_url)["faults"]
        server.set_faults(None)
        journal = Journal.default()
        lost = {
            job_id: lost_answers(stored_fields(server, job_id), wanted)
            for job_id, wanted in expected.items()
        }
        lost = {job_id: gone for job_id, gone in lost.items() if gone}
        pending = {job_id: journal.pending(server.base_url, job_id) for job_id in expected}
        drafts = sandbox_state(server.app).store.list_jobs(
            "org_sandbox_demo", status=None, limit=1000, before_seq=None
        )
    retries = sum(b.client.retries_made for b in launcher.backends)
    faults = sum(n for kind, n in fault_counts.items() if kind != "latency")
    answers_lost = sum(len(gone) for gone in lost.values())
    summary = (
        f"sessions={SESSIONS}, completed={completed}, retries={retries}, reruns={reruns}, "
        f"faults={faults}, answers_lost={answers_lost}"
    )
    with capsys.disabled():
        print(f"\nsoak: {summary} ({fault_counts}; {time.perf_counter() - started:.1f} s)")

    assert completed == SESSIONS
    assert lost == {}, lost
    assert all(p == {} for p in pending.values()), pending
    assert len(expected) == SESSIONS  # every session its own draft
    assert sorted(d.id for d in drafts) == sorted(expected)  # and no draft made twice
    assert retries == json_retries  # the --json "retries" tells the same story
    assert faults >= SESSIONS  # the run really went through faults
    assert retries > 0 and fault_counts["drop_after"] > 0 and fault_counts["drop"] > 0
    assert time.perf_counter() - started < 60
