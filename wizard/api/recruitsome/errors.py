"""Recruitsome's refusals as typed errors, each with one sentence.

The sentence names what to do (the key variable, the scope, the filter and value that
was rejected); server text in it is cleaned, capped and has the API key redacted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from wizard.api.errors import (
    APIStatusError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    error_from_response,
)
from wizard.api.recruitsome.filters import filter_base_name
from wizard.api.sanitize import UnreadableReply, decode_json, scrub

KEY_VARIABLE = "RECRUITSOME_API_KEY"
FACETS_PATH = "/vacancies/facets"

_SCOPE = re.compile(r"insufficient[\s_-]?scope", re.IGNORECASE)
_TENANT_OFF = re.compile(
    r"not\s+enabled|disabled|API_ACCESS|TENANT_DISABLED|access\s+is\s+off", re.IGNORECASE
)


class InvalidFilterError(APIStatusError):
    """422: Recruitsome rejected one or more filters (``filter_errors`` says which)."""

    title = "Invalid filter"

    def __init__(
        self, message: str, *, filter_errors: dict[str, list[str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.filter_errors: dict[str, list[str]] = filter_errors or {}
        """Messages by filter base name (``location_id.0`` becomes ``location_id``)."""

    @property
    def filter(self) -> str | None:
        """The first filter the server named, if any."""
        return next(iter(self.filter_errors), None)


class InsufficientScopeError(PermissionDeniedError):
    """403 ``INSUFFICIENT_SCOPE``: the key was made without ``vacancies:read``."""

    title = "Key lacks a scope"


class TenantDisabledError(PermissionDeniedError):
    """403: API access is switched off for the whole tenant."""

    title = "Recruitsome API access is off"


def _strings(value: Any) -> Iterable[str]:
    """Every string in a JSON value, keys included, depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _clean(text: str, secret: str | None, *, limit: int = 200) -> str:
    """Server text made safe for one sentence: the key redacted, whitespace folded, capped."""
    text = " ".join(scrub(text, [secret] if secret else []).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _inner(text: str) -> str:
    """Server text to embed mid-sentence: no trailing full stop."""
    return text.strip().rstrip(".").strip()


def _body(response: httpx.Response, api_key: str | None) -> Any:
    """The error body, scrubbed like every reply (see ``wizard.api.sanitize``), or None."""
    try:
        return decode_json(response.content, [api_key] if api_key else [])
    except UnreadableReply:
        return None


def _server_message(body: Any) -> str | None:
    if not isinstance(body, Mapping):
        return None
    for key in ("message", "error_description", "error", "detail"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, Mapping):
            nested = value.get("message")
            if isinstance(nested, str) and nested.strip():
                return nested
    return None


def _field_errors(body: Any) -> dict[str, list[str]]:
    if not isinstance(body, Mapping):
        return {}
    raw = body.get("errors")
    out: dict[str, list[str]] = {}
    if isinstance(raw, Mapping):
        for key, messages in raw.items():
            if isinstance(messages, str):
                messages = [messages]
            if isinstance(messages, list):
                out[str(key)] = [str(m) for m in messages if m is not None]
    elif isinstance(raw, list):  # defensive: [{field, message}]
        for item in raw:
            if isinstance(item, Mapping):
                name = item.get("field") or item.get("param") or item.get("name")
                message = item.get("message")
                if isinstance(name, str):
                    out.setdefault(name, []).append(str(message or "is invalid"))
    return out


def _index(raw_key: str) -> int | None:
    match = re.search(r"(?:\.|\[)(\d+)\]?$", raw_key)
    return int(match.group(1)) if match else None


def recruitsome_error(
    response: httpx.Response,
    *,
    api_key: str | None,
    root: str,
    sent: Mapping[str, list[str]] | None = None,
) -> APIStatusError:
    """The typed error for a non-2xx Recruitsome response, with one clear sentence.

    Args:
        response: The response (read).
        api_key: The key that was sent, only so it can be redacted from server text.
        root: The API root, named when the endpoint is missing.
        sent: The filters that were sent (base name → values), to name a rejected value.
    """
    secrets = [api_key] if api_key else []
    base = error_from_response(response, secrets=secrets)
    status = response.status_code
    body = _body(response, api_key)
    server = _server_message(body)
    said = _clean(server, api_key) if server else None
    kwargs: dict[str, Any] = {
        "status_code": status,
        "code": base.code,
        "request_id": base.request_id,
        "details": base.details,
        "retry_after": base.retry_after,
    }
    if status == 401:
        if not api_key:
            message = f"No Recruitsome API key was sent; set {KEY_VARIABLE}."
        else:
            reason = f" ({_inner(said)})" if said else ""
            message = f"Recruitsome rejected the API key{reason}; check {KEY_VARIABLE}."
        return AuthenticationError(message, **kwargs)
    if status == 403:
        texts = list(_strings(body)) if body is not None else []
        texts.append(response.headers.get("www-authenticate", ""))
        if not texts[:-1] and response.content:
            texts.append(response.content.decode("utf-8", "replace"))
        if any(_SCOPE.search(text) for text in texts):
            kwargs["code"] = "INSUFFICIENT_SCOPE"
            return InsufficientScopeError(
                "The Recruitsome API key lacks the vacancies:read scope; create a key with it "
                "(the Career Website preset has it).",
                **kwargs,
            )
        if any(_TENANT_OFF.search(text) for text in texts):
            return TenantDisabledError(
                "API access is not enabled for this Recruitsome tenant; an admin can switch it "
                "on under Settings → Integrations.",
                **kwargs,
            )
        reason = f": {_inner(said)}" if said else ""
        return PermissionDeniedError(f"Recruitsome refused the request{reason}.", **kwargs)
    if status == 422:
        raw_errors = _field_errors(body)
        by_filter: dict[str, list[str]] = {}
        named: dict[str, str] = {}
        for raw_key, messages in raw_errors.items():
            name = filter_base_name(raw_key) or raw_key
            by_filter.setdefault(name, []).extend(_clean(m, api_key) for m in messages)
            label = name
            position = _index(raw_key)
            values = (sent or {}).get(name, [])
            if position is not None and position < len(values):
                label = f"{name}={values[position]}"
            elif len(values) == 1:
                label = f"{name}={values[0]}"
            named.setdefault(name, label)
        if not by_filter:
            reason = f": {_inner(said)}" if said else ""
            return InvalidFilterError(
                f"Recruitsome rejected the filters{reason}.", filter_errors={}, **kwargs
            )
        parts = [
            f"{named[name]} ({_inner(msgs[0])})" if msgs else named[name]
            for name, msgs in by_filter.items()
        ]
        noun = "filter" if len(parts) == 1 else "filters"
        message = f"Recruitsome rejected the {noun} " + "; ".join(parts) + "."
        return InvalidFilterError(message, filter_errors=by_filter, **kwargs)
    if status == 404:
        return NotFoundError(
            f"Recruitsome has no vacancy facets at {root}{FACETS_PATH}; check "
            "RECRUITSOME_BASE_URL.",
            **kwargs,
        )
    if status == 429:
        return RateLimitError("Recruitsome is rate limiting requests; try again shortly.", **kwargs)
    if status >= 500:
        return ServerError(f"Recruitsome failed (HTTP {status}); try again later.", **kwargs)
    reason = f": {_inner(said)}" if said else ""
    return APIStatusError(f"Recruitsome answered HTTP {status}{reason}.", **kwargs)
