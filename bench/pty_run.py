"""Run a command in a real pseudo-terminal until a text appears on its screen.

What a person waits for is text on their terminal, so that is what is timed: the parent
reads everything the child writes to the pty, drops the escape sequences, and stops the
clock when the text it waits for has been written out in full. The child's peak resident
memory at that moment is read from ``/proc/PID/status`` (``VmHWM``; Linux only), and its
CPU time from ``/proc/PID/stat``, then the
child is killed: what it would do next is not part of the measurement.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass
from pathlib import Path

# CSI (colours, cursor moves, modes), OSC (titles, clipboard), and two-byte escapes.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


@dataclass
class PtyRun:
    """One run: seconds from spawn to the text on screen, and the memory then."""

    seconds: float
    peak_rss_kib: int
    rss_kib: int
    output_bytes: int
    cpu_s: float
    """CPU seconds the child (all its threads) had used by then: less sensitive than
    wall time to other load on the machine."""


def _memory(pid: int) -> tuple[int, int]:
    """(peak RSS, RSS) of a live process in KiB, from ``/proc``."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            fields[name] = int(value.split()[0])
    return fields["VmHWM"], fields["VmRSS"]


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a live process, from ``/proc/PID/stat``."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # Fields after the command name (which may hold spaces) in parentheses.
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def run_until_text(
    argv: list[str],
    text: str,
    *,
    env: dict[str, str],
    cwd: str | Path,
    size: tuple[int, int] = (120, 40),
    timeout: float = 60.0,
) -> PtyRun:
    """Start ``argv`` on a new pty of ``size`` (columns, rows); time until ``text`` shows.

    Raises:
        AssertionError: the text did not appear within ``timeout`` (the screen so far,
            escapes removed, is in the message) or the process ended first.
    """
    master, slave = os.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    wanted = text.encode()
    env = {**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    raw = bytearray()
    plain = b""
    try:
        deadline = started + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise AssertionError(
                    f"{text!r} not on screen after {timeout:.0f} s: {plain[-2000:]!r}"
                )
            ready, _, _ = select.select([master], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                raise AssertionError(f"ended before {text!r} was on screen: {plain[-2000:]!r}")
            raw += chunk
            # The whole output each time: an escape sequence cut in two by a read is
            # whole again once its tail has arrived.
            plain = _ESCAPES.sub(b"", bytes(raw))
            if wanted in plain:
                seconds = time.perf_counter() - started
                peak, rss = _memory(proc.pid)
                return PtyRun(seconds, peak, rss, len(raw), _cpu_seconds(proc.pid))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        os.close(master)
