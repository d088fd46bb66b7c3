"""Shared pieces of the ``fill`` integration tests: running the command, answers, results.

``fill`` runs as a real subprocess (``python -m wizard fill``) pointed at a sandbox on a
loopback port the way a user of the real API points it at OpenTrain: ``OT_API_TOKEN`` and
``OT_API_BASE_URL``. ``tests/fault_proxy.py`` sits between the two when a test needs one
exact failure at one exact moment.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from wizard.core.journal import Journal
from wizard.core.paths import state_dir
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer

PREFIX = "/api/public/v1"
PATCH_ROUTE = f"PATCH {PREFIX}/job-drafts/{{jobId}}"
CREATE_ROUTE = f"POST {PREFIX}/job-drafts"
PUBLISH_ROUTE = f"POST {PREFIX}/jobs/{{id}}/publish"
MINE_ROUTE = f"GET {PREFIX}/jobs/mine"
REPO = Path(__file__).resolve().parents[2]

# A description the sandbox reads a title, a description and label types from, and
# nothing about pay: the payment type is asked, and answering it makes its rate required.
DESCRIPTION = (
    "Product image bounding boxes\n"
    "Draw bounding boxes around every product in retail shelf photos and pick the "
    "product category from a list. Clear guidelines are provided.\n"
)
TITLE = "Product image bounding boxes"

ANSWERS: dict[str, Any] = {
    "labelingOverview": "Draw a tight box around every product and tag its brand, in CVAT.",
    "experienceLevel": "entry_level",  # case-insensitive: ENTRY_LEVEL is sent
    "paymentType": "pay_per_label",
    "pricePerLabel": "0.06",  # a string for a number field: 0.06 is sent
    "languages": "English",  # a string for a list field: ["English"] is sent
    "countries": ["US", "IN"],
    "headcount": "5",
    "dataVolume": 20000,
    "dataVolumeUnit": "NUMBER_OF_FILES",
}
"""One file answering every question the description leaves, in two rounds."""

EXPECTED: dict[str, Any] = {
    "labelingOverview": ANSWERS["labelingOverview"],
    "experienceLevel": "ENTRY_LEVEL",
    "paymentType": "PAY_PER_LABEL",
    "pricePerLabel": 0.06,
    "languages": ["English"],
    "countries": ["US", "IN"],
    "headcount": 5,
    "dataVolume": 20000,
    "dataVolumeUnit": "NUMBER_OF_FILES",
}
"""What the server must hold once the answers are in (canonical, coerced)."""

ROUND_ONE_KEYS = sorted(set(ANSWERS) - {"pricePerLabel"})
"""The keys of the first PATCH: the rate is only asked once the payment type is known."""


# ---- running the command -----------------------------------------------------------------


@dataclass
class FillRun:
    """One finished ``fill`` process."""

    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def doc(self) -> dict[str, Any]:
        """The one JSON document on stdout (fails the test if there is not exactly one)."""
        text = self.stdout.strip()
        assert text, f"no JSON on stdout; stderr was:\n{self.stderr}"
        decoder = json.JSONDecoder()
        value, end = decoder.raw_decode(text)
        assert text[end:].strip() == "", f"more than one document on stdout:\n{self.stdout}"
        assert isinstance(value, dict)
        return value

    @property
    def sentences(self) -> list[str]:
        """The ``draft-wizard: ...`` lines on stderr (warnings excluded)."""
        return [
            line
            for line in self.stderr.splitlines()
            if line.startswith("draft-wizard: ") and not line.startswith("draft-wizard: warning:")
        ]

    def assert_clean_failure(self, code: int, *needles: str) -> str:
        """Exit ``code``, no traceback, ONE reason line on stderr holding every needle."""
        assert self.code == code, f"exit {self.code}, wanted {code}\n{self.stderr}"
        assert "Traceback" not in self.stderr, self.stderr
        assert "Traceback" not in self.stdout, self.stdout
        assert len(self.sentences) == 1, self.stderr
        sentence = self.sentences[0]
        for needle in needles:
            assert needle.lower() in sentence.lower(), sentence
        return sentence


def fill_env(
    base_url: str | None = None, token: str | None = SANDBOX_TOKEN, **extra: str
) -> dict[str, str]:
    """The environment of a ``fill`` subprocess: this test's XDG dirs, the given API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFT_WIZARD_TIMEOUT")}
    env["PYTHONUNBUFFERED"] = "1"
    if base_url is not None:
        env["OT_API_BASE_URL"] = base_url
    if token is not None and base_url is not None:
        env["OT_API_TOKEN"] = token
    env.update(extra)
    return env


def run_fill_cli(
    *args: str | Path, env: dict[str, str], timeout: float = 60.0, input_text: str | None = None
) -> FillRun:
    """Run ``python -m wizard fill ARGS`` to completion."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "wizard", "fill", *map(str, args)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input_text,
        check=False,
    )
    return FillRun(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)


def run_fill_main(*args: str | Path, capsys: pytest.CaptureFixture[str]) -> FillRun:
    """Run ``draft-wizard fill ARGS`` in this process (``wizard.cli.main.main``), for cheap cases.

    The environment is this process's: set ``OT_API_*`` with ``monkeypatch`` first.
    """
    from wizard.cli.main import main

    started = time.perf_counter()
    try:
        code = main(["fill", *map(str, args)])
    except SystemExit as exit_:  # argparse
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return FillRun(code, captured.out, captured.err, time.perf_counter() - started)


class InProcessFill:
    """``fill`` in this process against one origin: cheap second runs and usage cases."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
        self.monkeypatch = monkeypatch
        self.capsys = capsys

    def __call__(
        self, base_url: str, *args: str | Path, token: str = SANDBOX_TOKEN, **env: str
    ) -> FillRun:
        with self.monkeypatch.context() as patch:
            patch.setenv("OT_API_BASE_URL", base_url)
            patch.setenv("OT_API_TOKEN", token)
            for key, value in env.items():
                patch.setenv(key, value)
            return run_fill_main(*args, capsys=self.capsys)


def start_fill_cli(*args: str | Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start ``python -m wizard fill ARGS`` and return at once."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "wizard", "fill", *map(str, args)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def write_answers(directory: Path, answers: dict[str, Any], name: str = "answers.json") -> Path:
    """Write an answers file and return its path."""
    path = directory / name
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path


# ---- looking at the results --------------------------------------------------------------


def journal() -> Journal:
    """The journal ``fill`` wrote, under this test's XDG_STATE_HOME."""
    return Journal(state_dir() / "journal.sqlite3")


def stats(base_url: str) -> dict[str, Any]:
    """The sandbox's counters (``GET /_sandbox/stats``)."""
    body: dict[str, Any] = httpx.get(f"{base_url}/_sandbox/stats", timeout=5).json()
    return body


def count(snapshot: dict[str, Any], route: str) -> int:
    """How many requests one route received, from a stats snapshot."""
    return int(snapshot["requests"].get(route, 0))


def stored_fields(server: SandboxServer, job_id: str) -> dict[str, Any]:
    """The fields the sandbox holds for a job, read from its store."""
    from wizard.sandbox.app import sandbox_state

    record = sandbox_state(server.app).store.get_job(job_id)
    assert record is not None, f"the sandbox has no job {job_id}"
    return dict(record.fields)


def lost_answers(fields: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """Expected answers the server does not hold (key: what it holds instead)."""
    return {key: fields.get(key) for key, value in expected.items() if fields.get(key) != value}


def api_client(base_url: str, token: str = SANDBOX_TOKEN) -> httpx.Client:
    """A plain HTTP client on the sandbox's public API."""
    return httpx.Client(
        base_url=base_url + PREFIX, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def create_draft(base_url: str, description: str = DESCRIPTION) -> str:
    """Create a draft straight through the API (no journal entry); returns its id."""
    with api_client(base_url) as api:
        response = api.post("/job-drafts", json={"rawJobDescription": description})
        assert response.status_code in (200, 201), response.text
        job_id: str = response.json()["jobId"]
        return job_id


def free_port() -> int:
    """A loopback port nothing listens on (for "connection refused")."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def iter_files(root: Path) -> Iterator[Path]:
    """Every regular file under ``root``."""
    yield from (p for p in root.rglob("*") if p.is_file())
