"""Values as a person reads them, shared by every projection (the review screen, plain lines)."""

from __future__ import annotations

import json
from typing import Any

from wizard.core.keys import humanize_enum
from wizard.core.reference_data import COUNTRIES

SOURCE_LABELS = {"parsed": "from your description", "you": "typed by you"}
"""Where a draft's value came from, in words."""


def show_value(value: Any, key: str = "") -> str:
    """A value as a person reads it: enums humanised, codes named, lists joined, one line."""
    if isinstance(value, list):
        return ", ".join(show_value(v, key) for v in value)
    if isinstance(value, str):
        if key == "countries" and value.upper() in COUNTRIES:
            return f"{COUNTRIES[value.upper()]} ({value.upper()})"
        text = " ".join(humanize_enum(value).split())  # paragraphs on one line
        return text if len(text) <= 60 else text[:59].rstrip() + "…"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "—"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
