"""The plain mode against a hostile stand-in API: server text stays plain text.

Escape sequences, markup, lone surrogates and an echoed token in labels, prompts,
choices, titles and errors: the person reads them as harmless characters, never as
terminal commands, and never sees the token.
"""

from __future__ import annotations

import pytest

from tests.hostile_server import HostileServer
from tests.plain.plain_helpers import PlainRun, run_plain
from wizard.core.backend import make_backend
from wizard.core.journal import Journal

TOKEN = "ot_pat_hostile_stand_in_0123456789abcdef"
ESCAPE_CHARS = ("\x1b", "\x9b", "\x9c", "\x9d", "\x90", "\x07")


def run_against(server: HostileServer, answers: list[str]) -> PlainRun:
    backend = make_backend(
        base_url=server.base_url, token=TOKEN, sandbox=False, journal=Journal.default()
    )
    return run_plain(backend, answers, description="Draw boxes on shelf photos.")


@pytest.mark.parametrize("mode", ["escapes", "markup", "echo", "surrogate"])
def test_hostile_text_reaches_the_person_as_plain_characters(
    hostile: HostileServer, mode: str
) -> None:
    hostile.mode = mode
    hostile.reject_patch = mode in ("escapes", "echo")  # the error path sees it too
    try:
        # Answer the first question with "?" (its help, choices and all), then leave
        # everything open, send what there is, and stop.
        run = run_against(hostile, ["?", "1", "", "", "", "n", "n"])
    finally:
        hostile.mode = "plain"
        hostile.reject_patch = False
    text = run.transcript
    assert "Question 1 of " in text, text
    for char in ESCAPE_CHARS:
        assert char not in text, (mode, repr(char))
    assert TOKEN not in text
    assert "\ud800" not in text
