"""Request bodies: raw bytes to a JSON value, or the documented 400 envelope.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, item 14): the 1 MB body
cap, and a 400 for `NaN`/`Infinity` constants or lone surrogates, which JSON parsers accept
but the API's stored text cannot hold.
"""

from __future__ import annotations

import json

from wizard.sandbox.errors import ApiError
from wizard.sandbox.zod import custom, required

MAX_BODY_BYTES = 1_048_576


def parse_json_body(raw: bytes, *, what: str = "Request body") -> object:
    """Decode a JSON request body, or raise the 400 envelope with a zod-like issue."""
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(
            400,
            f"{what} is larger than 1 MB.",
            details={
                "issues": [custom("Body too large", [], maximum=MAX_BODY_BYTES)],
            },
        )
    if not raw.strip():
        raise ApiError(
            400,
            f"{what} is empty: send a JSON object.",
            details={
                "issues": [required("object", [])],
            },
        )
    try:
        value: object = json.loads(raw, parse_constant=_reject_constant)
        # A lone surrogate ("\ud800") is legal JSON but cannot be stored or echoed as UTF-8.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError) as exc:
        reason = (
            "it holds text that is not valid Unicode"
            if isinstance(exc, UnicodeError)
            else "it is not valid JSON"
        )
        raise ApiError(
            400,
            f"{what} could not be read: {reason}.",
            details={
                "issues": [custom(f"Invalid JSON: {_short(str(exc))}", [])],
            },
        ) from None
    return value


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."
