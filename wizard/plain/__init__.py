"""The plain line mode (``--plain``): the wizard as plain lines in and plain lines out.

For screen readers, braille displays, ``TERM=dumb`` and pipes. It is a second
projection of the same engine and form model the Textual UI drives (``wizard.core``):
one question at a time, one PATCH per round, the same journal, lock and retries. It
writes no escape sequence at all and never imports Textual, so it starts fast.
"""
