"""One writer per draft: the flock-based ``DraftLock`` between two holders and two processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wizard.core.draft_lock import DraftBusy, DraftLock, lock_path

SCOPE = "https://app.opentrain.ai"


def test_a_second_holder_is_refused_with_the_first_ones_pid(tmp_path: Path) -> None:
    first = DraftLock(tmp_path, SCOPE, "job-1")
    second = DraftLock(tmp_path, SCOPE, "job-1")
    assert first.acquire()
    assert first.holder_pid == os.getpid()
    assert not second.acquire()
    assert second.holder_pid == os.getpid()
    assert second.busy_message() == (
        f"Draft job-1 is being edited by another draft-wizard (pid {os.getpid()}); "
        "try again when it finishes."
    )
    first.release()
    assert second.acquire()  # released: the next writer gets in
    second.release()


def test_other_drafts_and_other_scopes_are_independent(tmp_path: Path) -> None:
    with (
        DraftLock(tmp_path, SCOPE, "job-1"),
        DraftLock(tmp_path, SCOPE, "job-2"),
        DraftLock(tmp_path, "sandbox", "job-1"),
    ):
        pass


def test_the_context_manager_raises_draft_busy(tmp_path: Path) -> None:
    with (
        DraftLock(tmp_path, SCOPE, "job-1"),
        pytest.raises(DraftBusy, match="try again when it finishes") as caught,
        DraftLock(tmp_path, SCOPE, "job-1"),
    ):
        pass
    assert caught.value.holder_pid == os.getpid()
    with DraftLock(tmp_path, SCOPE, "job-1"):  # the first one left: free again
        pass


def test_acquire_twice_on_one_object_is_harmless(tmp_path: Path) -> None:
    lock = DraftLock(tmp_path, SCOPE, "job-1")
    assert lock.acquire() and lock.acquire()
    lock.release()
    lock.release()


def test_the_lock_file_is_private_and_any_id_is_a_safe_name(tmp_path: Path) -> None:
    path = lock_path(tmp_path, SCOPE, "../../etc/passwd\0\ud800")
    assert path.parent == tmp_path / "locks"
    with DraftLock(tmp_path, SCOPE, "../../etc/passwd\0\ud800") as lock:
        assert lock.path == path
        assert (path.stat().st_mode & 0o777) == 0o600
        assert (path.parent.stat().st_mode & 0o777) == 0o700


def test_an_unwritable_state_dir_runs_unlocked_and_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the directory should be")
    lock = DraftLock(blocker, SCOPE, "job-1")
    assert lock.acquire()
    assert lock.degraded
    lock.release()


_HOLDER = """
import sys, time
from pathlib import Path
from wizard.core.draft_lock import DraftLock
lock = DraftLock(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
assert lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_another_process_holds_it_until_it_dies(tmp_path: Path) -> None:
    """Across processes, and a killed holder (kill -9) leaves no stale lock behind."""
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", _HOLDER, str(tmp_path), SCOPE, "job-1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        lock = DraftLock(tmp_path, SCOPE, "job-1")
        assert not lock.acquire()
        assert lock.holder_pid == holder.pid
        assert f"(pid {holder.pid})" in lock.busy_message()
    finally:
        holder.kill()
        holder.wait(10)
    deadline = time.monotonic() + 5
    while not lock.acquire():  # the kernel drops the flock with the process
        assert time.monotonic() < deadline
        time.sleep(0.02)
    lock.release()
