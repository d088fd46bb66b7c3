"""Shared set-up for the benchmarks: isolated XDG dirs, no credentials, a report at the end.

The benchmarks measure the speed budget of DESIGN.md. Each test adds its numbers to
``REPORT``; they are printed in the terminal summary (so ``-q`` still shows them) and,
when ``BENCH_JSON`` names a file, written there as one JSON document.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CREDENTIAL_VARIABLES = (
    "OT_API_TOKEN",
    "OPENTRAIN_API_TOKEN",
    "OT_API_BASE_URL",
    "OPENTRAIN_BASE_URL",
    "OPENTRAIN_API_BASE_URL",
    "RECRUITSOME_API_KEY",
    "RECRUITSOME_BASE_URL",
    "DRAFT_WIZARD_FACETS_TTL",
    "DRAFT_WIZARD_ALLOW_INSECURE_HTTP",
    "DRAFT_WIZARD_TIMEOUT",
)

REPO = Path(__file__).resolve().parents[1]
"""The checkout these benchmarks belong to: processes they start import ``wizard`` from here."""


def pytest_sessionstart() -> None:
    """Compile the checkout's bytecode once, as installing the package does.

    The processes the benchmarks start import ``wizard`` from this checkout. An editable
    install writes no ``.pyc`` files, and a machine with ``PYTHONDONTWRITEBYTECODE=1`` (this
    one has it) never writes them either: every fresh process would compile the wizard's
    modules from source (about 65 ms for ``fill``), a cost an installed copy does not
    have and the yardsticks (whose libraries are installed, compiled) do not pay.
    Existing caches are still read under that variable, so compiling once is enough.
    """
    import compileall

    compileall.compile_dir(str(REPO / "wizard"), quiet=1)


REPORT: dict[str, dict[str, Any]] = {}
"""Section name → lines (``"text"``) and numbers (``"data"``), filled by the tests."""


def report(section: str, line: str, **data: Any) -> None:
    """Add a line (and machine-readable numbers) to the summary printed at the end."""
    entry = REPORT.setdefault(section, {"lines": [], "data": {}})
    entry["lines"].append(line)
    entry["data"].update(data)


def isolated_env(home: Path) -> dict[str, str]:
    """The environment a benchmarked process gets: private XDG dirs, no credentials, and
    this checkout first on the import path."""
    env = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARIABLES}
    for name, variable in (
        ("state", "XDG_STATE_HOME"),
        ("cache", "XDG_CACHE_HOME"),
        ("config", "XDG_CONFIG_HOME"),
    ):
        (home / name).mkdir(parents=True, exist_ok=True)
        env[variable] = str(home / name)
    env["DRAFT_WIZARD_SANDBOX_DB"] = ":memory:"
    env.pop("NO_COLOR", None)
    # Measure this checkout, whichever one the virtualenv has installed.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Keep the developer's journal, cache, config and tokens out of every benchmark."""
    home = tmp_path / "home"
    env = isolated_env(home)
    for variable in ("XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(variable, env[variable])
    monkeypatch.setenv("DRAFT_WIZARD_SANDBOX_DB", ":memory:")
    for variable in (*CREDENTIAL_VARIABLES, "NO_COLOR"):
        monkeypatch.delenv(variable, raising=False)
    yield home


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print what the benchmarks measured, whatever the verbosity."""
    if not REPORT:
        return
    terminalreporter.section("speed budget (DESIGN.md)")
    for section, entry in REPORT.items():
        terminalreporter.write_line(f"[{section}]")
        for line in entry["lines"]:
            terminalreporter.write_line(f"  {line}")
    target = os.environ.get("BENCH_JSON")
    if target:
        document = {section: entry["data"] for section, entry in REPORT.items()}
        Path(target).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        terminalreporter.write_line(f"numbers written to {target}")


SANDBOX_DEMO_TOKEN = "ot_pat_sandbox_demo_0123456789abcdef"
"""The sandbox's demo token (``wizard.sandbox.SANDBOX_TOKEN``), not a real credential."""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def loopback_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A stand-in of the API on loopback: ``draft-wizard sandbox`` in its own process.

    The benchmarks point the wizard (and their plain-httpx yardsticks) at it the way a
    user points them at the real API; its replies take a few milliseconds.
    """
    with loopback_sandbox(tmp_path_factory.mktemp("loopback-api")) as base_url:
        yield base_url


@contextlib.contextmanager
def loopback_sandbox(home: Path) -> Iterator[str]:
    """``draft-wizard sandbox`` on a free loopback port, in memory, until the block ends.

    A fresh one starts with a fresh account: the sandbox publishes 20 drafts a day per
    account, so a benchmark that publishes more starts another.
    """
    import socket
    import subprocess
    import sys
    import time

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wizard", "sandbox", "--port", str(port)],
        cwd=home,
        env=isolated_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the loopback sandbox did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
