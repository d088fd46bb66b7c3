"""The OpenTrain client over an injected ``httpx.MockTransport``: no sockets, no sleeping."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from wizard.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DailyLimitError,
    InsecureURLError,
    NotFoundError,
    PermissionDeniedError,
    PublishNotReadyError,
    RateLimitError,
    ResponseShapeError,
    ServerError,
)
from wizard.api.opentrain.client import API_PREFIX, OPENTRAIN_ROOT, OpenTrainClient
from wizard.api.retry import RetryPolicy
from wizard.api.transport import Exchange
from wizard.api.urls import is_loopback_host

TOKEN = "ot_pat_8f2a1234_s3cr3tS3CR3Tsecret91cd"
ORIGIN = "https://api.example.test"
ROOT = ORIGIN + API_PREFIX
api_root = OPENTRAIN_ROOT.root

Handler = Callable[[httpx.Request], httpx.Response]

DRAFT_REPLY: dict[str, Any] = {
    "ok": True,
    "jobId": "job_1",
    "status": "DRAFT",
    "draftUrl": "https://app.opentrain.ai/job-post?jobId=job_1",
    "validation": {
        "publishReady": False,
        "issueCount": 0,
        "missingFieldCount": 1,
        "missingFields": [
            {
                "field": "experienceLevel",
                "type": "enum",
                "enumValues": ["EXPERT", "ENTRY_LEVEL"],
                "updateKeys": ["experienceLevel"],
            }
        ],
        "issues": [],
    },
}


def ok_json(body: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body)


def err_json(status: int, code: str, message: str, details: Any = None) -> httpx.Response:
    body: dict[str, Any] = {"error": message, "code": code, "requestId": "req-1"}
    if details is not None:
        body["details"] = details
    return httpx.Response(status, json=body)


class Harness:
    """A client wired to a handler, recording requests, waits and exchanges."""

    def __init__(
        self,
        handler: Handler,
        *,
        token: str | None = TOKEN,
        max_attempts: int = 3,
        max_retry_after: float = 30.0,
    ) -> None:
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []
        self.delays: list[float] = []
        self.exchanges: list[Exchange] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            self.bodies.append(request.read())
            return handler(request)

        async def sleeper(seconds: float) -> None:
            self.delays.append(seconds)

        self.http = httpx.AsyncClient(transport=httpx.MockTransport(record))
        self.client = OpenTrainClient(
            ORIGIN,
            token,
            http_client=self.http,
            retry=RetryPolicy(
                max_attempts=max_attempts, max_retry_after=max_retry_after, sleeper=sleeper
            ),
            observer=self.exchanges.append,
        )

    @property
    def calls(self) -> int:
        return len(self.requests)


@pytest.fixture
async def harnesses() -> AsyncIterator[list[Harness]]:
    made: list[Harness] = []
    yield made
    for harness in made:
        await harness.client.aclose()
        await harness.http.aclose()


@pytest.fixture
def make(harnesses: list[Harness]) -> Callable[..., Harness]:
    def build(handler: Handler, **kwargs: Any) -> Harness:
        harness = Harness(handler, **kwargs)
        harnesses.append(harness)
        return harness

    return build


def always(response: Callable[[], httpx.Response]) -> Handler:
    return lambda _request: response()


# ---- each endpoint: method, path, body, headers --------------------------------------------


async def test_me_is_an_authenticated_get(make: Callable[..., Harness]) -> None:
    h = make(always(lambda: ok_json({"actor": {"userId": "u1", "email": "a@b.c"}})))
    me = await h.client.me()

    (request,) = h.requests
    assert request.method == "GET"
    assert str(request.url) == ROOT + "/auth/me"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Accept"] == "application/json"
    assert "content-type" not in request.headers
    assert h.bodies == [b""]
    assert me.actor.user_id == "u1"


async def test_capabilities(make: Callable[..., Harness]) -> None:
    h = make(always(lambda: ok_json({"draft": {"enums": {"paymentType": ["PAY_PER_HOUR"]}}})))
    caps = await h.client.capabilities()

    (request,) = h.requests
    assert (request.method, request.url.path) == ("GET", API_PREFIX + "/job-drafts/capabilities")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert caps.draft.enums.for_key("paymentType") == ["PAY_PER_HOUR"]


async def test_create_draft_body(make: Callable[..., Harness]) -> None:
    h = make(always(lambda: ok_json(DRAFT_REPLY, status=201)))
    response = await h.client.create_draft(
        "Label 10k street images", idempotency_key="key-1", external_id="ext-9"
    )

    (request,) = h.requests
    assert (request.method, request.url.path) == ("POST", API_PREFIX + "/job-drafts")
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(h.bodies[0]) == {
        "rawJobDescription": "Label 10k street images",
        "idempotencyKey": "key-1",
        "externalId": "ext-9",
    }
    assert response.job_id == "job_1"
    assert [m.field for m in response.missing_fields] == ["experienceLevel"]


async def test_create_draft_always_carries_a_fresh_idempotency_key(
    make: Callable[..., Harness],
) -> None:
    h = make(always(lambda: ok_json(DRAFT_REPLY)))
    await h.client.create_draft("one")
    await h.client.create_draft("two")

    first, second = (json.loads(body) for body in h.bodies)
    assert "externalId" not in first
    assert first["idempotencyKey"].startswith("dw-")
    assert first["idempotencyKey"] != second["idempotencyKey"]


async def test_update_draft_is_a_patch_with_exactly_the_changes(
    make: Callable[..., Harness],
) -> None:
    h = make(always(lambda: ok_json(DRAFT_REPLY)))
    changes = {
        "experienceLevel": "INTERMEDIATE",
        "paymentType": "PAY_PER_LABEL",
        "pricePerLabel": 0.06,
    }
    response = await h.client.update_draft("job_1", changes)

    (request,) = h.requests
    assert (request.method, request.url.path) == ("PATCH", API_PREFIX + "/job-drafts/job_1")
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(h.bodies[0]) == changes
    assert response.validation.missing_field_count == 1


async def test_job_ids_are_quoted_as_one_path_segment(make: Callable[..., Harness]) -> None:
    h = make(always(lambda: ok_json({**DRAFT_REPLY, "jobId": "../jobs/x?y"})))
    await h.client.update_draft("../jobs/x?y", {"jobTitle": "t"})
    assert h.requests[0].url.raw_path.decode() == API_PREFIX + "/job-drafts/..%2Fjobs%2Fx%3Fy"


async def test_publish_is_a_bodyless_post(make: Callable[..., Harness]) -> None:
    h = make(
        always(
            lambda: ok_json(
                {
                    "ok": True,
                    "jobId": "job_1",
                    "status": "OPEN",
                    "alreadyPublished": True,
                    "jobUrl": "https://app.opentrain.ai/jobs/job_1",
                }
            )
        )
    )
    result = await h.client.publish("job_1")

    (request,) = h.requests
    assert (request.method, request.url.path) == ("POST", API_PREFIX + "/jobs/job_1/publish")
    assert h.bodies == [b""]
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert result.already_published is True


async def test_publish_400_is_publish_not_ready(make: Callable[..., Harness]) -> None:
    h = make(always(lambda: err_json(400, "BAD_REQUEST", "Not ready.")))
    with pytest.raises(PublishNotReadyError):
        await h.client.publish("job_1")
    assert h.calls == 1


async def test_my_jobs_query(make: Callable[..., Harness]) -> None:
    h = make(always(lambda: ok_json({"jobs": [{"id": "j1", "title": "T"}], "nextCursor": None})))
    page = await h.client.my_jobs(status="DRAFT", limit=100, cursor="c1")

    (request,) = h.requests
    assert (request.method, request.url.path) == ("GET", API_PREFIX + "/jobs/mine")
    assert dict(request.url.params) == {"status": "DRAFT", "limit": "100", "cursor": "c1"}
    assert page.jobs[0].title == "T"
    assert h.exchanges[0].path == "/jobs/mine?limit=100&status=DRAFT&cursor=c1"


async def test_facets_are_tokenless_even_with_a_token(make: Callable[..., Harness]) -> None:
    h = make(always(lambda: ok_json({"totalJobs": 2, "countries": [{"value": "US", "count": 2}]})))
    facets = await h.client.facets()

    (request,) = h.requests
    assert (request.method, request.url.path) == ("GET", API_PREFIX + "/jobs/facets")
    assert "authorization" not in request.headers
    assert facets.countries[0].value == "US"


async def test_without_a_token_no_authorization_header_is_sent(
    make: Callable[..., Harness],
) -> None:
    h = make(always(lambda: ok_json(DRAFT_REPLY)), token=None)
    await h.client.update_draft("job_1", {"jobTitle": "x"})
    await h.client.create_draft("text")
    assert all("authorization" not in r.headers for r in h.requests)


async def test_client_owns_its_http_client_only_when_it_made_it() -> None:
    async with OpenTrainClient("http://127.0.0.1:9", None) as client:
        assert client._owns_http
        inner = client._http
    assert inner.is_closed

    transport = httpx.MockTransport(lambda _: ok_json({}))
    async with httpx.AsyncClient(transport=transport) as http:
        async with OpenTrainClient(ORIGIN, TOKEN, http_client=http):
            pass
        assert not http.is_closed


# ---- retries -------------------------------------------------------------------------------


def _status(status: int) -> Callable[[httpx.Request], httpx.Response]:
    def fail(request: httpx.Request) -> httpx.Response:
        return err_json(status, "X", f"HTTP {status} from the test")

    return fail


def _raise(exc: type[Exception], message: str) -> Callable[[httpx.Request], httpx.Response]:
    def fail(request: httpx.Request) -> httpx.Response:
        raise exc(message, request=request)  # type: ignore[call-arg]

    return fail


class _DroppedStream(httpx.AsyncByteStream):
    """A body that starts arriving and then the connection drops."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"ok": true, "jobId": "job_1", "valid'
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body"
        )


def _dropped_mid_response(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, headers={"Content-Type": "application/json"}, stream=_DroppedStream()
    )


FAILURES: dict[str, tuple[Callable[[httpx.Request], httpx.Response], type[Exception]]] = {
    "429": (_status(429), RateLimitError),
    "502": (_status(502), ServerError),
    "503": (_status(503), ServerError),
    "504": (_status(504), ServerError),
    "connect-error": (_raise(httpx.ConnectError, "Connection refused"), APIConnectionError),
    "connect-timeout": (_raise(httpx.ConnectTimeout, "timed out"), APITimeoutError),
    "read-timeout": (_raise(httpx.ReadTimeout, "timed out"), APITimeoutError),
    "read-error": (_raise(httpx.ReadError, "reset by peer"), APIConnectionError),
    "remote-protocol": (
        _raise(httpx.RemoteProtocolError, "Server disconnected without sending a response."),
        APIConnectionError,
    ),
    "dropped-mid-body": (_dropped_mid_response, APIConnectionError),
}


def flaky(failure: Handler, failures: int, success: Handler) -> Handler:
    seen = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal seen
        seen += 1
        return failure(request) if seen <= failures else success(request)

    return handler


@pytest.mark.parametrize("kind", list(FAILURES))
@pytest.mark.parametrize("failures_before_success", [0, 1, 2])
async def test_retries_until_success(
    make: Callable[..., Harness], kind: str, failures_before_success: int
) -> None:
    failure, _ = FAILURES[kind]
    h = make(flaky(failure, failures_before_success, lambda _: ok_json(DRAFT_REPLY)))

    response = await h.client.update_draft("job_1", {"jobTitle": "t"})

    assert response.job_id == "job_1"
    assert h.calls == failures_before_success + 1
    assert h.client.retries_made == failures_before_success
    assert len(h.delays) == failures_before_success
    assert [e.attempt for e in h.exchanges] == list(range(1, failures_before_success + 2))


@pytest.mark.parametrize("kind", list(FAILURES))
async def test_after_the_last_attempt_the_typed_error_is_raised(
    make: Callable[..., Harness], kind: str
) -> None:
    failure, expected = FAILURES[kind]
    h = make(failure)

    with pytest.raises(expected) as caught:
        await h.client.update_draft("job_1", {"jobTitle": "t"})

    assert type(caught.value) is expected
    assert h.calls == 3
    assert h.client.retries_made == 2
    assert len(h.delays) == 2
    assert len(h.exchanges) == 3
    assert all(e.error for e in h.exchanges)
    assert "api.example.test" in str(caught.value) or isinstance(caught.value, APIStatusError)


async def test_transport_errors_are_chained(make: Callable[..., Harness]) -> None:
    h = make(_raise(httpx.ConnectError, "Connection refused"))
    with pytest.raises(APIConnectionError) as caught:
        await h.client.me()
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert str(caught.value) == (
        "Could not connect to api.example.test (connection refused or no network)."
    )


async def test_max_attempts_is_respected(make: Callable[..., Harness]) -> None:
    h = make(_status(503), max_attempts=5)
    with pytest.raises(ServerError):
        await h.client.me()
    assert h.calls == 5
    assert len(h.delays) == 4


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (500, ServerError),
    ],
)
async def test_no_retry_on_client_errors(
    make: Callable[..., Harness], status: int, cls: type[Exception]
) -> None:
    h = make(_status(status))
    with pytest.raises(cls):
        await h.client.update_draft("job_1", {"jobTitle": "t"})
    assert h.calls == 1
    assert h.delays == []
    assert h.client.retries_made == 0


async def test_no_retry_on_the_daily_publish_limit(make: Callable[..., Harness]) -> None:
    h = make(
        always(
            lambda: err_json(
                429, "RATE_LIMITED", "Daily limit reached.", {"limit": 3, "windowHours": 24}
            )
        )
    )
    with pytest.raises(DailyLimitError) as caught:
        await h.client.publish("job_1")
    assert h.calls == 1
    assert h.delays == []
    assert caught.value.limit == 3
    assert caught.value.window_hours == 24


async def test_non_retryable_transport_error_is_a_connection_error(
    make: Callable[..., Harness],
) -> None:
    h = make(_raise(httpx.UnsupportedProtocol, "no"))
    with pytest.raises(APIConnectionError):
        await h.client.me()
    assert h.calls == 1
    assert h.delays == []
    assert len(h.exchanges) == 1 and h.exchanges[0].error


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "0"}, 0.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"Retry-After": "3600"}, 30.0),  # capped at max_retry_after
    ],
)
async def test_retry_after_is_honoured_and_capped(
    make: Callable[..., Harness], headers: dict[str, str], expected: float
) -> None:
    def limited() -> httpx.Response:
        return httpx.Response(429, json={"error": "slow", "code": "RATE_LIMITED"}, headers=headers)

    h = make(flaky(always(limited), 1, lambda _: ok_json(DRAFT_REPLY)))
    await h.client.update_draft("job_1", {"jobTitle": "t"})
    assert h.delays == [expected]


async def test_retry_after_cap_is_configurable(make: Callable[..., Harness]) -> None:
    def limited() -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "50"})

    h = make(flaky(always(limited), 1, lambda _: ok_json(DRAFT_REPLY)), max_retry_after=5.0)
    await h.client.update_draft("job_1", {"jobTitle": "t"})
    assert h.delays == [5.0]


async def test_without_retry_after_the_backoff_grows_with_jitter(
    make: Callable[..., Harness],
) -> None:
    h = make(_status(503), max_attempts=4)
    with pytest.raises(ServerError):
        await h.client.me()
    first, second, third = h.delays
    assert 0.375 <= first <= 0.5
    assert 0.75 <= second <= 1.0
    assert 1.5 <= third <= 2.0


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0)
    assert all(6.0 <= policy.delay(attempt) <= 8.0 for attempt in (6, 10, 50))
    assert 0.375 <= policy.delay(1, retry_after=-5) <= 0.5  # nonsense: the normal backoff


async def test_a_dropped_patch_is_resent_with_the_identical_body(
    make: Callable[..., Harness],
) -> None:
    h = make(flaky(_dropped_mid_response, 1, lambda _: ok_json(DRAFT_REPLY)))
    changes = {"paymentType": "PAY_PER_HOUR", "pricePerHour": 25, "languages": ["Español"]}

    await h.client.update_draft("job_1", changes)

    assert [r.method for r in h.requests] == ["PATCH", "PATCH"]
    assert h.bodies[0] == h.bodies[1]
    assert json.loads(h.bodies[1]) == changes
    assert h.requests[0].url == h.requests[1].url


async def test_a_retried_create_reuses_its_idempotency_key(make: Callable[..., Harness]) -> None:
    h = make(flaky(_status(503), 2, lambda _: ok_json(DRAFT_REPLY)))
    await h.client.create_draft("text")
    keys = {json.loads(body)["idempotencyKey"] for body in h.bodies}
    assert len(h.bodies) == 3
    assert len(keys) == 1


async def test_retries_made_accumulates_across_calls(make: Callable[..., Harness]) -> None:
    h = make(flaky(_status(502), 1, lambda _: ok_json(DRAFT_REPLY)))
    await h.client.update_draft("job_1", {"jobTitle": "a"})
    await h.client.update_draft("job_1", {"jobTitle": "b"})
    assert h.client.retries_made == 1
    assert h.calls == 3


# ---- bodies we cannot read -----------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        lambda: httpx.Response(200, content=b"<html>maintenance</html>"),
        lambda: httpx.Response(200, content=b""),
        lambda: httpx.Response(200, json=[DRAFT_REPLY]),
        lambda: httpx.Response(200, json="ok"),
        lambda: httpx.Response(200, json={"ok": True, "validation": {}}),  # no jobId
    ],
)
async def test_unreadable_success_is_a_response_shape_error(
    make: Callable[..., Harness], reply: Callable[[], httpx.Response]
) -> None:
    h = make(always(reply))
    with pytest.raises(ResponseShapeError) as caught:
        await h.client.update_draft("job_1", {"jobTitle": "t"})
    assert caught.value.status_code == 200
    assert h.calls == 1  # a 2xx is never retried, readable or not


async def test_shape_error_on_an_endpoint_with_a_required_field(
    make: Callable[..., Harness],
) -> None:
    h = make(always(lambda: ok_json({"jobs": [{"title": "no id"}]})))
    with pytest.raises(ResponseShapeError):
        await h.client.my_jobs()


# ---- the observer and the token ------------------------------------------------------------


async def test_observer_sees_every_exchange(make: Callable[..., Harness]) -> None:
    replies: list[Callable[[httpx.Request], httpx.Response]] = [
        _raise(httpx.ConnectError, "refused"),
        _status(503),
        lambda _: ok_json(DRAFT_REPLY),
    ]
    sequence = iter(replies)

    def reply(request: httpx.Request) -> httpx.Response:
        return next(sequence)(request)

    h = make(reply)
    await h.client.update_draft("job_1", {"jobTitle": "t"})

    assert [(e.method, e.path, e.attempt) for e in h.exchanges] == [
        ("PATCH", "/job-drafts/job_1", 1),
        ("PATCH", "/job-drafts/job_1", 2),
        ("PATCH", "/job-drafts/job_1", 3),
    ]
    assert [e.status for e in h.exchanges] == [None, 503, 200]
    assert h.exchanges[0].error and "Could not connect" in h.exchanges[0].error
    assert h.exchanges[1].error == "HTTP 503 from the test"
    assert h.exchanges[1].request_id == "req-1"
    assert h.exchanges[2].error is None
    assert json.loads(h.exchanges[2].request_body or "") == {"jobTitle": "t"}
    assert json.loads(h.exchanges[2].response_body or "")["jobId"] == "job_1"
    assert h.exchanges[2].headers["Authorization"] == "Bearer «redacted»"


async def test_a_broken_observer_never_breaks_a_request(make: Callable[..., Harness]) -> None:
    h = make(always(lambda: ok_json(DRAFT_REPLY)))

    def explode(exchange: Exchange) -> None:
        raise RuntimeError("log is broken")

    h.client.observer = explode
    response = await h.client.update_draft("job_1", {"jobTitle": "t"})
    assert response.job_id == "job_1"


def _echo_token(request: httpx.Request) -> httpx.Response:
    """A careless server that echoes the caller's credentials everywhere it can."""
    auth = request.headers.get("Authorization", "")
    return httpx.Response(
        401,
        json={
            "error": f"Token {TOKEN} is revoked (you sent {auth!r})",
            "code": "UNAUTHORIZED",
            "requestId": f"req-{TOKEN}",
            "details": {"token": TOKEN, "issues": [{"path": ["x"], "message": TOKEN}]},
        },
        headers={"X-Request-Id": TOKEN, "X-Echo": auth},
    )


def _echo_token_ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        json={**DRAFT_REPLY, "draftUrl": f"https://x.test/?t={TOKEN}", "note": TOKEN},
        headers={"X-Request-Id": TOKEN},
    )


def _all_text(exchange: Exchange) -> str:
    return json.dumps(dataclasses.asdict(exchange), default=str)


@pytest.mark.parametrize("handler", [_echo_token, _echo_token_ok])
async def test_the_token_never_appears_in_any_exchange(
    make: Callable[..., Harness], handler: Handler
) -> None:
    h = make(handler)
    try:
        await h.client.update_draft("job_1", {"jobTitle": f"Title mentioning {TOKEN}"})
    except AuthenticationError as err:
        # The error the person sees must not carry it either.
        assert TOKEN not in str(err)
        assert TOKEN not in err.message
        assert TOKEN not in (err.request_id or "")
    assert h.exchanges
    for exchange in h.exchanges:
        for item in dataclasses.fields(exchange):
            assert TOKEN not in str(getattr(exchange, item.name)), item.name
        assert TOKEN not in _all_text(exchange)
    assert h.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"  # it was sent, though


async def test_the_token_never_appears_in_transport_error_exchanges(
    make: Callable[..., Harness],
) -> None:
    h = make(_raise(httpx.ConnectError, f"refused for {TOKEN}"))
    with pytest.raises(APIConnectionError) as caught:
        await h.client.me()
    assert TOKEN not in str(caught.value)
    assert all(TOKEN not in _all_text(e) for e in h.exchanges)
    assert len(h.exchanges) == 3


# ---- the base URL --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "root"),
    [
        ("https://app.opentrain.ai", "https://app.opentrain.ai/api/public/v1"),
        ("https://app.opentrain.ai/", "https://app.opentrain.ai/api/public/v1"),
        ("https://app.opentrain.ai/api/public/v1", "https://app.opentrain.ai/api/public/v1"),
        ("https://app.opentrain.ai/api/public/v1/", "https://app.opentrain.ai/api/public/v1"),
        ("  https://app.opentrain.ai  ", "https://app.opentrain.ai/api/public/v1"),
        ("http://127.0.0.1:3000", "http://127.0.0.1:3000/api/public/v1"),
        ("http://127.5.0.1", "http://127.5.0.1/api/public/v1"),
        ("http://localhost:8765", "http://localhost:8765/api/public/v1"),
        ("http://LOCALHOST:8765", "http://LOCALHOST:8765/api/public/v1"),
        ("http://[::1]:8765", "http://[::1]:8765/api/public/v1"),
        ("http://sandbox.localhost", "http://sandbox.localhost/api/public/v1"),
    ],
)
def test_api_root_accepts(base: str, root: str) -> None:
    assert api_root(base) == root


@pytest.mark.parametrize(
    "base",
    [
        "http://app.opentrain.ai",
        "http://10.0.0.5:3000",
        "http://0.0.0.0:8765",
        "http://localhost.evil.test",
        "http://[::2]:80",
    ],
)
def test_api_root_refuses_plain_http_off_this_machine(base: str) -> None:
    with pytest.raises(InsecureURLError) as caught:
        api_root(base)
    assert "https://" in str(caught.value)
    assert api_root(base, allow_insecure=True).endswith(API_PREFIX)


@pytest.mark.parametrize(
    "base", ["ftp://app.opentrain.ai", "app.opentrain.ai", "", "https://", "http://[::1"]
)
def test_api_root_refuses_what_is_not_an_http_url(base: str) -> None:
    with pytest.raises(InsecureURLError):
        api_root(base)


def test_client_refuses_insecure_base_url() -> None:
    with pytest.raises(InsecureURLError):
        OpenTrainClient("http://example.test", TOKEN)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("a.localhost", True),
        ("example.test", False),
        ("192.168.1.2", False),
    ],
)
def test_is_loopback_host(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


async def test_rate_limited_facets_never_hold_the_form_back(make: Callable[..., Harness]) -> None:
    """Facets are optional: a 429 asking for a minute gets one short retry, then gives up."""

    def slow_down() -> httpx.Response:
        response = err_json(429, "RATE_LIMITED", "Slow down.")
        response.headers["Retry-After"] = "60"
        return response

    h = make(always(slow_down))
    with pytest.raises(RateLimitError):
        await h.client.facets()
    assert h.calls == 2
    assert all(delay <= 2.0 for delay in h.delays)
