"""The `POST /job-drafts` body: which of the documented shapes (A-D) it is, and its fields.

Text bodies go through the description parser; `opentrain_canonical` jobs are mapped key by
key, and whatever cannot be mapped is reported in `unmappedFields`.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, items 9-11): a strict
create shape; top-level `jobDescription` as a raw text alias; a 400 for the schema.org and
XML imports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NoReturn

from wizard.sandbox import geo
from wizard.sandbox.errors import ApiError
from wizard.sandbox.fields import (
    EXPERIENCE_LEVELS,
    IMPORT_FORMATS,
    MAX_DESCRIPTION,
    MAX_TITLE,
    PAYMENT_TYPES,
    RATE_KEYS,
    check_enum,
    check_list,
    check_number,
    check_string,
)
from wizard.sandbox.parser import ParseResult, parse_description
from wizard.sandbox.zod import (
    Issue,
    Path,
    custom,
    invalid_type,
    issue_summary,
    required,
    unrecognized_keys,
)

SUPPORTED_FORMATS: tuple[str, ...] = ("text", "opentrain_canonical")
_CREATE_KEYS = (
    "rawJobDescription",
    "jobDescription",
    "source",
    "format",
    "job",
    "jsonLd",
    "xml",
    "externalId",
    "idempotencyKey",
)
_SOURCE_KEYS = ("type", "text", "job", "jsonLd", "xml", "externalId", "idempotencyKey")
_CANONICAL_KEYS = (
    "title",
    "description",
    "paymentType",
    "rateAmount",
    "languages",
    "countries",
    "labelTypes",
    "tools",
    "experienceLevel",
)


@dataclass
class CreateInput:
    """What a create body asked for, once its shape is understood."""

    parsed: ParseResult
    external_id: str | None
    idempotency_key: str | None


def read_create_body(body: object) -> CreateInput:
    """Understand one of the documented create shapes (A-D), or raise 400 with issues."""
    if not isinstance(body, dict):
        _bad_body([invalid_type("object", body, [])], "Invalid job draft")
    issues: list[Issue] = []
    unknown = [k for k in body if k not in _CREATE_KEYS]
    if unknown:
        issues.append(unrecognized_keys(unknown, []))
    ids = _read_ids(body, [], issues)
    text_keys = [k for k in ("rawJobDescription", "jobDescription") if k in body]
    payload_keys = [k for k in ("job", "jsonLd", "xml") if k in body]
    has_source, has_format = "source" in body, "format" in body
    # Exactly one way of sending the job; silently preferring one would hide a client bug.
    conflicting = (
        len(text_keys) > 1
        or (has_source and bool(text_keys or has_format or payload_keys))
        or (bool(text_keys) and bool(payload_keys))
        or (bool(text_keys) and has_format and body["format"] != "text")
    )
    if conflicting:
        issues.append(
            custom("Send the job once: as rawJobDescription, as source, or as format with job.", [])
        )
    if issues:
        _bad_body(issues, "Invalid job draft")
    if has_source:
        return _read_source(body["source"], ids)
    if has_format:
        return _read_format(body, ids)
    if payload_keys:
        _bad_body([required("string", ["format"])], "Invalid job draft")
    if not text_keys:
        _bad_body(
            [custom("Provide the job as rawJobDescription, source, or format with job.", [])],
            "Invalid job draft",
        )
    key = text_keys[0]
    text = _read_text(body[key], [key])
    return CreateInput(parse_description(text, path=key), *ids)


def _bad_body(issues: list[Issue], what: str) -> NoReturn:
    raise ApiError(400, f"{what}: {issue_summary(issues)}", details={"issues": issues})


def _read_ids(
    body: dict[str, Any], path: Path, issues: list[Issue]
) -> tuple[str | None, str | None]:
    check = check_string(max_len=200)
    values: list[str | None] = []
    for key in ("externalId", "idempotencyKey"):
        if key not in body:
            values.append(None)
            continue
        value, key_issues = check(body[key], [*path, key])
        issues.extend(key_issues)
        values.append(value)
    return values[0], values[1]


def _read_text(value: object, path: Path) -> str:
    if not isinstance(value, str):
        _bad_body([invalid_type("string", value, path)], "Invalid job draft")
    text, issues = check_string(max_len=MAX_DESCRIPTION, trim=False)(value, path)
    if issues:
        _bad_body(issues, "Invalid job draft")
    return str(text)


def _read_source(source: object, ids: tuple[str | None, str | None]) -> CreateInput:
    if not isinstance(source, dict):
        _bad_body([invalid_type("object", source, ["source"])], "Invalid job draft")
    issues: list[Issue] = []
    unknown = [k for k in source if k not in _SOURCE_KEYS]
    if unknown:
        issues.append(unrecognized_keys(unknown, ["source"]))
    source_ids = _read_ids(source, ["source"], issues)
    kind = source.get("type")
    if kind is None:
        issues.append(required("string", ["source", "type"]))
    else:
        _, kind_issues = check_enum(IMPORT_FORMATS)(kind, ["source", "type"])
        issues.extend(kind_issues)
    if issues:
        _bad_body(issues, "Invalid job draft")
    # Ids inside `source` win over top-level ones: they are the documented guide form.
    merged = (source_ids[0] or ids[0], source_ids[1] or ids[1])
    if kind == "text":
        if "text" not in source:
            _bad_body(
                [required("string", ["source", "text"])],
                "Invalid job draft",
            )
        text = _read_text(source["text"], ["source", "text"])
        return CreateInput(parse_description(text, path="source.text"), *merged)
    if kind == "opentrain_canonical":
        return CreateInput(_read_canonical(source.get("job"), ["source", "job"]), *merged)
    raise _unsupported(str(kind))


def _read_format(body: dict[str, Any], ids: tuple[str | None, str | None]) -> CreateInput:
    fmt = body["format"]
    _, issues = check_enum(IMPORT_FORMATS)(fmt, ["format"])
    if issues:
        _bad_body(issues, "Invalid job draft")
    if fmt == "text":
        key = next((k for k in ("rawJobDescription", "jobDescription") if k in body), None)
        if key is None:
            _bad_body([required("string", ["rawJobDescription"])], "Invalid job draft")
        text = _read_text(body[key], [key])
        return CreateInput(parse_description(text, path=key), *ids)
    if fmt == "opentrain_canonical":
        return CreateInput(_read_canonical(body.get("job"), ["job"]), *ids)
    raise _unsupported(str(fmt))


def _unsupported(fmt: str) -> ApiError:
    return ApiError(
        400,
        f"The sandbox does not support the {fmt} import format; send text (rawJobDescription)"
        " or opentrain_canonical with a job object instead.",
        details={"format": fmt, "supportedFormats": list(SUPPORTED_FORMATS)},
    )


def _read_canonical(job: object, path: Path) -> ParseResult:
    """Map an `opentrain_canonical` job onto draft fields.

    Known keys with the wrong type are 400s; keys the canonical format does not define, and
    values the draft cannot hold, go to `unmappedFields` so nothing is silently lost.
    """
    if job is None:
        _bad_body(
            [required("object", path)],
            "Invalid job draft",
        )
    if not isinstance(job, dict):
        _bad_body([invalid_type("object", job, path)], "Invalid job draft")
    dotted = ".".join(str(p) for p in path)
    checkers = {
        "title": check_string(max_len=MAX_TITLE),
        "description": check_string(max_len=MAX_DESCRIPTION, trim=False),
        "paymentType": check_enum(PAYMENT_TYPES),
        "rateAmount": check_number(maximum=10_000_000),
        "languages": check_list(check_string(max_len=60), max_items=50),
        "countries": check_list(check_string(max_len=60), max_items=250),
        "labelTypes": check_list(check_string(max_len=100), max_items=50),
        "tools": check_list(check_string(max_len=100), max_items=20),
        "experienceLevel": check_enum(EXPERIENCE_LEVELS),
    }
    values: dict[str, Any] = {}
    issues: list[Issue] = []
    for key, checker in checkers.items():
        if key in job and job[key] is not None:
            value, key_issues = checker(job[key], [*path, key])
            issues.extend(key_issues)
            values[key] = value
    if issues:
        _bad_body(issues, "Invalid job draft")
    description = values.get("description")
    result = (
        parse_description(description, path=f"{dotted}.description")
        if description
        else ParseResult()
    )
    explicit: dict[str, Any] = {}
    if "title" in values:
        explicit["jobTitle"] = values["title"]
    if "paymentType" in values:
        explicit["paymentType"] = values["paymentType"]
    if "rateAmount" in values:
        payment_type = values.get("paymentType")
        if payment_type is None:
            result.skip(
                f"{dotted}.rateAmount",
                "rateAmount needs paymentType to say which rate it is.",
                str(values["rateAmount"]),
            )
        else:
            explicit[RATE_KEYS[payment_type]] = values["rateAmount"]
    if "languages" in values:
        explicit["languages"] = [geo.canonical_language(n) or n for n in values["languages"]]
    if "countries" in values:
        codes: list[str] = []
        for index, name in enumerate(values["countries"]):
            code = geo.country_code(name) or geo.country_code_for_name(name)
            if code is None:
                result.skip(
                    f"{dotted}.countries[{index}]", "Not a known country name or ISO-2 code.", name
                )
            elif code not in codes:
                codes.append(code)
        explicit["countries"] = codes
    if "labelTypes" in values:
        explicit["labelTypes"] = values["labelTypes"]
    if "tools" in values and values["tools"]:
        explicit["labelingSoftware"] = ", ".join(values["tools"])[:200]
    if "experienceLevel" in values:
        explicit["experienceLevel"] = values["experienceLevel"]
    for key, value in job.items():
        if key not in _CANONICAL_KEYS:
            result.skip(
                f"{dotted}.{key}", "Not a field of the opentrain_canonical format.", _preview(value)
            )
    # Explicit canonical values beat anything read from the description text.
    result.fields.update({k: v for k, v in explicit.items() if v != []})
    result.low_confidence = [
        entry for entry in result.low_confidence if entry["field"] not in explicit
    ]
    return result


def _preview(value: object) -> str:
    if isinstance(value, str):
        return value[:80]
    try:
        return json.dumps(value, ensure_ascii=False)[:80]
    except (TypeError, ValueError, RecursionError):
        return "(unreadable)"
