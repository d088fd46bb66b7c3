"""The job-draft lifecycle: create, patch, publish, list, as the public API documents it.

Handlers in `app.py` authenticate and parse; everything the API decides about a draft
happens here, returning `(status, body)` or raising `ApiError`.

Not documented; chosen by the sandbox (reasons in `wizard/sandbox/README.md`, items 1, 7-12
and 14-19): the 409 for `PATCH /job-drafts/{jobId}` on a published job; 201 for a new draft
and 200 plus an `IDEMPOTENT_REPLAY` warning for a replayed `idempotencyKey`, scoped to the
account, returning the draft as it is now; a strict create shape; `jobDescription` as a raw
text alias; a 400 for the schema.org and XML imports; `reviewUrl` and `externalId` in the
create answer; the 1 MB body cap; keyword moderation; the order of publish checks; a rolling
24-hour publish window; `sideEffects.status: "skipped"` on a repeat publish; `/jobs/mine`
capping `limit` at 100 and its `cur_<n>` cursors; the `details` keys of a missing scope or
feature (item 26); how the capabilities flags are derived from the token and account
(item 27).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn

from wizard.sandbox import geo
from wizard.sandbox.accounts import FEATURE_DRAFTING, FEATURE_PUBLISHING, TokenProfile
from wizard.sandbox.errors import ApiError
from wizard.sandbox.fields import (
    ENUMS,
    EXPERIENCE_LEVELS,
    IMPORT_FORMATS,
    MAX_DESCRIPTION,
    MAX_TITLE,
    PAYMENT_TYPES,
    RATE_KEYS,
    UPDATE_KEYS,
    Issue,
    Path,
    check_enum,
    check_list,
    check_number,
    check_string,
    custom,
    evaluate,
    invalid_type,
    issue_summary,
    required,
    unrecognized_keys,
    validate_update,
)
from wizard.sandbox.marketplace import MarketJob, category_for, iso_from_epoch, slugify
from wizard.sandbox.parser import ParseResult, parse_description
from wizard.sandbox.store import JobRecord, Store

MAX_BODY_BYTES = 1_048_576
CURSOR_PATTERN = r"^(cur_[0-9]{1,15})?$"
JOB_STATUSES: tuple[str, ...] = (
    "DRAFT",
    "OPEN",
    "ONGOING",
    "COMPLETED",
    "ARCHIVED",
    "PENDING_APPROVAL",
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
_FEATURE_NAMES = {
    FEATURE_DRAFTING: "Job drafting through the public API",
    FEATURE_PUBLISHING: "Publishing through the public API",
}
# Topics the marketplace does not allow, as (pattern, what the reason calls it).
_MODERATION: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bcrypto(?:currenc(?:y|ies)|s)?\b", re.IGNORECASE), "crypto"),
    (
        re.compile(r"\bguaranteed\s+(?:income|returns?|earnings)\b", re.IGNORECASE),
        "guaranteed income",
    ),
    (re.compile(r"\bcasinos?\b", re.IGNORECASE), "casino"),
    (re.compile(r"\bgambling\b", re.IGNORECASE), "gambling"),
    (re.compile(r"\bpyramid\s+schemes?\b|\bpyramid\b", re.IGNORECASE), "pyramid"),
    (re.compile(r"\bget\s+rich\s+quick\b", re.IGNORECASE), "get rich quick"),
)
_MODERATED_FIELDS = (
    ("jobTitle", "Job title"),
    ("jobDescription", "Job description"),
    ("labelingOverview", "Labeling overview"),
)
PUBLISH_WINDOW_HOURS = 24


# --- request plumbing ----------------------------------------------------------------------


def parse_json_body(raw: bytes, *, what: str = "Request body") -> object:
    """Decode a JSON request body, or raise the 400 envelope with a zod-like issue."""
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(
            400,
            f"{what} is larger than 1 MB.",
            details={
                "issues": [custom("Body too large", [], maximum=MAX_BODY_BYTES)],
            },
        )
    if not raw.strip():
        raise ApiError(
            400,
            f"{what} is empty: send a JSON object.",
            details={
                "issues": [required("object", [])],
            },
        )
    try:
        value: object = json.loads(raw, parse_constant=_reject_constant)
        # A lone surrogate ("\ud800") is legal JSON but cannot be stored or echoed as UTF-8.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError) as exc:
        reason = (
            "it holds text that is not valid Unicode"
            if isinstance(exc, UnicodeError)
            else "it is not valid JSON"
        )
        raise ApiError(
            400,
            f"{what} could not be read: {reason}.",
            details={
                "issues": [custom(f"Invalid JSON: {_short(str(exc))}", [])],
            },
        ) from None
    return value


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


def require_scope(profile: TokenProfile, scope: str) -> None:
    """403 unless the token grants the scope."""
    if not profile.has_scope(scope):
        resource = scope.partition(":")[0]
        raise ApiError(
            403,
            f"This token lacks the {scope} scope.",
            details={
                "missingScope": scope,
                "resource": resource,
                "tokenScopes": list(profile.scopes),
            },
        )


def require_feature(profile: TokenProfile, feature: str) -> None:
    """403 unless the token's account has the feature flag."""
    if not profile.account.has_feature(feature):
        name = _FEATURE_NAMES.get(feature, feature)
        raise ApiError(
            403,
            f"{name} is not enabled for this account.",
            details={
                "featureKey": feature,
                "mode": "ALLOWLIST",
            },
        )


def capabilities(profile: TokenProfile) -> dict[str, Any]:
    """The `GET /job-drafts/capabilities` body for this token."""
    require_feature(profile, FEATURE_DRAFTING)
    account = profile.account
    can_write = profile.has_scope("jobs:write")
    return {
        "featureKey": FEATURE_DRAFTING,
        "namespace": "job-drafts",
        "rolloutMode": "ALL",
        "actorIsAdmin": False,
        "capabilities": {
            "draftImport": can_write,
            "draftCreate": can_write,
            "draftUpdate": can_write,
            "draftUrlRead": profile.has_scope("jobs:read"),
            "publish": can_write and account.has_feature(FEATURE_PUBLISHING),
            # Hiring, team changes and credits need a claimed account; sandbox ones are not.
            "hiring": False,
            "messagingWrites": profile.has_scope("messages:write"),
            "team": profile.has_scope("team:write"),
            "paymentsWrite": profile.has_scope("payments:write"),
            "credits": False,
            "webhooks": False,
        },
        "draft": {
            "importFormats": list(IMPORT_FORMATS),
            "updateKeys": list(UPDATE_KEYS),
            "enums": {key: list(values) for key, values in ENUMS.items()},
        },
        "authBootstrap": "token",
        "enabled": True,
    }


def auth_me(profile: TokenProfile, *, published_today: int = 0, origin: str = "") -> dict[str, Any]:
    """The `GET /auth/me` body for this token.

    The documented keys, plus the account's claim state, claim link and publish
    allowance (not documented; README item 33), so a client can tell before publishing.
    """
    account = profile.account
    limit = account.daily_publish_limit
    used = min(limit, published_today + account.publishes_elsewhere_today)
    extras: dict[str, Any] = {
        "claimed": account.claimed,
        "publishLimit": {
            "limit": limit,
            "windowHours": PUBLISH_WINDOW_HOURS,
            "used": used,
            "remaining": limit - used,
        },
    }
    if not account.claimed:
        extras["claimUrl"] = f"{origin}/claim"
    return {
        "actor": {
            "userId": account.owner_user_id,
            "email": account.email,
            "firstName": account.first_name,
            "lastName": account.last_name,
            "fullName": account.full_name,
            "userType": "EMPLOYER",
        },
        "token": {
            "id": profile.token_id,
            "label": profile.label,
            "scopes": list(profile.scopes),
            "ownerOrganizationId": account.organization_id,
        },
        "account": {
            "kind": "employer_organization",
            "organizationId": account.organization_id,
            "ownerUserId": account.owner_user_id,
            "memberRole": "OWNER",
            **extras,
        },
    }


# --- create --------------------------------------------------------------------------------


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


# --- responses -----------------------------------------------------------------------------


def draft_url(origin: str, job_id: str) -> str:
    """In-app URL of the draft editor."""
    return f"{origin}/job-post?jobId={job_id}"


def job_url(origin: str, record: JobRecord) -> str | None:
    """Public URL of a published job; None for drafts, which are not public."""
    if record.status != "OPEN" or not record.slug:
        return None
    return f"{origin}/jobs/{record.slug}-{record.id}"


def create_payload(record: JobRecord, origin: str, *, replay: bool) -> dict[str, Any]:
    """The create response: names in `validation.missingFields`, rich objects at top level."""
    readiness = evaluate(record.fields)
    warnings = list(record.report.get("warnings", []))
    if replay:
        warnings.insert(
            0,
            {
                "code": "IDEMPOTENT_REPLAY",
                "message": "This idempotencyKey was used before; the existing draft is returned.",
            },
        )
    return {
        "ok": True,
        "jobId": record.id,
        "status": record.status,
        "draftUrl": draft_url(origin, record.id),
        "reviewUrl": f"{origin}/job-post/review?jobId={record.id}",
        "externalId": record.external_id,
        "validation": readiness.payload("create", names_only=True),
        "missingFields": [m.render("create") for m in readiness.missing],
        "normalizedFields": dict(record.fields),
        "warnings": warnings,
        "unmappedFields": list(record.report.get("unmappedFields", [])),
        "lowConfidenceFields": list(record.report.get("lowConfidenceFields", [])),
    }


# --- the service ---------------------------------------------------------------------------


class DraftService:
    """Drafts and publishing over a `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.patches_applied = 0

    def create(
        self, profile: TokenProfile, body: object, origin: str
    ) -> tuple[int, dict[str, Any]]:
        """`POST /job-drafts`: 201 for a new draft, 200 when the idempotencyKey replays."""
        require_scope(profile, "jobs:write")
        require_feature(profile, FEATURE_DRAFTING)
        request = read_create_body(body)
        report = {
            "warnings": request.parsed.warnings,
            "unmappedFields": request.parsed.unmapped,
            "lowConfidenceFields": request.parsed.low_confidence,
        }
        record, created = self.store.create_job(
            job_id=new_job_id(),
            account_id=profile.account.organization_id,
            fields=request.parsed.fields,
            report=report,
            external_id=request.external_id,
            idempotency_key=request.idempotency_key,
        )
        return (201 if created else 200), create_payload(record, origin, replay=not created)

    def patch(
        self, profile: TokenProfile, job_id: str, body: object, origin: str
    ) -> tuple[int, dict[str, Any]]:
        """`PATCH /job-drafts/{jobId}`: set absolute values, return fresh validation."""
        require_scope(profile, "jobs:write")
        require_feature(profile, FEATURE_DRAFTING)
        values, issues = validate_update(body)
        if issues:
            raise ApiError(
                400, f"Invalid draft update: {issue_summary(issues)}", details={"issues": issues}
            )
        record = self.store.get_job(job_id)
        if record is None:
            raise ApiError(404, f"No job has the id '{_shown(job_id)}'.", details={"jobId": job_id})
        if record.account_id != profile.account.organization_id:
            raise ApiError(403, "This draft belongs to another account.", details={"jobId": job_id})
        if record.status != "DRAFT":
            # Not documented (the page lists 400/401/403/404 only): a 409 mirrors what
            # PATCH /jobs/{id} documents for the opposite case, and neither the body nor the
            # id is wrong, so a 400 or 404 would mislead (README item 1).
            raise ApiError(
                409,
                f"This job is {record.status}: PATCH /job-drafts/{{jobId}} edits drafts only;"
                " use PATCH /jobs/{id} for a published job.",
                details={"jobId": job_id, "status": record.status, "requiredStatus": "DRAFT"},
            )
        updated = self.store.update_fields(job_id, {**record.fields, **values})
        self.patches_applied += 1
        return 200, {
            "ok": True,
            "jobId": updated.id,
            "status": updated.status,
            "draftUrl": draft_url(origin, updated.id),
            "validation": evaluate(updated.fields).payload("patch"),
        }

    def publish(
        self, profile: TokenProfile, job_id: str, origin: str
    ) -> tuple[int, dict[str, Any]]:
        """`POST /jobs/{id}/publish`: idempotent by state, gated by validation,
        moderation and the account's daily limit."""
        require_scope(profile, "jobs:write")
        require_feature(profile, FEATURE_PUBLISHING)
        record = self.store.get_job(job_id)
        if record is None or record.account_id != profile.account.organization_id:
            # Another account's job is reported as missing, as the docs say: no existence leak.
            raise ApiError(
                404,
                f"No job with the id '{_shown(job_id)}' in your account.",
                details={"jobId": job_id},
            )
        if record.status == "OPEN":
            return 200, {
                "ok": True,
                "jobId": record.id,
                "status": "OPEN",
                "alreadyPublished": True,
                "jobUrl": job_url(origin, record),
                "publishAttemptId": record.publish_attempt_id,
                "warnings": [],
                "sideEffects": {"dispatched": False, "status": "skipped"},
            }
        readiness = evaluate(record.fields)
        if not readiness.publish_ready:
            blockers = []
            if readiness.missing:
                names = ", ".join(m.field for m in readiness.missing)
                blockers.append(f"{_plural(len(readiness.missing), 'field')} missing ({names})")
            if readiness.blocking_issues:
                blockers.append(f"{_plural(len(readiness.blocking_issues), 'issue')} to fix")
            raise ApiError(
                400,
                f"This draft is not ready to publish: {' and '.join(blockers)}.",
                details={"jobId": job_id, "validation": readiness.payload("patch")},
            )
        reasons = moderation_reasons(record.fields)
        if reasons:
            raise ApiError(
                403,
                "Publishing was blocked by content moderation.",
                details={
                    "reason": "moderation_blocked",
                    "reasons": reasons,
                },
            )
        limit = profile.account.daily_publish_limit
        if self.published_today(profile) >= limit:
            # Deliberately no Retry-After: the limit is daily, not a transient condition.
            raise ApiError(
                429,
                f"Daily publish limit reached: this account may publish {limit} jobs per"
                f" {PUBLISH_WINDOW_HOURS} hours.",
                details={"limit": limit, "windowHours": PUBLISH_WINDOW_HOURS},
            )
        title = str(record.fields.get("jobTitle") or "job")
        published = self.store.publish(
            job_id,
            slug=slugify(title),
            attempt_id=f"pa_{uuid.uuid4().hex[:20]}",
            account_id=profile.account.organization_id,
        )
        return 200, {
            "ok": True,
            "jobId": published.id,
            "status": "OPEN",
            "alreadyPublished": False,
            "jobUrl": job_url(origin, published),
            "publishAttemptId": published.publish_attempt_id,
            "warnings": ["Published in the sandbox: only this sandbox's marketplace lists it."],
            "sideEffects": {"dispatched": True, "status": "queued"},
        }

    def published_today(self, profile: TokenProfile) -> int:
        """Publishes the account made in the rolling window (README item 17)."""
        since = time.time() - PUBLISH_WINDOW_HOURS * 3600
        made = self.store.publishes_since(profile.account.organization_id, since)
        return made + profile.account.publishes_elsewhere_today

    def me(self, profile: TokenProfile, origin: str) -> dict[str, Any]:
        """`GET /auth/me`, with the account's publishes of the day."""
        since = time.time() - PUBLISH_WINDOW_HOURS * 3600
        made = self.store.publishes_since(profile.account.organization_id, since)
        return auth_me(profile, published_today=made, origin=origin)

    def list_mine(
        self,
        profile: TokenProfile,
        origin: str,
        *,
        status: str | None,
        limit: str | None,
        cursor: str | None,
    ) -> dict[str, Any]:
        """`GET /jobs/mine`: the account's jobs, newest first, drafts included."""
        require_scope(profile, "jobs:read")
        # Exact values only, as documented: "open" or an empty status is a 400, not a guess.
        wanted = status
        if wanted is not None and wanted not in JOB_STATUSES:
            raise ApiError(
                400,
                f"Unknown status '{_shown(wanted)}': use one of {', '.join(JOB_STATUSES)}.",
                details={"supportedStatuses": list(JOB_STATUSES)},
            )
        size = parse_limit(limit, default=25)
        before = decode_cursor(cursor)
        records = self.store.list_jobs(
            profile.account.organization_id, status=wanted, limit=size + 1, before_seq=before
        )
        page = records[:size]
        next_cursor = encode_cursor(page[-1].seq) if len(records) > size else None
        return {
            "jobs": [
                {
                    "id": r.id,
                    "title": r.fields.get("jobTitle"),
                    "status": r.status,
                    "published": r.status == "OPEN",
                    "acceptingApplicants": r.status == "OPEN",
                    "createdAt": _iso(r.created_at),
                    "updatedAt": _iso(r.updated_at),
                    "jobUrl": job_url(origin, r),
                    "proposalCounts": {"total": 0, "unreviewed": 0},
                }
                for r in page
            ],
            "nextCursor": next_cursor,
        }


def moderation_reasons(fields: dict[str, Any]) -> list[str]:
    """One sentence per field that mentions a prohibited topic."""
    reasons: list[str] = []
    for key, label in _MODERATED_FIELDS:
        text = fields.get(key)
        if not isinstance(text, str):
            continue
        topics = [name for pattern, name in _MODERATION if pattern.search(text)]
        if topics:
            reasons.append(f"{label}: mentions a prohibited topic ({', '.join(topics)}).")
    return reasons


def published_market_job(record: JobRecord) -> MarketJob:
    """A sandbox-published job as the marketplace lists it."""
    fields = record.fields
    payment_type = str(fields.get("paymentType") or "PAY_PER_HOUR")
    rate = fields.get(RATE_KEYS.get(payment_type, ""))
    moment = datetime.fromtimestamp(record.published_at or record.created_at, tz=UTC)
    title = str(fields.get("jobTitle") or "Untitled job")
    description = str(fields.get("jobDescription") or "")
    return MarketJob(
        id=record.id,
        slug=record.slug or slugify(title),
        title=title,
        company_name="Sandbox employer",
        description=description,
        category=category_for(fields),
        languages=tuple(fields.get("languages") or ()),
        countries=tuple(fields.get("countries") or ()),
        pay_type=payment_type,
        rate=float(rate) if isinstance(rate, int | float) else None,
        experience_level=fields.get("experienceLevel"),
        label_types=tuple(fields.get("labelTypes") or ()),
        labeling_software=fields.get("labelingSoftware"),
        posted_at=moment,
        updated_at=datetime.fromtimestamp(record.updated_at, tz=UTC),
    )


# --- small helpers -------------------------------------------------------------------------


def new_job_id() -> str:
    """A fresh job id, shaped like the API's (a lower-case alphanumeric cuid-like string)."""
    return "cm" + uuid.uuid4().hex[:23]


def parse_limit(raw: str | None, *, default: int, maximum: int = 100) -> int:
    """A `limit` query value: a whole number of at least 1, capped at `maximum`."""
    if raw is None:
        return default
    # As sent, ASCII digits only: " 6" or an Arabic-Indic digit is not the integer the
    # OpenAPI document promises to accept (Python's \d and strip() are wider than that).
    text = raw
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ApiError(
            400,
            f"limit must be a whole number, not '{_shown(raw)}'.",
            details={
                "issues": [invalid_type("number", raw, ["limit"])],
            },
        )
    digits = text.lstrip("+-").lstrip("0") or "0"
    # Far beyond any cap: no need to build a huge int (or trip the int-size guard).
    value = int(digits) if len(digits) <= 18 else maximum + 1
    if text.startswith("-"):
        value = -value
    if value < 1:
        raise ApiError(
            400,
            "limit must be at least 1.",
            details={
                "issues": [
                    {
                        "code": "too_small",
                        "minimum": 1,
                        "type": "number",
                        "inclusive": True,
                        "exact": False,
                        "path": ["limit"],
                        "message": "Number must be greater than or equal to 1",
                    }
                ],
            },
        )
    return min(value, maximum)


def encode_cursor(position: int) -> str:
    """A cursor for a position in a listing (clients treat it as opaque)."""
    return f"cur_{position}"


def decode_cursor(cursor: str | None) -> int | None:
    """Undo `encode_cursor`; a cursor that was not made by it is a 400."""
    if cursor is None or cursor == "":
        return None
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise ApiError(
            400,
            "The cursor is not valid: pass nextCursor from a previous response.",
            details={"cursor": _shown(cursor)},
        )
    return int(cursor[4:])


def _shown(value: str) -> str:
    return value if len(value) <= 80 else value[:77] + "..."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _iso(seconds: float) -> str:
    return iso_from_epoch(seconds)
