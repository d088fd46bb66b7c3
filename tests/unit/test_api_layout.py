"""The API layer's layout holds: one sub-package per service on a shared base.

The two services never import each other, the shared modules never import Recruitsome,
and the OpenTrain client loads neither Recruitsome nor a built response model (models
build their validators on first use: the import-time budget depends on it).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

API = Path(__file__).resolve().parents[2] / "wizard" / "api"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.py"))


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("opentrain", "wizard.api.recruitsome"),
        ("recruitsome", "wizard.api.opentrain"),
        (".", "wizard.api.recruitsome"),
    ],
)
def test_a_service_never_imports_the_other(folder: str, forbidden: str) -> None:
    modules = _modules(API / folder)
    assert modules
    offenders = {
        path.name: sorted(name for name in _imports(path) if name.startswith(forbidden))
        for path in modules
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_both_clients_stand_on_the_shared_base() -> None:
    from wizard.api.base import ClientBase
    from wizard.api.lenient import Lenient
    from wizard.api.opentrain.client import OpenTrainClient
    from wizard.api.opentrain.models import DraftResponse
    from wizard.api.recruitsome.client import RecruitsomeClient
    from wizard.api.recruitsome.models import VacancyFacets

    assert issubclass(OpenTrainClient, ClientBase) and issubclass(RecruitsomeClient, ClientBase)
    assert issubclass(DraftResponse, Lenient) and issubclass(VacancyFacets, Lenient)
    # Neither client sends on its own: the one request path is the base's.
    assert "_request" not in vars(OpenTrainClient) and "_request" not in vars(RecruitsomeClient)
    assert "__init__" not in vars(OpenTrainClient) and "__init__" not in vars(RecruitsomeClient)


_PROBE = """
import json, sys
import wizard.api.opentrain.client
from wizard.api.opentrain import models
from wizard.api.record import is_built
built = sorted(
    name for name, item in vars(models).items()
    if isinstance(item, type) and issubclass(item, models.Lenient)
    and item is not models.Lenient and is_built(item)
)
print(json.dumps({
    "recruitsome": sorted(m for m in sys.modules if m.startswith("wizard.api.recruitsome")),
    "built": built,
    "pydantic": sorted(m for m in sys.modules if m.split(".")[0].startswith("pydantic")),
}))
"""


def _last_line_of(code: str) -> str:
    """Run ``code`` in a fresh interpreter (nothing imported yet); its last line of output."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_the_opentrain_client_loads_no_recruitsome_no_pydantic_and_builds_no_model() -> None:
    report = json.loads(_last_line_of(_PROBE))
    assert report == {"recruitsome": [], "built": [], "pydantic": []}


def test_the_form_path_without_a_recruitsome_key_loads_no_recruitsome_module() -> None:
    probe = (
        "import sys, wizard.core.backend, wizard.core.facets.catalog, wizard.ui.screens.form; "
        "print(sorted(m for m in sys.modules if 'recruitsome' in m))"
    )
    assert _last_line_of(probe) == "[]"
