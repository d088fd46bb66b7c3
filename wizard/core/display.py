"""Values as a person reads them, shared by every projection (the review screen, plain lines)."""

from __future__ import annotations

import json
from typing import Any

from wizard.core.keys import humanize_enum
from wizard.core.wording import format_price
from wizard.refdata.countries import COUNTRIES

SOURCE_LABELS = {"parsed": "from your description", "you": "typed by you"}
"""Where a draft's value came from, in words."""


def show_value(value: Any, key: str = "", width: int = 60) -> str:
    """A value as a person reads it: enums humanised, codes named, prices with their unit
    ("$18 / hour"), lists joined, on one line of at most ``width`` characters."""
    text = _show(value, key)
    return text if len(text) <= width else text[: max(1, width - 1)].rstrip() + "…"


def _show(value: Any, key: str) -> str:
    price = format_price(key, value)
    if price is not None:
        return price
    if isinstance(value, list):
        return ", ".join(_show(v, key) for v in value)
    if isinstance(value, str):
        if key == "countries" and value.upper() in COUNTRIES:
            return f"{COUNTRIES[value.upper()]} ({value.upper()})"
        return " ".join(humanize_enum(value).split())  # paragraphs on one line
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "—"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
