"""Sending one request with the retry policy, an observer, and every secret kept out.

Both API clients send through ``send_with_retries`` (by way of
``wizard.api.base.ClientBase._request``): it
retries what the policy says is transient, bounds each attempt by a total deadline and
the reply by a size cap, reports each attempt to the observer (the request log) with
the secrets redacted and control characters removed, and turns failures into the typed
errors of ``wizard.api.errors``. Reply bodies are read only through
``wizard.api.sanitize.decode_json``. Every request names the
client in ``User-Agent`` (``draft-wizard/<version>``), as OpenTrain's own SDK names itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields

import httpx

from wizard import __version__
from wizard.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ResponseShapeError,
)
from wizard.api.retry import RETRYABLE_TRANSPORT_ERRORS, RetryPolicy
from wizard.api.sanitize import REDACTED as REDACTED
from wizard.api.sanitize import UnreadableReply, clean_text, decode_json
from wizard.api.sanitize import redact as redact

USER_AGENT = f"draft-wizard/{__version__}"
"""Sent with every request, to OpenTrain and Recruitsome alike. The version is the
package's constant (what ``--version`` prints): reading it from the installed metadata
would cost the first frame tens of milliseconds."""

MAX_REPLY_BYTES = 4 * 1024 * 1024
"""Largest reply body read; the biggest real reply (marketplace facets) is far smaller."""

_SHOWN_BODY_CHARS = 20_000
"""How much of an unreadable body the request log keeps."""


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


_RETRYABLE_OR_LATE: tuple[type[Exception], ...] = (*RETRYABLE_TRANSPORT_ERRORS, TimeoutError)
"""Transient transport failures, plus the deadline (``asyncio.timeout`` raises TimeoutError)."""


class _TooLarge(Exception):
    """The reply body passed ``MAX_REPLY_BYTES``."""


def _pretty(content: bytes | str | None, secrets: list[str]) -> str | None:
    """A body as the request log shows it: indented JSON, or the text, always scrubbed."""
    if not content:
        return None
    try:
        return json.dumps(decode_json(content, secrets), indent=2, ensure_ascii=False)
    except UnreadableReply:
        raw = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        if len(raw) > _SHOWN_BODY_CHARS:
            raw = raw[:_SHOWN_BODY_CHARS] + "…"
        return redact(clean_text(raw), secrets)


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


async def _read(http: httpx.AsyncClient, request: httpx.Request, max_bytes: int) -> httpx.Response:
    """Send ``request`` and read its body, refusing more than ``max_bytes`` of it."""
    response = await http.send(request, stream=True)
    try:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise _TooLarge
            chunks.append(chunk)
        # What ``Response.aread`` does, with the cap: ``content`` works from here on.
        response._content = b"".join(chunks)
    finally:
        await response.aclose()
    return response


async def send_with_retries(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    shown_path: str,
    headers: dict[str, str],
    content: bytes | None,
    params: dict[str, str] | None,
    host: str,
    retry: RetryPolicy,
    secrets: list[str],
    observe: ExchangeObserver | None,
    deadline: float | None = None,
    max_bytes: int = MAX_REPLY_BYTES,
    to_error: Callable[[httpx.Response], APIStatusError],
    should_retry: Callable[[APIStatusError], bool],
    on_retry: Callable[[], None],
) -> httpx.Response:
    """Send one request, retrying as the policy allows; returns the 2xx response.

    Each attempt (connect, headers and body) must finish within ``deadline`` seconds in
    all: httpx's own timeout bounds only the gap between bytes, so a server dripping
    one byte a second would otherwise hold the request forever.

    Raises:
        APIConnectionError: the connection failed on the last attempt (APITimeoutError
            when it timed out or passed the deadline).
        APIStatusError: the last answer was not 2xx (the subclass ``to_error`` builds).
        ResponseShapeError: the reply was larger than ``max_bytes``.
    """
    shown_headers = {
        k: (f"Bearer {REDACTED}" if k == "Authorization" else v) for k, v in headers.items()
    }
    # Ours, whatever the injected HTTP client's defaults say (httpx's own names httpx).
    # The request log leaves it out: it is the same on every request.
    headers = {**headers, "User-Agent": USER_AGENT}
    attempt = 0
    while True:
        attempt += 1
        exchange = Exchange(
            method=method,
            path=shown_path,
            started=time.time(),
            # Formatted only for an observer (the request log): ``fill`` has none.
            request_body=_pretty(content, secrets) if observe else None,
            attempt=attempt,
            headers=dict(shown_headers),
        )
        clock = time.perf_counter()
        request = http.build_request(method, url, content=content, params=params, headers=headers)
        try:
            async with asyncio.timeout(deadline):
                response = await _read(http, request, max_bytes)
        except _RETRYABLE_OR_LATE as err:
            exchange.elapsed_ms = (time.perf_counter() - clock) * 1000
            if isinstance(err, TimeoutError) and deadline is not None:
                # asyncio.timeout raises the builtin; httpx's own timeouts have their types.
                exchange.error = f"{host} did not finish answering within {deadline:g} s."
            else:
                exchange.error = _describe_transport_error(err, host)
            _report(observe, exchange, secrets)
            if attempt < retry.max_attempts:
                on_retry()
                await retry.sleeper(retry.delay(attempt, None))
                continue
            timed_out = isinstance(err, TimeoutError | httpx.TimeoutException)
            error_cls = APITimeoutError if timed_out else APIConnectionError
            raise error_cls(exchange.error) from err
        except _TooLarge:
            exchange.elapsed_ms = (time.perf_counter() - clock) * 1000
            exchange.error = (
                f"{host} sent a reply larger than {max_bytes // 1024:,} KB; it was not read."
            )
            _report(observe, exchange, secrets)
            raise ResponseShapeError(exchange.error) from None
        except httpx.HTTPError as err:
            exchange.error = _describe_transport_error(err, host)
            _report(observe, exchange, secrets)
            raise APIConnectionError(exchange.error) from err

        exchange.elapsed_ms = (time.perf_counter() - clock) * 1000
        exchange.status = response.status_code
        exchange.request_id = response.headers.get("x-request-id")
        exchange.response_body = _pretty(response.content, secrets) if observe else None
        if response.is_success:
            _report(observe, exchange, secrets)
            return response
        error = _scrubbed(to_error(response), secrets)
        exchange.request_id = error.request_id or exchange.request_id
        exchange.error = error.message
        _report(observe, exchange, secrets)
        if should_retry(error) and attempt < retry.max_attempts:
            on_retry()
            await retry.sleeper(retry.delay(attempt, error.retry_after))
            continue
        raise error


def _report(observe: ExchangeObserver | None, exchange: Exchange, secrets: list[str]) -> None:
    """Hand an exchange to the observer with every secret redacted."""
    if observe is None:
        return
    # Whatever the server echoed (ids, headers, messages), the secrets and any escape
    # sequences stay out.
    for item in fields(exchange):
        value = getattr(exchange, item.name)
        if isinstance(value, str):
            setattr(exchange, item.name, redact(clean_text(value), secrets))
    exchange.headers = {k: redact(clean_text(v), secrets) for k, v in exchange.headers.items()}
    # A broken observer (the request log) must never break a request.
    with contextlib.suppress(Exception):
        observe(exchange)
