"""Async OpenTrain client over one injected ``httpx.AsyncClient``.

It returns pydantic models, raises the typed errors of ``wizard.api.errors``, applies
the one retry policy, and reports every exchange (token redacted) to an optional
observer, which is how the UI's request log sees traffic.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from wizard.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    DailyLimitError,
    InsecureURLError,
    ResponseShapeError,
    error_from_response,
)
from wizard.api.models import (
    Capabilities,
    DraftResponse,
    MarketplaceFacets,
    Me,
    MyJobsPage,
    PublishResult,
)
from wizard.api.retry import RETRYABLE_STATUSES, RETRYABLE_TRANSPORT_ERRORS, RetryPolicy

API_PREFIX = "/api/public/v1"
DEFAULT_BASE_URL = "https://app.opentrain.ai"
DEFAULT_TIMEOUT = 30.0
REDACTED = "«redacted»"

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass
class Exchange:
    """One request and its outcome, safe to show: the token never appears here."""

    method: str
    path: str
    started: float
    status: int | None = None
    elapsed_ms: float = 0.0
    request_id: str | None = None
    request_body: str | None = None
    response_body: str | None = None
    error: str | None = None
    attempt: int = 1
    headers: dict[str, str] = field(default_factory=dict)


ExchangeObserver = Callable[[Exchange], None]


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` names this machine (plain http is allowed only there)."""
    if host in {"localhost", "localhost.localdomain"} or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def api_root(base_url: str, *, allow_insecure: bool = False) -> str:
    """Turn an origin (or a full API base) into the public API root, refusing unsafe http."""
    url = base_url.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        raise InsecureURLError(f"The base URL {url!r} is not a valid address.") from None
    if parts.scheme not in {"http", "https"} or not hostname:
        raise InsecureURLError(f"The base URL {url!r} is not an http(s) address.")
    if parts.scheme == "http" and not allow_insecure and not is_loopback_host(hostname):
        raise InsecureURLError(
            f"Refusing plain http:// for {hostname}: the token would travel unencrypted. "
            "Use https://, or pass --allow-insecure-http if you really mean it."
        )
    return url if url.endswith(API_PREFIX) else url + API_PREFIX


def redact(text: str, secrets: list[str]) -> str:
    """Replace every secret in ``text`` with a marker."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def _pretty(content: bytes | str | None, secrets: list[str]) -> str | None:
    if not content:
        return None
    raw = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    with contextlib.suppress(ValueError):
        raw = json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    return redact(raw, secrets)


def _describe_transport_error(err: Exception, host: str) -> str:
    if isinstance(err, httpx.ConnectTimeout):
        return f"Timed out connecting to {host}."
    if isinstance(err, httpx.TimeoutException):
        return f"{host} did not answer in time."
    if isinstance(err, httpx.ConnectError):
        return f"Could not connect to {host} (connection refused or no network)."
    if isinstance(err, httpx.RemoteProtocolError | httpx.ReadError):
        return f"The connection to {host} dropped before the answer arrived."
    if isinstance(err, httpx.WriteError):
        return f"The connection to {host} dropped while sending."
    return f"Network problem talking to {host}."


class OpenTrainClient:
    """The OpenTrain public API, the parts a draft wizard needs."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        allow_insecure: bool = False,
        observer: ExchangeObserver | None = None,
    ) -> None:
        """Build a client.

        Args:
            base_url: The origin (``https://app.opentrain.ai``); the API prefix is appended.
            token: The personal API token, or None for tokenless calls only.
            http_client: The transport owner; the client makes one when not given.
            retry: The retry policy (tests pass one with a recording sleeper).
            timeout: Per-request timeout in seconds, when the client makes its own.
            allow_insecure: Allow plain http to a host that is not loopback.
            observer: Called with every exchange, token redacted (the request log).
        """
        self.root = api_root(base_url, allow_insecure=allow_insecure)
        self.host = urlsplit(self.root).netloc
        self._token = token
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout)
        self.retry = retry or RetryPolicy()
        self.observer = observer
        self.retries_made = 0
        """How many extra attempts this client has made, for reports."""

    @property
    def has_token(self) -> bool:
        """Whether authenticated calls can be made."""
        return bool(self._token)

    async def aclose(self) -> None:
        """Close the HTTP client if this object made it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> OpenTrainClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ---- the endpoints -------------------------------------------------------------

    async def me(self) -> Me:
        """``GET /auth/me``: who the token belongs to."""
        return await self._call(Me, "GET", "/auth/me")

    async def capabilities(self) -> Capabilities:
        """``GET /job-drafts/capabilities``: feature flags, update keys and enums."""
        return await self._call(Capabilities, "GET", "/job-drafts/capabilities")

    async def create_draft(
        self,
        description: str,
        *,
        idempotency_key: str | None = None,
        external_id: str | None = None,
    ) -> DraftResponse:
        """``POST /job-drafts`` from plain text.

        Retried only because it always carries an idempotency key: a replay returns
        the draft the first attempt made instead of a duplicate.
        """
        key = idempotency_key or new_idempotency_key()
        body: dict[str, Any] = {"rawJobDescription": description, "idempotencyKey": key}
        if external_id:
            body["externalId"] = external_id
        return await self._call(DraftResponse, "POST", "/job-drafts", json_body=body)

    async def update_draft(self, job_id: str, changes: dict[str, Any]) -> DraftResponse:
        """``PATCH /job-drafts/{id}``: absolute values, so a retry is safe."""
        return await self._call(
            DraftResponse, "PATCH", f"/job-drafts/{_segment(job_id)}", json_body=changes
        )

    async def publish(self, job_id: str) -> PublishResult:
        """``POST /jobs/{id}/publish``: idempotent by state, so a retry is safe."""
        return await self._call(
            PublishResult, "POST", f"/jobs/{_segment(job_id)}/publish", publishing=True
        )

    async def my_jobs(
        self, *, status: str | None = None, limit: int = 25, cursor: str | None = None
    ) -> MyJobsPage:
        """``GET /jobs/mine``: newest first, drafts included."""
        params: dict[str, str] = {"limit": str(limit)}
        if status:
            params["status"] = status
        if cursor:
            params["cursor"] = cursor
        return await self._call(MyJobsPage, "GET", "/jobs/mine", params=params)

    async def facets(self) -> MarketplaceFacets:
        """``GET /jobs/facets``: tokenless marketplace counts."""
        return await self._call(MarketplaceFacets, "GET", "/jobs/facets", auth=False)

    # ---- plumbing --------------------------------------------------------------------

    async def _call(
        self,
        model: type[ModelT],
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        auth: bool = True,
        publishing: bool = False,
    ) -> ModelT:
        response = await self._send(
            method, path, json_body=json_body, params=params, auth=auth, publishing=publishing
        )
        try:
            data = response.json()
        except ValueError as err:
            raise ResponseShapeError(
                f"{self.host} sent a response that is not JSON (HTTP {response.status_code}).",
                status_code=response.status_code,
            ) from err
        if not isinstance(data, dict):
            raise ResponseShapeError(
                f"{self.host} sent JSON of an unexpected shape for {method} {path}.",
                status_code=response.status_code,
            )
        try:
            return model.model_validate(data)
        except ValidationError as err:
            raise ResponseShapeError(
                f"{self.host} sent JSON of an unexpected shape for {method} {path}.",
                status_code=response.status_code,
            ) from err

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None,
        params: dict[str, str] | None,
        auth: bool,
        publishing: bool,
    ) -> httpx.Response:
        headers = {"Accept": "application/json"}
        if auth and self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        content = None
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(json_body).encode()
        url = self.root + path
        secrets = [self._token] if self._token else []
        attempt = 0
        while True:
            attempt += 1
            exchange = Exchange(
                method=method,
                path=path + (("?" + str(httpx.QueryParams(params))) if params else ""),
                started=time.time(),
                request_body=_pretty(content, secrets),
                attempt=attempt,
                headers={
                    k: (f"Bearer {REDACTED}" if k == "Authorization" else v)
                    for k, v in headers.items()
                },
            )
            clock = time.perf_counter()
            try:
                response = await self._http.request(
                    method, url, content=content, params=params, headers=headers
                )
                await response.aread()
            except RETRYABLE_TRANSPORT_ERRORS as err:
                exchange.elapsed_ms = (time.perf_counter() - clock) * 1000
                message = _describe_transport_error(err, self.host)
                exchange.error = message
                self._observe(exchange)
                if attempt < self.retry.max_attempts:
                    await self._wait(attempt, None)
                    continue
                error_cls = (
                    APITimeoutError
                    if isinstance(err, httpx.TimeoutException)
                    else APIConnectionError
                )
                raise error_cls(message) from err
            except httpx.HTTPError as err:
                exchange.error = _describe_transport_error(err, self.host)
                self._observe(exchange)
                raise APIConnectionError(exchange.error) from err

            exchange.elapsed_ms = (time.perf_counter() - clock) * 1000
            exchange.status = response.status_code
            exchange.request_id = response.headers.get("x-request-id")
            exchange.response_body = _pretty(response.content, secrets)
            if response.is_success:
                self._observe(exchange)
                return response
            error = _scrubbed(error_from_response(response, publishing=publishing), secrets)
            exchange.request_id = error.request_id or exchange.request_id
            exchange.error = error.message
            self._observe(exchange)
            if self._should_retry(error) and attempt < self.retry.max_attempts:
                await self._wait(attempt, error.retry_after)
                continue
            raise error

    @staticmethod
    def _should_retry(error: APIStatusError) -> bool:
        if isinstance(error, DailyLimitError):
            return False  # a daily cap is not transient: tell, don't retry
        return error.status_code in RETRYABLE_STATUSES

    async def _wait(self, attempt: int, retry_after: float | None) -> None:
        self.retries_made += 1
        await self.retry.sleeper(self.retry.delay(attempt, retry_after))

    def _observe(self, exchange: Exchange) -> None:
        if self.observer is not None:
            # Whatever the server echoed (ids, headers, messages), the token stays out.
            secrets = [self._token] if self._token else []
            for item in fields(exchange):
                value = getattr(exchange, item.name)
                if isinstance(value, str):
                    setattr(exchange, item.name, redact(value, secrets))
            exchange.headers = {k: redact(v, secrets) for k, v in exchange.headers.items()}
            # A broken observer (the request log) must never break a request.
            with contextlib.suppress(Exception):
                self.observer(exchange)


def _scrubbed(error: APIStatusError, secrets: list[str]) -> APIStatusError:
    """Redact the token from a status error a careless server built from our request."""
    if not secrets:
        return error
    error.message = redact(error.message, secrets)
    error.args = (error.message,)
    if error.request_id:
        error.request_id = redact(error.request_id, secrets)
    with contextlib.suppress(TypeError, ValueError):
        error.details = json.loads(redact(json.dumps(error.details), secrets))
    error.field_errors = {key: redact(text, secrets) for key, text in error.field_errors.items()}
    return error


def new_idempotency_key() -> str:
    """A fresh idempotency key for a create."""
    return f"dw-{uuid.uuid4()}"


def _segment(job_id: str) -> str:
    """Quote a job id for use as one path segment."""
    from urllib.parse import quote

    return quote(str(job_id), safe="")
