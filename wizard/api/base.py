"""What every API client is built on: one root-URL check, one request path, one reader.

A service's client (``wizard.api.opentrain.client``, ``wizard.api.recruitsome.client``)
subclasses ``ClientBase`` and names only what differs: its API prefix and the words of
its URL sentences (``ServiceRoot``), its endpoints, and how a refusal becomes a typed
error. The base checks the base URL (``wizard.api.urls``), keeps the credential out of
every header shown and every message, sends through ``wizard.api.transport`` with the
retry policy, and reads replies into lenient models, one sentence when they do not fit.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

import httpx

from wizard.api.errors import APIStatusError, ResponseShapeError
from wizard.api.record import Record, ShapeError
from wizard.api.retry import RETRYABLE_STATUSES, RetryPolicy
from wizard.api.sanitize import UnreadableReply, decode_json
from wizard.api.transport import MAX_REPLY_BYTES, ExchangeObserver, send_with_retries
from wizard.api.urls import api_root_for
from wizard.config import DEFAULT_TIMEOUT

ModelT = TypeVar("ModelT", bound=Record)


@dataclass(frozen=True)
class ServiceRoot:
    """How one service turns a base URL into its API root, and names it in sentences."""

    prefix: str
    """The API prefix appended to an origin (``/api/public/v1``)."""
    what: str
    """How a sentence names the setting ("The base URL")."""
    secret: str
    """What plain http would expose ("the token")."""
    insecure_hint: str
    """The end of the plain-http sentence: what to do instead."""

    def root(self, base_url: str, *, allow_insecure: bool = False) -> str:
        """The API root for ``base_url``, refusing unsafe or malformed URLs in one sentence.

        Raises:
            InsecureURLError: see ``wizard.api.urls.api_root_for``.
        """
        return api_root_for(
            base_url,
            self.prefix,
            what=self.what,
            secret=self.secret,
            insecure_hint=self.insecure_hint,
            allow_insecure=allow_insecure,
        )


def retry_transient(error: APIStatusError) -> bool:
    """Whether a refusal is worth another attempt (429 and the gateway errors)."""
    return error.status_code in RETRYABLE_STATUSES


def _tls_for(root: str) -> ssl.SSLContext | bool:
    """The TLS settings for a client of ``root``: httpx's default (verify against its CA
    bundle) for https; for plain http, a context that trusts no certificate at all.

    A plain-http root (loopback, or allowed on purpose) never makes a TLS connection: the
    client follows no redirects and every path is relative to the root. Loading the CA
    bundle for it anyway cost ~20-40 ms and ~3 MiB of every start; the empty context costs
    about 1 ms, and should a TLS connection ever happen it fails closed (verification
    stays required, with nothing to verify against).
    """
    if urlsplit(root).scheme == "https":
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class ClientBase:
    """What every API client shares: the checked root, the credential, an injected (or
    owned) httpx client, the retry policy, the observer, and a count of retries."""

    service: ServiceRoot
    """The service's URL rules (set by each client class)."""

    def __init__(
        self,
        base_url: str,
        credential: str | None,
        *,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        allow_insecure: bool = False,
        observer: ExchangeObserver | None = None,
    ) -> None:
        """Build a client.

        Args:
            base_url: The origin (``https://app.opentrain.ai``); the service's API prefix
                is appended unless the URL already ends with it.
            credential: The service's secret (OpenTrain's personal API token, a
                Recruitsome key with ``vacancies:read``), sent only as a Bearer token;
                None for tokenless calls only.
            http_client: The transport owner; the client makes one when not given.
            retry: The retry policy (tests pass one with a recording sleeper).
            timeout: The total deadline of each attempt in seconds (connect, headers and
                body), and the gap between bytes when the client makes its own HTTP client.
            allow_insecure: Allow plain http to a host that is not loopback.
            observer: Called with every exchange, credential redacted (the request log).

        Raises:
            InsecureURLError: ``base_url`` is not an http(s) origin (see ``wizard.api.urls``).
        """
        self.root = self.service.root(base_url, allow_insecure=allow_insecure)
        self.host = urlsplit(self.root).netloc
        # A credential pasted with a trailing newline would make an invalid header.
        self._credential = credential.strip() if credential and credential.strip() else None
        self.secrets: list[str] = [self._credential] if self._credential else []
        """What must never appear in server text shown here."""
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout, verify=_tls_for(self.root))
        self.retry = retry or RetryPolicy()
        self.observer = observer
        self.deadline: float | None = timeout if timeout > 0 else None
        """Seconds one attempt may take in all, however slowly the bytes arrive."""
        self.max_reply_bytes = MAX_REPLY_BYTES
        """Largest reply body read (tests lower it)."""
        self.retries_made = 0
        """How many extra attempts this client has made, for reports."""

    async def aclose(self) -> None:
        """Close the HTTP client if this object made it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _count_retry(self) -> None:
        self.retries_made += 1

    async def _request(
        self,
        method: str,
        path: str,
        *,
        to_error: Callable[[httpx.Response], APIStatusError],
        should_retry: Callable[[APIStatusError], bool] = retry_transient,
        retry: RetryPolicy | None = None,
        deadline: float | None = None,
        json_body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        auth: bool = True,
    ) -> httpx.Response:
        """Send one request (the credential as a Bearer token unless ``auth`` is off).

        ``retry`` and ``deadline`` default to the client's own; ``path`` is relative to
        the root and may carry its query already.
        """
        headers = {"Accept": "application/json"}
        if auth and self._credential:
            headers["Authorization"] = f"Bearer {self._credential}"
        content = None
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            content = json.dumps(json_body).encode()
        return await send_with_retries(
            self._http,
            method,
            self.root + path,
            shown_path=path + (("?" + str(httpx.QueryParams(params))) if params else ""),
            headers=headers,
            content=content,
            params=params,
            host=self.host,
            retry=retry or self.retry,
            secrets=self.secrets,
            deadline=self.deadline if deadline is None else deadline,
            max_bytes=self.max_reply_bytes,
            observe=self.observer,
            to_error=to_error,
            should_retry=should_retry,
            on_retry=self._count_retry,
        )

    def _decode(self, response: httpx.Response, hint: str = "") -> Any:
        """The reply's JSON with every string scrubbed, or one sentence saying why not.

        Raises:
            ResponseShapeError: the body is empty, not JSON, not UTF-8, or too deep.
        """
        try:
            return decode_json(response.content, self.secrets)
        except UnreadableReply as err:
            raise ResponseShapeError(
                f"{self.host} sent {err.reason} (HTTP {response.status_code}){hint}.",
                status_code=response.status_code,
            ) from None

    def _read_model(
        self, model: type[ModelT], response: httpx.Response, *, unexpected: str, hint: str = ""
    ) -> ModelT:
        """The reply as ``model``; a body that is not an object of that shape is one sentence.

        Raises:
            ResponseShapeError: ``unexpected``, or ``_decode``'s sentence.
        """
        data = self._decode(response, hint)
        if not isinstance(data, dict):
            raise ResponseShapeError(unexpected, status_code=response.status_code)
        try:
            return model.model_validate(data)
        except ShapeError as err:
            raise ResponseShapeError(unexpected, status_code=response.status_code) from err
