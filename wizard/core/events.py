"""Progress events for an onlooker: one JSON line per step, appended to a file.

``draft-wizard serve`` names a file per participant in ``DRAFT_WIZARD_EVENTS``; the
facilitator's terminal and status page are built from these lines. Without the
variable nothing is written. Only counts and ids are written, never an answer.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

EVENTS_VARIABLE = "DRAFT_WIZARD_EVENTS"


def emit(kind: str, **fields: Any) -> None:
    """Append one event (``kind`` plus ``fields``) if a file is named; never raises."""
    path = os.environ.get(EVENTS_VARIABLE)
    if not path:
        return
    line = json.dumps({"event": kind, "at": time.time(), **fields}, default=str)
    try:
        # One write of one line in append mode: the reader never sees half a line
        # from a second writer, and a full disk only costs the onlooker a line.
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError:
        pass
