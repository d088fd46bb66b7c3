"""One writer per draft: an advisory lock per (API scope, job id) under the state dir.

Two runs that write one draft at once (two ``fill --job-id``, or ``open`` in the TUI
while a script fills it) interleave their PATCHes, and the journal can then record as
acknowledged a value the server no longer holds. So every writer takes this lock first.

The lock is ``fcntl.flock`` on a small file, ``$XDG_STATE_HOME/draft-wizard/locks/<digest>.lock``,
taken without blocking: a second writer learns at once that the draft is busy, and who
holds it (the holder writes its pid into the file). The kernel drops a flock when its
holder exits, even on ``kill -9``, so a crashed run never leaves a stale lock; the file
itself stays (unlinking it would race with a third writer opening the old inode).

A lock that cannot be made at all (the state dir is read-only, or not a directory)
does not block the run: crash-safety is already off then and reported as such, so
``acquire`` returns True and ``degraded`` says why.

Usage (the TUI does the same as ``fill``)::

    lock = DraftLock(state_dir(), backend.scope, job_id)
    if not lock.acquire():
        say(lock.busy_message())   # "Draft X is being edited by another draft-wizard (pid N); ..."
    try:
        ...
    finally:
        lock.release()

or ``with DraftLock(...) as lock:``, which raises ``DraftBusy`` when it is held elsewhere.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from pathlib import Path
from types import TracebackType

from wizard.core.paths import private_dir


class DraftBusy(RuntimeError):
    """Another process holds the draft's lock; ``str()`` is the sentence to show."""

    def __init__(self, job_id: str, holder_pid: int | None) -> None:
        self.job_id = job_id
        self.holder_pid = holder_pid
        super().__init__(busy_message(job_id, holder_pid))


def busy_message(job_id: str, holder_pid: int | None) -> str:
    """The one sentence for a draft another run is writing."""
    who = f" (pid {holder_pid})" if holder_pid else ""
    return (
        f"Draft {job_id} is being edited by another draft-wizard{who}; try again when it finishes."
    )


def lock_path(state_dir: Path, scope: str, job_id: str) -> Path:
    """The lock file of one draft (a digest, so any scope or id is a safe file name)."""
    digest = hashlib.sha256(f"{scope}\0{job_id}".encode("utf-8", "surrogatepass")).hexdigest()
    return state_dir / "locks" / f"{digest[:32]}.lock"


class DraftLock:
    """The write lock of one draft, held by at most one process (and one object) at a time."""

    def __init__(self, state_dir: Path, scope: str, job_id: str) -> None:
        self.scope = scope
        self.job_id = job_id
        self.path = lock_path(state_dir, scope, job_id)
        self.holder_pid: int | None = None
        """Who holds the lock: this process once acquired, the other one after a refusal."""
        self.degraded: str | None = None
        """Why no real lock could be taken (the state dir cannot be written), else None."""
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock (or runs without one, ``degraded``)."""
        return self._fd is not None or self.degraded is not None

    def acquire(self) -> bool:
        """Try to take the lock without waiting; False when another process holds it."""
        if self.held:
            return True
        try:
            private_dir(self.path.parent)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as err:
            self.degraded = err.strerror or str(err)
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.holder_pid = _read_pid(fd)
            os.close(fd)
            return False
        except OSError as err:  # a file system without flock: run unlocked, say so
            os.close(fd)
            self.degraded = err.strerror or str(err)
            return True
        # Who holds it, for the other run's sentence. Written after the lock is ours,
        # so a reader never sees a half-written pid from a run that lost the race.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        self.holder_pid = os.getpid()
        return True

    def release(self) -> None:
        """Let the next writer in (closing the descriptor drops the flock)."""
        fd, self._fd = self._fd, None
        self.degraded = None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)

    def busy_message(self) -> str:
        """The sentence to show after ``acquire`` returned False."""
        return busy_message(self.job_id, self.holder_pid)

    def __enter__(self) -> DraftLock:
        if not self.acquire():
            raise DraftBusy(self.job_id, self.holder_pid)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
