"""Field specs: what the server says is missing, turned into something a form can ask.

A ``FieldSpec`` is one question. It has one ``FieldPart`` per update key it owns (two
or more make a compound question, e.g. a data volume and its unit). Each part knows
its widget kind, its options, its limits, and how to coerce and check an answer, so
the Textual form and the headless ``fill`` command validate answers the same way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from wizard.api.opentrain.models import Capabilities, Issue, MissingField
from wizard.core.keys import (
    DOCUMENTED_ENUMS,
    INTEGER_KEYS,
    KEY_LABELS,
    NUMBER_KEYS,
    Kind,
    humanize_enum,
    is_long_text_key,
    kind_for_key,
    kind_from_type,
    label_for_key,
)
from wizard.core.options import ENUM_COUNT_KEYS, Option, OptionCatalog
from wizard.core.wording import ordered_values, plain


class AnswerError(ValueError):
    """An answer that cannot be sent as it is; the message is one sentence for the person."""


@dataclass
class FieldPart:
    """One update key of a question: its widget kind, options and limits."""

    key: str
    kind: Kind
    label: str
    options: list[Option] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    raw_type: str | None = None
    example: str | None = None
    catalog: OptionCatalog | None = None

    @property
    def placeholder(self) -> str:
        """The example, as a placeholder that cannot be mistaken for an answer."""
        return f"e.g. {self.example}" if self.example else ""

    def coerce(self, raw: Any) -> Any:
        """Turn an answer (typed text, or a JSON value from a file) into what the PATCH sends.

        Raises:
            AnswerError: with one sentence saying what is wrong.
        """
        if self.kind is Kind.NUMBER:
            return self._number(raw)
        if self.kind is Kind.SELECT:
            return self._choice(raw)
        if self.kind is Kind.LIST:
            return self._list(raw)
        if self.kind is Kind.BOOLEAN:
            return _boolean(raw)
        if raw is None or (isinstance(raw, list | dict)):
            raise AnswerError("Type an answer.")
        text = str(raw).strip()
        if not text:
            raise AnswerError("Type an answer.")
        return text

    def doubt(self, raw: Any) -> str | None:
        """A warning that does not block sending: list entries the reference lists do not
        know (a country code typo). The API does not document the format, so it decides."""
        if self.kind is not Kind.LIST or self.catalog is None or self.key not in _CHECKED_LISTS:
            return None
        try:
            values = self._list(raw)
        except AnswerError:
            return None
        unknown = [v for v in values if self.catalog.option(self.key, v) is None]
        if not unknown:
            return None
        what = _CHECKED_LISTS[self.key]
        names = ", ".join(repr(v) for v in unknown)
        return f"{names}: not a {what} we know. It is sent as typed; check the spelling."

    def check(self, raw: Any) -> str | None:
        """The problem with an answer, or None when it can be sent."""
        try:
            self.coerce(raw)
        except AnswerError as err:
            return str(err)
        return None

    def _number(self, raw: Any) -> int | float:
        if isinstance(raw, bool) or raw is None:
            raise AnswerError("Enter a number.")
        if isinstance(raw, int | float):
            try:
                value = float(raw)
            except OverflowError:  # a JSON integer with hundreds of digits
                raise AnswerError("Enter a finite number.") from None
        else:
            text = str(raw).strip().replace("_", "")
            text = re.sub(r"^(?:US\$|\$|USD\s*)", "", text, flags=re.IGNORECASE).strip()
            if not text:
                raise AnswerError("Enter a number.")
            if "," in text:
                # "1,200" is a thousand and two hundred; "0,06" is a decimal comma, and
                # dropping it would send 6 (a rate a hundred times too high).
                if not _THOUSANDS.fullmatch(text):
                    raise AnswerError(
                        f"{str(raw).strip()!r} is ambiguous: use a dot for decimals (0.06) "
                        "and commas only between thousands (1,200)."
                    )
                text = text.replace(",", "")
            try:
                value = float(text)
            except ValueError:
                raise AnswerError(f"{str(raw).strip()!r} is not a number.") from None
        if not math.isfinite(value):
            raise AnswerError("Enter a finite number.")
        if self.integer and not value.is_integer():
            raise AnswerError("Enter a whole number.")
        if self.minimum is not None and value < self.minimum:
            raise AnswerError(f"Must be at least {_fmt(self.minimum)}.")
        if self.maximum is not None and value > self.maximum:
            raise AnswerError(f"Must be at most {_fmt(self.maximum)}.")
        return int(value) if value.is_integer() else value

    def _choice(self, raw: Any) -> str:
        if raw is None or isinstance(raw, list | dict | bool):
            raise AnswerError("Choose one of the options.")
        text = str(raw).strip()
        if not text:
            raise AnswerError("Choose one of the options.")
        if not self.options:
            return text
        folded = text.casefold()
        for option in self.options:
            if folded in (option.value.casefold(), option.label.casefold()):
                return option.value
        choices = ", ".join(o.label for o in self.options)
        raise AnswerError(f"{text!r} is not an option; choose one of: {choices}.")

    def _list(self, raw: Any) -> list[str]:
        if raw is None:
            raise AnswerError("Choose at least one.")
        items = raw if isinstance(raw, list) else [raw]
        out: list[str] = []
        for item in items:
            if item is None or isinstance(item, list | dict):
                raise AnswerError("List items must be plain text.")
            text = str(item).strip()
            if not text:
                continue
            canonical = self.catalog.canonical(self.key, text) if self.catalog else None
            value = canonical or text
            if value.casefold() not in {v.casefold() for v in out}:
                out.append(value)
        if not out:
            raise AnswerError("Choose at least one.")
        return out


_CHECKED_LISTS = {"countries": "country", "languages": "language"}
"""List keys whose values the client can check against ISO reference data."""

_THOUSANDS = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().casefold()
    if text in {"true", "yes", "y", "1", "on"}:
        return True
    if text in {"false", "no", "n", "0", "off"}:
        return False
    raise AnswerError("Answer yes or no.")


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


@dataclass
class FieldSpec:
    """One question of the form, built from one missing field (or one issue)."""

    field: str
    label: str
    prompt: str
    parts: list[FieldPart]
    message: str | None = None
    """The server's reason: "why this is asked"."""
    hint: str | None = None
    example: str | None = None
    code: str | None = None
    raw_type: str | None = None
    is_new: bool = False
    """Added by the server after the first round."""
    reason: str | None = None
    """Why it was added, e.g. "Required because you chose Pay per hour"."""
    error: str | None = None
    """A server-side problem with the current value (issue or rejection)."""
    from_issue: bool = False
    """Built from an ``issues[]`` entry rather than a missing field."""

    @property
    def keys(self) -> list[str]:
        """The update keys this question sends."""
        return [part.key for part in self.parts]

    @property
    def compound(self) -> bool:
        """Whether this question owns several keys (one compound widget)."""
        return len(self.parts) > 1

    @property
    def kind(self) -> Kind:
        """The main part's kind."""
        return self.parts[0].kind

    def part(self, key: str) -> FieldPart:
        """The part for one key."""
        for part in self.parts:
            if part.key == key:
                return part
        raise KeyError(key)


_NUM = r"(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)"  # "1,000" is one number
_AT_LEAST = re.compile(r"(?:at least|minimum(?: of)?|min\.?|no less than|>=)\s*\$?\s*" + _NUM, re.I)
_AT_MOST = re.compile(
    r"(?:at most|maximum(?: of)?|max\.?|no more than|up to|<=)\s*\$?\s*" + _NUM, re.I
)
_RANGE = re.compile(r"(?:from|between)\s*\$?\s*" + _NUM + r"\s*(?:to|and|-)\s*\$?\s*" + _NUM, re.I)
_WHOLE = re.compile(r"\bwhole number|\binteger\b", re.I)


def limits_from_text(*texts: str | None) -> tuple[float | None, float | None, bool]:
    """Read min, max and "whole number" from a message or hint, when it states them."""
    minimum = maximum = None
    integer = False
    for text in texts:
        if not text:
            continue
        if match := _RANGE.search(text):
            minimum, maximum = _float(match.group(1)), _float(match.group(2))
        if minimum is None and (match := _AT_LEAST.search(text)):
            minimum = _float(match.group(1))
        if maximum is None and (match := _AT_MOST.search(text)):
            maximum = _float(match.group(1))
        integer = integer or bool(_WHOLE.search(text))
    return minimum, maximum, integer


def _float(text: str) -> float:
    return float(text.replace(",", ""))


_INLINE_ENUMS = re.compile(r"\s*\((?:\s*[A-Z][A-Z0-9_]*\s*(?:,|\bor\b|/|\|)?\s*)+\)")


_CONSTANT = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


_KEY_NAME = re.compile(r"\b(" + "|".join(sorted(KEY_LABELS, key=len, reverse=True)) + r")\b")


def humanize_text(text: str | None) -> str | None:
    """Replace raw enum constants (``NUMBER_OF_FILES``) and camelCase key names
    (``dataVolumeUnit``) in server prose with the labels the form shows."""
    if not text:
        return text
    text = _CONSTANT.sub(lambda m: humanize_enum(m.group(0)).lower(), text)
    return plain(_KEY_NAME.sub(lambda m: KEY_LABELS[m.group(0)].lower(), text))


def clean_prompt(prompt: str) -> str:
    """Drop an inline list of raw enum constants, e.g. ``(EXPERT, ENTRY_LEVEL)``.

    The form shows the choices with readable labels, so the raw list is noise.
    """
    cleaned = _INLINE_ENUMS.sub("", prompt).strip()
    return humanize_text(cleaned or prompt) or prompt


def _enum_options(key: str, values: list[str]) -> list[Option]:
    return [Option(value=v, label=humanize_enum(v)) for v in ordered_values(key, values)]


def _with_counts(option: Option, catalog: OptionCatalog, counts_key: str) -> Option:
    """An enum choice with the marketplace's count for it ("used in 52 open jobs")."""
    counted = catalog.option(counts_key, option.value)
    if counted is None or not counted.count:
        return option
    return replace(option, count=counted.count, note=counted.note, counts=counted.counts)


def _resolve_kind(key: str, raw_type: str | None, enum_values: list[str]) -> Kind:
    if enum_values:
        return Kind.SELECT  # enumValues win whatever `type` says
    by_type = kind_from_type(raw_type)
    if by_type is Kind.STRING and is_long_text_key(key):
        return Kind.TEXT
    if by_type is not None:
        return by_type
    by_key = kind_for_key(key)
    if by_key is not None:
        return by_key
    return Kind.UNKNOWN if raw_type else Kind.STRING


def _enum_values_for(key: str, capabilities: Capabilities | None) -> list[str]:
    if capabilities is not None:
        values = capabilities.draft.enums.for_key(key)
        if values:
            return values
    return list(DOCUMENTED_ENUMS.get(key, []))


def build_part(
    key: str,
    *,
    raw_type: str | None = None,
    enum_values: list[str] | None = None,
    example: str | None = None,
    texts: tuple[str | None, ...] = (),
    capabilities: Capabilities | None = None,
    catalog: OptionCatalog | None = None,
    label: str | None = None,
) -> FieldPart:
    """Build the part for one update key from what the server said and what we know."""
    values = list(enum_values or [])
    if (
        not values
        and capabilities is not None
        and kind_from_type(raw_type) in (None, Kind.SELECT)
        and kind_for_key(key) in (None, Kind.SELECT)
    ):
        # A bare name (or a compound's secondary key) takes its enum from capabilities,
        # including enums the docs never listed (visibility, freelancerType, ...).
        values = capabilities.draft.enums.for_key(key)
    kind = _resolve_kind(key, raw_type, values)
    if kind is Kind.SELECT and not values:
        values = _enum_values_for(key, capabilities)
        if not values:
            kind = Kind.STRING  # an enum with no known values is asked as text
    part = FieldPart(
        key=key,
        kind=kind,
        label=label or label_for_key(key),
        raw_type=raw_type,
        example=example,
        catalog=catalog,
    )
    if kind is Kind.SELECT:
        part.options = _enum_options(key, values)
        if catalog is not None and key in ENUM_COUNT_KEYS:
            part.options = [_with_counts(o, catalog, ENUM_COUNT_KEYS[key]) for o in part.options]
    elif kind is Kind.LIST and catalog is not None:
        part.options = catalog.options_for(key)
    elif kind is Kind.NUMBER:
        minimum, maximum, integer = limits_from_text(*texts)
        part.minimum = minimum if minimum is not None else (1 if key in INTEGER_KEYS else None)
        part.maximum = maximum
        part.integer = integer or key in INTEGER_KEYS
        if part.minimum is None and key in NUMBER_KEYS:
            part.minimum = 0  # rates, counts and volumes are never negative
    return part


def build_spec(
    missing: MissingField,
    *,
    capabilities: Capabilities | None = None,
    catalog: OptionCatalog | None = None,
) -> FieldSpec:
    """Turn one missing field into a question."""
    keys = list(missing.update_keys) or [missing.field]
    texts = (missing.hint, missing.message)
    # The field's own type/enum describe the key named like the field (or the first).
    primary = missing.field if missing.field in keys else keys[0]
    parts = []
    for key in keys:
        if key == primary:
            parts.append(
                build_part(
                    key,
                    raw_type=missing.type,
                    enum_values=missing.enum_values,
                    example=missing.example,
                    texts=texts,
                    capabilities=capabilities,
                    catalog=catalog,
                    label=missing.label if len(keys) == 1 else None,
                )
            )
        else:
            parts.append(build_part(key, texts=(), capabilities=capabilities, catalog=catalog))
    label = missing.label or label_for_key(missing.field)
    prompt = clean_prompt(missing.prompt or missing.message or f"{label}?")
    hint = humanize_text(missing.hint)
    if parts[0].kind is Kind.UNKNOWN and missing.type:
        # The raw type exactly as the server spelled it (str.capitalize would lowercase it).
        hint = f"{hint} (type: {missing.type})" if hint else f"Type: {missing.type}"
    return FieldSpec(
        field=missing.field,
        label=label,
        prompt=prompt,
        parts=parts,
        message=humanize_text(missing.message),
        hint=hint,
        example=missing.example,
        code=missing.code,
        raw_type=missing.type,
    )


def build_issue_spec(
    issue: Issue,
    *,
    capabilities: Capabilities | None = None,
    catalog: OptionCatalog | None = None,
) -> FieldSpec | None:
    """A question for an ``issues[]`` entry that names a field, so it can be fixed in place."""
    if not issue.field:
        return None
    part = build_part(
        issue.field, texts=(issue.message,), capabilities=capabilities, catalog=catalog
    )
    # The issue's own sentence ("at least 5") becomes the client-side limit too.
    return FieldSpec(
        field=issue.field,
        label=label_for_key(issue.field),
        prompt=issue.message,
        parts=[part],
        message=issue.message,
        code=issue.code,
        error=issue.message,
        from_issue=True,
    )
