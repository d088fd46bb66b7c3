"""The retry and error matrix of ``fill``: every documented failure, one sentence, nothing lost.

``fill`` runs as a subprocess against the loopback sandbox, through ``tests/fault_proxy.py``
that injects one exact failure at one exact moment (and records every request body), or
with the sandbox's own seeded faults. For each transient failure the run still ends in
exit 0 with the PATCH re-sent unchanged; for each failure that ends the run, the test
checks the one sentence on stderr, that no traceback appears, that the round's answers
are still pending in the journal, and that a second run finishes the draft.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fault_proxy import Die, FaultProxy, Reset, Respond, envelope
from tests.integration.fill_helpers import (
    ANSWERS,
    DESCRIPTION,
    EXPECTED,
    PATCH_ROUTE,
    ROUND_ONE_KEYS,
    FillRun,
    InProcessFill,
    count,
    fill_env,
    free_port,
    journal,
    lost_answers,
    run_fill_cli,
    stats,
    stored_fields,
    write_answers,
)
from wizard.sandbox import SandboxServer

PATCH = ("PATCH", "/job-drafts/")
PUBLISH = ("POST", "/publish")


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture
def proxy(server: SandboxServer) -> Iterator[FaultProxy]:
    with FaultProxy(server.base_url) as running:
        yield running


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return write_answers(tmp_path, ANSWERS)


def fill_new(base_url: str, answers: Path, *extra: str, **env: str) -> FillRun:
    return run_fill_cli(
        "--description",
        DESCRIPTION,
        "--answers",
        answers,
        "--json",
        *extra,
        env=fill_env(base_url, **env),
    )


def patch_bodies(proxy: FaultProxy) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in proxy.seen(*PATCH)]


@pytest.fixture
def again(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> InProcessFill:
    """The second run, in this process (the failing first run is the subprocess)."""
    return InProcessFill(monkeypatch, capsys)


def assert_nothing_lost_and_resume(
    server: SandboxServer, base_url: str, run: FillRun, answers: Path, again: InProcessFill
) -> FillRun:
    """The failed round is pending in the journal; a second run completes the draft."""
    job_id = run.doc["jobId"]
    assert job_id, run.stderr
    pending = journal().pending(base_url.rstrip("/"), job_id)
    assert sorted(pending) == ROUND_ONE_KEYS, pending
    second = again(base_url, "--job-id", job_id, "--answers", answers, "--json")
    assert second.code == 0, second.stderr
    assert f"Re-sent {len(ROUND_ONE_KEYS)} saved answer(s) to {job_id}." in second.stderr
    assert journal().pending(base_url.rstrip("/"), job_id) == {}
    assert lost_answers(stored_fields(server, job_id), EXPECTED) == {}
    return second


def assert_ready(server: SandboxServer, run: FillRun, retries: int) -> None:
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.doc["publishReady"] is True
    assert run.doc["rounds"] == 2
    assert run.doc["retries"] == retries
    assert lost_answers(stored_fields(server, run.doc["jobId"]), EXPECTED) == {}


# ---- transient: retried, then done -------------------------------------------------------


def test_429_with_retry_after_is_waited_out(
    server: SandboxServer, proxy: FaultProxy, answers: Path
) -> None:
    limited = envelope("Too many requests.", "RATE_LIMITED")
    proxy.script(*PATCH, Respond(429, limited, {"Retry-After": "1"}))
    run = fill_new(proxy.base_url, answers)
    assert_ready(server, run, retries=1)
    first, again, second_round = patch_bodies(proxy)
    assert first == again  # the same absolute values, sent again
    assert sorted(first) == ROUND_ONE_KEYS and second_round == {"pricePerLabel": 0.06}
    assert run.seconds >= 1.0  # Retry-After honoured


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried(
    server: SandboxServer, proxy: FaultProxy, answers: Path, status: int
) -> None:
    failing = envelope(f"Upstream failed ({status}).", "INTERNAL")
    proxy.script(*PATCH, Respond(status, failing))
    run = fill_new(proxy.base_url, answers)
    assert_ready(server, run, retries=1)
    bodies = patch_bodies(proxy)
    assert len(bodies) == 3 and bodies[0] == bodies[1]


def test_a_reset_before_the_server_saw_the_patch_is_retried(
    server: SandboxServer, proxy: FaultProxy, answers: Path
) -> None:
    proxy.script(*PATCH, Reset())
    run = fill_new(proxy.base_url, answers)
    assert_ready(server, run, retries=1)
    bodies = patch_bodies(proxy)
    assert bodies[0] == bodies[1]


def test_a_patch_applied_then_cut_is_sent_again_with_the_same_body(
    server: SandboxServer, proxy: FaultProxy, answers: Path
) -> None:
    before = stats(server.base_url)
    proxy.script(*PATCH, Reset(forward_first=True))
    run = fill_new(proxy.base_url, answers)
    assert_ready(server, run, retries=1)
    bodies = patch_bodies(proxy)
    assert bodies[0] == bodies[1]
    after = stats(server.base_url)
    # The server applied it twice (absolute values: harmless), then the rate's round.
    assert after["patchesApplied"] - before["patchesApplied"] == 3


def _seed_cutting_only_the_first_patch(rate: float) -> int:
    """A seed whose rolls (one per faulted request) cut only the 4th: the first PATCH.

    Requests in order: capabilities and /auth/me (together, either first), create,
    PATCH (cut), its re-send, the second PATCH.
    """
    for seed in range(10_000):
        rng = random.Random(seed)
        rolls = [rng.random() < rate for _ in range(6)]
        if rolls == [False, False, False, True, False, False]:
            return seed
    raise AssertionError("no seed found")


def test_the_sandboxs_drop_after_fault_loses_nothing(
    server: SandboxServer, proxy: FaultProxy, answers: Path
) -> None:
    """The sandbox's own ``drop_after_rate``: the PATCH is applied, the reply cut mid-body."""
    seed = _seed_cutting_only_the_first_patch(0.5)
    server.set_faults(f"drop_after_rate=0.5,seed={seed}")
    try:
        before = stats(server.base_url)
        run = fill_new(proxy.base_url, answers)
        after = stats(server.base_url)
    finally:
        server.set_faults(None)
    assert after["faults"]["drop_after"] - before["faults"]["drop_after"] == 1
    assert_ready(server, run, retries=1)
    bodies = patch_bodies(proxy)
    assert len(bodies) == 3 and bodies[0] == bodies[1]
    assert count(after, PATCH_ROUTE) - count(before, PATCH_ROUTE) == 3
    assert after["patchesApplied"] - before["patchesApplied"] == 3  # the cut one too


# ---- failures that end the run: one sentence, nothing lost -------------------------------


def test_connection_refused_mid_run(
    server: SandboxServer, proxy: FaultProxy, answers: Path, again: InProcessFill
) -> None:
    """The listener goes away at the first PATCH; the retries find nothing listening."""
    proxy.script(*PATCH, Die())
    run = fill_new(proxy.base_url, answers)
    run.assert_clean_failure(1, f"Could not connect to 127.0.0.1:{proxy.port}", "refused")
    assert run.doc["retries"] == 2
    assert run.doc["error"]["kind"] == "api"
    proxy.start()  # back on the same port: the journal's scope is the same origin
    assert_nothing_lost_and_resume(server, proxy.base_url, run, answers, again)


def test_connection_refused_from_the_start(answers: Path, again: InProcessFill) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    run = fill_new(base_url, answers)
    run.assert_clean_failure(1, f"Could not connect to 127.0.0.1:{port}", "refused")
    assert run.doc["jobId"] is None
    assert journal().drafts(base_url) == []
    with SandboxServer(port=port) as late:
        second = again(base_url, "--description", DESCRIPTION, "--answers", answers, "--json")
        assert second.code == 0, second.stderr
        assert lost_answers(stored_fields(late, second.doc["jobId"]), EXPECTED) == {}


def test_connection_reset_every_time(
    server: SandboxServer, proxy: FaultProxy, answers: Path, again: InProcessFill
) -> None:
    proxy.script(*PATCH, Reset(), times=3)
    run = fill_new(proxy.base_url, answers)
    run.assert_clean_failure(1, "connection", "dropped")
    assert run.doc["retries"] == 2
    assert_nothing_lost_and_resume(server, proxy.base_url, run, answers, again)


def test_timeout(server: SandboxServer, answers: Path, again: InProcessFill) -> None:
    """The sandbox holds every PATCH longer than the client waits (DRAFT_WIZARD_TIMEOUT)."""
    server.set_faults("hold=patch:10")
    try:
        before = stats(server.base_url)
        run = fill_new(server.base_url, answers, DRAFT_WIZARD_TIMEOUT="1.2")
        after = stats(server.base_url)
    finally:
        server.set_faults(None)
    run.assert_clean_failure(1, "did not finish answering within 1.2 s")
    assert run.doc["retries"] == 2
    assert count(after, PATCH_ROUTE) - count(before, PATCH_ROUTE) == 3
    assert after["patchesApplied"] == before["patchesApplied"]  # abandoned, never applied
    assert_nothing_lost_and_resume(server, server.base_url, run, answers, again)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        pytest.param("<html><body>Welcome to nginx!</body></html>", "not JSON", id="html"),
        pytest.param("", "an empty reply", id="empty"),
        pytest.param('{"ok": true, "validation": "pending"}', "unexpected shape", id="shape"),
        pytest.param("[1, 2, 3]", "unexpected shape", id="list"),
    ],
)
def test_an_unreadable_success_reply(
    server: SandboxServer,
    proxy: FaultProxy,
    answers: Path,
    again: InProcessFill,
    body: str,
    needle: str,
) -> None:
    proxy.script(*PATCH, Respond(200, body, {"Content-Type": "application/json"}))
    run = fill_new(proxy.base_url, answers)
    sentence = run.assert_clean_failure(1, f"127.0.0.1:{proxy.port} sent", needle)
    assert "PATCH" in sentence or "HTTP 200" in sentence
    assert run.doc["retries"] == 0
    assert_nothing_lost_and_resume(server, proxy.base_url, run, answers, again)


FAILING_PATCHES = [
    # A 500 is not retried: the server may have applied part of the round.
    pytest.param(
        Respond(500, envelope("Database on fire.", "INTERNAL")),
        1,
        ("Database on fire.", "req-test"),
        id="500-not-retried",
    ),
    # A gateway's HTML page, then a rate limit: retried until the attempts run out.
    pytest.param(
        Respond(
            502,
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            {"Content-Type": "text/html"},
        ),
        3,
        ("The server failed (HTTP 502).",),
        id="502-without-json-until-retries-run-out",
    ),
    pytest.param(
        Respond(
            429,
            envelope("Too many requests: slow down.", "RATE_LIMITED"),
            {"Retry-After": "0"},
        ),
        3,
        ("Too many requests",),
        id="429-until-retries-run-out",
    ),
]


@pytest.mark.parametrize(("failure", "attempts", "needles"), FAILING_PATCHES)
def test_a_failing_patch_ends_the_run_after_its_attempts(
    server: SandboxServer,
    proxy: FaultProxy,
    answers: Path,
    again: InProcessFill,
    failure: Respond,
    attempts: int,
    needles: tuple[str, ...],
) -> None:
    proxy.script(*PATCH, failure, times=attempts)
    run = fill_new(proxy.base_url, answers)
    run.assert_clean_failure(1, *needles)
    assert run.doc["error"]["status"] == failure.status
    assert run.doc["retries"] == attempts - 1
    assert len(proxy.seen(*PATCH)) == attempts
    assert_nothing_lost_and_resume(server, proxy.base_url, run, answers, again)


def test_zod_issues_on_a_patch_name_the_field(
    server: SandboxServer, proxy: FaultProxy, answers: Path, again: InProcessFill
) -> None:
    issues = [{"code": "invalid_type", "path": ["headcount"], "message": "Expected number"}]
    rejected = envelope("Invalid draft update.", "BAD_REQUEST", issues=issues)
    proxy.script(*PATCH, Respond(400, rejected))
    run = fill_new(proxy.base_url, answers)
    run.assert_clean_failure(1, "headcount: Expected number")
    assert run.doc["error"]["field"] == "headcount"
    assert_nothing_lost_and_resume(server, proxy.base_url, run, answers, again)


def test_publish_not_ready_replans_from_details_validation(
    server: SandboxServer, proxy: FaultProxy, answers: Path, again: InProcessFill
) -> None:
    validation = {
        "publishReady": False,
        "missingFields": [
            {"field": "countries", "prompt": "ask: Which countries?", "type": "string[]"}
        ],
        "issues": [],
    }
    not_ready = envelope(
        "This draft is not ready to publish.", "BAD_REQUEST", validation=validation
    )
    proxy.script(*PUBLISH, Respond(400, not_ready))
    run = fill_new(proxy.base_url, answers, "--publish")
    run.assert_clean_failure(1, "not ready to publish")
    assert run.doc["publishReady"] is False
    assert [m["field"] for m in run.doc["missingFields"]] == ["countries"]
    assert run.doc["missingFields"][0]["prompt"] == "Which countries?"
    assert journal().pending(proxy.base_url, run.doc["jobId"]) == {}  # every answer was taken
    # The server's own view is ready: a second run publishes.
    second = again(
        proxy.base_url, "--job-id", run.doc["jobId"], "--answers", answers, "--publish", "--json"
    )
    assert second.code == 0, second.stderr
    assert second.doc["status"] == "OPEN"


def test_publish_needs_a_claimed_account(proxy: FaultProxy, answers: Path) -> None:
    claim = envelope(
        "Claim this account before publishing.",
        "FORBIDDEN",
        reason="account_claim_required",
        claimUrl="https://example.test/claim",
    )
    proxy.script(*PUBLISH, Respond(403, claim))
    run = fill_new(proxy.base_url, answers, "--publish")
    run.assert_clean_failure(1, "Claim this account before publishing.", "Claim the account")
    assert run.doc["error"]["status"] == 403
    assert run.doc["publishReady"] is True


def test_daily_publish_limit_is_told_not_retried(proxy: FaultProxy, answers: Path) -> None:
    """A limit the account check could not see coming (reached by another client meanwhile)."""
    limited = envelope("Daily limit reached.", "RATE_LIMITED", limit=3, windowHours=24)
    proxy.script(*PUBLISH, Respond(429, limited))
    run = fill_new(proxy.base_url, answers, "--publish")
    sentence = run.assert_clean_failure(1, "daily publish limit (3 per 24 h)")
    assert "published later" in sentence
    assert run.doc["error"]["status"] == 429
    assert run.doc["retries"] == 0
    assert len(proxy.seen("POST", "/publish")) == 1  # not retried
    assert run.doc["publishReady"] is True


def test_a_malformed_timeout_variable_is_a_warning(server: SandboxServer, answers: Path) -> None:
    run = fill_new(server.base_url, answers, DRAFT_WIZARD_TIMEOUT="soon")
    assert run.code == 0, run.stderr
    assert "draft-wizard: warning: DRAFT_WIZARD_TIMEOUT is not valid" in run.stderr
    assert "soon" not in run.stderr
    assert "Traceback" not in run.stderr
