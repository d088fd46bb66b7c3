"""Error bodies of every documented (and defensive) shape become the right typed error."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from wizard.api.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DailyLimitError,
    ModerationBlockedError,
    NotFoundError,
    PermissionDeniedError,
    PublishNotReadyError,
    RateLimitError,
    ServerError,
    error_from_response,
    field_errors_from_details,
)

REQUEST_ID = "5b0f6a8e-0d1c-4a38-9f33-6b8f1f0c2d11"


def response(
    status: int,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> httpx.Response:
    content = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    return httpx.Response(status, content=content, headers=headers or {})


def envelope(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"error": message, "code": code, "requestId": REQUEST_ID}
    if details is not None:
        body["details"] = details
    return body


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "BAD_REQUEST", BadRequestError),
        (401, "UNAUTHORIZED", AuthenticationError),
        (403, "FORBIDDEN", PermissionDeniedError),
        (404, "NOT_FOUND", NotFoundError),
        (409, "CONFLICT", ConflictError),
        (429, "RATE_LIMITED", RateLimitError),
        (500, "INTERNAL", ServerError),
        (502, "BAD_GATEWAY", ServerError),
        (503, "UNAVAILABLE", ServerError),
        (504, "GATEWAY_TIMEOUT", ServerError),
    ],
)
def test_envelope_maps_status_to_class(status: int, code: str, cls: type[APIStatusError]) -> None:
    err = error_from_response(response(status, envelope(code, "Human sentence.", {"a": 1})))

    assert type(err) is cls
    assert err.status_code == status
    assert err.code == code
    assert err.message == "Human sentence."
    assert str(err) == "Human sentence."
    assert err.request_id == REQUEST_ID
    assert err.details == {"a": 1}
    assert err.title  # every error has a user-facing title


def test_unlisted_status_is_a_plain_status_error() -> None:
    err = error_from_response(response(418, envelope("TEAPOT", "No coffee.")))
    assert type(err) is APIStatusError
    assert err.message == "No coffee."


def test_account_claim_required_keeps_reason_and_claim_url() -> None:
    err = error_from_response(
        response(
            403,
            envelope(
                "FORBIDDEN",
                "Claim your account first.",
                {"reason": "account_claim_required", "claimUrl": "https://app.opentrain.ai/claim"},
            ),
        )
    )
    assert type(err) is PermissionDeniedError
    assert err.reason == "account_claim_required"
    assert err.details["claimUrl"] == "https://app.opentrain.ai/claim"


def test_defensive_nested_error_object() -> None:
    body = {"ok": False, "error": {"code": "FORBIDDEN", "message": "Nope.", "details": {"x": 1}}}
    err = error_from_response(response(403, body))
    assert type(err) is PermissionDeniedError
    assert err.code == "FORBIDDEN"
    assert err.message == "Nope."
    assert err.details == {"x": 1}


def test_nested_error_object_without_message_falls_back_to_default_sentence() -> None:
    err = error_from_response(response(404, {"error": {"code": "NOT_FOUND"}}))
    assert type(err) is NotFoundError
    assert err.code == "NOT_FOUND"
    assert err.message == "No such job, or it belongs to another account."


def test_oauth_shape_uses_description_and_keeps_the_code() -> None:
    err = error_from_response(
        response(400, {"error": "slow_down", "error_description": "Poll less often."})
    )
    assert type(err) is BadRequestError
    assert err.message == "Poll less often."
    assert err.code == "slow_down"


def test_oauth_shape_without_description() -> None:
    err = error_from_response(response(403, {"error": "anonymous_not_enabled"}))
    assert type(err) is PermissionDeniedError
    assert err.message == "anonymous_not_enabled"


@pytest.mark.parametrize(
    ("status", "raw", "cls", "sentence"),
    [
        (502, b"<html><body>Bad Gateway</body></html>", ServerError, "HTTP 502"),
        (503, b"", ServerError, "HTTP 503"),
        (401, b"Unauthorized", AuthenticationError, "token was rejected"),
        (429, b"\xff\xfe\x00garbage", RateLimitError, "Too many requests"),
        (404, b"null", NotFoundError, "No such job"),
        (400, b"[1, 2]", BadRequestError, "rejected the request"),
        (409, b'"just a string"', ConflictError, "not in a state"),
    ],
)
def test_non_json_or_non_object_bodies(
    status: int, raw: bytes, cls: type[APIStatusError], sentence: str
) -> None:
    err = error_from_response(response(status, raw=raw))
    assert type(err) is cls
    assert sentence in err.message
    assert err.code is None
    assert err.details == {}


def test_request_id_from_header_when_the_body_has_none() -> None:
    err = error_from_response(
        response(500, raw=b"oops", headers={"X-Request-Id": "hdr-1"}),
    )
    assert err.request_id == "hdr-1"
    body_wins = error_from_response(
        response(500, envelope("X", "y"), headers={"X-Request-Id": "hdr-1"})
    )
    assert body_wins.request_id == REQUEST_ID


def test_top_level_message_key_is_used_when_error_is_absent() -> None:
    err = error_from_response(response(400, {"message": "Plain message."}))
    assert err.message == "Plain message."


# ---- publish -------------------------------------------------------------------------------


def test_publish_400_with_validation_is_publish_not_ready() -> None:
    details = {
        "validation": {
            "publishReady": False,
            "issueCount": 1,
            "missingFieldCount": 1,
            "missingFields": [
                "experienceLevel",
                {"field": "experienceLevel", "enumValues": ["EXPERT", "ENTRY_LEVEL"]},
            ],
            "issues": [{"message": "Rate too low", "field": "pricePerHour"}],
        }
    }
    err = error_from_response(
        response(400, envelope("BAD_REQUEST", "Draft is not ready.", details)), publishing=True
    )
    assert type(err) is PublishNotReadyError
    validation = err.validation
    assert [m.field for m in validation.missing_fields] == ["experienceLevel"]
    assert validation.missing_fields[0].enum_values == ["EXPERT", "ENTRY_LEVEL"]
    assert validation.issues[0].field == "pricePerHour"
    assert not validation.ready


def test_400_with_validation_is_publish_not_ready_even_without_the_publishing_flag() -> None:
    err = error_from_response(
        response(400, envelope("BAD_REQUEST", "Not ready.", {"validation": {}}))
    )
    assert type(err) is PublishNotReadyError
    assert err.validation.missing_fields == []


def test_publish_400_without_details_is_still_not_ready_with_empty_validation() -> None:
    err = error_from_response(response(400, raw=b"nope"), publishing=True)
    assert type(err) is PublishNotReadyError
    assert err.validation.missing_fields == []
    assert err.validation.publish_ready is False


def test_plain_400_is_bad_request_not_publish() -> None:
    err = error_from_response(response(400, envelope("BAD_REQUEST", "Unknown key.")))
    assert type(err) is BadRequestError


def test_moderation_block() -> None:
    details = {
        "reason": "moderation_blocked",
        "reasons": ["Mentions off-platform payment", {"message": "Contact details"}],
    }
    err = error_from_response(
        response(403, envelope("FORBIDDEN", "Blocked.", details)), publishing=True
    )
    assert type(err) is ModerationBlockedError
    assert isinstance(err, PermissionDeniedError)
    assert err.reasons == ["Mentions off-platform payment", "Contact details"]
    assert err.reason == "moderation_blocked"


def test_moderation_block_without_reasons_list() -> None:
    err = error_from_response(
        response(403, envelope("FORBIDDEN", "Blocked.", {"reason": "moderation_blocked"}))
    )
    assert type(err) is ModerationBlockedError
    assert err.reasons == []


def test_daily_limit() -> None:
    err = error_from_response(
        response(429, envelope("RATE_LIMITED", "Daily limit.", {"limit": 3, "windowHours": 24})),
        publishing=True,
    )
    assert type(err) is DailyLimitError
    assert isinstance(err, RateLimitError)
    assert err.limit == 3
    assert err.window_hours == 24


def test_plain_429_is_not_the_daily_limit() -> None:
    err = error_from_response(response(429, envelope("RATE_LIMITED", "Slow down.", {"limit": 120})))
    assert type(err) is RateLimitError


def test_live_edit_moderation_conflict_keeps_details() -> None:
    details = {"jobId": "j", "reason": "moderation_blocked", "reasons": ["x"], "status": "DRAFT"}
    err = error_from_response(response(409, envelope("CONFLICT", "Back to draft.", details)))
    assert type(err) is ConflictError
    assert err.reason == "moderation_blocked"
    assert err.details["status"] == "DRAFT"


# ---- zod issues ----------------------------------------------------------------------------


def test_zod_issues_become_field_errors() -> None:
    details = {
        "issues": [
            {
                "code": "invalid_type",
                "expected": "number",
                "received": "string",
                "path": ["pricePerHour"],
                "message": "Expected number, received string",
            },
            {
                "code": "invalid_type",
                "expected": "string",
                "received": "number",
                "path": ["countries", 1],
                "message": "Expected string, received number",
            },
            {
                "code": "unrecognized_keys",
                "keys": ["colour", "budgett"],
                "path": [],
                "message": "Unrecognized key(s) in object: 'colour', 'budgett'",
            },
            {"code": "custom", "path": "headcount.value", "message": "Too small"},
            {"code": "custom", "path": [], "message": "Body must not be empty"},
            "not an issue",
        ]
    }
    err = error_from_response(response(400, envelope("BAD_REQUEST", "Invalid body.", details)))

    assert type(err) is BadRequestError
    assert err.field_errors == {
        "pricePerHour": "Expected number, received string",
        "countries": "Expected string, received number",
        "colour": "Unrecognized key(s) in object: 'colour', 'budgett'",
        "budgett": "Unrecognized key(s) in object: 'colour', 'budgett'",
        "headcount": "Too small",
    }


def test_first_issue_per_field_wins() -> None:
    errors = field_errors_from_details(
        {
            "issues": [
                {"path": ["languages", 0], "message": "first"},
                {"path": ["languages", 2], "message": "second"},
            ]
        }
    )
    assert errors == {"languages": "first"}


@pytest.mark.parametrize(
    "details",
    [
        {"zod": {"issues": [{"path": ["fixedPrice"], "message": "Required"}]}},
        {"errors": [{"path": ["fixedPrice"], "message": "Required"}]},
        {"fieldErrors": {"fixedPrice": ["Required", "Other"], "empty": []}},
    ],
)
def test_other_places_zod_issues_may_live(details: dict[str, Any]) -> None:
    assert field_errors_from_details(details) == {"fixedPrice": "Required"}


def test_flattened_zod_errors_object_at_top_level() -> None:
    err = error_from_response(
        response(400, {"error": "Invalid", "errors": {"jobTitle": ["Too long"]}})
    )
    assert err.field_errors == {"jobTitle": "Too long"}


def test_issue_without_message_is_rendered_as_json() -> None:
    errors = field_errors_from_details({"issues": [{"path": ["x"], "code": "weird"}]})
    assert errors == {"x": "weird"}


def test_no_issues_no_field_errors() -> None:
    assert field_errors_from_details({}) == {}
    assert field_errors_from_details({"issues": "nope"}) == {}


# ---- Retry-After ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": "-3"}, None),  # nonsense: the normal backoff applies
        ({"retry-after-ms": "2500"}, 2.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"retry-after-ms": "soon", "Retry-After": "9"}, 9.0),
        ({"Retry-After": "whenever"}, None),
        ({"Retry-After": ""}, None),
        ({}, None),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # in the past
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 -0000"}, 0.0),  # naive date
    ],
)
def test_retry_after(headers: dict[str, str], expected: float | None) -> None:
    err = error_from_response(response(429, raw=b"", headers=headers))
    assert err.retry_after == expected


def test_retry_after_http_date_in_the_future() -> None:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120)
    err = error_from_response(
        response(503, raw=b"", headers={"Retry-After": format_datetime(when, usegmt=True)})
    )
    assert err.retry_after is not None
    assert 115 <= err.retry_after <= 120
