"""Whether a run uses the plain line mode, and the one sentence saying why.

Cheap on purpose (no import beyond the standard library): the command line asks it
before deciding whether to load Textual at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO


def is_terminal(stream: TextIO | None) -> bool:
    """Whether a stream is a terminal (a closed or detached one is not)."""
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed or detached
        return False


def plain_reason(env: Mapping[str, str], stdin: TextIO | None, stdout: TextIO | None) -> str | None:
    """Why this run cannot use the full-screen form, or None when it can.

    Under textual-serve (``TEXTUAL_DRIVER`` set) the TUI always runs: its streams are
    pipes to the browser, not a person's terminal.
    """
    if env.get("TEXTUAL_DRIVER"):
        return None
    if env.get("TERM", "").strip().lower() == "dumb":
        return "TERM is dumb"
    if not is_terminal(stdin):
        return "standard input is not a terminal"
    if not is_terminal(stdout):
        return "standard output is not a terminal"
    return None


def chosen_sentence(reason: str) -> str:
    """What stderr says when the plain mode was chosen automatically."""
    return f"draft-wizard: using the plain line mode because {reason} (--plain chooses it too)."


def conversation_streams(
    stdin: TextIO, stdout: TextIO, stderr: TextIO
) -> tuple[TextIO, TextIO | None]:
    """Where the conversation goes, and where the result alone goes (None: nowhere else).

    Someone at the keyboard whose stdout is captured (``url=$(draft-wizard new --plain)``)
    talks on the terminal (stderr), and stdout gets the job's URL alone; otherwise the
    whole conversation is on stdout.
    """
    if is_terminal(stdin) and not is_terminal(stdout) and is_terminal(stderr):
        return stderr, stdout
    return stdout, None
