"""Plain lines in and out: the only place the plain mode reads or writes the terminal.

Everything written passes ``clean_text``: server text, journal rows and even what the
person typed become plain characters, so not one escape sequence reaches the terminal
(or the file stdout was redirected to). Input is read with ``readline`` on the stream
itself, never through the ``readline`` module, which can switch terminal modes with
escape sequences of its own. End of input raises ``InputEnded``.
"""

from __future__ import annotations

import contextlib
from typing import TextIO

from wizard.api.sanitize import clean_text


class InputEnded(EOFError):
    """Standard input ended (Ctrl+D, or a file or pipe with nothing more)."""


class Lines:
    """Writes lines to one stream and reads answers from another."""

    def __init__(
        self,
        stdin: TextIO,
        stdout: TextIO,
        stderr: TextIO | None = None,
        *,
        echo: bool = False,
        results: TextIO | None = None,
    ) -> None:
        """Read from ``stdin``, write to ``stdout``.

        Args:
            stdin: Where answers come from.
            stdout: Where questions go.
            stderr: Where the closing sentence goes when a run stops early (how to
                resume), so it reaches the person even when stdout is a file.
            echo: Write each line read after its prompt (when the input is not a
                terminal, so a transcript shows the answers too).
            results: Where the run's result (the job's URL) is also written, when the
                conversation goes elsewhere (stdout captured, a person at the terminal).
        """
        self._in = stdin
        self._out = stdout
        self._err = stderr or stdout
        self._echo = echo
        self._results = results

    def say(self, text: str = "") -> None:
        """Write text, one or more lines, as plain characters."""
        self._write(clean_text(text) + "\n")

    def result(self, text: str) -> None:
        """Say the run's result on a line of its own (and write it to ``results``)."""
        self.say(text)
        if self._results is not None:
            self._write(clean_text(text) + "\n", self._results)

    def tell(self, text: str) -> None:
        """Write a closing sentence to stderr (stdout when there is none)."""
        self._write(clean_text(text) + "\n", self._err)

    def ask(self, prompt: str) -> str:
        """Write a prompt (no newline) and read one line, without its line ending.

        Raises:
            InputEnded: standard input has no more lines.
        """
        self._write(clean_text(prompt))
        line = self._in.readline()
        if not line:
            self._write("\n")
            raise InputEnded
        text = clean_text(line.rstrip("\r\n"))
        if self._echo:
            self._write(text + "\n")
        return text

    def _write(self, text: str, stream: TextIO | None = None) -> None:
        out = stream or self._out
        encoding = getattr(out, "encoding", None) or "utf-8"
        text = text.encode(encoding, "replace").decode(encoding, "replace")
        # A reader that went away (a closed pipe) is not worth a traceback.
        with contextlib.suppress(BrokenPipeError, ValueError):
            out.write(text)
            out.flush()
