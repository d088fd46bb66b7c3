"""A participant's process environment: built from nothing, never copied.

textual-serve hands every app the server's whole environment. Here a participant's
environment starts empty and gets only what a process needs to run (PATH, locale,
time zone) plus its own HOME, XDG directories and temporary directory under the
participant's folder. So no token variable, no ``cli.json`` (it is looked up under
``XDG_CONFIG_HOME``, then HOME) and no shared sandbox database or journal can reach
it. Only ``--allow-real-api`` adds the facilitator's API settings.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from wizard.core.events import EVENTS_VARIABLE
from wizard.core.paths import private_dir

# What a Python process needs from its parent, and nothing that could carry a secret.
_PASSED = ("PATH", "LANG", "LANGUAGE", "TZ")
_PASSED_PREFIXES = ("LC_",)

_XDG = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_STATE_HOME": ".local/state",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
}


@dataclass(frozen=True)
class RealAPI:
    """The facilitator's API settings, handed on only with ``--allow-real-api``."""

    token: str | None
    base_url: str | None


def participant_environment(
    home: Path,
    events_file: Path,
    parent: Mapping[str, str],
    *,
    real_api: RealAPI | None = None,
) -> dict[str, str]:
    """The whole environment of one participant's process (textual-serve adds its own
    ``TEXTUAL_*`` display variables on top)."""
    environment = {
        name: value
        for name, value in parent.items()
        if name in _PASSED or name.startswith(_PASSED_PREFIXES)
    }
    environment.setdefault("PATH", "/usr/bin:/bin")
    environment["HOME"] = str(private_dir(home))
    for variable, relative in _XDG.items():
        environment[variable] = str(private_dir(home / relative))
    environment["TMPDIR"] = str(private_dir(home / "tmp"))
    environment[EVENTS_VARIABLE] = str(events_file)
    # The served app never runs the plain line mode, and Python output is not buffered
    # into a pipe nobody reads until exit.
    environment["PYTHONUNBUFFERED"] = "1"
    if real_api is not None:
        if real_api.token:
            environment["OT_API_TOKEN"] = real_api.token
        if real_api.base_url:
            environment["OT_API_BASE_URL"] = real_api.base_url
    return environment


def participant_command(*, real_api: bool) -> list[str]:
    """The wizard's own start screen, on the participant's own sandbox unless the
    facilitator allowed the real API."""
    command = [sys.executable, "-m", "wizard"]
    return command if real_api else [*command, "--sandbox"]
