"""Where the sandbox keeps drafts, published jobs, idempotency keys and publish counts.

Always SQLite: an in-memory database by default, a file when `db_path` is given, so a
restarted sandbox finds its drafts again. Calls are serialised with a lock because the
server thread and tests (or a TestClient's portal thread) may both reach the store.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    status TEXT NOT NULL,
    fields TEXT NOT NULL,
    report TEXT NOT NULL,
    external_id TEXT,
    idempotency_key TEXT,
    slug TEXT,
    publish_attempt_id TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    published_at REAL
);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_idempotency
    ON jobs (account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_account ON jobs (account_id, seq);
CREATE TABLE IF NOT EXISTS publishes (
    account_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class JobRecord:
    """One job as stored: a draft or a published (OPEN) job."""

    seq: int
    id: str
    account_id: str
    status: str
    fields: dict[str, Any]
    report: dict[str, Any]
    """What the create call reported: unmappedFields, lowConfidenceFields, warnings."""
    external_id: str | None
    idempotency_key: str | None
    slug: str | None
    publish_attempt_id: str | None
    created_at: float
    updated_at: float
    published_at: float | None


class Store:
    """A small repository over SQLite."""

    def __init__(self, db_path: str | Path | None = None) -> None:
        if db_path is None:
            target = ":memory:"
        else:
            path = Path(db_path)
            path.parent.mkdir(parents=True, exist_ok=True)
            target = str(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    def create_job(
        self,
        *,
        job_id: str,
        account_id: str,
        fields: dict[str, Any],
        report: dict[str, Any],
        external_id: str | None,
        idempotency_key: str | None,
    ) -> tuple[JobRecord, bool]:
        """Insert a draft, unless the account already used this idempotency key.

        Returns:
            The draft, and True when it was created (False: the existing one was returned).
        """
        now = time.time()
        with self._lock:
            if idempotency_key is not None:
                existing = self._find_by_key(account_id, idempotency_key)
                if existing is not None:
                    return existing, False
            self._db.execute(
                "INSERT INTO jobs (id, account_id, status, fields, report, external_id,"
                " idempotency_key, created_at, updated_at)"
                " VALUES (?, ?, 'DRAFT', ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    account_id,
                    _dump(fields),
                    _dump(report),
                    external_id,
                    idempotency_key,
                    now,
                    now,
                ),
            )
            record = self._get(job_id)
        assert record is not None
        return record, True

    def get_job(self, job_id: str) -> JobRecord | None:
        """The job with this id, or None."""
        with self._lock:
            return self._get(job_id)

    def update_fields(self, job_id: str, fields: dict[str, Any]) -> JobRecord:
        """Replace a job's fields (the caller merged the patch)."""
        with self._lock:
            self._db.execute(
                "UPDATE jobs SET fields = ?, updated_at = ? WHERE id = ?",
                (_dump(fields), time.time(), job_id),
            )
            record = self._get(job_id)
        assert record is not None
        return record

    def publish(self, job_id: str, *, slug: str, attempt_id: str, account_id: str) -> JobRecord:
        """Mark a draft OPEN and count the publish against the account's daily limit."""
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.execute(
                    "UPDATE jobs SET status = 'OPEN', slug = ?, publish_attempt_id = ?,"
                    " published_at = ?, updated_at = ? WHERE id = ?",
                    (slug, attempt_id, now, now, job_id),
                )
                self._db.execute(
                    "INSERT INTO publishes (account_id, job_id, at) VALUES (?, ?, ?)",
                    (account_id, job_id, now),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            record = self._get(job_id)
        assert record is not None
        return record

    def publishes_since(self, account_id: str, since: float) -> int:
        """How many jobs the account published after `since` (epoch seconds)."""
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM publishes WHERE account_id = ? AND at > ?",
                (account_id, since),
            ).fetchone()
        return int(row[0])

    def list_jobs(
        self, account_id: str, *, status: str | None, limit: int, before_seq: int | None
    ) -> list[JobRecord]:
        """The account's jobs, newest first, optionally filtered and after a cursor."""
        query = "SELECT * FROM jobs WHERE account_id = ?"
        params: list[Any] = [account_id]
        if status is not None:
            query += " AND status = ?"
            params.append(status)
        if before_seq is not None:
            query += " AND seq < ?"
            params.append(before_seq)
        query += " ORDER BY seq DESC LIMIT ?"
        params.append(limit)
        with self._lock:
            rows = self._db.execute(query, params).fetchall()
        return [_record(row) for row in rows]

    def open_jobs(self) -> list[JobRecord]:
        """Every published job of every account, newest first (the marketplace's share)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM jobs WHERE status = 'OPEN' ORDER BY seq DESC"
            ).fetchall()
        return [_record(row) for row in rows]

    def reset(self) -> None:
        """Forget every job, key and publish."""
        with self._lock:
            self._db.execute("DELETE FROM jobs")
            self._db.execute("DELETE FROM publishes")

    def _find_by_key(self, account_id: str, key: str) -> JobRecord | None:
        row = self._db.execute(
            "SELECT * FROM jobs WHERE account_id = ? AND idempotency_key = ?", (account_id, key)
        ).fetchone()
        return _record(row) if row is not None else None

    def _get(self, job_id: str) -> JobRecord | None:
        row = self._db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _record(row) if row is not None else None


def _dump(value: dict[str, Any]) -> str:
    # ensure_ascii keeps the stored text plain ASCII whatever the input held.
    return json.dumps(value, ensure_ascii=True, allow_nan=False)


def _record(row: sqlite3.Row) -> JobRecord:
    return JobRecord(
        seq=int(row["seq"]),
        id=str(row["id"]),
        account_id=str(row["account_id"]),
        status=str(row["status"]),
        fields=json.loads(row["fields"]),
        report=json.loads(row["report"]),
        external_id=row["external_id"],
        idempotency_key=row["idempotency_key"],
        slug=row["slug"],
        publish_attempt_id=row["publish_attempt_id"],
        created_at=float(row["created_at"]),
        updated_at=float(row["updated_at"]),
        published_at=None if row["published_at"] is None else float(row["published_at"]),
    )
