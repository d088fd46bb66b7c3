"""What we know about draft keys before the server tells us: types, labels, limits.

The server's missing-field objects are the schema, but they are often thin (a bare
name, no ``type``), compound fields name secondary keys without describing them, and
the docs give types for PATCH keys in prose. This table fills those gaps; the server
always wins where it says something.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Kind(StrEnum):
    """Which widget (and coercion) a key gets."""

    SELECT = "select"
    NUMBER = "number"
    STRING = "string"
    TEXT = "text"
    LIST = "list"
    BOOLEAN = "boolean"
    UNKNOWN = "unknown"


NUMBER_KEYS = frozenset({"pricePerHour", "pricePerLabel", "fixedPrice", "headcount", "dataVolume"})
INTEGER_KEYS = frozenset({"headcount"})
LIST_KEYS = frozenset({"languages", "countries", "labelTypes", "skills", "tools"})
TEXT_KEYS = frozenset(
    {
        "jobDescription",
        "labelingOverview",
        "datasetDescription",
        "aiInterviewRequirements",
        "workloadDesc",
        "projectScope",
    }
)
RATE_KEYS = {
    "PAY_PER_HOUR": "pricePerHour",
    "PAY_PER_LABEL": "pricePerLabel",
    "FIXED_PRICE": "fixedPrice",
}
"""Which rate key each payment type makes required."""

DOCUMENTED_ENUMS: dict[str, list[str]] = {
    "paymentType": ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"],
    "experienceLevel": ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"],
    "dataVolumeUnit": [
        "HOURS_OF_RECORDING_AUDIO_VIDEO",
        "NUMBER_OF_FILES",
        "NUMBER_OF_WORDS",
        "UNKNOWN_NOT_SPECIFIED",
    ],
}
"""The enums the docs list; capabilities overrides them when it answers."""

KEY_LABELS = {
    "jobTitle": "Job title",
    "jobDescription": "Job description",
    "labelingOverview": "Labeling overview",
    "datasetDescription": "Dataset description",
    "dataType": "Data type",
    "subjectMatter": "Subject matter",
    "dataVolume": "Data volume",
    "dataVolumeUnit": "Data volume unit",
    "labelingSoftware": "Labeling software",
    "headcount": "Headcount",
    "experienceLevel": "Experience level",
    "paymentType": "Payment type",
    "pricePerHour": "Hourly rate",
    "pricePerLabel": "Rate per label",
    "fixedPrice": "Fixed price",
    "countries": "Countries",
    "languages": "Languages",
    "labelTypes": "Label types",
}

ENUM_LABELS = {
    "HOURS_OF_RECORDING_AUDIO_VIDEO": "Hours of audio or video",
    "UNKNOWN_NOT_SPECIFIED": "Not specified",
    "ANY_EXPERIENCE_LEVEL": "Any experience level",
}
"""Humanised labels where the mechanical rule reads badly."""

_TYPE_SPELLINGS: dict[str, Kind] = {
    "enum": Kind.SELECT,
    "select": Kind.SELECT,
    "choice": Kind.SELECT,
    "number": Kind.NUMBER,
    "integer": Kind.NUMBER,
    "int": Kind.NUMBER,
    "float": Kind.NUMBER,
    "decimal": Kind.NUMBER,
    "money": Kind.NUMBER,
    "currency": Kind.NUMBER,
    "string": Kind.STRING,
    "str": Kind.STRING,
    "text": Kind.TEXT,
    "textarea": Kind.TEXT,
    "longtext": Kind.TEXT,
    "markdown": Kind.TEXT,
    "string[]": Kind.LIST,
    "array": Kind.LIST,
    "list": Kind.LIST,
    "array<string>": Kind.LIST,
    "multiselect": Kind.LIST,
    "multi_select": Kind.LIST,
    "tags": Kind.LIST,
    "boolean": Kind.BOOLEAN,
    "bool": Kind.BOOLEAN,
}

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def kind_from_type(raw_type: str | None) -> Kind | None:
    """The kind a server ``type`` spelling names, or None when it is new to us."""
    if not raw_type:
        return None
    return _TYPE_SPELLINGS.get(raw_type.strip().lower())


def kind_for_key(key: str) -> Kind | None:
    """The kind we expect for a key from the docs, or None when unknown."""
    if key in DOCUMENTED_ENUMS:
        return Kind.SELECT
    if key in NUMBER_KEYS:
        return Kind.NUMBER
    if key in LIST_KEYS:
        return Kind.LIST
    if key in TEXT_KEYS or key.endswith("Description"):
        return Kind.TEXT
    if key in KEY_LABELS:
        return Kind.STRING
    return None


def is_long_text_key(key: str) -> bool:
    """Keys whose answers are paragraphs rather than one line."""
    return key in TEXT_KEYS or key.endswith("Description")


def label_for_key(key: str) -> str:
    """A human label for a key: the table's, else the camelCase split."""
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    words = _CAMEL.sub(" ", key).replace("_", " ").strip()
    return words[:1].upper() + words[1:].lower() if words else key


def humanize_enum(value: str) -> str:
    """``ENTRY_LEVEL`` → ``Entry level``; values that are not constants pass through."""
    if value in ENUM_LABELS:
        return ENUM_LABELS[value]
    if not re.fullmatch(r"[A-Z0-9_]+", value) or "_" not in value and len(value) <= 3:
        return value
    words = value.replace("_", " ").lower()
    return words[:1].upper() + words[1:]
