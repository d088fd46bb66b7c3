"""The local journal: a crash-safe record of drafts and of answers not yet acknowledged.

SQLite under the XDG state dir, file mode 0600, never a token. An answer is written
as *pending* before its PATCH is sent and marked *acknowledged* after a 2xx, so a
killed terminal or a dropped connection loses nothing: the next start re-sends what
is pending. Create requests are journaled with their idempotency key first, so a
retried create after a crash returns the same draft instead of a duplicate.

A third kind of answer is *typed*: what a person has entered in the form but not yet
sent, saved as it is typed (raw, uncoerced), so a closed terminal or Esc costs nothing.
Typed answers are never sent on their own; reopening the draft puts them back into
their widgets, and a send turns them into pending answers.

Practice drafts (the embedded sandbox's) are the one exception to "never the text": their
description is kept, because posting one for real creates it again from that text; the
same table marks a practice draft once it was taken live, with the real job id.

Entries are grouped by *scope* (the API origin, or ``sandbox``) so drafts of one
server are never offered against another.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wizard.core.paths import private_dir, state_dir

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    scope TEXT NOT NULL,
    job_id TEXT NOT NULL,
    title TEXT,
    idempotency_key TEXT,
    validation TEXT,
    parsed TEXT,
    status TEXT NOT NULL DEFAULT 'DRAFT',
    job_url TEXT,
    updated_at REAL NOT NULL,
    PRIMARY KEY (scope, job_id)
);
CREATE TABLE IF NOT EXISTS answers (
    scope TEXT NOT NULL,
    job_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'acknowledged')),
    seq INTEGER NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (scope, job_id, key)
);
CREATE TABLE IF NOT EXISTS typed (
    scope TEXT NOT NULL,
    job_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (scope, job_id, key)
);
CREATE TABLE IF NOT EXISTS descriptions (
    scope TEXT NOT NULL,
    job_id TEXT NOT NULL,
    description_sha TEXT NOT NULL,
    PRIMARY KEY (scope, job_id)
);
CREATE TABLE IF NOT EXISTS practice (
    scope TEXT NOT NULL,
    job_id TEXT NOT NULL,
    description TEXT,
    live_origin TEXT,
    live_job_id TEXT,
    live_at REAL,
    PRIMARY KEY (scope, job_id)
);
CREATE TABLE IF NOT EXISTS creates (
    scope TEXT NOT NULL,
    description_sha TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    job_id TEXT,
    created_at REAL NOT NULL,
    PRIMARY KEY (scope, description_sha)
);
"""


@dataclass(frozen=True)
class JournalDraft:
    """A draft this machine has worked on."""

    scope: str
    job_id: str
    title: str | None
    idempotency_key: str | None
    status: str
    job_url: str | None
    updated_at: float
    pending: int
    """How many answers were never acknowledged."""
    typed: int
    """How many answers were typed in the form but never sent."""
    validation: dict[str, Any] | None
    parsed: dict[str, Any] | None


class JournalUnavailable(OSError):
    """The journal cannot be opened or written (SQLite refused); crash-safety is off."""


class JournalCorrupt(JournalUnavailable):
    """The journal file is not a SQLite database (or is damaged beyond reading)."""


# SQLite's own words for "this file is not (or no longer) a database".
_DAMAGED = frozenset({sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT})
# Files SQLite keeps next to a database: moved aside with it, else a stale rollback
# journal could be replayed into the fresh file.
_SIDECARS = ("-journal", "-wal", "-shm")


@dataclass(frozen=True)
class JournalOpening:
    """What opening the journal found: the journal, or why crash-safety is off."""

    journal: Journal | None
    problem: str | None = None
    """One sentence when there is no journal: crash-safety is off for this run."""
    notice: str | None = None
    """One sentence when something was repaired (a damaged file moved aside)."""


def default_path() -> Path:
    """Where the journal lives: ``$XDG_STATE_HOME/draft-wizard/journal.sqlite3``."""
    return state_dir() / "journal.sqlite3"


def open_journal(path: Path | None = None) -> JournalOpening:
    """Open the journal; a damaged file is moved aside (never deleted) and a fresh one made.

    Never raises: a directory that cannot be written (read-only, or a file where the
    directory should be) gives no journal and a ``problem`` sentence saying that
    crash-safety is off, which the caller must show (``fill`` warns, the TUI a banner).
    """
    path = path or default_path()
    notice = None
    try:
        return JournalOpening(Journal(path))
    except JournalCorrupt:
        try:
            moved = _move_aside(path)
        except OSError as err:
            return JournalOpening(
                None,
                problem=f"Crash-safety is off: the journal {path} is damaged and cannot be "
                f"moved aside ({_reason(err)}).",
            )
        notice = (
            f"The journal {path} was damaged; it was moved aside to {moved.name} "
            "and a fresh one was started."
        )
    except OSError as err:
        return JournalOpening(None, problem=_off(path, err))
    try:
        return JournalOpening(Journal(path), notice=notice)
    except OSError as err:
        return JournalOpening(None, problem=_off(path, err), notice=notice)


def _off(path: Path, err: OSError) -> str:
    return (
        f"Crash-safety is off: the journal cannot be written in {path.parent} "
        f"({_reason(err, path.parent)}); answers are not kept if this run is interrupted."
    )


def _reason(err: OSError, directory: Path | None = None) -> str:
    # A file where the state directory should be is the likely mistake: say it plainly.
    if directory is not None and any(
        p.exists() and not p.is_dir() for p in (directory, *directory.parents)
    ):
        return "a file is in the way of that directory"
    return (err.strerror or str(err)).rstrip(".")


def _move_aside(path: Path) -> Path:
    """Rename a damaged journal (and its sidecars) to ``<name>.corrupt-<timestamp>``."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    for suffix in _SIDECARS:
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            os.replace(sidecar, target.with_name(target.name + suffix))
    return target


def description_digest(description: str) -> str:
    """A stable digest of a description (the journal never stores the text itself)."""
    return hashlib.sha256(description.strip().encode("utf-8")).hexdigest()


class Journal:
    """The journal file and its operations. Each call opens and commits its own transaction."""

    def __init__(self, path: Path) -> None:
        """Open (creating if needed) the journal at ``path``.

        Raises:
            JournalCorrupt: the file is not a SQLite database (``open_journal`` moves it
                aside and starts afresh).
            OSError: the directory or the file cannot be made or written
                (``JournalUnavailable`` when SQLite is the one refusing).
        """
        self.path = path
        # Per thread: typed answers are saved from a worker thread while the UI's
        # thread may be inside a batch, and a connection serves only its own thread.
        self._local = threading.local()
        private_dir(path.parent)
        if not path.exists():
            # Create with 0600 before SQLite touches it, so it is never world-readable.
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        os.chmod(path, 0o600)
        self._seq = int(time.time() * 1000)
        try:
            with self._db() as db:
                # One transaction for all tables: a new journal costs one commit (one
                # set of fsyncs) instead of one per table.
                db.executescript(f"BEGIN;\n{_SCHEMA}\nCOMMIT;")
        except sqlite3.DatabaseError as err:
            if getattr(err, "sqlite_errorcode", None) in _DAMAGED:
                raise JournalCorrupt(f"{path} is not a readable journal ({err}).") from err
            # Read-only file or directory, disk full, locked for good: not damage.
            raise JournalUnavailable(str(err)) from err

    @classmethod
    def default(cls) -> Journal:
        """The journal under ``$XDG_STATE_HOME/draft-wizard``."""
        return cls(default_path())

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        batch: sqlite3.Connection | None = getattr(self._local, "batch", None)
        if batch is not None:
            # Inside ``batch()`` on this thread: one transaction, committed when it ends.
            yield batch
            return
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA synchronous = FULL")
            with db:
                yield db
        finally:
            db.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Make the writes inside one transaction: one commit (one set of fsyncs).

        For writes that belong together, such as a round's acknowledgement and the
        draft's new validation. An error inside rolls all of them back: answers then
        stay pending and are sent again, which is safe (they are absolute values).
        Nested batches join the outer one.
        """
        if getattr(self._local, "batch", None) is not None:
            yield
            return
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA synchronous = FULL")
            with db:
                self._local.batch = db
                try:
                    yield
                finally:
                    self._local.batch = None
        finally:
            db.close()

    def _next_seq(self, db: sqlite3.Connection) -> int:
        # Above every ticket already in the file, not only this instance's: a restarted
        # run whose clock has not moved on must not hand out a smaller ticket.
        row = db.execute("SELECT MAX(seq) FROM answers").fetchone()
        self._seq = max(self._seq, int(row[0] or 0)) + 1
        return self._seq

    # ---- creates ---------------------------------------------------------------------

    def create_key(self, scope: str, description: str, new_key: str) -> str:
        """The idempotency key for creating this description: a journaled one, or ``new_key``.

        A create that crashed before its reply reuses its key, so the server returns
        the draft it already made.
        """
        digest = description_digest(description)
        with self._db() as db:
            row = db.execute(
                "SELECT idempotency_key FROM creates "
                "WHERE scope = ? AND description_sha = ? AND job_id IS NULL",
                (scope, digest),
            ).fetchone()
            if row:
                return str(row[0])
            db.execute(
                "INSERT OR REPLACE INTO creates VALUES (?, ?, ?, NULL, ?)",
                (scope, digest, new_key, time.time()),
            )
        return new_key

    def create_done(self, scope: str, description: str, job_id: str) -> None:
        """Mark a create as answered; the next create of the same text gets a new key.

        The description's digest stays with the draft, so creating the same text again
        can be noticed and asked about.
        """
        digest = description_digest(description)
        with self._db() as db:
            db.execute(
                "DELETE FROM creates WHERE scope = ? AND description_sha = ?", (scope, digest)
            )
            db.execute(
                "INSERT OR REPLACE INTO descriptions VALUES (?, ?, ?)", (scope, job_id, digest)
            )

    def draft_for_description(self, scope: str, description: str) -> JournalDraft | None:
        """The newest unpublished draft made from this same description, if any."""
        with self._db() as db:
            rows = db.execute(
                "SELECT job_id FROM descriptions WHERE scope = ? AND description_sha = ?",
                (scope, description_digest(description)),
            ).fetchall()
        drafts = [self.draft(scope, str(row[0])) for row in rows]
        live = [d for d in drafts if d is not None and d.status == "DRAFT"]
        return max(live, key=lambda d: d.updated_at) if live else None

    # ---- drafts ----------------------------------------------------------------------

    def record_draft(
        self,
        scope: str,
        job_id: str,
        *,
        title: str | None = None,
        idempotency_key: str | None = None,
        validation: dict[str, Any] | None = None,
        parsed: dict[str, Any] | None = None,
        status: str | None = None,
        job_url: str | None = None,
    ) -> None:
        """Insert or update what we know of a draft (None keeps the old value)."""
        now = time.time()
        with self._db() as db:
            db.execute(
                "INSERT INTO drafts (scope, job_id, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (scope, job_id) DO UPDATE SET updated_at = excluded.updated_at",
                (scope, job_id, now),
            )
            updates = {
                "title": title,
                "idempotency_key": idempotency_key,
                "validation": json.dumps(validation) if validation is not None else None,
                "parsed": json.dumps(parsed) if parsed is not None else None,
                "status": status,
                "job_url": job_url,
            }
            for column, value in updates.items():
                if value is not None:
                    db.execute(
                        f"UPDATE drafts SET {column} = ? WHERE scope = ? AND job_id = ?",  # noqa: S608 - fixed column names
                        (value, scope, job_id),
                    )

    def draft(self, scope: str, job_id: str) -> JournalDraft | None:
        """One draft, or None."""
        for entry in self._drafts(scope, "AND d.job_id = ?", (job_id,)):
            return entry
        return None

    def drafts(self, scope: str) -> list[JournalDraft]:
        """Every unpublished draft of this scope, newest first."""
        return self._drafts(scope, "AND d.status = 'DRAFT'", ())

    def drafts_with_pending(self, scope: str) -> list[JournalDraft]:
        """Drafts with answers that were never acknowledged (offered for resume)."""
        return [d for d in self.drafts(scope) if d.pending]

    def _drafts(self, scope: str, extra: str, args: tuple[Any, ...]) -> list[JournalDraft]:
        with self._db() as db:
            rows = db.execute(
                "SELECT d.scope, d.job_id, d.title, d.idempotency_key, d.status, d.job_url, "
                "d.updated_at, d.validation, d.parsed, "
                "(SELECT COUNT(*) FROM answers a WHERE a.scope = d.scope "
                " AND a.job_id = d.job_id AND a.state = 'pending'), "
                "(SELECT COUNT(*) FROM typed t WHERE t.scope = d.scope "
                " AND t.job_id = d.job_id) "
                f"FROM drafts d WHERE d.scope = ? {extra} ORDER BY d.updated_at DESC",
                (scope, *args),
            ).fetchall()
        return [
            JournalDraft(
                scope=row[0],
                job_id=row[1],
                title=row[2],
                idempotency_key=row[3],
                status=row[4],
                job_url=row[5],
                updated_at=row[6],
                validation=json.loads(row[7]) if row[7] else None,
                parsed=json.loads(row[8]) if row[8] else None,
                pending=int(row[9]),
                typed=int(row[10]),
            )
            for row in rows
        ]

    # ---- answers ---------------------------------------------------------------------

    def write_pending(self, scope: str, job_id: str, answers: dict[str, Any]) -> int:
        """Record answers as pending, before they are sent. Returns a ticket for ``acknowledge``."""
        now = time.time()
        with self._db() as db:
            seq = self._next_seq(db)
            db.execute(
                "INSERT INTO drafts (scope, job_id, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (scope, job_id) DO UPDATE SET updated_at = excluded.updated_at",
                (scope, job_id, now),
            )
            db.executemany(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, 'pending', ?, ?)",
                [
                    (scope, job_id, key, json.dumps(value), seq, now)
                    for key, value in answers.items()
                ],
            )
        return seq

    def acknowledge(self, scope: str, job_id: str, keys: list[str], ticket: int) -> None:
        """Mark answers acknowledged, unless a newer pending value was written since."""
        with self._db() as db:
            db.executemany(
                "UPDATE answers SET state = 'acknowledged', updated_at = ? "
                "WHERE scope = ? AND job_id = ? AND key = ? AND seq <= ?",
                [(time.time(), scope, job_id, key, ticket) for key in keys],
            )

    def pending(self, scope: str, job_id: str) -> dict[str, Any]:
        """Answers written but never acknowledged, by update key."""
        return self._answers(scope, job_id, "pending")

    def acknowledged(self, scope: str, job_id: str) -> dict[str, Any]:
        """Answers the server accepted, by update key."""
        return self._answers(scope, job_id, "acknowledged")

    def _answers(self, scope: str, job_id: str, state: str) -> dict[str, Any]:
        with self._db() as db:
            rows = db.execute(
                "SELECT key, value FROM answers WHERE scope = ? AND job_id = ? AND state = ? "
                "ORDER BY seq",
                (scope, job_id, state),
            ).fetchall()
        return {key: json.loads(value) for key, value in rows}

    def discard_pending(self, scope: str, job_id: str, keys: list[str]) -> None:
        """Forget pending answers the server rejected and the person chose to drop."""
        with self._db() as db:
            db.executemany(
                "DELETE FROM answers WHERE scope = ? AND job_id = ? AND key = ? "
                "AND state = 'pending'",
                [(scope, job_id, key) for key in keys],
            )

    # ---- practice drafts, and taking them live -------------------------------------------

    def keep_practice_description(self, scope: str, job_id: str, description: str) -> None:
        """Keep a practice draft's description, so it can be posted for real later."""
        with self._db() as db:
            db.execute(
                "INSERT INTO practice (scope, job_id, description) VALUES (?, ?, ?) "
                "ON CONFLICT (scope, job_id) DO UPDATE SET description = excluded.description",
                (scope, job_id, description),
            )

    def practice_description(self, scope: str, job_id: str) -> str | None:
        """The description a practice draft was made from, when this machine kept it."""
        with self._db() as db:
            row = db.execute(
                "SELECT description FROM practice WHERE scope = ? AND job_id = ?", (scope, job_id)
            ).fetchone()
        return str(row[0]) if row and row[0] is not None else None

    def mark_live(self, scope: str, job_id: str, origin: str, live_job_id: str) -> None:
        """Record that a practice draft was posted for real as ``live_job_id`` on ``origin``."""
        with self._db() as db:
            db.execute(
                "INSERT INTO practice (scope, job_id, live_origin, live_job_id, live_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, job_id) DO UPDATE SET "
                "live_origin = excluded.live_origin, live_job_id = excluded.live_job_id, "
                "live_at = excluded.live_at",
                (scope, job_id, origin, live_job_id, time.time()),
            )

    def taken_live(self, scope: str, job_id: str) -> tuple[str, str] | None:
        """Where a practice draft was posted for real: ``(origin, real job id)``, or None."""
        with self._db() as db:
            row = db.execute(
                "SELECT live_origin, live_job_id FROM practice WHERE scope = ? AND job_id = ? "
                "AND live_job_id IS NOT NULL",
                (scope, job_id),
            ).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    # ---- typed, not yet sent ---------------------------------------------------------

    def save_typed(self, scope: str, job_id: str, typed: dict[str, Any]) -> None:
        """Replace what is typed but unsent for a draft (raw values, by update key).

        Called with the whole form's snapshot, so an answer cleared in the form is
        cleared here too. An empty snapshot forgets every typed answer.
        """
        now = time.time()
        with self._db() as db:
            db.execute("DELETE FROM typed WHERE scope = ? AND job_id = ?", (scope, job_id))
            if not typed:
                return
            db.execute(
                "INSERT INTO drafts (scope, job_id, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (scope, job_id) DO UPDATE SET updated_at = excluded.updated_at",
                (scope, job_id, now),
            )
            db.executemany(
                "INSERT INTO typed VALUES (?, ?, ?, ?, ?)",
                [(scope, job_id, key, json.dumps(value), now) for key, value in typed.items()],
            )

    def typed(self, scope: str, job_id: str) -> dict[str, Any]:
        """Answers typed in the form and never sent, by update key."""
        with self._db() as db:
            rows = db.execute(
                "SELECT key, value FROM typed WHERE scope = ? AND job_id = ? ORDER BY key",
                (scope, job_id),
            ).fetchall()
        return {key: json.loads(value) for key, value in rows}

    def hide_draft(self, scope: str, job_id: str) -> None:
        """Leave a draft out of the drafts list on this machine.

        Nothing is deleted: its typed and pending answers stay, and ``open JOB_ID``
        still opens it (which shows it again).
        """
        with self._db() as db:
            # A draft known only from the server gets its row here, hidden from the start.
            db.execute(
                "INSERT INTO drafts (scope, job_id, status, updated_at) "
                "VALUES (?, ?, 'HIDDEN', ?) "
                "ON CONFLICT (scope, job_id) DO UPDATE SET status = 'HIDDEN'",
                (scope, job_id, time.time()),
            )

    def hidden(self, scope: str) -> set[str]:
        """Ids of the drafts hidden from the list."""
        with self._db() as db:
            rows = db.execute(
                "SELECT job_id FROM drafts WHERE scope = ? AND status = 'HIDDEN'", (scope,)
            ).fetchall()
        return {str(row[0]) for row in rows}
