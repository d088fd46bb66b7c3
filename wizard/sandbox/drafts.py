"""The job-draft lifecycle: create, patch, publish, list, as the public API documents it.

Route handlers authenticate and read the body; everything the API decides about a draft
happens here, returning `(status, body)` or raising `ApiError`. The pieces it uses each
have their own module: the create body (`create_body`), token checks (`access`), the
`/auth/me` body (`identity`), moderation, paging and links (`urls`).

Not documented; chosen by the sandbox (reasons in `wizard/sandbox/README.md`, items 1, 8,
12 and 16-19): the 409 for `PATCH /job-drafts/{jobId}` on a published job; 201 for a new
draft and 200 plus an `IDEMPOTENT_REPLAY` warning for a replayed `idempotencyKey`, scoped to
the account, returning the draft as it is now; `reviewUrl` and `externalId` in the create
answer; the order of publish checks; a rolling 24-hour publish window;
`sideEffects.status: "skipped"` on a repeat publish; `/jobs/mine` capping `limit` at 100.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from wizard.sandbox import urls
from wizard.sandbox.access import require_feature, require_scope
from wizard.sandbox.accounts import FEATURE_DRAFTING, FEATURE_PUBLISHING, TokenProfile
from wizard.sandbox.create_body import read_create_body
from wizard.sandbox.errors import ApiError, shown
from wizard.sandbox.fields import validate_update
from wizard.sandbox.identity import PUBLISH_WINDOW_HOURS, auth_me
from wizard.sandbox.marketplace import iso_from_epoch, slugify
from wizard.sandbox.moderation import moderation_reasons
from wizard.sandbox.paging import decode_cursor, encode_cursor, parse_limit
from wizard.sandbox.readiness import evaluate
from wizard.sandbox.store import JobRecord, Store
from wizard.sandbox.zod import issue_summary

JOB_STATUSES: tuple[str, ...] = (
    "DRAFT",
    "OPEN",
    "ONGOING",
    "COMPLETED",
    "ARCHIVED",
    "PENDING_APPROVAL",
)


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
        "draftUrl": urls.draft_url(origin, record.id),
        "reviewUrl": urls.review_url(origin, record.id),
        "externalId": record.external_id,
        "validation": readiness.payload("create", names_only=True),
        "missingFields": [m.render("create") for m in readiness.missing],
        "normalizedFields": dict(record.fields),
        "warnings": warnings,
        "unmappedFields": list(record.report.get("unmappedFields", [])),
        "lowConfidenceFields": list(record.report.get("lowConfidenceFields", [])),
    }


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
            raise ApiError(404, f"No job has the id '{shown(job_id)}'.", details={"jobId": job_id})
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
            "draftUrl": urls.draft_url(origin, updated.id),
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
                f"No job with the id '{shown(job_id)}' in your account.",
                details={"jobId": job_id},
            )
        if record.status == "OPEN":
            return 200, {
                "ok": True,
                "jobId": record.id,
                "status": "OPEN",
                "alreadyPublished": True,
                "jobUrl": urls.job_url(origin, record),
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
            "jobUrl": urls.job_url(origin, published),
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
                f"Unknown status '{shown(wanted)}': use one of {', '.join(JOB_STATUSES)}.",
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
                    "jobUrl": urls.job_url(origin, r),
                    "proposalCounts": {"total": 0, "unreviewed": 0},
                }
                for r in page
            ],
            "nextCursor": next_cursor,
        }


def new_job_id() -> str:
    """A fresh job id, shaped like the API's (a lower-case alphanumeric cuid-like string)."""
    return "cm" + uuid.uuid4().hex[:23]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _iso(seconds: float) -> str:
    return iso_from_epoch(seconds)
