"""Zod-shaped validation issues, as the real API's zod schemas report them.

Each function builds one issue object (`code`, `path`, `message`, and the code's own keys)
the way zod words it, so a client that reads `details.issues` sees the shapes it would see
from the real API. Not documented beyond "`details` holds zod issues" (README item 4).
"""

from __future__ import annotations

import math
from typing import Any

Issue = dict[str, Any]
Path = list[str | int]


def received_type(value: object) -> str:
    """Zod's name for the type of a parsed JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "nan" if isinstance(value, float) and math.isnan(value) else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "unknown"


def invalid_type(expected: str, value: object, path: Path) -> Issue:
    """Zod's `invalid_type` issue."""
    received = received_type(value)
    return {
        "code": "invalid_type",
        "expected": expected,
        "received": received,
        "path": path,
        "message": f"Expected {expected}, received {received}",
    }


def required(expected: str, path: Path) -> Issue:
    """Zod's issue for a missing required value."""
    return {
        "code": "invalid_type",
        "expected": expected,
        "received": "undefined",
        "path": path,
        "message": "Required",
    }


def too_small(kind: str, minimum: float, path: Path, *, inclusive: bool = True) -> Issue:
    """Zod's `too_small` issue for a string, array or number."""
    if kind == "string":
        message = f"String must contain at least {minimum:g} character(s)"
    elif kind == "array":
        message = f"Array must contain at least {minimum:g} element(s)"
    elif inclusive:
        message = f"Number must be greater than or equal to {minimum:g}"
    else:
        message = f"Number must be greater than {minimum:g}"
    return {
        "code": "too_small",
        "minimum": minimum,
        "type": kind,
        "inclusive": inclusive,
        "exact": False,
        "path": path,
        "message": message,
    }


def too_big(kind: str, maximum: float, path: Path) -> Issue:
    """Zod's `too_big` issue for a string, array or number."""
    if kind == "string":
        message = f"String must contain at most {maximum:g} character(s)"
    elif kind == "array":
        message = f"Array must contain at most {maximum:g} element(s)"
    else:
        message = f"Number must be less than or equal to {maximum:g}"
    return {
        "code": "too_big",
        "maximum": maximum,
        "type": kind,
        "inclusive": True,
        "exact": False,
        "path": path,
        "message": message,
    }


def invalid_enum(value: object, options: tuple[str, ...], path: Path) -> Issue:
    """Zod's `invalid_enum_value` issue, listing the allowed options."""
    expected = " | ".join(f"'{o}'" for o in options)
    shown = value if isinstance(value, str) else received_type(value)
    return {
        "code": "invalid_enum_value",
        "options": list(options),
        "received": value if isinstance(value, str) else None,
        "path": path,
        "message": f"Invalid enum value. Expected {expected}, received '{shown}'",
    }


def unrecognized_keys(keys: list[str], path: Path) -> Issue:
    """Zod's `unrecognized_keys` issue (a strict object met keys it does not know)."""
    listed = ", ".join(f"'{k}'" for k in keys)
    return {
        "code": "unrecognized_keys",
        "keys": keys,
        "path": path,
        "message": f"Unrecognized key(s) in object: {listed}",
    }


def custom(message: str, path: Path, **params: Any) -> Issue:
    """Zod's `custom` issue, from a refinement."""
    issue: Issue = {"code": "custom", "path": path, "message": message}
    if params:
        issue["params"] = params
    return issue


def issue_summary(issues: list[Issue]) -> str:
    """One sentence naming the first issue's path, for the envelope's `error`."""
    first = issues[0]
    path = ".".join(str(p) for p in first.get("path", []))
    more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
    message = str(first.get("message", "invalid value")).rstrip(".")
    return f"{path}: {message}{more}." if path else f"{message}{more}."
