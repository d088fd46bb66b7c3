"""The draft's fields: their types, the strict PATCH schema, and publish-readiness rules.

PATCH bodies are checked the way the real API's zod schema does it: unknown keys, wrong
types, bad enum values and out-of-range values each become a zod-shaped issue with a `path`.
Readiness is computed from the stored fields: what is still missing (as rich prompt objects)
and which `issues[]` block publishing.

Not documented; chosen by the sandbox (reasons in `wizard/sandbox/README.md`, items 2-7):
countries as ISO 3166-1 alpha-2 codes only; languages stored as canonical names; a PATCH
with any invalid key changes nothing; the value limits; the readiness rules, rate floors and
the `RATE_BELOW_MINIMUM` issue shape, and the advisory `HEADCOUNT_LARGE` issue; which
`missingFields` form (create or PATCH style) each endpoint uses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from wizard.sandbox import geo

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

RATE_KEYS: dict[str, str] = {
    "PAY_PER_HOUR": "pricePerHour",
    "PAY_PER_LABEL": "pricePerLabel",
    "FIXED_PRICE": "fixedPrice",
}
PAYMENT_LABELS: dict[str, str] = {
    "PAY_PER_HOUR": "Pay per hour",
    "PAY_PER_LABEL": "Pay per label",
    "FIXED_PRICE": "Fixed price",
}
RATE_FLOORS: dict[str, float] = {"pricePerHour": 5.0, "pricePerLabel": 0.01, "fixedPrice": 50.0}
OVERVIEW_NEEDED_BELOW = 280
"""A labeling overview is required while the description is shorter than this."""
MAX_TITLE = 120
MAX_DESCRIPTION = 60_000
MAX_HEADCOUNT = 500
LARGE_HEADCOUNT = 100
"""Above this many trainers the sandbox adds an advisory issue (publishing stays allowed)."""

# What JavaScript's String.prototype.trim (and so zod's .trim()) removes, which is also
# ECMAScript's \s. Python's str.strip() removes more (\x1c-\x1f, \x85), so it is not used.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)

Issue = dict[str, Any]
Path = list[str | int]
Style = Literal["create", "patch"]


# --- zod-shaped issues -------------------------------------------------------------------


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

# JSON Schema types of the update keys, for the OpenAPI document.
KEY_JSON_TYPES: dict[str, str] = {
    "dataVolume": "number",
    "headcount": "integer",
    "pricePerHour": "number",
    "pricePerLabel": "number",
    "fixedPrice": "number",
    "countries": "array",
    "languages": "array",
    "labelTypes": "array",
}


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


# --- readiness -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """One gap that blocks publishing, before it is rendered in a response's style."""

    field: str
    label: str
    question: str
    type: str
    update_keys: tuple[str, ...]
    example: str
    hint: str | None
    enum_values: tuple[str, ...] | None = None
    prompt_choices: tuple[str, ...] | None = None
    """Values listed after a create-style prompt when `enum_values` is not set."""
    message: str | None = None
    """A fixed message; otherwise "<label> is required[ before publishing]."."""

    def render(self, style: Style) -> dict[str, Any]:
        """The rich missing-field object, in the create or the PATCH response's style.

        Create responses use the generic code and an `ask:` prompt ending in the allowed
        values; PATCH (and publish) use a per-field upper-snake code and a bare question.
        """
        if self.message is not None:
            message = self.message
        elif style == "create":
            message = f"{self.label} is required before publishing."
        else:
            message = f"{self.label} is required."
        if style == "create":
            code = "missing_required_field"
            choices = self.enum_values or self.prompt_choices
            prompt = f"ask: {self.question}" + (f" ({', '.join(choices)})" if choices else "")
        else:
            code = f"MISSING_{upper_snake(self.field)}"
            prompt = self.question
        return {
            "field": self.field,
            "label": self.label,
            "message": message,
            "code": code,
            "prompt": prompt,
            "type": self.type,
            "enumValues": list(self.enum_values) if self.enum_values else None,
            "updateKeys": list(self.update_keys),
            "example": self.example,
            "hint": self.hint,
        }


def upper_snake(name: str) -> str:
    """`experienceLevel` -> `EXPERIENCE_LEVEL`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


@dataclass(frozen=True)
class Readiness:
    """What blocks publishing a draft: missing fields and issues."""

    missing: tuple[Missing, ...]
    issues: tuple[Issue, ...]

    @property
    def blocking_issues(self) -> list[Issue]:
        """The issues that block publishing (advisory ones, `severity: "warning"`, do not)."""
        return [i for i in self.issues if i.get("severity") != "warning"]

    @property
    def publish_ready(self) -> bool:
        """Ready only when nothing is missing and no issue blocks."""
        return not self.missing and not self.blocking_issues

    def payload(self, style: Style, *, names_only: bool = False) -> dict[str, Any]:
        """The `validation` object; `names_only` lists field names instead of objects."""
        missing: list[Any] = (
            [m.field for m in self.missing]
            if names_only
            else [m.render(style) for m in self.missing]
        )
        return {
            "publishReady": self.publish_ready,
            "issueCount": len(self.issues),
            "missingFieldCount": len(self.missing),
            "missingFields": missing,
            "issues": [dict(i) for i in self.issues],
        }


def _has(fields: dict[str, Any], key: str) -> bool:
    value = fields.get(key)
    if value is None:
        return False
    if isinstance(value, str | list):
        return bool(value)
    return True


def evaluate(fields: dict[str, Any]) -> Readiness:
    """Work out what still blocks publishing a draft with these fields."""
    missing: list[Missing] = []
    if not _has(fields, "jobTitle"):
        missing.append(
            Missing(
                field="jobTitle",
                label="Job title",
                type="string",
                update_keys=("jobTitle",),
                question="What is the job title trainers will see?",
                example="Bounding-box annotation for retail shelf photos",
                hint=f"Up to {MAX_TITLE} characters.",
            )
        )
    description = fields.get("jobDescription") or ""
    if not _has(fields, "jobDescription"):
        missing.append(
            Missing(
                field="jobDescription",
                label="Job description",
                type="text",
                update_keys=("jobDescription",),
                question="Describe the job: the data, the task and what a good result looks like.",
                example="We need annotators to draw boxes around products in shelf photos.",
                hint=f"Plain text, up to {MAX_DESCRIPTION:,} characters.",
            )
        )
    if len(description) < OVERVIEW_NEEDED_BELOW and not _has(fields, "labelingOverview"):
        missing.append(
            Missing(
                field="labelingOverview",
                label="Labeling overview",
                type="text",
                update_keys=("labelingOverview",),
                question="What exactly will trainers label, how, and with which tool?",
                example="Draw a tight box around every product and tag its brand, in CVAT.",
                hint=(
                    f"Required while the job description is shorter than {OVERVIEW_NEEDED_BELOW}"
                    f" characters (it has {len(description)})."
                ),
                message=(
                    "A labeling overview is required while the job description is shorter than"
                    f" {OVERVIEW_NEEDED_BELOW} characters."
                ),
            )
        )
    if not _has(fields, "experienceLevel"):
        missing.append(
            Missing(
                field="experienceLevel",
                label="Experience level",
                type="enum",
                update_keys=("experienceLevel",),
                enum_values=EXPERIENCE_LEVELS,
                question="What experience level should trainers have?",
                example="INTERMEDIATE",
                hint=None,
            )
        )
    payment_type = fields.get("paymentType")
    if not _has(fields, "paymentType"):
        missing.append(
            Missing(
                field="paymentType",
                label="Payment type",
                type="enum",
                update_keys=("paymentType",),
                enum_values=PAYMENT_TYPES,
                question="How will trainers be paid?",
                example="PAY_PER_HOUR",
                hint="Choosing a payment type makes its rate required.",
            )
        )
    elif payment_type in RATE_KEYS and not _has(fields, RATE_KEYS[payment_type]):
        missing.append(_rate_missing(payment_type))
    if not _has(fields, "languages"):
        missing.append(
            Missing(
                field="languages",
                label="Languages",
                type="string[]",
                update_keys=("languages",),
                question="Which languages must trainers work in?",
                example="English",
                hint="Language names, e.g. English, Spanish.",
                message=None,
            )
        )
    if not _has(fields, "countries"):
        missing.append(
            Missing(
                field="countries",
                label="Countries",
                type="string[]",
                update_keys=("countries",),
                question="Which countries may trainers work from?",
                example="US",
                hint="ISO 3166-1 alpha-2 codes, e.g. US, IN, PH.",
            )
        )
    if not _has(fields, "headcount"):
        missing.append(
            Missing(
                field="headcount",
                label="Headcount",
                type="number",
                update_keys=("headcount",),
                question="How many trainers do you want to hire?",
                example="5",
                hint=f"A whole number from 1 to {MAX_HEADCOUNT}.",
            )
        )
    missing.extend(_data_volume_missing(fields))
    return Readiness(missing=tuple(missing), issues=tuple(_issues(fields)))


def _rate_missing(payment_type: str) -> Missing:
    key = RATE_KEYS[payment_type]
    floor = RATE_FLOORS[key]
    details = {
        "pricePerHour": ("Hourly rate", "What is the hourly rate, in USD?", "18", "per hour"),
        "pricePerLabel": (
            "Rate per label",
            "How much is paid per label, in USD?",
            "0.05",
            "per label",
        ),
        "fixedPrice": (
            "Fixed price",
            "What is the total fixed price, in USD?",
            "1200",
            "for the whole job",
        ),
    }
    label, question, example, unit = details[key]
    return Missing(
        field=key,
        label=label,
        type="number",
        update_keys=(key,),
        question=question,
        example=example,
        hint=f"USD {unit}, at least {floor:g}",
        message=f"A pay rate is required for {PAYMENT_LABELS[payment_type]}.",
    )


def _data_volume_missing(fields: dict[str, Any]) -> list[Missing]:
    has_volume = _has(fields, "dataVolume")
    unit = fields.get("dataVolumeUnit")
    if unit == "UNKNOWN_NOT_SPECIFIED":
        # The caller said the volume is unknown: nothing more can be asked.
        return []
    if not has_volume and not unit:
        return [
            Missing(
                field="dataVolume",
                label="Data volume",
                type="number",
                update_keys=("dataVolume", "dataVolumeUnit"),
                question="How much data is there, and in which unit is it counted?",
                example="20000",
                prompt_choices=DATA_VOLUME_UNITS,
                hint="A quantity plus dataVolumeUnit, one of " + ", ".join(DATA_VOLUME_UNITS) + ".",
                message=None,
            )
        ]
    if not unit:
        return [
            Missing(
                field="dataVolumeUnit",
                label="Data volume unit",
                type="enum",
                update_keys=("dataVolumeUnit",),
                enum_values=DATA_VOLUME_UNITS,
                question=f"What unit is the data volume of {fields['dataVolume']:,} counted in?",
                example="NUMBER_OF_FILES",
                hint=None,
                message=f"A unit is required for the data volume ({fields['dataVolume']:,}).",
            )
        ]
    if not has_volume:
        return [
            Missing(
                field="dataVolume",
                label="Data volume",
                type="number",
                update_keys=("dataVolume",),
                question=f"How much data is there, counted as {unit}?",
                example="20000",
                hint="A positive number.",
            )
        ]
    return []


def _issues(fields: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    payment_type = fields.get("paymentType")
    key = RATE_KEYS.get(payment_type) if isinstance(payment_type, str) else None
    if key is not None and _has(fields, key):
        rate = fields[key]
        floor = RATE_FLOORS[key]
        if isinstance(rate, int | float) and rate < floor:
            label = PAYMENT_LABELS[str(payment_type)]
            issues.append(
                {
                    "code": "RATE_BELOW_MINIMUM",
                    "field": key,
                    "message": f"{label} needs a rate of at least {floor:g} USD, not {rate:g}.",
                    "minimum": floor,
                    "received": rate,
                }
            )
    headcount = fields.get("headcount")
    if isinstance(headcount, int | float) and headcount > LARGE_HEADCOUNT:
        # Advisory: reported in issues[] while publishReady stays true (README item 6).
        issues.append(
            {
                "code": "HEADCOUNT_LARGE",
                "field": "headcount",
                "severity": "warning",
                "message": (
                    f"Hiring {headcount:g} trainers at once can take weeks; a smaller first"
                    " batch usually starts sooner."
                ),
                "received": headcount,
            }
        )
    return issues
