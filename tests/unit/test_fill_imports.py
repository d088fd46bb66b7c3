"""A whole ``fill --publish`` run never imports Textual (nor httpx's command-line client).

The module checks in ``test_import_hygiene.py`` cover what each module imports; this
runs the command itself, in a fresh interpreter, against the sandbox on a loopback port,
and lists what it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_PROBE = """
import json, os, sys
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer

server = SandboxServer(db_path=None)
server.start()
os.environ["OT_API_TOKEN"] = SANDBOX_TOKEN
before = set(sys.modules)
from wizard.cli.main import main
try:
    code = main(["fill", "--base-url", server.base_url, "--description", sys.argv[1],
                 "--answers", sys.argv[2], "--publish"])
finally:
    server.stop()
loaded = sorted(set(sys.modules) - before)
print(json.dumps({"code": code, "loaded": loaded, "all": sorted(sys.modules)}))
"""

DESCRIPTION = (
    "Product image bounding boxes\n"
    "Draw bounding boxes around every product in retail shelf photos and pick the "
    "product category from a list. Clear guidelines are provided.\n"
)
ANSWERS = {
    "labelingOverview": "Draw a tight box around every product and tag its brand, in CVAT.",
    "experienceLevel": "ENTRY_LEVEL",
    "paymentType": "PAY_PER_LABEL",
    "pricePerLabel": 0.06,
    "languages": ["English"],
    "countries": ["US", "IN"],
    "headcount": 5,
    "dataVolume": 20000,
    "dataVolumeUnit": "NUMBER_OF_FILES",
}


def test_fill_runs_without_textual(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OT_", "OPENTRAIN_", "RECRUITSOME_"))
    }
    env.update(
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    )
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, DESCRIPTION, str(answers)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, result.stderr[-3000:]
    loaded = set(report["loaded"])
    # The run itself loaded the command, so an empty list cannot pass by accident.
    assert {"wizard.cli.fill", "wizard.core.engine", "wizard.core.autofill"} <= loaded
    everything = set(report["all"])
    assert "httpx" in everything
    assert not {m for m in everything if m == "textual" or m.startswith("textual.")}
    # httpx's command-line client is kept out, and with it pygments (the sandbox's
    # server, started before, brings click along itself).
    assert "pygments" not in loaded and "click" not in loaded
    assert "rich.syntax" not in everything
