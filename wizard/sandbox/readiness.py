"""Publish readiness: which fields a draft still misses, and which issues block publishing.

The missing-field catalogue is data: `CATALOGUE` holds one `MissingField` entry per gap the
sandbox can report (its label, type, update keys, question, example, hint and message), in
the order `missingFields` lists them. Adding a field is one entry. When an entry applies is
a small rule (`when`); by default, while the field is empty. Text in an entry may name
`{description_length}`, `{volume}` or `{unit}`, filled from the draft when it is reported.

Not documented; chosen by the sandbox (reasons in `wizard/sandbox/README.md`, items 6 and 7):
the readiness rules, rate floors and the `RATE_BELOW_MINIMUM` issue shape, the advisory
`HEADCOUNT_LARGE` issue; which `missingFields` form (create or PATCH style) each endpoint
uses.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from wizard.sandbox.fields import (
    DATA_VOLUME_UNITS,
    EXPERIENCE_LEVELS,
    MAX_DESCRIPTION,
    MAX_HEADCOUNT,
    MAX_TITLE,
    PAYMENT_TYPES,
    RATE_KEYS,
)
from wizard.sandbox.zod import Issue

Style = Literal["create", "patch"]
Fields = dict[str, Any]
Rule = Callable[[Fields], bool]

PAYMENT_LABELS: dict[str, str] = {
    "PAY_PER_HOUR": "Pay per hour",
    "PAY_PER_LABEL": "Pay per label",
    "FIXED_PRICE": "Fixed price",
}
RATE_FLOORS: dict[str, float] = {"pricePerHour": 5.0, "pricePerLabel": 0.01, "fixedPrice": 50.0}
OVERVIEW_NEEDED_BELOW = 280
"""A labeling overview is required while the description is shorter than this."""
LARGE_HEADCOUNT = 100
"""Above this many trainers the sandbox adds an advisory issue (publishing stays allowed)."""


@dataclass(frozen=True)
class MissingField:
    """One gap that blocks publishing, before it is rendered in a response's style."""

    field: str
    label: str
    type: str
    question: str
    example: str
    hint: str | None = None
    update_keys: tuple[str, ...] = ()
    """The keys a PATCH sets to fill the gap; empty means just `field`."""
    enum_values: tuple[str, ...] | None = None
    prompt_choices: tuple[str, ...] | None = None
    """Values listed after a create-style prompt when `enum_values` is not set."""
    message: str | None = None
    """A fixed message; otherwise "<label> is required[ before publishing]."."""
    when: Rule | None = dataclasses.field(default=None, compare=False, repr=False)
    """When the gap is reported; None means while `field` is empty."""

    def applies(self, fields: Fields) -> bool:
        """Whether a draft with these fields has this gap."""
        return self.when(fields) if self.when is not None else not _has(fields, self.field)

    def filled_in(self, context: dict[str, Any]) -> MissingField:
        """The entry with the draft's values put into its question, hint and message."""
        return dataclasses.replace(
            self,
            question=self.question.format(**context),
            hint=None if self.hint is None else self.hint.format(**context),
            message=None if self.message is None else self.message.format(**context),
        )

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
            "updateKeys": list(self.update_keys or (self.field,)),
            "example": self.example,
            "hint": self.hint,
        }


def upper_snake(name: str) -> str:
    """`experienceLevel` -> `EXPERIENCE_LEVEL`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def _has(fields: Fields, key: str) -> bool:
    value = fields.get(key)
    if value is None:
        return False
    if isinstance(value, str | list):
        return bool(value)
    return True


# --- the rules that are more than "while the field is empty" -------------------------------


def _overview_needed(fields: Fields) -> bool:
    description = fields.get("jobDescription") or ""
    return len(description) < OVERVIEW_NEEDED_BELOW and not _has(fields, "labelingOverview")


def _rate_needed(key: str) -> Rule:
    """The rate field `key` is missing while the chosen payment type is paid that way."""

    def rule(fields: Fields) -> bool:
        payment_type = fields.get("paymentType")
        return (
            _has(fields, "paymentType")
            and payment_type in RATE_KEYS
            and RATE_KEYS[payment_type] == key
            and not _has(fields, key)
        )

    return rule


def _volume_unknown(fields: Fields) -> bool:
    # The caller said the volume is unknown: nothing more can be asked.
    return fields.get("dataVolumeUnit") == "UNKNOWN_NOT_SPECIFIED"


def _volume_and_unit_needed(fields: Fields) -> bool:
    return not _has(fields, "dataVolume") and not fields.get("dataVolumeUnit")


def _unit_needed(fields: Fields) -> bool:
    return _has(fields, "dataVolume") and not fields.get("dataVolumeUnit")


def _volume_needed(fields: Fields) -> bool:
    unit = fields.get("dataVolumeUnit")
    return bool(unit) and not _volume_unknown(fields) and not _has(fields, "dataVolume")


def _rate_entry(key: str, *, label: str, question: str, example: str, unit: str) -> MissingField:
    """The entry for one payment type's rate (`unit` says what the amount pays for)."""
    payment_type = next(p for p, k in RATE_KEYS.items() if k == key)
    return MissingField(
        field=key,
        label=label,
        type="number",
        question=question,
        example=example,
        hint=f"USD {unit}, at least {RATE_FLOORS[key]:g}",
        message=f"A pay rate is required for {PAYMENT_LABELS[payment_type]}.",
        when=_rate_needed(key),
    )


# --- the catalogue -------------------------------------------------------------------------

CATALOGUE: tuple[MissingField, ...] = (
    MissingField(
        field="jobTitle",
        label="Job title",
        type="string",
        question="What is the job title trainers will see?",
        example="Bounding-box annotation for retail shelf photos",
        hint=f"Up to {MAX_TITLE} characters.",
    ),
    MissingField(
        field="jobDescription",
        label="Job description",
        type="text",
        question="Describe the job: the data, the task and what a good result looks like.",
        example="We need annotators to draw boxes around products in shelf photos.",
        hint=f"Plain text, up to {MAX_DESCRIPTION:,} characters.",
    ),
    MissingField(
        field="labelingOverview",
        label="Labeling overview",
        type="text",
        question="What exactly will trainers label, how, and with which tool?",
        example="Draw a tight box around every product and tag its brand, in CVAT.",
        hint=(
            f"Required while the job description is shorter than {OVERVIEW_NEEDED_BELOW}"
            " characters (it has {description_length})."
        ),
        message=(
            "A labeling overview is required while the job description is shorter than"
            f" {OVERVIEW_NEEDED_BELOW} characters."
        ),
        when=_overview_needed,
    ),
    MissingField(
        field="experienceLevel",
        label="Experience level",
        type="enum",
        enum_values=EXPERIENCE_LEVELS,
        question="What experience level should trainers have?",
        example="INTERMEDIATE",
    ),
    MissingField(
        field="paymentType",
        label="Payment type",
        type="enum",
        enum_values=PAYMENT_TYPES,
        question="How will trainers be paid?",
        example="PAY_PER_HOUR",
        hint="Choosing a payment type makes its rate required.",
    ),
    _rate_entry(
        "pricePerHour",
        label="Hourly rate",
        question="What is the hourly rate, in USD?",
        example="18",
        unit="per hour",
    ),
    _rate_entry(
        "pricePerLabel",
        label="Rate per label",
        question="How much is paid per label, in USD?",
        example="0.05",
        unit="per label",
    ),
    _rate_entry(
        "fixedPrice",
        label="Fixed price",
        question="What is the total fixed price, in USD?",
        example="1200",
        unit="for the whole job",
    ),
    MissingField(
        field="languages",
        label="Languages",
        type="string[]",
        question="Which languages must trainers work in?",
        example="English",
        hint="Language names, e.g. English, Spanish.",
    ),
    MissingField(
        field="countries",
        label="Countries",
        type="string[]",
        question="Which countries may trainers work from?",
        example="US",
        hint="ISO 3166-1 alpha-2 codes, e.g. US, IN, PH.",
    ),
    MissingField(
        field="headcount",
        label="Headcount",
        type="number",
        question="How many trainers do you want to hire?",
        example="5",
        hint=f"A whole number from 1 to {MAX_HEADCOUNT}.",
    ),
    # The data volume: asked with its unit, or the one of the two still missing.
    MissingField(
        field="dataVolume",
        label="Data volume",
        type="number",
        update_keys=("dataVolume", "dataVolumeUnit"),
        question="How much data is there, and in which unit is it counted?",
        example="20000",
        prompt_choices=DATA_VOLUME_UNITS,
        hint="A quantity plus dataVolumeUnit, one of " + ", ".join(DATA_VOLUME_UNITS) + ".",
        when=_volume_and_unit_needed,
    ),
    MissingField(
        field="dataVolumeUnit",
        label="Data volume unit",
        type="enum",
        enum_values=DATA_VOLUME_UNITS,
        question="What unit is the data volume of {volume:,} counted in?",
        example="NUMBER_OF_FILES",
        message="A unit is required for the data volume ({volume:,}).",
        when=_unit_needed,
    ),
    MissingField(
        field="dataVolume",
        label="Data volume",
        type="number",
        question="How much data is there, counted as {unit}?",
        example="20000",
        hint="A positive number.",
        when=_volume_needed,
    ),
)


# --- readiness -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    """What blocks publishing a draft: missing fields and issues."""

    missing: tuple[MissingField, ...]
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


def evaluate(fields: Fields) -> Readiness:
    """Work out what still blocks publishing a draft with these fields."""
    context = {
        "description_length": len(fields.get("jobDescription") or ""),
        "volume": fields.get("dataVolume"),
        "unit": fields.get("dataVolumeUnit"),
    }
    missing = tuple(entry.filled_in(context) for entry in CATALOGUE if entry.applies(fields))
    return Readiness(missing=missing, issues=tuple(_issues(fields)))


def _issues(fields: Fields) -> list[Issue]:
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
