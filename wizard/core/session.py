"""The state of one draft between server responses: questions, values, rounds and diffs.

``DraftSession`` is plain data plus the rules for moving from one validation to the
next: which fields the last response resolved, which it added (and why), which values
came from the server's parser and which from the person. It does no I/O; the engine
feeds it responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from wizard.api.opentrain.models import (
    Capabilities,
    DraftResponse,
    MissingField,
    PublishResult,
    Validation,
)
from wizard.core.fields import (
    AnswerError,
    FieldSpec,
    build_issue_spec,
    build_part,
    build_spec,
    humanize_text,
)
from wizard.core.keys import RATE_KEYS, humanize_enum
from wizard.core.options import OptionCatalog

Provenance = Literal["parsed", "you"]


class AnswersInvalid(ValueError):
    """Some answers cannot be sent; ``errors`` maps each update key to one sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        first_key, first_message = next(iter(errors.items()))
        super().__init__(f"{first_key}: {first_message}")


@dataclass
class RoundDiff:
    """What one server response changed in the list of questions."""

    round: int
    resolved: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    remaining: int = 0
    grew: bool = False


@dataclass
class DraftSession:
    """One draft being finished."""

    job_id: str
    capabilities: Capabilities | None = None
    catalog: OptionCatalog | None = None
    title: str | None = None
    idempotency_key: str | None = None
    status: str = "DRAFT"
    draft_url: str | None = None
    review_url: str | None = None
    validation: Validation = field(default_factory=Validation)
    specs: list[FieldSpec] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    """The draft's known values, by update key."""
    provenance: dict[str, Provenance] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    low_confidence: list[str] = field(default_factory=list)
    round: int = 0
    history: list[RoundDiff] = field(default_factory=list)
    published: PublishResult | None = None
    _known: dict[str, MissingField] = field(default_factory=dict, repr=False)

    # ---- reading ---------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """Whether the server says the draft can be published."""
        return self.validation.ready

    @property
    def remaining(self) -> int:
        """How many questions are left ("n left")."""
        return len(self.specs)

    @property
    def blocking_issues(self) -> list[str]:
        """Issue sentences that name no field (shown in a banner)."""
        return [i.message for i in self.validation.issues if not i.field]

    def spec(self, field_name: str) -> FieldSpec | None:
        """The question for a field, if it is still asked."""
        for spec in self.specs:
            if spec.field == field_name:
                return spec
        return None

    def spec_for_key(self, key: str) -> FieldSpec | None:
        """The question that owns an update key."""
        for spec in self.specs:
            if key in spec.keys or spec.field == key:
                return spec
        return None

    # ---- moving on -------------------------------------------------------------------

    def apply(self, response: DraftResponse, sent: dict[str, Any] | None = None) -> RoundDiff:
        """Take a create or PATCH response: new validation, values, and the diff."""
        self.job_id = response.job_id or self.job_id
        self.status = response.status or self.status
        self.draft_url = response.draft_url or self.draft_url
        self.review_url = response.review_url or self.review_url
        if response.normalized_fields:
            for key, value in response.normalized_fields.items():
                if self.provenance.get(key) != "you":
                    self.values[key] = value
                    self.provenance[key] = "parsed"
        if sent:
            for key, value in sent.items():
                self.values[key] = value
                self.provenance[key] = "you"
        if isinstance(self.values.get("jobTitle"), str):
            self.title = self.values["jobTitle"]
        if response.warnings:
            self.warnings = list(response.warnings)
        if response.unmapped_fields:
            self.unmapped = [
                f"{u.path}: {u.reason}" + (f" ({u.value_preview})" if u.value_preview else "")
                for u in response.unmapped_fields
            ]
        if response.low_confidence_fields:
            self.low_confidence = list(response.low_confidence_fields)
        return self.apply_validation(response.validation, sent)

    def apply_validation(
        self, validation: Validation, sent: dict[str, Any] | None = None
    ) -> RoundDiff:
        """Re-plan the questions from a validation (after PATCH, or a publish-time 400)."""
        before = {spec.field for spec in self.specs}
        first = self.round == 0
        self.round += 1
        merged: list[MissingField] = []
        for entry in validation.missing_fields:
            known = self._known.get(entry.field)
            # PATCH replies may carry bare names; keep the richer object we saw before.
            full = entry if known is None else entry.merged_with(known)
            self._known[entry.field] = full
            merged.append(full)
        self.validation = validation.model_copy(update={"missing_fields": merged})

        specs = [
            build_spec(m, capabilities=self.capabilities, catalog=self.catalog) for m in merged
        ]
        by_field = {spec.field: spec for spec in specs}
        for issue in validation.issues:
            if not issue.field:
                continue
            owner = by_field.get(issue.field) or next(
                (s for s in specs if issue.field in s.keys), None
            )
            if owner is not None:
                owner.error = humanize_text(issue.message)
                continue
            issue_spec = build_issue_spec(
                issue, capabilities=self.capabilities, catalog=self.catalog
            )
            if issue_spec is not None:
                specs.append(issue_spec)
                by_field[issue_spec.field] = issue_spec

        added = [s.field for s in specs if s.field not in before] if not first else []
        for spec in specs:
            if spec.field in added:
                spec.is_new = True
                spec.reason = self._reason_added(spec, sent)
        resolved = [name for name in before if name not in by_field]
        self.specs = specs
        diff = RoundDiff(
            round=self.round,
            resolved=sorted(resolved),
            added=added,
            remaining=len(specs),
            grew=bool(added),
        )
        self.history.append(diff)
        return diff

    def _reason_added(self, spec: FieldSpec, sent: dict[str, Any] | None) -> str:
        """Say why a field appeared: the choice that caused it, else the server's message."""
        if sent:
            payment = sent.get("paymentType")
            if isinstance(payment, str) and RATE_KEYS.get(payment) in spec.keys:
                return f"Required because you chose {humanize_enum(payment)}."
            for key, value in sent.items():
                if isinstance(value, str) and value.isupper() and value.replace("_", "").isalnum():
                    label = humanize_enum(value)
                    text = " ".join(filter(None, [spec.message, spec.prompt, spec.hint]))
                    if label.casefold() in text.casefold() and key not in spec.keys:
                        return f"Required because you chose {label}."
        if spec.from_issue:
            return spec.message or "The server found a problem with this value."
        return spec.message or "Newly required by the server."

    def build_patch(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Coerce answers (keyed by update key) into one PATCH body.

        Keys that belong to no current question are coerced by what we know of the key
        (so already-parsed values stay editable). Raises ``AnswersInvalid`` naming every
        bad answer, so nothing is sent half-checked.
        """
        body: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for key, raw in answers.items():
            spec = self.spec_for_key(key)
            try:
                if spec is not None:
                    part = spec.part(key) if key in spec.keys else spec.parts[0]
                else:
                    part = build_part(key, capabilities=self.capabilities, catalog=self.catalog)
                # Answered by field name, the value still goes out under the part's update key.
                body[part.key] = part.coerce(raw)
            except AnswerError as err:
                errors[key] = str(err)
        if errors:
            raise AnswersInvalid(errors)
        return body

    def mark_published(self, result: PublishResult) -> None:
        """Record a successful publish."""
        self.published = result
        self.status = result.status or "OPEN"
