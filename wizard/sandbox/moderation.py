"""Content moderation at publish time: a keyword list of topics the marketplace refuses.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, item 15).
"""

from __future__ import annotations

import re
from typing import Any

# Topics the marketplace does not allow, as (pattern, what the reason calls it).
_MODERATION: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bcrypto(?:currenc(?:y|ies)|s)?\b", re.IGNORECASE), "crypto"),
    (
        re.compile(r"\bguaranteed\s+(?:income|returns?|earnings)\b", re.IGNORECASE),
        "guaranteed income",
    ),
    (re.compile(r"\bcasinos?\b", re.IGNORECASE), "casino"),
    (re.compile(r"\bgambling\b", re.IGNORECASE), "gambling"),
    (re.compile(r"\bpyramid\s+schemes?\b|\bpyramid\b", re.IGNORECASE), "pyramid"),
    (re.compile(r"\bget\s+rich\s+quick\b", re.IGNORECASE), "get rich quick"),
)
_MODERATED_FIELDS = (
    ("jobTitle", "Job title"),
    ("jobDescription", "Job description"),
    ("labelingOverview", "Labeling overview"),
)


def moderation_reasons(fields: dict[str, Any]) -> list[str]:
    """One sentence per field that mentions a prohibited topic."""
    reasons: list[str] = []
    for key, label in _MODERATED_FIELDS:
        text = fields.get(key)
        if not isinstance(text, str):
            continue
        topics = [name for pattern, name in _MODERATION if pattern.search(text)]
        if topics:
            reasons.append(f"{label}: mentions a prohibited topic ({', '.join(topics)}).")
    return reasons
