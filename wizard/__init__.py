"""draft-wizard: finish OpenTrain job drafts in a terminal; the server's validation is the form."""

from __future__ import annotations

import sys

__version__ = "0.1.0"

# httpx imports its own command-line client (click, pygments, rich's syntax and progress
# modules: ~40 ms and ~5 MiB) whenever those libraries happen to be installed, and they
# are here, as dependencies of the dev tools and of Textual. Nothing in the wizard runs
# that client. A ``None`` entry makes its import fail the way httpx expects when they
# are missing (``httpx.main`` then only says it cannot run). Left alone when something
# imported httpx first.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
