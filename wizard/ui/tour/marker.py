"""The "tour offered" marker: a small file under the XDG state directory.

One per HOME (so one per served participant, who each get their own HOME): once the
guided first run has been offered, it is not offered again, even after a reconnect.
"""

from __future__ import annotations

from pathlib import Path

from wizard.core.paths import private_dir, state_dir

MARKER_NAME = "tour-offered"


def marker_path() -> Path:
    """``$XDG_STATE_HOME/draft-wizard/tour-offered``."""
    return state_dir() / MARKER_NAME


def was_offered() -> bool:
    """Whether the guided first run was offered before (to this user)."""
    try:
        return marker_path().exists()
    except OSError:
        # An unreadable state directory: offering once more is the harmless mistake.
        return False


def mark_offered() -> None:
    """Remember that the tour was offered; a read-only state directory is not an error."""
    try:
        private_dir(state_dir())
        marker_path().touch(mode=0o600, exist_ok=True)
    except OSError:
        pass
