"""The lenient-model kit both services' response models are built from.

Servers send numbers as strings, ``null`` for an empty list, an object where a list was
documented, a boolean spelt ``"false"``. The functions here turn each such variant into
the documented type, and the ``Annotated`` types wrap them as before-validators
(``wizard.api.record``), so a model states a field's leniency in its annotation instead of
in a validator method repeated on every model. ``Lenient`` is the base of every response
model.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Annotated, Any

from wizard.api.record import BeforeValidator, Record


class Lenient(Record):
    """Base for every response model: unknown keys are ignored, fields fill by name or alias.

    A model's reader is built on its first use, not at import: a run reads a few of
    these models.
    """


# ---- conversions ----------------------------------------------------------------------


def as_text(value: Any) -> str:
    """Render a loosely typed server item (string, object, anything) as one line of text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("message", "error", "reason", "detail", "code"):
            found = value.get(key)
            if isinstance(found, str) and found:
                return found
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def loose_bool(value: Any, default: bool) -> bool:
    """A boolean from JSON that may spell it as a string or a number; ``default`` for junk."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"true", "yes", "1"}:
            return True
        if text in {"false", "no", "0", ""}:
            return False
    return default


def optional_text(value: Any) -> str | None:
    """A string field the server might send as a number, or as null."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return None


def string_list(value: Any) -> list[str]:
    """A list of strings from a loose list (non-lists become empty, nulls are dropped)."""
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, str) else as_text(item) for item in value if item is not None]


def text_list(value: Any) -> list[str]:
    """Messages as text: a single item counts as a list of one, nulls are dropped."""
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    return [as_text(item) for item in value if item is not None]


def enum_list(value: Any) -> list[str]:
    """Enum values as strings, each once; ``{value, label}`` objects give their ``value``."""
    if not isinstance(value, list):
        return []
    out: list[str] = []
    for item in value:
        if isinstance(item, dict):
            item = next(
                (item[k] for k in ("value", "code", "id") if isinstance(item.get(k), str)), item
            )
        if item is None or isinstance(item, dict | list):
            continue
        out.append(item if isinstance(item, str) else as_text(item))
    return list(dict.fromkeys(out))


def loose_number(value: Any) -> float | None:
    """A finite number from JSON that may spell it as a string; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().lstrip("$").replace(",", ""))
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def object_or_empty(value: Any) -> Any:
    """An object as sent, anything else (null, a list, a string) as an empty one."""
    return value if isinstance(value, dict) else {}


def list_or_empty(value: Any) -> Any:
    """A list as sent, anything else as an empty one (its items are validated after)."""
    return value if isinstance(value, list) else []


def int_id(value: Any) -> Any:
    """An id the server may send as a number, as text."""
    return str(value) if isinstance(value, int) else value


def object_items(value: Any) -> Any:
    """A list of objects, whatever a PHP backend made of it (null, an object keyed by id)."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        # A PHP array with gaps in its keys is serialised as an object keyed by index/id.
        value = list(value.values())
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def count(value: Any) -> Any:
    """A count that may come as null, ``""`` or a whole float: 0, or an int."""
    if value is None or value == "":
        return 0
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def text_or_empty(value: Any) -> Any:
    """A name that may come as null (``""``) or as a number (its text)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def blank_is_none(value: Any) -> Any:
    """Text stripped; blank text means not given."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# ---- field types ----------------------------------------------------------------------

OptionalText = Annotated[str | None, BeforeValidator(optional_text)]
"""Text or None; numbers become their text, anything else None."""

TextList = Annotated[list[str], BeforeValidator(string_list)]
"""A list of strings; not a list is empty."""

MessageList = Annotated[list[str], BeforeValidator(text_list)]
"""Messages (warnings): one or many, each rendered as text."""

LooseNumber = Annotated[float | None, BeforeValidator(loose_number)]
"""A finite number, possibly sent as ``"$1,200.50"``; None for anything else."""

IdText = Annotated[str, BeforeValidator(int_id)]
"""An id: text, or a number turned into text."""

ObjectOrEmpty = BeforeValidator(object_or_empty)
"""Marker for a nested object field: anything that is not an object reads as ``{}``."""

ListOrEmpty = BeforeValidator(list_or_empty)
"""Marker for a list field: anything that is not a list reads as ``[]``."""

ObjectItems = BeforeValidator(object_items)
"""Marker for a list of objects that PHP may send as an object keyed by id, or null."""

Count = Annotated[int, BeforeValidator(count)]
"""A count: null and ``""`` are 0, a whole float is an int."""

Name = Annotated[str, BeforeValidator(text_or_empty)]
"""A display name: null is ``""``, a number is its text."""

BlankIsNone = Annotated[str | None, BeforeValidator(blank_is_none)]
"""Optional text, stripped; blank is None."""
