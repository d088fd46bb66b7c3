"""The draft's fields: their enums and limits, and the strict PATCH schema that checks them.

PATCH bodies are checked the way the real API's zod schema does it: unknown keys, wrong
types, bad enum values and out-of-range values each become a zod-shaped issue
(`wizard.sandbox.zod`) with a `path`. What a draft still needs before publishing is
`wizard.sandbox.readiness`.

Not documented; chosen by the sandbox (reasons in `wizard/sandbox/README.md`, items 2-5):
countries as ISO 3166-1 alpha-2 codes only; languages stored as canonical names; a PATCH
with any invalid key changes nothing; the value limits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from wizard.sandbox import geo
from wizard.sandbox.zod import (
    Issue,
    Path,
    custom,
    invalid_enum,
    invalid_type,
    too_big,
    too_small,
    unrecognized_keys,
)

PAYMENT_TYPES: tuple[str, ...] = ("PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE")
EXPERIENCE_LEVELS: tuple[str, ...] = (
    "EXPERT",
    "ENTRY_LEVEL",
    "INTERMEDIATE",
    "ANY_EXPERIENCE_LEVEL",
)
DATA_VOLUME_UNITS: tuple[str, ...] = (
    "HOURS_OF_RECORDING_AUDIO_VIDEO",
    "NUMBER_OF_FILES",
    "NUMBER_OF_WORDS",
    "UNKNOWN_NOT_SPECIFIED",
)
ENUMS: dict[str, tuple[str, ...]] = {
    "paymentType": PAYMENT_TYPES,
    "experienceLevel": EXPERIENCE_LEVELS,
    "dataVolumeUnit": DATA_VOLUME_UNITS,
}
IMPORT_FORMATS: tuple[str, ...] = (
    "text",
    "opentrain_canonical",
    "schema_org_job_posting",
    "indeed_xml",
    "hr_xml",
)

RATE_KEYS: dict[str, str] = {  # the field that holds each payment type's rate
    "PAY_PER_HOUR": "pricePerHour",
    "PAY_PER_LABEL": "pricePerLabel",
    "FIXED_PRICE": "fixedPrice",
}

MAX_TITLE = 120
MAX_DESCRIPTION = 60_000
MAX_HEADCOUNT = 500

# What JavaScript's String.prototype.trim (and so zod's .trim()) removes, which is also
# ECMAScript's \s. Python's str.strip() removes more (\x1c-\x1f, \x85), so it is not used.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


# --- value checkers ------------------------------------------------------------------------

Checker = Callable[[object, Path], tuple[Any, list[Issue]]]


def check_string(*, min_len: int = 1, max_len: int, trim: bool = True) -> Checker:
    """A string that is trimmed, then must hold min_len..max_len characters."""

    def check(value: object, path: Path) -> tuple[Any, list[Issue]]:
        if not isinstance(value, str):
            return None, [invalid_type("string", value, path)]
        text = value.strip(JS_WHITESPACE) if trim else value
        if len(text.strip(JS_WHITESPACE)) < min_len:
            return None, [too_small("string", min_len, path)]
        if len(text) > max_len:
            return None, [too_big("string", max_len, path)]
        return text, []

    return check


def check_number(*, maximum: float, integer: bool = False, minimum: float | None = None) -> Checker:
    """A finite number; positive unless `minimum` is given; optionally whole."""

    def check(value: object, path: Path) -> tuple[Any, list[Issue]]:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, [invalid_type("number", value, path)]
        if isinstance(value, float) and not math.isfinite(value):
            return None, [{"code": "not_finite", "path": path, "message": "Number must be finite"}]
        if integer and isinstance(value, float):
            if not value.is_integer():
                return None, [
                    {
                        **invalid_type("integer", value, path),
                        "received": "float",
                        "message": "Expected integer, received float",
                    }
                ]
            value = int(value)
        if minimum is None:
            if value <= 0:
                return None, [too_small("number", 0, path, inclusive=False)]
        elif value < minimum:
            return None, [too_small("number", minimum, path)]
        if value > maximum:
            return None, [too_big("number", maximum, path)]
        return value, []

    return check


def check_enum(options: tuple[str, ...]) -> Checker:
    """One of the exact canonical values."""

    def check(value: object, path: Path) -> tuple[Any, list[Issue]]:
        if not isinstance(value, str):
            return None, [invalid_enum(value, options, path)]
        if value not in options:
            return None, [invalid_enum(value, options, path)]
        return value, []

    return check


def check_list(item: Checker, *, max_items: int, canonical: Callable[[str], str] = str) -> Checker:
    """An array of items, each checked; duplicates (after canonicalising) dropped."""

    def check(value: object, path: Path) -> tuple[Any, list[Issue]]:
        if not isinstance(value, list):
            return None, [invalid_type("array", value, path)]
        if len(value) > max_items:
            return None, [too_big("array", max_items, path)]
        issues: list[Issue] = []
        items: list[str] = []
        seen: set[str] = set()
        for index, element in enumerate(value):
            checked, element_issues = item(element, [*path, index])
            issues.extend(element_issues)
            if element_issues:
                continue
            name = canonical(checked)
            if name.casefold() not in seen:
                seen.add(name.casefold())
                items.append(name)
        return (None, issues) if issues else (items, [])

    return check


def check_country(value: object, path: Path) -> tuple[Any, list[Issue]]:
    """An ISO 3166-1 alpha-2 code in any case, stored upper-case.

    Not documented (the draft's country format is an open point in the reference): codes
    only, because the marketplace facets use them, so they are the form that round-trips.
    """
    if not isinstance(value, str):
        return None, [invalid_type("string", value, path)]
    code = geo.country_code(value)
    if code is not None:
        return code, []
    shown = value.strip()[:60]
    suggestion = geo.country_code_for_name(value) if value.strip() else None
    hint = f"{suggestion}" if suggestion else "US"
    message = f"Unknown country code '{shown}': use an ISO 3166-1 alpha-2 code such as {hint}."
    params: dict[str, Any] = {"received": shown}
    if suggestion:
        params["suggestion"] = suggestion
    return None, [custom(message, path, **params)]


def _language_name(value: str) -> str:
    return geo.canonical_language(value) or value


UPDATE_SCHEMA: dict[str, Checker] = {
    "jobTitle": check_string(max_len=MAX_TITLE),
    "jobDescription": check_string(max_len=MAX_DESCRIPTION),
    "labelingOverview": check_string(max_len=20_000),
    "datasetDescription": check_string(max_len=20_000),
    "dataType": check_string(max_len=200),
    "subjectMatter": check_string(max_len=500),
    "dataVolume": check_number(maximum=1e12),
    "dataVolumeUnit": check_enum(DATA_VOLUME_UNITS),
    "labelingSoftware": check_string(max_len=200),
    "headcount": check_number(maximum=MAX_HEADCOUNT, integer=True, minimum=1),
    "experienceLevel": check_enum(EXPERIENCE_LEVELS),
    "paymentType": check_enum(PAYMENT_TYPES),
    "pricePerHour": check_number(maximum=1_000),
    "pricePerLabel": check_number(maximum=1_000),
    "fixedPrice": check_number(maximum=10_000_000),
    "countries": check_list(check_country, max_items=250),
    "languages": check_list(check_string(max_len=60), max_items=50, canonical=_language_name),
    "labelTypes": check_list(check_string(max_len=100), max_items=50),
    "aiInterviewRequirements": check_string(max_len=5_000),
    "budgetRange": check_string(max_len=200),
    "workloadDesc": check_string(max_len=2_000),
    "timeRequirement": check_string(max_len=500),
    "projectDuration": check_string(max_len=200),
    "freelancerType": check_string(max_len=200),
    "projectScope": check_string(max_len=2_000),
    "visibility": check_string(max_len=50),
}
UPDATE_KEYS: tuple[str, ...] = tuple(UPDATE_SCHEMA)


def validate_update(body: object) -> tuple[dict[str, Any], list[Issue]]:
    """Check a PATCH body against the strict draft schema.

    Returns:
        The normalised values to set, and the zod-shaped issues (empty when valid).
    """
    if not isinstance(body, dict):
        return {}, [invalid_type("object", body, [])]
    issues: list[Issue] = []
    values: dict[str, Any] = {}
    for key, value in body.items():
        checker = UPDATE_SCHEMA.get(key)
        if checker is None:
            continue
        checked, key_issues = checker(value, [key])
        issues.extend(key_issues)
        if not key_issues:
            values[key] = checked
    unknown = [k for k in body if k not in UPDATE_SCHEMA]
    if unknown:
        issues.append(unrecognized_keys(unknown, []))
    if not body:
        issues.append(custom("Provide at least one draft field to update.", []))
    return values, issues
