"""The HTTP layer, the engine and the plain line mode never import Textual (each module
checked in a fresh process)."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import wizard.api
import wizard.core
import wizard.plain

REPO = Path(__file__).resolve().parents[2]


def _modules(package: object) -> list[str]:
    name = package.__name__  # type: ignore[attr-defined]
    paths = package.__path__  # type: ignore[attr-defined]
    # walk_packages: the modules of sub-packages (wizard.api.opentrain, ...) too.
    return [name] + sorted(info.name for info in pkgutil.walk_packages(paths, f"{name}."))


MODULES = _modules(wizard.api) + _modules(wizard.core) + _modules(wizard.plain)


def test_the_module_list_covers_what_the_layers_hold() -> None:
    # Guard the parametrisation itself: an empty list would make every check vacuous.
    assert {
        "wizard.api.opentrain.client",
        "wizard.api.recruitsome.models",
        "wizard.core.session",
    } <= set(MODULES)
    assert {"wizard.core.fields", "wizard.core.journal", "wizard.core.engine"} <= set(MODULES)
    assert {"wizard.plain.flow", "wizard.plain.run"} <= set(MODULES)


_PROBE = """
import importlib, json, sys
report = {}
for name in sys.argv[1:]:
    importlib.import_module(name)
    report[name] = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def textual_after_import() -> dict[str, list[str]]:
    """One fresh interpreter imports each module in turn and notes Textual after each.

    Imports accumulate, so the first module listed with Textual is the one that pulled
    it in; one process keeps this fast where a process per module took seconds.
    """
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *MODULES],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, list[str]] = json.loads(result.stdout)
    return report


@pytest.mark.parametrize("module", MODULES)
def test_module_does_not_import_textual(
    module: str, textual_after_import: dict[str, list[str]]
) -> None:
    assert module in textual_after_import
    assert textual_after_import[module] == [], f"importing {module} loaded Textual"


def test_the_check_itself_can_see_textual() -> None:
    # If this fails, the subprocess checks above would pass for the wrong reason.
    result = subprocess.run(
        [sys.executable, "-c", "import textual, sys; print('textual' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "True"
