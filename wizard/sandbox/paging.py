"""Paging query values: `limit` and the opaque `cur_<n>` cursors.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, item 19): `limit` capped
(not refused) above its maximum, and cursors shaped `cur_<n>`.
"""

from __future__ import annotations

import re

from wizard.sandbox.errors import ApiError, shown
from wizard.sandbox.zod import invalid_type

CURSOR_PATTERN = r"^(cur_[0-9]{1,15})?$"


def parse_limit(raw: str | None, *, default: int, maximum: int = 100) -> int:
    """A `limit` query value: a whole number of at least 1, capped at `maximum`."""
    if raw is None:
        return default
    # As sent, ASCII digits only: " 6" or an Arabic-Indic digit is not the integer the
    # OpenAPI document promises to accept (Python's \d and strip() are wider than that).
    text = raw
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ApiError(
            400,
            f"limit must be a whole number, not '{shown(raw)}'.",
            details={
                "issues": [invalid_type("number", raw, ["limit"])],
            },
        )
    digits = text.lstrip("+-").lstrip("0") or "0"
    # Far beyond any cap: no need to build a huge int (or trip the int-size guard).
    value = int(digits) if len(digits) <= 18 else maximum + 1
    if text.startswith("-"):
        value = -value
    if value < 1:
        raise ApiError(
            400,
            "limit must be at least 1.",
            details={
                "issues": [
                    {
                        "code": "too_small",
                        "minimum": 1,
                        "type": "number",
                        "inclusive": True,
                        "exact": False,
                        "path": ["limit"],
                        "message": "Number must be greater than or equal to 1",
                    }
                ],
            },
        )
    return min(value, maximum)


def encode_cursor(position: int) -> str:
    """A cursor for a position in a listing (clients treat it as opaque)."""
    return f"cur_{position}"


def decode_cursor(cursor: str | None) -> int | None:
    """Undo `encode_cursor`; a cursor that was not made by it is a 400."""
    if cursor is None or cursor == "":
        return None
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise ApiError(
            400,
            "The cursor is not valid: pass nextCursor from a previous response.",
            details={"cursor": shown(cursor)},
        )
    return int(cursor[4:])
