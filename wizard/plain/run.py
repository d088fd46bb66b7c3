"""The plain mode's entry point: the real streams, the launcher's backend, one run."""

from __future__ import annotations

import contextlib
import sys
from typing import TextIO

from wizard.launch import Launcher
from wizard.plain.flow import PlainWizard
from wizard.plain.lines import Lines
from wizard.plain.mode import conversation_streams, is_terminal


def run_plain(
    launcher: Launcher,
    *,
    description: str | None = None,
    start_new: bool = False,
    job_id: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the plain line mode on this process's streams; returns the exit code."""
    stdin = stdin or sys.stdin
    # A byte that is not UTF-8 in an answer becomes a replacement character, not a crash.
    reconfigure = getattr(stdin, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    talk, results = conversation_streams(stdin, stdout, stderr)
    lines = Lines(
        stdin,
        talk,
        stderr,
        # Answers read from a file or pipe are written after their prompts, so the
        # transcript reads as a conversation; a terminal echoes them itself.
        echo=not is_terminal(stdin),
        results=results,
    )
    wizard = PlainWizard(lines, launcher.connect, sandbox=launcher.settings.sandbox)
    return wizard.run(description=description, start_new=start_new, job_id=job_id)
