"""Recruitsome's facet filters: their names, and how they go out in a query string.

Array filters are sent in the documented ``name[]=value`` form, once per value; names
may arrive as ``tags``, ``tags[]``, ``tags.0`` or ``tags[1]`` and all mean ``tags``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from urllib.parse import quote

ARRAY_FILTERS: tuple[str, ...] = (
    "location_id",
    "company_location_id",
    "department_id",
    "experience_levels",
    "education_levels",
    "job_types",
    "tags",
)
"""Filters sent in the documented ``name[]=value`` form, once per value."""

SCALAR_FILTERS: tuple[str, ...] = ("language", "search")
"""Filters sent once as ``name=value``."""

KNOWN_FILTERS: tuple[str, ...] = SCALAR_FILTERS + ARRAY_FILTERS
"""Every filter the facets endpoint documents."""

FilterValue = str | int | Sequence[str | int] | None
"""One filter's value: a scalar, or several ids for an array filter."""

Filters = Mapping[str, FilterValue]
"""Filters by name (``tags`` or ``tags[]``)."""
_INDEX_SUFFIX = re.compile(r"(\[\])?(\.\d+|\[\d+\])*$")


def filter_base_name(name: str) -> str:
    """``tags[]``, ``tags.0`` or ``tags[1]`` → ``tags``."""
    return _INDEX_SUFFIX.sub("", name.strip())


def _values(value: FilterValue) -> list[str]:
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, str | int):
        text = str(value).strip()
        return [text] if text else []
    out: list[str] = []
    for item in value:
        if item is None or isinstance(item, bool):
            continue
        text = str(item).strip()
        if text:
            out.append(text)
    return out


def normalize_filters(filters: Filters | None) -> dict[str, list[str]]:
    """Filters by base name with their values as text, empties dropped, order kept."""
    out: dict[str, list[str]] = {}
    for raw_name, value in (filters or {}).items():
        name = filter_base_name(raw_name)
        values = _values(value)
        if not name or not values:
            continue
        known = out.setdefault(name, [])
        for text in values:
            if text not in known:
                known.append(text)
    return out


def is_array_filter(name: str, raw_name: str | None = None, value: FilterValue = None) -> bool:
    """Whether a filter goes out as ``name[]=value`` (documented arrays, or given as a list)."""
    if name in ARRAY_FILTERS:
        return True
    if name in SCALAR_FILTERS:
        return False
    if raw_name is not None and raw_name.strip().endswith("[]"):
        return True
    return value is not None and not isinstance(value, str | int)


def encode_filters(filters: Filters | None) -> str:
    """The query string, array filters in the documented ``name[]=value`` form, repeated.

    The brackets are sent literally (as the docs' examples do); values are percent-encoded.
    """
    pairs: list[tuple[str, str]] = []
    for raw_name, value in (filters or {}).items():
        name = filter_base_name(raw_name)
        values = _values(value)
        if not name or not values:
            continue
        if is_array_filter(name, raw_name, value):
            pairs.extend((f"{name}[]", v) for v in values)
        else:
            pairs.append((name, values[-1]))
    return "&".join(f"{quote(k, safe='[]')}={quote(v, safe='')}" for k, v in pairs)


def filters_cache_key(filters: Filters | None) -> str:
    """A stable text for the active filters (order of names and values does not matter)."""
    normal = normalize_filters(filters)
    return json.dumps({k: sorted(v) for k, v in sorted(normal.items())}, separators=(",", ":"))
