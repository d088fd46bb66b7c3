"""Models of OpenTrain's responses, tolerant of every documented shape variant.

The public docs disagree with themselves about where missing fields live and what
they look like (see the inconsistency table in the API reference). These models
accept all of those shapes and normalise them, so nothing above this layer has to
know about the variants.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar

from wizard.api.lenient import (
    IdText,
    Lenient,
    ListOrEmpty,
    LooseNumber,
    MessageList,
    ObjectOrEmpty,
    OptionalText,
    TextList,
    as_text,
    enum_list,
    loose_bool,
    optional_text,
    string_list,
)
from wizard.api.record import (
    Field,
    ModelConfig,
    ShapeError,
    field_validator,
    model_validator,
)

_ASK_PREFIX = re.compile(r"^\s*ask\s*:\s*", re.IGNORECASE)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def strip_ask(prompt: str | None) -> str | None:
    """Drop the agent-oriented ``ask:`` prefix some prompts carry."""
    if prompt is None:
        return None
    return _ASK_PREFIX.sub("", prompt, count=1)


class MissingField(Lenient):
    """One gap the server says blocks publishing (the richest documented form)."""

    field: str
    label: str | None = None
    message: str | None = None
    code: str | None = None
    prompt: str | None = None
    type: str | None = None
    enum_values: list[str] | None = Field(default=None, alias="enumValues")
    update_keys: list[str] = Field(default_factory=list, alias="updateKeys")
    example: str | None = None
    hint: str | None = None

    @field_validator("prompt", mode="before")
    @classmethod
    def _strip_ask(cls, value: Any) -> Any:
        return strip_ask(value) if isinstance(value, str) else value

    @field_validator("example", "label", "message", "code", "hint", "type", mode="before")
    @classmethod
    def _stringify(cls, value: Any) -> Any:
        # `example` is a string even for numbers in the docs; be lenient the other way too.
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool | int | float):
            return str(value)
        return as_text(value)

    @field_validator("enum_values", mode="before")
    @classmethod
    def _enum_strings(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list):
            return None
        return enum_list(value)

    @field_validator("update_keys", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return []
        # The docs' example ends with a literal "..."; keep identifiers only, each once
        # (a key listed twice would become two widgets with the same id).
        keys = [key for key in value if isinstance(key, str) and _IDENTIFIER.match(key)]
        return list(dict.fromkeys(keys))

    @model_validator(mode="after")
    def _default_keys(self) -> MissingField:
        if not self.update_keys:
            self.update_keys = [self.field]
        return self

    def merged_with(self, other: MissingField) -> MissingField:
        """Fill this entry's blanks from another entry for the same field."""
        data = self.model_dump()
        for key, value in other.model_dump().items():
            if data.get(key) in (None, "", []) and value not in (None, "", []):
                data[key] = value
        if self.update_keys == [self.field] and other.update_keys != [other.field]:
            data["update_keys"] = other.update_keys
        return MissingField.model_validate(data)


def _coerce_missing(item: Any) -> MissingField | None:
    """Upgrade a bare field name or a loose object into a MissingField, or drop it."""
    if isinstance(item, MissingField):
        return item
    if isinstance(item, str):
        name = item.strip()
        return MissingField(field=name) if name else None
    if isinstance(item, dict):
        raw_name: Any = item.get("field") or item.get("key") or item.get("name")
        if not isinstance(raw_name, str) or not raw_name.strip():
            # No name: the first usable update key names it; a blank one names nothing.
            keys = item.get("updateKeys")
            keys = keys if isinstance(keys, list) else []
            usable = [k for k in keys if isinstance(k, str) and _IDENTIFIER.match(k)]
            if not usable:
                return None
            raw_name = usable[0]
        try:
            return MissingField.model_validate({**item, "field": raw_name.strip()})
        except ValueError:
            return MissingField(field=raw_name.strip())
    return None


def merge_missing(*sources: Any) -> list[MissingField]:
    """Merge several loose missing-field lists by ``field``, keeping first-seen order."""
    merged: dict[str, MissingField] = {}
    for source in sources:
        if not isinstance(source, list):
            continue
        for item in source:
            entry = _coerce_missing(item)
            if entry is None:
                continue
            existing = merged.get(entry.field)
            merged[entry.field] = entry if existing is None else existing.merged_with(entry)
    return list(merged.values())


class Issue(Lenient):
    """A blocking problem that is not a missing field (e.g. a rate below the floor)."""

    message: str
    code: str | None = None
    field: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_anything(cls, value: Any) -> Any:
        if isinstance(value, dict):
            field = value.get("field")
            if not isinstance(field, str):
                # A zod-style path names the top-level key first: ["countries", 1] or
                # "countries.1" both mean countries.
                path = value.get("path")
                if isinstance(path, list):
                    field = next((p for p in path if isinstance(p, str) and p), None)
                elif isinstance(path, str):
                    field = path.split(".")[0]
            code = value.get("code")
            return {
                "message": as_text(value),
                "code": code if isinstance(code, str) else None,
                "field": field if isinstance(field, str) else None,
            }
        return {"message": as_text(value)}


class Validation(Lenient):
    """A draft's validation report, with missing fields already merged."""

    publish_ready: bool = Field(default=False, alias="publishReady")
    issue_count: int | None = Field(default=None, alias="issueCount")
    missing_field_count: int | None = Field(default=None, alias="missingFieldCount")
    missing_fields: list[MissingField] = Field(default_factory=list, alias="missingFields")
    issues: Annotated[list[Issue], ListOrEmpty] = Field(default_factory=list)

    @field_validator("missing_fields", mode="before")
    @classmethod
    def _merge(cls, value: Any) -> Any:
        return merge_missing(value)

    @field_validator("publish_ready", mode="before")
    @classmethod
    def _ready(cls, value: Any) -> Any:
        # bool("false") is True: a string must not make a draft look ready.
        return loose_bool(value, default=False)

    @field_validator("issue_count", "missing_field_count", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def ready(self) -> bool:
        """True only when the server says so and nothing visibly blocks it."""
        return self.publish_ready and not self.issues and not (self.issue_count or 0)


class UnmappedField(Lenient):
    """Part of the input the parser could not place."""

    path: str = ""
    reason: str = ""
    value_preview: str | None = Field(default=None, alias="valuePreview")

    @model_validator(mode="before")
    @classmethod
    def _loose(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (as_text(v) if k != "valuePreview" or v is not None else v)
                for k, v in value.items()
            }
        return {"path": "", "reason": as_text(value)}


class DraftResponse(Lenient):
    """The reply to create and to PATCH: a draft and its fresh validation.

    ``missing_fields`` merges top-level rich objects with ``validation.missingFields``
    (names or objects); ``validation.missing_fields`` holds the same merged list.
    """

    ok: bool = True
    job_id: IdText = Field(alias="jobId")
    status: str = "DRAFT"
    draft_url: OptionalText = Field(default=None, alias="draftUrl")
    review_url: OptionalText = Field(default=None, alias="reviewUrl")
    validation: Validation = Field(default_factory=Validation)
    normalized_fields: dict[str, Any] | None = Field(default=None, alias="normalizedFields")
    warnings: MessageList = Field(default_factory=list)
    unmapped_fields: Annotated[list[UnmappedField], ListOrEmpty] = Field(
        default_factory=list, alias="unmappedFields"
    )
    low_confidence_fields: list[str] = Field(default_factory=list, alias="lowConfidenceFields")

    @model_validator(mode="before")
    @classmethod
    def _merge_missing(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        data = dict(value)
        raw_validation = data.get("validation")
        validation = dict(raw_validation) if isinstance(raw_validation, dict) else {}
        validation["missingFields"] = merge_missing(
            data.get("missingFields"), validation.get("missingFields")
        )
        data["validation"] = validation
        if not isinstance(data.get("normalizedFields"), dict):
            data["normalizedFields"] = None
        return data

    @field_validator("ok", mode="before")
    @classmethod
    def _ok(cls, value: Any) -> Any:
        return loose_bool(value, default=True)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return optional_text(value) or "DRAFT"

    @field_validator("low_confidence_fields", mode="before")
    @classmethod
    def _low(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return []
        out: list[str] = []
        for item in value:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict):
                name = item.get("field") or item.get("path") or item.get("key")
                if isinstance(name, str):
                    out.append(name)
        return out

    @property
    def missing_fields(self) -> list[MissingField]:
        """Every missing field, merged from all documented places."""
        return self.validation.missing_fields


class PublishResult(Lenient):
    """A successful publish (or an idempotent re-publish)."""

    ok: bool = True
    job_id: str = Field(alias="jobId")
    status: str = "OPEN"
    already_published: bool = Field(default=False, alias="alreadyPublished")
    job_url: str | None = Field(default=None, alias="jobUrl")
    publish_attempt_id: str | None = Field(default=None, alias="publishAttemptId")
    warnings: MessageList = Field(default_factory=list)


class DraftEnums(Lenient):
    """Enum values for draft keys, as capabilities lists them."""

    payment_type: list[str] = Field(default_factory=list, alias="paymentType")
    experience_level: list[str] = Field(default_factory=list, alias="experienceLevel")
    data_volume_unit: list[str] = Field(default_factory=list, alias="dataVolumeUnit")
    extra: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _collect(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return {}
        known = {"paymentType", "experienceLevel", "dataVolumeUnit"}
        extra = {
            str(key): enum_list(values)
            for key, values in value.items()
            if key not in known and isinstance(values, list)
        }
        return {**{k: enum_list(v) for k, v in value.items() if k in known}, "extra": extra}

    def for_key(self, key: str) -> list[str]:
        """Allowed values for one update key, or an empty list."""
        table = {
            "paymentType": self.payment_type,
            "experienceLevel": self.experience_level,
            "dataVolumeUnit": self.data_volume_unit,
        }
        return list(table.get(key) or self.extra.get(key) or [])


class DraftCapabilities(Lenient):
    """The ``draft`` part of capabilities."""

    import_formats: TextList = Field(default_factory=list, alias="importFormats")
    update_keys: list[str] = Field(default_factory=list, alias="updateKeys")
    enums: DraftEnums = Field(default_factory=DraftEnums)

    @model_validator(mode="before")
    @classmethod
    def _object(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}

    @field_validator("update_keys", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return []
        return [k for k in value if isinstance(k, str) and _IDENTIFIER.match(k)]


class Capabilities(Lenient):
    """``GET /job-drafts/capabilities``."""

    feature_key: OptionalText = Field(default=None, alias="featureKey")
    capabilities: dict[str, bool] = Field(default_factory=dict)
    draft: Annotated[DraftCapabilities, ObjectOrEmpty] = Field(default_factory=DraftCapabilities)
    enabled: bool = True

    @field_validator("capabilities", mode="before")
    @classmethod
    def _flags(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return {}
        return {str(k): loose_bool(v, default=False) for k, v in value.items()}

    @field_validator("enabled", mode="before")
    @classmethod
    def _enabled(cls, value: Any) -> Any:
        return loose_bool(value, default=True)

    def can(self, name: str) -> bool:
        """Whether a capability flag is on (unknown flags count as on)."""
        return self.capabilities.get(name, True)


class Actor(Lenient):
    """Who the token speaks for."""

    user_id: str | None = Field(default=None, alias="userId")
    email: str | None = None
    full_name: str | None = Field(default=None, alias="fullName")


class TokenInfo(Lenient):
    """Metadata about the token (never the secret).

    ``scopes`` may come as a list or as one OAuth-style string (``"jobs:read jobs:write"``);
    whether the server sent it at all is ``"scopes" in model_fields_set``.
    """

    id: OptionalText = None
    label: OptionalText = None
    scopes: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _object(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return {}
        # `scopes: null` says nothing about the scopes: treat it as not sent.
        return {k: v for k, v in value.items() if not (k == "scopes" and v is None)}

    @field_validator("scopes", mode="before")
    @classmethod
    def _scopes(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part for part in re.split(r"[\s,]+", value) if part]
        return string_list(value)


class Me(Lenient):
    """``GET /auth/me``.

    ``account`` is kept as the server sent it (an object, else empty): the documented keys
    say nothing about claiming or limits, so ``wizard.core.account`` reads the variants a
    server may add. Unknown top-level keys are kept too (``model_extra``) for the same reason.
    """

    model_config: ClassVar[ModelConfig] = ModelConfig(extra="allow")

    actor: Annotated[Actor, ObjectOrEmpty] = Field(default_factory=Actor)
    token: TokenInfo = Field(default_factory=TokenInfo)
    account: Annotated[dict[str, Any], ObjectOrEmpty] = Field(default_factory=dict)


class MyJob(Lenient):
    """One row of ``GET /jobs/mine``."""

    id: IdText
    title: str | None = None
    status: str = "DRAFT"
    published: bool = False
    created_at: str | None = Field(default=None, alias="createdAt")
    updated_at: str | None = Field(default=None, alias="updatedAt")
    job_url: str | None = Field(default=None, alias="jobUrl")


class MyJobsPage(Lenient):
    """A page of ``GET /jobs/mine``."""

    jobs: list[MyJob] = Field(default_factory=list)
    next_cursor: str | None = Field(default=None, alias="nextCursor")


class FacetValue(Lenient):
    """A ``{value, count}`` pair from marketplace facets."""

    value: str
    count: int = 0


class MarketplaceFacets(Lenient):
    """``GET /jobs/facets``: marketplace-wide counts."""

    total_jobs: int = Field(default=0, alias="totalJobs")
    categories: list[FacetValue] = Field(default_factory=list)
    languages: list[FacetValue] = Field(default_factory=list)
    countries: list[FacetValue] = Field(default_factory=list)
    pay_types: list[FacetValue] = Field(default_factory=list, alias="payTypes")
    generated_at: str | None = Field(default=None, alias="generatedAt")


class JobPay(Lenient):
    """The ``pay`` object of a public job: which rate is set depends on ``paymentType``."""

    payment_type: OptionalText = Field(default=None, alias="paymentType")
    currency: OptionalText = None
    hourly_rate: LooseNumber = Field(default=None, alias="hourlyRate")
    hourly_min: LooseNumber = Field(default=None, alias="hourlyMin")
    hourly_max: LooseNumber = Field(default=None, alias="hourlyMax")
    fixed_price: LooseNumber = Field(default=None, alias="fixedPrice")
    per_label_rate: LooseNumber = Field(default=None, alias="perLabelRate")

    @model_validator(mode="before")
    @classmethod
    def _object(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}

    def rate(self) -> float | None:
        """The one rate of this job's payment type, in its currency.

        An hourly job that gives only a range counts as the middle of it.
        """
        if self.payment_type == "PAY_PER_HOUR":
            if self.hourly_rate is not None:
                return self.hourly_rate
            if self.hourly_min is not None and self.hourly_max is not None:
                return (self.hourly_min + self.hourly_max) / 2
            return self.hourly_min if self.hourly_min is not None else self.hourly_max
        if self.payment_type == "PAY_PER_LABEL":
            return self.per_label_rate
        if self.payment_type == "FIXED_PRICE":
            return self.fixed_price
        return None


class PublicJob(Lenient):
    """One open job from the tokenless marketplace (``GET /jobs``, ``GET /jobs/{id}``)."""

    id: IdText
    title: OptionalText = None
    status: OptionalText = None
    category: OptionalText = None
    countries: TextList = Field(default_factory=list)
    languages: TextList = Field(default_factory=list)
    experience_level: OptionalText = Field(default=None, alias="experienceLevel")
    """A display label here ("Intermediate"), not the draft enum."""
    pay: Annotated[JobPay, ObjectOrEmpty] = Field(default_factory=JobPay)
    url: OptionalText = None


class JobSearchPage(Lenient):
    """A page of ``GET /jobs``; a job entry that cannot be read is left out, not fatal."""

    jobs: list[PublicJob] = Field(default_factory=list)
    next_cursor: OptionalText = Field(default=None, alias="nextCursor")
    generated_at: OptionalText = Field(default=None, alias="generatedAt")

    @field_validator("jobs", mode="before")
    @classmethod
    def _jobs(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return []
        jobs: list[PublicJob] = []
        for item in value:
            try:
                jobs.append(PublicJob.model_validate(item))
            except ShapeError:
                continue
        return jobs
