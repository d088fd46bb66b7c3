"""The links the sandbox hands out: the draft editor, its review page, a public job.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, item 12): `reviewUrl`.
"""

from __future__ import annotations

from wizard.sandbox.store import JobRecord


def draft_url(origin: str, job_id: str) -> str:
    """In-app URL of the draft editor."""
    return f"{origin}/job-post?jobId={job_id}"


def review_url(origin: str, job_id: str) -> str:
    """In-app URL of the draft's review page."""
    return f"{origin}/job-post/review?jobId={job_id}"


def job_url(origin: str, record: JobRecord) -> str | None:
    """Public URL of a published job; None for drafts, which are not public."""
    if record.status != "OPEN" or not record.slug:
        return None
    return f"{origin}/jobs/{record.slug}-{record.id}"
