"""Every request names draft-wizard and its version in ``User-Agent``.

OpenTrain's own SDK names itself the same way; the server's logs can then tell the
wizard's traffic from a script's. Both clients send it, on every attempt, whatever the
injected HTTP client's own default is, and the version is the one ``--version`` prints.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

import wizard
from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.recruitsome.client import RecruitsomeClient
from wizard.api.retry import RetryPolicy
from wizard.api.transport import USER_AGENT, Exchange

ORIGIN = "https://app.example.test"
TOKEN = "ot_pat_8f2a1234_s3cr3tS3CR3Tsecret91cd"
KEY = "rs_key_0123456789abcdef"
EXPECTED = f"draft-wizard/{wizard.__version__}"

DRAFT = {
    "ok": True,
    "jobId": "job_1",
    "status": "DRAFT",
    "validation": {"publishReady": False, "missingFields": [], "issues": []},
}
PUBLISHED = {"ok": True, "jobId": "job_1", "status": "OPEN", "alreadyPublished": False}
RS_FACETS: dict[str, Any] = {"data": {}, "meta": {}}


class Recorder:
    """A MockTransport handler that keeps each request's User-Agent."""

    def __init__(self, body: Any, *, fail_first: int = 0) -> None:
        self.body = body
        self.fail_first = fail_first
        self.agents: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.agents.append(request.headers.get("User-Agent"))
        if len(self.agents) <= self.fail_first:
            return httpx.Response(503, headers={"Retry-After": "0"}, json={"error": "busy"})
        return httpx.Response(200, json=self.body)


async def _no_sleep(seconds: float) -> None:
    return None


def _opentrain(recorder: Recorder, **http: Any) -> OpenTrainClient:
    return OpenTrainClient(
        ORIGIN,
        TOKEN,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder), **http),
        retry=RetryPolicy(sleeper=_no_sleep),
    )


def _recruitsome(recorder: Recorder, **http: Any) -> RecruitsomeClient:
    return RecruitsomeClient(
        ORIGIN,
        KEY,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder), **http),
        retry=RetryPolicy(sleeper=_no_sleep),
    )


def test_the_agent_names_the_package_and_its_version() -> None:
    assert USER_AGENT == EXPECTED
    # The constant ``--version`` prints is the installed distribution's version.
    assert wizard.__version__ == importlib.metadata.version("draft-wizard")


CALLS: list[tuple[str, Any, Callable[[OpenTrainClient], Awaitable[object]]]] = [
    ("me", {"actor": {}, "token": {}}, lambda c: c.me()),
    ("capabilities", {}, lambda c: c.capabilities()),
    ("create", DRAFT, lambda c: c.create_draft("Label some images.")),
    ("update", DRAFT, lambda c: c.update_draft("job_1", {"headcount": 3})),
    ("publish", PUBLISHED, lambda c: c.publish("job_1")),
    ("mine", {"jobs": [], "nextCursor": None}, lambda c: c.my_jobs()),
    ("facets (tokenless)", {"totalJobs": 0}, lambda c: c.facets()),
]


@pytest.mark.parametrize(
    ("body", "call"), [pytest.param(body, call, id=name) for name, body, call in CALLS]
)
async def test_every_opentrain_endpoint_sends_it(
    body: Any, call: Callable[[OpenTrainClient], Awaitable[object]]
) -> None:
    recorder = Recorder(body)
    async with _opentrain(recorder) as client:
        await call(client)
    assert recorder.agents == [EXPECTED]


async def test_recruitsome_sends_it() -> None:
    recorder = Recorder(RS_FACETS)
    async with _recruitsome(recorder) as client:
        await client.vacancy_facets()
    assert recorder.agents == [EXPECTED]


async def test_every_attempt_sends_it() -> None:
    recorder = Recorder({"actor": {}, "token": {}}, fail_first=2)
    async with _opentrain(recorder) as client:
        await client.me()
    assert recorder.agents == [EXPECTED] * 3
    recorder = Recorder(RS_FACETS, fail_first=1)
    async with _recruitsome(recorder) as client:
        await client.vacancy_facets()
    assert recorder.agents == [EXPECTED] * 2


@pytest.mark.parametrize("make", [_opentrain, _recruitsome], ids=["opentrain", "recruitsome"])
async def test_an_injected_clients_default_does_not_win(make: Callable[..., Any]) -> None:
    # httpx's own default would say python-httpx/…; a shared client may carry another.
    recorder = Recorder({"actor": {}, "token": {}, **RS_FACETS})
    async with make(recorder, headers={"User-Agent": "someone-else/9"}) as client:
        await (client.me() if isinstance(client, OpenTrainClient) else client.vacancy_facets())
    assert recorder.agents == [EXPECTED]


async def test_the_owned_client_sends_it_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # No injected client: the one ClientBase makes is used, with the same header.
    recorder = Recorder({"actor": {}, "token": {}})
    real = httpx.AsyncClient

    def with_mock(**kwargs: Any) -> httpx.AsyncClient:
        return real(transport=httpx.MockTransport(recorder), **kwargs)

    monkeypatch.setattr(httpx, "AsyncClient", with_mock)
    async with OpenTrainClient(ORIGIN, TOKEN) as client:
        await client.me()
    assert recorder.agents == [EXPECTED]


async def test_the_request_log_is_unchanged() -> None:
    # The agent is the same on every request: the log keeps showing what varies.
    seen: list[Exchange] = []
    recorder = Recorder({"actor": {}, "token": {}})
    client = _opentrain(recorder)
    client.observer = seen.append
    async with client:
        await client.me()
    assert [sorted(e.headers) for e in seen] == [["Accept", "Authorization"]]
