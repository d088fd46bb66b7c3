"""draft-wizard: finish OpenTrain job drafts in a terminal; the server's validation is the form."""

from __future__ import annotations

__version__ = "0.1.0"
