"""Where draft-wizard keeps files: XDG state (journal), cache (facets) and config dirs."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR = "draft-wizard"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable)
    # The XDG spec says relative paths are invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def state_dir() -> Path:
    """``$XDG_STATE_HOME/draft-wizard`` (the journal lives here)."""
    return _xdg("XDG_STATE_HOME", ".local/state") / APP_DIR


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/draft-wizard`` (cached facets live here)."""
    return _xdg("XDG_CACHE_HOME", ".cache") / APP_DIR


def config_home() -> Path:
    """``$XDG_CONFIG_HOME`` itself (OpenTrain's CLI keeps ``opentrain/cli.json`` there)."""
    return _xdg("XDG_CONFIG_HOME", ".config")


def private_dir(path: Path) -> Path:
    """Create a directory only its owner can read (tightening one that already exists)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path
