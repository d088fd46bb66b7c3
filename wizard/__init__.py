"""draft-wizard: finish OpenTrain job drafts from a terminal, with the server's validation as the form."""

from __future__ import annotations

__version__ = "0.1.0"
