"""Shared fixtures: every test runs with its own XDG dirs and no real credentials; the
hostile stand-in API, one per test module, honest again for each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile_server import HostileServer

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
)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Keep the developer's journal, cache, config and tokens out of every test."""
    # A directory of its own, so tests that list their tmp_path see only their files.
    home = tmp_path_factory.mktemp("home")
    for name in ("state", "cache", "config"):
        (home / name).mkdir(parents=True)
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("DRAFT_WIZARD_SANDBOX_DB", ":memory:")
    monkeypatch.delenv("NO_COLOR", raising=False)
    for variable in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    yield home


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    """One hostile stand-in API for the test module (``tests/hostile_server.py``)."""
    with HostileServer() as server:
        yield server


@pytest.fixture
def hostile_server(hostile: HostileServer) -> HostileServer:
    """The module's hostile server, back to an honest ``plain`` with no request seen."""
    hostile.reset()
    return hostile
