"""Typed errors for the HTTP boundary: one class per way a call can fail.

Every error carries a user-facing ``title`` and a one-sentence ``message``. Status
errors parse OpenTrain's envelope ``{error, code, requestId, details}`` (and the
defensive ``{error: {code, message}}`` form) and turn zod ``details.issues[].path``
into field names, so the UI can pin each problem to its widget.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from wizard.api.lenient import as_text
from wizard.api.sanitize import UnreadableReply, decode_json, scrub

if TYPE_CHECKING:
    # Only annotations: the errors are imported by every command's argument checks
    # (``wizard.api.urls``), which must not pay for httpx or the response models.
    import httpx

    from wizard.api.opentrain.models import Validation


class WizardAPIError(Exception):
    """Base of every error the client raises."""

    title = "Request failed"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class APIConnectionError(WizardAPIError):
    """The server could not be reached, or the connection dropped."""

    title = "Connection problem"


class APITimeoutError(APIConnectionError):
    """The server did not answer in time."""

    title = "Timed out"


class ResponseShapeError(WizardAPIError):
    """The server answered 2xx with a body we cannot read (not JSON, or the wrong shape)."""

    title = "Unexpected response"

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class InsecureURLError(WizardAPIError):
    """A plain-http base URL for a host that is not on this machine."""

    title = "Insecure address"


class APIStatusError(WizardAPIError):
    """The server answered with a non-2xx status."""

    title = "Request rejected"

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        request_id: str | None = None,
        details: dict[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.request_id = request_id
        self.details: dict[str, Any] = details or {}
        self.retry_after = retry_after
        self.field_errors: dict[str, str] = field_errors_from_details(self.details)

    @property
    def reason(self) -> str | None:
        """``details.reason`` when the server gave one."""
        reason = self.details.get("reason")
        return reason if isinstance(reason, str) else None


class BadRequestError(APIStatusError):
    """400: the request was rejected (zod issues in ``field_errors``)."""

    title = "Rejected"


class PublishNotReadyError(BadRequestError):
    """400 on publish: the draft is not ready; ``validation`` says why."""

    title = "Not ready to publish"

    @property
    def validation(self) -> Validation:
        """The validation the server attached, with missing fields merged."""
        from wizard.api.opentrain.models import Validation

        raw = self.details.get("validation")
        return Validation.model_validate(raw if isinstance(raw, dict) else {})


class AuthenticationError(APIStatusError):
    """401: the token is missing, wrong, expired or revoked."""

    title = "Token rejected"


class PermissionDeniedError(APIStatusError):
    """403: scope, feature flag, claim, or ownership."""

    title = "Not allowed"


class ModerationBlockedError(PermissionDeniedError):
    """403 on publish: content moderation blocked the job."""

    title = "Blocked by moderation"

    @property
    def reasons(self) -> list[str]:
        """Moderation reasons as text."""
        raw = self.details.get("reasons")
        return [as_text(item) for item in raw] if isinstance(raw, list) else []


class NotFoundError(APIStatusError):
    """404: no such job, or not yours."""

    title = "Not found"


class ConflictError(APIStatusError):
    """409: the job is not in the state the call needs."""

    title = "Conflict"


class RateLimitError(APIStatusError):
    """429: too many requests (retried) or a daily cap (see ``DailyLimitError``)."""

    title = "Rate limited"


class DailyLimitError(RateLimitError):
    """429 with ``details.windowHours``: the daily publish limit; not transient."""

    title = "Daily publish limit reached"

    @property
    def limit(self) -> int | None:
        """How many publishes the window allows."""
        value = self.details.get("limit")
        return value if isinstance(value, int) else None

    @property
    def window_hours(self) -> int | None:
        """The length of the window, in hours."""
        value = self.details.get("windowHours")
        return value if isinstance(value, int) else None


class ServerError(APIStatusError):
    """5xx: the server failed."""

    title = "Server error"


def _path_to_field(path: Any) -> str | None:
    if isinstance(path, list):
        for part in path:
            if isinstance(part, str) and part:
                return part
        return None
    if isinstance(path, str) and path:
        return path.split(".")[0]
    return None


def field_errors_from_details(details: dict[str, Any]) -> dict[str, str]:
    """Map zod issues (in any of their documented-ish places) to ``{field: message}``.

    Issues without a path (e.g. unknown keys) are attached to each key they name.
    """
    issues: Any = details.get("issues")
    if issues is None and isinstance(details.get("zod"), dict):
        issues = details["zod"].get("issues")
    if issues is None and isinstance(details.get("errors"), list):
        issues = details["errors"]
    out: dict[str, str] = {}
    if isinstance(details.get("fieldErrors"), dict):
        for field, messages in details["fieldErrors"].items():
            if isinstance(messages, list) and messages:
                out.setdefault(str(field), as_text(messages[0]))
    if not isinstance(issues, list):
        return out
    for issue in issues:
        if not isinstance(issue, dict):
            continue
        message = as_text(issue.get("message") or issue)
        field = _path_to_field(issue.get("path"))
        if field:
            out.setdefault(field, message)
            continue
        keys = issue.get("keys")
        if isinstance(keys, list):
            for key in keys:
                if isinstance(key, str):
                    out.setdefault(key, message)
    return out


def _wait(seconds: float) -> float | None:
    """A server's wait as given, or None (the normal backoff) when it makes no sense.

    ``nan`` and negative waits would mean instant retries; a huge or infinite one is
    kept here and cut to the policy's cap by ``RetryPolicy.delay``.
    """
    if math.isnan(seconds) or seconds < 0:
        return None
    return seconds


def _retry_after_seconds(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after-ms")
    if raw:
        try:
            return _wait(float(raw) / 1000.0)
        except ValueError:
            pass
    raw = response.headers.get("retry-after")
    if not raw:
        return None
    try:
        return _wait(float(raw))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        import datetime as _dt

        if when.tzinfo is None:  # "-0000" means UTC with no zone; Python returns it naive
            when = when.replace(tzinfo=_dt.UTC)
        return max(0.0, (when - _dt.datetime.now(_dt.UTC)).total_seconds())


_DEFAULT_SENTENCES = {
    400: "The server rejected the request.",
    401: "The API token was rejected; check OT_API_TOKEN.",
    403: "This token is not allowed to do that.",
    404: "No such job, or it belongs to another account.",
    409: "The job is not in a state that allows this.",
    429: "Too many requests; try again shortly.",
}


def error_from_response(
    response: httpx.Response, *, publishing: bool = False, secrets: Iterable[str] = ()
) -> APIStatusError:
    """Build the typed error for a non-2xx response, whatever its body looks like.

    The body is read through ``decode_json``, so every string in the error (message,
    code, zod paths and messages, ``details``) is free of control characters and of
    ``secrets``; an unreadable body gives the status's default sentence.
    """
    secrets = list(secrets)
    status = response.status_code
    body: Any = None
    try:
        body = decode_json(response.content, secrets)
    except UnreadableReply:
        body = None

    message: str | None = None
    code: str | None = None
    raw_id = response.headers.get("x-request-id")
    request_id = scrub(raw_id, secrets) if raw_id else None
    details: dict[str, Any] = {}
    if isinstance(body, dict):
        raw_error = body.get("error")
        if isinstance(raw_error, dict):  # defensive: {error: {code, message, details}}
            message = as_text(raw_error.get("message")) or None
            code = raw_error.get("code") if isinstance(raw_error.get("code"), str) else None
            if isinstance(raw_error.get("details"), dict):
                details = raw_error["details"]
        elif isinstance(raw_error, str):
            message = raw_error
            if isinstance(body.get("error_description"), str):  # OAuth shape
                message = body["error_description"] or raw_error
                code = raw_error  # there, `error` is the machine code (slow_down, ...)
        if message is None and isinstance(body.get("message"), str):
            message = body["message"]
        if code is None and isinstance(body.get("code"), str):
            code = body["code"]
        if isinstance(body.get("requestId"), str):
            request_id = body["requestId"]
        if not details and isinstance(body.get("details"), dict):
            details = body["details"]
        if not details and isinstance(body.get("errors"), dict):
            details = {"fieldErrors": body["errors"]}

    if not message:
        message = _DEFAULT_SENTENCES.get(status) or (
            f"The server failed (HTTP {status})." if status >= 500 else f"HTTP {status}."
        )
    retry_after = _retry_after_seconds(response)
    kwargs: dict[str, Any] = {
        "status_code": status,
        "code": code,
        "request_id": request_id,
        "details": details,
        "retry_after": retry_after,
    }
    if status == 400:
        # A 400 on publish means "not ready", with or without the validation attached.
        if publishing or isinstance(details.get("validation"), dict):
            return PublishNotReadyError(message, **kwargs)
        return BadRequestError(message, **kwargs)
    if status == 401:
        return AuthenticationError(message, **kwargs)
    if status == 403:
        if details.get("reason") == "moderation_blocked":
            return ModerationBlockedError(message, **kwargs)
        return PermissionDeniedError(message, **kwargs)
    if status == 404:
        return NotFoundError(message, **kwargs)
    if status == 409:
        return ConflictError(message, **kwargs)
    if status == 429:
        if "windowHours" in details:
            return DailyLimitError(message, **kwargs)
        return RateLimitError(message, **kwargs)
    if status >= 500:
        return ServerError(message, **kwargs)
    return APIStatusError(message, **kwargs)
