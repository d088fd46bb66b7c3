"""Fault injection in the sandbox: each fault kind over real HTTP, holds, determinism, the spec."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from wizard.sandbox import SANDBOX_RECRUITSOME_KEY, SANDBOX_TOKEN, FaultConfig, SandboxServer

PREFIX = "/api/public/v1"
DESCRIPTION = "Audio tagging\nTag 300 hours of audio in English from Kenya, $12/hour, 4 raters."


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture(scope="module")
def api(server: SandboxServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
    with httpx.Client(base_url=server.base_url + PREFIX, headers=headers, timeout=5) as client:
        yield client


@pytest.fixture(scope="module")
def control(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=5) as client:
        yield client


@pytest.fixture(autouse=True)
def no_faults(server: SandboxServer, control: httpx.Client) -> Iterator[None]:
    """Each test starts without faults and with zeroed counters, and leaves none behind."""
    server.set_faults(None)
    control.post("/_sandbox/reset").raise_for_status()
    yield
    server.set_faults(None)


def stats(control: httpx.Client) -> dict[str, Any]:
    body: dict[str, Any] = control.get("/_sandbox/stats").json()
    return body


def new_draft(api: httpx.Client) -> str:
    response = api.post("/job-drafts", json={"rawJobDescription": DESCRIPTION})
    assert response.status_code == 201, response.text
    job_id: str = response.json()["jobId"]
    return job_id


def experience_missing(api: httpx.Client, job_id: str) -> bool:
    """Read the draft's validation with a no-op PATCH (the documented workaround)."""
    body = api.patch(f"/job-drafts/{job_id}", json={"jobTitle": "Audio tagging"}).json()
    return "experienceLevel" in [m["field"] for m in body["validation"]["missingFields"]]


def test_latency_delays_every_public_request(
    server: SandboxServer, api: httpx.Client, control: httpx.Client
) -> None:
    server.set_faults("latency=0.15")
    started = time.perf_counter()
    assert api.get("/auth/me").status_code == 200
    assert time.perf_counter() - started >= 0.15
    assert stats(control)["faults"]["latency"] == 1


def test_error_rate_answers_503_or_502_in_the_envelope(
    server: SandboxServer, api: httpx.Client, control: httpx.Client
) -> None:
    server.set_faults("error_rate=1,seed=3")
    statuses = set()
    for _ in range(12):
        response = api.get("/auth/me")
        statuses.add(response.status_code)
        body = response.json()
        assert body["code"] == "INTERNAL" and body["requestId"] == response.headers["x-request-id"]
        if response.status_code == 503:
            assert response.headers["retry-after"] == "0"
    assert statuses == {502, 503}
    assert stats(control)["faults"]["error"] == 12


def test_rate_limit_fault_is_429_with_retry_after(
    server: SandboxServer, api: httpx.Client, control: httpx.Client
) -> None:
    server.set_faults("rate_limit_rate=1")
    response = api.get("/job-drafts/capabilities")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"
    body = response.json()
    assert body["code"] == "RATE_LIMITED" and body["details"]["retryAfterSeconds"] == 1
    assert stats(control)["faults"]["rate_limit"] == 1


def test_drop_is_a_transport_error_and_nothing_is_applied(
    server: SandboxServer, api: httpx.Client, control: httpx.Client
) -> None:
    job_id = new_draft(api)
    server.set_faults("drop_rate=1")
    with pytest.raises(httpx.TransportError):
        api.patch(f"/job-drafts/{job_id}", json={"experienceLevel": "EXPERT"})
    server.set_faults(None)
    counters = stats(control)
    assert counters["faults"]["drop"] == 1
    assert counters["patchesReceived"] == 1 and counters["patchesApplied"] == 0
    assert experience_missing(api, job_id)


def test_drop_after_applies_the_write_then_cuts_the_response(
    server: SandboxServer, api: httpx.Client, control: httpx.Client
) -> None:
    job_id = new_draft(api)
    server.set_faults("drop_after_rate=1")
    with pytest.raises(httpx.TransportError):
        api.patch(f"/job-drafts/{job_id}", json={"experienceLevel": "EXPERT"})
    server.set_faults(None)
    counters = stats(control)
    assert counters["faults"]["drop_after"] == 1
    assert counters["patchesApplied"] == 1
    assert not experience_missing(api, job_id)


async def test_drop_surfaces_in_the_async_client_too(server: SandboxServer) -> None:
    server.set_faults("drop_rate=1")
    async with httpx.AsyncClient(base_url=server.base_url + PREFIX, timeout=5) as client:
        with pytest.raises(httpx.TransportError):
            await client.get("/auth/me", headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"})


def test_a_held_patch_is_abandoned_when_the_client_goes_away(
    server: SandboxServer, api: httpx.Client, control: httpx.Client
) -> None:
    job_id = new_draft(api)
    server.set_faults("hold=patch:30")
    headers = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
    with (
        httpx.Client(base_url=server.base_url + PREFIX, headers=headers, timeout=0.3) as impatient,
        pytest.raises(httpx.ReadTimeout),
    ):
        impatient.patch(f"/job-drafts/{job_id}", json={"experienceLevel": "EXPERT"})
    deadline = time.monotonic() + 3
    while stats(control)["holdsAbandoned"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    counters = stats(control)
    assert counters["holdsAbandoned"] == 1 and counters["faults"]["hold"] == 1
    assert counters["patchesReceived"] == 1 and counters["patchesApplied"] == 0
    # Other kinds of request are not held.
    assert api.get("/auth/me").status_code == 200
    server.set_faults(None)
    assert experience_missing(api, job_id)


def test_a_short_hold_delays_then_applies(
    server: SandboxServer, api: httpx.Client, control: httpx.Client
) -> None:
    job_id = new_draft(api)
    server.set_faults("hold=patch:0.2")
    started = time.perf_counter()
    response = api.patch(f"/job-drafts/{job_id}", json={"experienceLevel": "EXPERT"})
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.2
    assert stats(control)["patchesApplied"] == 1


def test_stop_releases_held_requests(api: httpx.Client) -> None:
    import threading

    with SandboxServer(faults="hold=all:30") as held:
        outcome: list[int | str] = []

        def call() -> None:
            try:
                response = httpx.get(
                    f"{held.base_url}{PREFIX}/auth/me", headers=api.headers, timeout=10
                )
                outcome.append(response.status_code)
            except httpx.TransportError as exc:
                outcome.append(type(exc).__name__)

        worker = threading.Thread(target=call)
        worker.start()
        # Stop only once the request is held (a busy machine may take a while to send it).
        deadline = time.perf_counter() + 10
        with httpx.Client(base_url=held.base_url, timeout=5) as control:
            while time.perf_counter() < deadline:
                counts = control.get("/_sandbox/stats").json().get("requests", {})
                if any("auth/me" in route for route in counts):
                    break
                time.sleep(0.02)
        time.sleep(0.05)
        started = time.perf_counter()
        held.stop()
        worker.join(5)
    assert time.perf_counter() - started < 3
    assert outcome == [503]


def test_faults_spare_facets_recruitsome_and_the_schema(
    server: SandboxServer, control: httpx.Client
) -> None:
    server.set_faults("error_rate=1,drop_rate=1")
    assert control.get(f"{PREFIX}/jobs/facets").status_code == 200
    assert control.get(f"{PREFIX}/openapi.json").status_code == 200
    assert control.get(f"{PREFIX}/openapi").status_code == 200
    key = {"Authorization": f"Bearer {SANDBOX_RECRUITSOME_KEY}"}
    assert control.get("/api/v1/vacancies/facets", headers=key).status_code == 200
    assert sum(stats(control)["faults"].values()) == 0


def test_the_seed_makes_faults_repeatable(server: SandboxServer, api: httpx.Client) -> None:
    def run() -> list[int]:
        server.set_faults("error_rate=0.5,rate_limit_rate=0.2,seed=7")
        return [api.get("/auth/me").status_code for _ in range(16)]

    first, second = run(), run()
    assert first == second
    assert {200, 429} <= set(first) and ({502, 503} & set(first))


def test_faults_can_be_switched_over_http(control: httpx.Client, api: httpx.Client) -> None:
    assert (
        control.post("/_sandbox/faults", json={"spec": "rate_limit_rate=1"}).json()["faults"]
        == "rate_limit_rate=1"
    )
    assert api.get("/auth/me").status_code == 429
    bad = control.post("/_sandbox/faults", json={"spec": "explode=1"})
    assert bad.status_code == 400 and "explode" in bad.json()["error"]
    control.post("/_sandbox/faults", json={"spec": ""}).raise_for_status()
    assert api.get("/auth/me").status_code == 200


# --- the spec ---------------------------------------------------------------------------------


def test_full_spec_parses_and_round_trips() -> None:
    spec = (
        "latency=0.05,error_rate=0.1,drop_rate=0.05,drop_after_rate=0.05,rate_limit_rate=0.05,"
        "hold=patch:30,seed=7"
    )
    config = FaultConfig.parse(spec)
    assert config == FaultConfig(
        latency=0.05,
        error_rate=0.1,
        drop_rate=0.05,
        drop_after_rate=0.05,
        rate_limit_rate=0.05,
        holds={"patch": 30.0},
        seed=7,
    )
    assert FaultConfig.parse(config.to_spec()) == config
    assert (
        config.active and config.hold_seconds("patch") == 30 and config.hold_seconds("create") == 0
    )


def test_every_key_is_optional() -> None:
    assert FaultConfig.parse("") == FaultConfig()
    assert not FaultConfig.parse(" , ").active
    assert FaultConfig.parse("seed=1").seed == 1
    assert FaultConfig.parse("hold=all:2,hold=publish:5").hold_seconds("publish") == 5
    assert FaultConfig.coerce(None) == FaultConfig()


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("boom=1", "Unknown fault setting 'boom'"),
        ("error_rate=2", "between 0 and 1"),
        ("error_rate=lots", "must be a number"),
        ("latency=-1", "between 0 and 60"),
        ("latency", "key=value"),
        ("hold=30", "hold=<kind>:<seconds>"),
        ("hold=delete:3", "hold kind 'delete'"),
        ("seed=abc", "whole number"),
        ("drop_rate=nan", "between 0 and 1"),
    ],
)
def test_invalid_specs_raise_a_clear_sentence(spec: str, words: str) -> None:
    with pytest.raises(ValueError, match=r"\.$") as caught:
        FaultConfig.parse(spec)
    assert words in str(caught.value)


def test_invalid_spec_fails_before_a_server_starts() -> None:
    with pytest.raises(ValueError):
        SandboxServer(faults="error_rate=9")
