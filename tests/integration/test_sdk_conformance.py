"""The sandbox, driven through OpenTrain's official Python SDK (``opentrain-ai``, pinned).

The SDK does not cover job drafts, but its transport (``opentrain._client.SyncTransport``)
is the vendor's statement of the conventions every OpenTrain client shares: the origin
from ``OPENTRAIN_BASE_URL`` with ``/api/public/v1`` appended, and every non-2xx body parsed
as the envelope ``{error, code, requestId, details}`` into ``OpenTrainAPIError``.

- For each documented error status of the endpoints the wizard uses (400, 401, 403, 404,
  429), provoked the way a client meets it, the SDK fills ``status``, ``code``,
  ``request_id`` (the ``X-Request-Id`` of the same reply) and ``details``, and our own
  parser (``wizard.api.errors.error_from_response``) reads the same reply the same way.
- The 429 comes from the sandbox's real behaviour (the unclaimed account's third publish
  of the day is its last) and from its fault injection, both in the envelope.
- For the 2xx bodies, what the SDK's transport returns is accepted by our client models.

A real sandbox on a loopback port, the SDK's own ``httpx.Client``: nothing is mocked.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import opentrain
import pytest
from opentrain import OpenTrainAPIError
from opentrain._client import API_PREFIX, SyncTransport

from tests.integration.fill_helpers import DESCRIPTION, EXPECTED
from wizard.api.errors import error_from_response
from wizard.api.opentrain.models import (
    Capabilities,
    DraftResponse,
    MarketplaceFacets,
    Me,
    MyJobsPage,
    PublishResult,
)
from wizard.sandbox import (
    SANDBOX_NO_DRAFTING_TOKEN,
    SANDBOX_NO_PUBLISH_TOKEN,
    SANDBOX_OTHER_TOKEN,
    SANDBOX_READONLY_TOKEN,
    SANDBOX_TOKEN,
    SandboxServer,
)

BAD_TOKEN = "ot_pat_nobody_0000000000000000"
MISSING_JOB = "job_does_not_exist_0000"


def test_the_pinned_sdk_is_the_one_checked() -> None:
    assert opentrain.__version__ == "0.1.0"
    assert API_PREFIX == "/api/public/v1"  # the prefix our clients append as well


# ---- driving the SDK ---------------------------------------------------------------------


@dataclass
class SDK:
    """The SDK's transport on one token, keeping each raw reply for comparison."""

    transport: SyncTransport
    replies: list[httpx.Response]

    def request(self, method: str, path: str, json: Any = None) -> Any:
        return self.transport.request(method, path, json=json)

    def fail(self, method: str, path: str, json: Any = None) -> OpenTrainAPIError:
        with pytest.raises(OpenTrainAPIError) as caught:
            self.transport.request(method, path, json=json)
        return caught.value

    @property
    def last(self) -> httpx.Response:
        return self.replies[-1]


@contextlib.contextmanager
def _sdk(origin: str | None, token: str) -> Iterator[SDK]:
    replies: list[httpx.Response] = []

    def keep(response: httpx.Response) -> None:
        response.read()
        replies.append(response)

    # The SDK's own httpx client, as a user of the SDK gets it, with one hook added to see
    # the raw replies. (An injected client would keep httpx's User-Agent: the SDK only
    # fills the headers a client lacks, and httpx's clients always carry one.)
    transport = SyncTransport(api_token=token, base_url=origin, timeout_seconds=10)
    transport._client.event_hooks = {"response": [keep]}
    try:
        yield SDK(transport, replies)
    finally:
        transport.close()


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture(scope="module")
def throttled() -> Iterator[SandboxServer]:
    """A sandbox answering every public request 429 (fault injection); ``/jobs/facets``
    is spared by the sandbox's design, and nothing there limits it per minute, so the
    tokenless endpoints' documented 429 is not provoked here."""
    with SandboxServer(faults="rate_limit_rate=1.0") as running:
        yield running


@pytest.fixture
def sdk(server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], SDK]]:
    """``sdk(token)``: the SDK on the sandbox, its origin read the SDK's way."""
    # OPENTRAIN_BASE_URL is the SDK's own variable (and ours): no base_url argument.
    monkeypatch.setenv("OPENTRAIN_BASE_URL", server.base_url)
    with contextlib.ExitStack() as stack:
        yield lambda token: stack.enter_context(_sdk(None, token))


def _new_draft(api: SDK) -> str:
    job_id: str = api.request("POST", "/job-drafts", {"rawJobDescription": DESCRIPTION})["jobId"]
    return job_id


def _ready_draft(api: SDK) -> str:
    job_id = _new_draft(api)
    validation = api.request("PATCH", f"/job-drafts/{job_id}", EXPECTED)["validation"]
    assert validation["publishReady"] is True, validation
    return job_id


def _conforms(error: OpenTrainAPIError, reply: httpx.Response, status: int, code: str) -> None:
    """The SDK read the envelope whole, and our parser reads the same reply alike."""
    assert reply.status_code == status
    body = reply.json()
    assert set(body) >= {"error", "code", "requestId"}, body
    assert (error.status, error.code) == (status, code), repr(error)
    assert error.request_id, repr(error)
    uuid.UUID(error.request_id)
    assert error.request_id == reply.headers["x-request-id"]  # the body and the header agree
    assert str(error) == body["error"] and str(error).strip()
    assert isinstance(error.details, dict)
    ours = error_from_response(reply)
    assert (ours.status_code, ours.code, ours.request_id) == (status, code, error.request_id)
    assert ours.message == str(error)
    assert ours.details == error.details


# ---- errors ------------------------------------------------------------------------------


def test_400_unknown_key(sdk: Callable[[str], SDK]) -> None:
    api = sdk(SANDBOX_TOKEN)
    job_id = _new_draft(api)
    error = api.fail("PATCH", f"/job-drafts/{job_id}", {"notADraftKey": 1})
    _conforms(error, api.last, 400, "BAD_REQUEST")
    assert "notADraftKey" in str(error.details)


def test_400_empty_patch(sdk: Callable[[str], SDK]) -> None:
    api = sdk(SANDBOX_TOKEN)
    job_id = _new_draft(api)
    _conforms(api.fail("PATCH", f"/job-drafts/{job_id}", {}), api.last, 400, "BAD_REQUEST")


def test_400_publish_not_ready_carries_the_validation(sdk: Callable[[str], SDK]) -> None:
    api = sdk(SANDBOX_TOKEN)
    job_id = _new_draft(api)
    error = api.fail("POST", f"/jobs/{job_id}/publish")
    _conforms(error, api.last, 400, "BAD_REQUEST")
    assert error.details["validation"]["publishReady"] is False


def test_400_jobs_mine_bad_status(sdk: Callable[[str], SDK]) -> None:
    api = sdk(SANDBOX_TOKEN)
    with pytest.raises(OpenTrainAPIError) as caught:
        api.transport.request("GET", "/jobs/mine", params={"status": "NOPE"})
    _conforms(caught.value, api.last, 400, "BAD_REQUEST")
    assert "DRAFT" in caught.value.details["supportedStatuses"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/auth/me", None),
        ("GET", "/job-drafts/capabilities", None),
        ("POST", "/job-drafts", {"rawJobDescription": DESCRIPTION}),
        ("PATCH", f"/job-drafts/{MISSING_JOB}", {"headcount": 2}),
        ("POST", f"/jobs/{MISSING_JOB}/publish", None),
        ("GET", "/jobs/mine", None),
    ],
)
def test_401_bad_token(sdk: Callable[[str], SDK], method: str, path: str, body: Any) -> None:
    api = sdk(BAD_TOKEN)
    _conforms(api.fail(method, path, body), api.last, 401, "UNAUTHORIZED")


def test_403_without_jobs_write(sdk: Callable[[str], SDK]) -> None:
    job_id = _new_draft(sdk(SANDBOX_TOKEN))
    api = sdk(SANDBOX_READONLY_TOKEN)
    error = api.fail("PATCH", f"/job-drafts/{job_id}", {"headcount": 2})
    _conforms(error, api.last, 403, "FORBIDDEN")
    error = api.fail("POST", "/job-drafts", {"rawJobDescription": DESCRIPTION})
    _conforms(error, api.last, 403, "FORBIDDEN")


def test_403_another_accounts_draft(sdk: Callable[[str], SDK]) -> None:
    job_id = _new_draft(sdk(SANDBOX_TOKEN))
    api = sdk(SANDBOX_OTHER_TOKEN)
    error = api.fail("PATCH", f"/job-drafts/{job_id}", {"headcount": 2})
    _conforms(error, api.last, 403, "FORBIDDEN")


def test_403_feature_off(sdk: Callable[[str], SDK]) -> None:
    api = sdk(SANDBOX_NO_DRAFTING_TOKEN)
    error = api.fail("GET", "/job-drafts/capabilities")
    _conforms(error, api.last, 403, "FORBIDDEN")
    assert error.details["featureKey"] == "public_api_job_drafting"
    api = sdk(SANDBOX_NO_PUBLISH_TOKEN)
    job_id = _ready_draft(api)
    _conforms(api.fail("POST", f"/jobs/{job_id}/publish"), api.last, 403, "FORBIDDEN")


def test_404_no_such_job(sdk: Callable[[str], SDK]) -> None:
    api = sdk(SANDBOX_TOKEN)
    error = api.fail("PATCH", f"/job-drafts/{MISSING_JOB}", {"headcount": 2})
    _conforms(error, api.last, 404, "NOT_FOUND")
    _conforms(api.fail("POST", f"/jobs/{MISSING_JOB}/publish"), api.last, 404, "NOT_FOUND")


def test_429_daily_publish_limit_of_an_unclaimed_account(sdk: Callable[[str], SDK]) -> None:
    # The sandbox's real rule: an unclaimed account publishes 3 jobs a day. This test is
    # the only one publishing with that account on this module's sandbox.
    api = sdk(SANDBOX_OTHER_TOKEN)
    for _ in range(3):
        job_id = _ready_draft(api)
        assert api.request("POST", f"/jobs/{job_id}/publish")["status"] == "OPEN"
    job_id = _ready_draft(api)
    error = api.fail("POST", f"/jobs/{job_id}/publish")
    _conforms(error, api.last, 429, "RATE_LIMITED")
    assert error.details == {"limit": 3, "windowHours": 24}
    assert "retry-after" not in api.last.headers  # daily, not transient


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", f"/job-drafts/{MISSING_JOB}", {"headcount": 2}),
        ("POST", f"/jobs/{MISSING_JOB}/publish", None),
        ("GET", "/auth/me", None),
    ],
)
def test_429_rate_limited(throttled: SandboxServer, method: str, path: str, body: Any) -> None:
    with _sdk(throttled.base_url, SANDBOX_TOKEN) as api:
        _conforms(api.fail(method, path, body), api.last, 429, "RATE_LIMITED")
        assert api.last.headers["retry-after"] == "1"


# ---- 2xx bodies --------------------------------------------------------------------------


def test_2xx_bodies_are_what_our_models_accept(sdk: Callable[[str], SDK]) -> None:
    api = sdk(SANDBOX_TOKEN)
    me = Me.model_validate(api.request("GET", "/auth/me"))
    assert me.token.scopes and "jobs:write" in me.token.scopes

    raw_caps = api.request("GET", "/job-drafts/capabilities")
    caps = Capabilities.model_validate(raw_caps)
    assert caps.draft.update_keys and set(EXPECTED) <= set(caps.draft.update_keys)

    created_raw = api.request("POST", "/job-drafts", {"rawJobDescription": DESCRIPTION})
    created = DraftResponse.model_validate(created_raw)
    assert created.job_id == created_raw["jobId"] and created.status == "DRAFT"
    assert created.missing_fields  # the description leaves questions

    patched_raw = api.request("PATCH", f"/job-drafts/{created.job_id}", EXPECTED)
    patched = DraftResponse.model_validate(patched_raw)
    assert patched.job_id == created.job_id
    assert patched.validation.publish_ready is True

    published_raw = api.request("POST", f"/jobs/{created.job_id}/publish")
    published = PublishResult.model_validate(published_raw)
    assert (published.job_id, published.status) == (created.job_id, "OPEN")
    assert published.already_published is False
    again = PublishResult.model_validate(api.request("POST", f"/jobs/{created.job_id}/publish"))
    assert again.already_published is True

    mine = MyJobsPage.model_validate(api.request("GET", "/jobs/mine"))
    assert created.job_id in [job.id for job in mine.jobs]

    facets = MarketplaceFacets.model_validate(api.request("GET", "/jobs/facets"))
    assert facets.total_jobs > 0 and facets.pay_types


def test_the_sdk_sends_what_it_says(sdk: Callable[[str], SDK]) -> None:
    api = sdk(SANDBOX_TOKEN)
    api.request("GET", "/auth/me")
    sent = api.last.request
    assert str(sent.url).endswith("/api/public/v1/auth/me")
    assert sent.headers["Authorization"] == f"Bearer {SANDBOX_TOKEN}"
    assert sent.headers["User-Agent"] == "opentrain-python/0.1.0"
