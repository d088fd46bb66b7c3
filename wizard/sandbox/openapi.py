"""JSON Schemas for the OpenAPI document.

Handlers read their bodies themselves (so bad input becomes the API's own 400 envelope, never
FastAPI's 422), which means FastAPI cannot infer request schemas; they are written out here
and attached with `openapi_extra`, so the served document still tells a fuzzer what to send.
"""

from __future__ import annotations

from typing import Any

from wizard.sandbox import geo
from wizard.sandbox.fields import (
    DATA_VOLUME_UNITS,
    EXPERIENCE_LEVELS,
    IMPORT_FORMATS,
    MAX_DESCRIPTION,
    MAX_HEADCOUNT,
    MAX_TITLE,
    PAYMENT_TYPES,
)
from wizard.sandbox.paging import CURSOR_PATTERN
from wizard.sandbox.recruitsome import FILTER_NAMES, known_ids

_NON_BLANK = r"\S"


def _text(max_len: int) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": max_len, "pattern": _NON_BLANK}


def _number(maximum: float) -> dict[str, Any]:
    return {"type": "number", "exclusiveMinimum": 0, "maximum": maximum}


def _strings(max_items: int, max_len: int) -> dict[str, Any]:
    return {"type": "array", "maxItems": max_items, "items": _text(max_len)}


COUNTRY_CODES = sorted(geo.COUNTRIES)

DRAFT_UPDATE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "jobTitle": _text(MAX_TITLE),
        "jobDescription": _text(MAX_DESCRIPTION),
        "labelingOverview": _text(20_000),
        "datasetDescription": _text(20_000),
        "dataType": _text(200),
        "subjectMatter": _text(500),
        "dataVolume": _number(1e12),
        "dataVolumeUnit": {"type": "string", "enum": list(DATA_VOLUME_UNITS)},
        "labelingSoftware": _text(200),
        "headcount": {"type": "integer", "minimum": 1, "maximum": MAX_HEADCOUNT},
        "experienceLevel": {"type": "string", "enum": list(EXPERIENCE_LEVELS)},
        "paymentType": {"type": "string", "enum": list(PAYMENT_TYPES)},
        "pricePerHour": _number(1_000),
        "pricePerLabel": _number(1_000),
        "fixedPrice": _number(10_000_000),
        "countries": {
            "type": "array",
            "maxItems": 250,
            "items": {"type": "string", "enum": COUNTRY_CODES},
            "description": "ISO 3166-1 alpha-2 codes (any case; stored upper-case).",
        },
        "languages": _strings(50, 60),
        "labelTypes": _strings(50, 100),
        "aiInterviewRequirements": _text(5_000),
        "budgetRange": _text(200),
        "workloadDesc": _text(2_000),
        "timeRequirement": _text(500),
        "projectDuration": _text(200),
        "freelancerType": _text(200),
        "projectScope": _text(2_000),
        "visibility": _text(50),
    },
}

_IDS: dict[str, Any] = {"externalId": _text(200), "idempotencyKey": _text(200)}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    # Canonical exports often carry explicit nulls; the importer treats them as absent.
    return {"anyOf": [schema, {"type": "null"}]}


CANONICAL_JOB_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": _nullable(_text(MAX_TITLE)),
        "description": _nullable(_text(MAX_DESCRIPTION)),
        "paymentType": _nullable({"type": "string", "enum": list(PAYMENT_TYPES)}),
        "rateAmount": _nullable(_number(10_000_000)),
        "languages": _nullable(_strings(50, 60)),
        "countries": _nullable(_strings(250, 60)),
        "labelTypes": _nullable(_strings(50, 100)),
        "tools": _nullable(_strings(20, 100)),
        "experienceLevel": _nullable({"type": "string", "enum": list(EXPERIENCE_LEVELS)}),
    },
}

DRAFT_CREATE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "title": "Raw text",
            "type": "object",
            "required": ["rawJobDescription"],
            "additionalProperties": False,
            "properties": {"rawJobDescription": _text(MAX_DESCRIPTION), **_IDS},
        },
        {
            "title": "Source object",
            "type": "object",
            "required": ["source"],
            "additionalProperties": False,
            "properties": {
                "source": {
                    "type": "object",
                    "required": ["type", "text"],
                    "additionalProperties": False,
                    "properties": {
                        "type": {"type": "string", "enum": ["text"]},
                        "text": _text(MAX_DESCRIPTION),
                        **_IDS,
                    },
                },
                **_IDS,
            },
        },
        {
            "title": "Canonical job",
            "type": "object",
            "required": ["format", "job"],
            "additionalProperties": False,
            "properties": {
                "format": {"type": "string", "enum": ["opentrain_canonical"]},
                "job": CANONICAL_JOB_SCHEMA,
                **_IDS,
            },
        },
    ],
    "description": (
        "One of the documented shapes. Import formats: "
        + ", ".join(IMPORT_FORMATS)
        + "; the sandbox converts text and opentrain_canonical."
    ),
}

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "code", "requestId", "details"],
    "properties": {
        "error": {"type": "string"},
        "code": {
            "type": "string",
            "enum": [
                "BAD_REQUEST",
                "UNAUTHORIZED",
                "FORBIDDEN",
                "NOT_FOUND",
                "CONFLICT",
                "RATE_LIMITED",
                "INTERNAL",
            ],
        },
        "requestId": {"type": "string"},
        "details": {"type": "object"},
    },
}

VALIDATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["publishReady", "issueCount", "missingFieldCount", "missingFields", "issues"],
    "properties": {
        "publishReady": {"type": "boolean"},
        "issueCount": {"type": "integer"},
        "missingFieldCount": {"type": "integer"},
        "missingFields": {"type": "array"},
        "issues": {"type": "array"},
    },
}

CREATE_RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "ok",
        "jobId",
        "status",
        "draftUrl",
        "validation",
        "missingFields",
        "normalizedFields",
    ],
    "properties": {
        "ok": {"type": "boolean"},
        "jobId": {"type": "string"},
        "status": {"type": "string"},
        "draftUrl": {"type": "string"},
        "reviewUrl": {"type": "string"},
        "validation": VALIDATION_SCHEMA,
        "missingFields": {"type": "array", "items": {"type": "object"}},
        "normalizedFields": {"type": "object"},
        "warnings": {"type": "array"},
        "unmappedFields": {"type": "array"},
        "lowConfidenceFields": {"type": "array"},
    },
}

PATCH_RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "jobId", "status", "draftUrl", "validation"],
    "properties": {
        "ok": {"type": "boolean"},
        "jobId": {"type": "string"},
        "status": {"type": "string"},
        "draftUrl": {"type": "string"},
        "validation": VALIDATION_SCHEMA,
    },
}

PUBLISH_RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "ok",
        "jobId",
        "status",
        "alreadyPublished",
        "jobUrl",
        "publishAttemptId",
        "warnings",
        "sideEffects",
    ],
    "properties": {
        "ok": {"type": "boolean"},
        "jobId": {"type": "string"},
        "status": {"type": "string"},
        "alreadyPublished": {"type": "boolean"},
        "jobUrl": {"type": ["string", "null"]},
        "publishAttemptId": {"type": ["string", "null"]},
        "warnings": {"type": "array", "items": {"type": "string"}},
        "sideEffects": {"type": "object"},
    },
}

FACET_LIST: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["value", "count"],
        "properties": {"value": {"type": "string"}, "count": {"type": "integer"}},
    },
}
FACETS_RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["totalJobs", "categories", "languages", "countries", "payTypes", "generatedAt"],
    "properties": {
        "totalJobs": {"type": "integer"},
        "categories": FACET_LIST,
        "languages": FACET_LIST,
        "countries": FACET_LIST,
        "payTypes": FACET_LIST,
        "generatedAt": {"type": "string"},
    },
}

LARAVEL_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}


def body(schema: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    """`openapi_extra` documenting a JSON request body."""
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": schema}},
        }
    }


def query(*params: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` documenting query parameters the handler reads itself."""
    return {"parameters": list(params)}


def param(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    """One query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def array_param(name: str) -> dict[str, Any]:
    """A Laravel-style array query parameter (`name[]=1&name[]=2`) of the known ids."""
    ids = sorted(known_ids()[name])
    return {
        "name": f"{name}[]",
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "integer", "enum": ids}},
    }


LIMIT_PARAM = param(
    "limit", {"type": "integer", "minimum": 1}, "Page size; values above 100 are capped at 100."
)
CURSOR_PARAM = param(
    "cursor", {"type": "string", "pattern": CURSOR_PATTERN}, "nextCursor from the previous page."
)

RECRUITSOME_FACET_PARAMS: list[dict[str, Any]] = [
    param("language", {"type": "string", "pattern": "^[A-Za-z]{2}$"}, "ISO 639-1 code"),
    param("search", {"type": "string", "maxLength": 255}),
    *[array_param(name) for name in FILTER_NAMES if name not in ("language", "search")],
]


def responses(
    success: dict[int, dict[str, Any]], errors: tuple[int, ...]
) -> dict[int | str, dict[str, Any]]:
    """The `responses` mapping: success schemas plus the error envelope for each status."""
    result: dict[int | str, dict[str, Any]] = {
        status: {"description": "Success", "content": {"application/json": {"schema": schema}}}
        for status, schema in success.items()
    }
    for status in errors:
        result[status] = {
            "description": "Error envelope",
            "content": {"application/json": {"schema": ERROR_SCHEMA}},
        }
    return result


def laravel_responses(
    success: dict[str, Any], errors: tuple[int, ...]
) -> dict[int | str, dict[str, Any]]:
    """Recruitsome's success schema plus its `{"message", "errors"}` error body."""
    result: dict[int | str, dict[str, Any]] = {
        200: {"description": "Success", "content": {"application/json": {"schema": success}}}
    }
    for status in errors:
        result[status] = {
            "description": "Error",
            "content": {"application/json": {"schema": LARAVEL_ERROR_SCHEMA}},
        }
    return result
