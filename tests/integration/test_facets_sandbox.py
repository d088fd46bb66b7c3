"""Facets end to end against the real sandbox on a loopback port: both clients, the cache, the
catalog and ``draft-wizard facets``, with requests counted by the server that received them."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from wizard.api.errors import AuthenticationError
from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.recruitsome.client import RecruitsomeClient
from wizard.api.recruitsome.errors import (
    InsufficientScopeError,
    InvalidFilterError,
    TenantDisabledError,
)
from wizard.api.recruitsome.models import VacancyFacets
from wizard.api.retry import RetryPolicy
from wizard.cli.facets import run_facets
from wizard.cli.facets_args import add_facets_parser
from wizard.core.facets.catalog import TAGS_KEY, load_catalog
from wizard.core.options import OPENTRAIN, RECRUITSOME, Option
from wizard.launch import Launcher
from wizard.sandbox import (
    SANDBOX_RECRUITSOME_DISABLED_KEY,
    SANDBOX_RECRUITSOME_KEY,
    SANDBOX_RECRUITSOME_NO_SCOPE_KEY,
    SANDBOX_RECRUITSOME_NON_AGENCY_KEY,
    SANDBOX_TOKEN,
    SandboxServer,
)
from wizard.settings import SecretStr, Settings

REPO = Path(__file__).resolve().parents[2]
OT_ROUTE = "GET /api/public/v1/jobs/facets"
RS_ROUTE = "GET /api/v1/vacancies/facets"
BAD_KEY = "rs_live_not_a_real_key_c0ffee1234"


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    sandbox = SandboxServer()
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("DRAFT_WIZARD_SANDBOX_DB", ":memory:")
    for name in ("OT_API_TOKEN", "OPENTRAIN_API_TOKEN", "OT_API_BASE_URL", "RECRUITSOME_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def count_from(option: Option, source: str) -> int | None:
    """One source's count for an option; None when that source said nothing about it."""
    return next((entry.count for entry in option.counts if entry.source == source), None)


def received(server: SandboxServer) -> dict[str, int]:
    stats = httpx.get(f"{server.base_url}/_sandbox/stats").json()
    requests: dict[str, int] = stats["requests"]
    return requests


def opentrain(server: SandboxServer) -> OpenTrainClient:
    return OpenTrainClient(server.base_url, None)


def recruitsome(
    server: SandboxServer, key: str | None = SANDBOX_RECRUITSOME_KEY
) -> RecruitsomeClient:
    return RecruitsomeClient(server.base_url, key, retry=RetryPolicy(max_attempts=1))


async def facets(server: SandboxServer, filters: dict[str, Any] | None = None) -> VacancyFacets:
    async with recruitsome(server) as client:
        return await client.vacancy_facets(filters)


def by_id(items: list[Any]) -> dict[Any, Any]:
    return {item.id: item for item in items}


# ---- the clients ----------------------------------------------------------------------------


async def test_marketplace_facets_from_the_sandbox(server: SandboxServer) -> None:
    async with opentrain(server) as client:
        market = await client.facets()
    assert market.total_jobs > 0
    assert market.languages and market.countries and market.pay_types
    assert all(len(c.value) == 2 and c.value.isupper() for c in market.countries)
    counts = [c.count for c in market.countries]
    assert counts == sorted(counts, reverse=True)
    assert {p.value for p in market.pay_types} <= {"PAY_PER_HOUR", "FIXED_PRICE", "PAY_PER_LABEL"}


async def test_every_recruitsome_group_arrives(server: SandboxServer) -> None:
    result = await facets(server)
    data = result.data
    assert data.locations and data.company_locations and data.departments
    assert data.experience_levels and data.job_types and data.education_levels
    assert data.tags and data.languages
    amsterdam = next(loc for loc in data.locations if loc.city == "Amsterdam")
    assert (amsterdam.country_code, amsterdam.country_name) == ("NL", "Netherlands")
    assert all(len(lang.code) == 2 for lang in data.languages)
    assert not any(item.selected for item in data.locations)
    assert result.meta.generated_at and result.meta.filter_names == []


async def test_counts_honour_the_other_filters(server: SandboxServer) -> None:
    plain = await facets(server)
    amsterdam = next(loc for loc in plain.data.locations if loc.name == "Amsterdam")
    filtered = await facets(server, {"location_id": [amsterdam.id]})

    locations = by_id(filtered.data.locations)
    assert locations[amsterdam.id].selected is True
    assert sum(loc.selected for loc in filtered.data.locations) == 1
    assert "location_id" in filtered.meta.filter_names
    # A facet does not filter itself: the location counts stay as they were.
    assert locations[amsterdam.id].count == amsterdam.count
    # Every other facet counts only Amsterdam's vacancies now.
    assert sum(d.count for d in filtered.data.departments) == amsterdam.count
    assert sum(d.count for d in plain.data.departments) > amsterdam.count
    for department in filtered.data.departments:
        assert department.count <= by_id(plain.data.departments)[department.id].count

    # Two filters narrow further, and each facet still ignores only itself.
    language = filtered.data.languages[0].code
    both = await facets(server, {"location_id": [amsterdam.id], "language": language})
    assert sum(d.count for d in both.data.departments) <= amsterdam.count
    assert set(both.meta.filter_names) >= {"location_id", "language"}


async def test_hierarchical_tags(server: SandboxServer) -> None:
    plain = await facets(server)
    parent = next(tag for tag in plain.data.tags if tag.sub_tags)
    for sub in parent.sub_tags:
        assert 0 <= sub.count <= parent.count

    # Filtering by a main tag matches its sub-tags' vacancies too.
    by_parent = await facets(server, {"tags": [parent.id]})
    assert sum(d.count for d in by_parent.data.departments) == parent.count
    assert by_id(by_parent.data.tags)[parent.id].selected is True

    child = max(parent.sub_tags, key=lambda s: s.count)
    by_child = await facets(server, {"tags": [child.id]})
    assert sum(d.count for d in by_child.data.departments) == child.count
    selected_subs = [s for t in by_child.data.tags for s in t.sub_tags if s.selected]
    assert [s.id for s in selected_subs] == [child.id]


async def test_the_catalog_from_both_sandbox_sources(tmp_path: Path, server: SandboxServer) -> None:
    async with opentrain(server) as ot, recruitsome(server) as rs:
        catalog = await load_catalog(ot, rs, cache_dir=tmp_path)
    assert catalog.notes == []
    assert catalog.sources == [OPENTRAIN, RECRUITSOME]
    dutch = catalog.option("languages", "Dutch")
    assert dutch is not None and count_from(dutch, RECRUITSOME)
    assert "of your vacancies" in (dutch.note or "")
    english = catalog.option("languages", "English")
    assert english is not None
    assert count_from(english, OPENTRAIN) and count_from(english, RECRUITSOME)
    nl = catalog.option("countries", "NL")
    assert nl is not None and nl.label == "Netherlands (NL)" and count_from(nl, RECRUITSOME)
    countries = catalog.options_for("countries")
    used = [o for o in countries if o.count]
    assert countries[: len(used)] == used, "used countries first"
    assert all(o.dimmed for o in countries[len(used) :]), "unused ones last and dimmed"
    tags = catalog.options_for(TAGS_KEY)
    assert tags and any(tag.children for tag in tags)


async def test_a_second_load_within_the_ttl_reaches_no_server(
    tmp_path: Path, server: SandboxServer
) -> None:
    before = received(server)
    async with opentrain(server) as ot, recruitsome(server) as rs:
        first = await load_catalog(ot, rs, cache_dir=tmp_path, ttl=600)
        second = await load_catalog(ot, rs, cache_dir=tmp_path, ttl=600)
        filtered = await load_catalog(ot, rs, cache_dir=tmp_path, ttl=600, filters={"tags": [1]})
    after = received(server)
    assert after.get(OT_ROUTE, 0) - before.get(OT_ROUTE, 0) == 1
    # One for the unfiltered answer, one for the filtered one (a different entry).
    assert after.get(RS_ROUTE, 0) - before.get(RS_ROUTE, 0) == 2
    assert second.options_for("languages") == first.options_for("languages")
    assert filtered.notes == []


async def test_a_non_agency_tenant_loads_without_work_sites(
    tmp_path: Path, server: SandboxServer
) -> None:
    # A tenant that is not an agency answers `company_locations: []`, as the docs say.
    async with recruitsome(server, SANDBOX_RECRUITSOME_NON_AGENCY_KEY) as client:
        result = await client.vacancy_facets()
    assert result.data.company_locations == []
    assert result.data.locations and result.data.tags
    async with (
        opentrain(server) as ot,
        recruitsome(server, SANDBOX_RECRUITSOME_NON_AGENCY_KEY) as rs,
    ):
        catalog = await load_catalog(ot, rs, cache_dir=tmp_path)
    assert catalog.notes == [] and catalog.sources == [OPENTRAIN, RECRUITSOME]
    assert not catalog.options_for("recruitsome:company_locations")
    nl = catalog.option("countries", "NL")
    assert nl is not None and count_from(nl, RECRUITSOME)


# ---- every error shape ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "error", "sentence"),
    [
        (None, AuthenticationError, "No Recruitsome API key was sent; set RECRUITSOME_API_KEY."),
        (
            BAD_KEY,
            AuthenticationError,
            "Recruitsome rejected the API key (Invalid authentication credentials); check "
            "RECRUITSOME_API_KEY.",
        ),
        (
            SANDBOX_RECRUITSOME_DISABLED_KEY,
            TenantDisabledError,
            "API access is not enabled for this Recruitsome tenant; an admin can switch it on "
            "under Settings → Integrations.",
        ),
        (
            SANDBOX_RECRUITSOME_NO_SCOPE_KEY,
            InsufficientScopeError,
            "The Recruitsome API key lacks the vacancies:read scope; create a key with it (the "
            "Career Website preset has it).",
        ),
    ],
)
async def test_key_errors(
    server: SandboxServer, key: str | None, error: type[Exception], sentence: str
) -> None:
    async with recruitsome(server, key) as client:
        with pytest.raises(error) as caught:
            await client.vacancy_facets()
    assert str(caught.value) == sentence
    if key:
        assert key not in str(caught.value)


@pytest.mark.parametrize(
    ("filters", "name", "fragment"),
    [
        ({"location_id": [999]}, "location_id", "location_id=999 (The location_id.0 must be"),
        ({"language": "english"}, "language", "language=english (The language must be 2"),
        ({"tags": [1, "abc"]}, "tags", "tags=abc (The tags.1 must be an integer)"),
    ],
)
async def test_invalid_filters_name_the_filter(
    server: SandboxServer, filters: dict[str, Any], name: str, fragment: str
) -> None:
    async with recruitsome(server) as client:
        with pytest.raises(InvalidFilterError) as caught:
            await client.vacancy_facets(filters)
    assert caught.value.status_code == 422
    assert caught.value.filter == name
    assert fragment in caught.value.message


async def test_failures_degrade_the_catalog_quietly(tmp_path: Path, server: SandboxServer) -> None:
    async with opentrain(server) as ot, recruitsome(server, BAD_KEY) as rs:
        catalog = await load_catalog(ot, rs, cache_dir=tmp_path)
    assert catalog.sources == [OPENTRAIN]
    assert len(catalog.notes) == 1 and catalog.notes[0].startswith("Recruitsome suggestions")
    assert BAD_KEY not in catalog.notes[0]


# ---- draft-wizard facets --------------------------------------------------------------------


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="draft-wizard")
    add_facets_parser(parser.add_subparsers(dest="command"), [])
    return parser.parse_args(["facets", *argv])


def sandbox_settings() -> Settings:
    return Settings(token=None, token_source=None, base_url=None, sandbox=True)


def remote_settings(server: SandboxServer, key: str | None) -> Settings:
    return Settings(
        token=SecretStr(SANDBOX_TOKEN),
        token_source="test",
        base_url=server.base_url,
        sandbox=False,
        recruitsome_key=SecretStr(key) if key else None,
        recruitsome_base_url=server.base_url,
    )


def run(settings: Settings, *argv: str) -> int:
    launcher = Launcher(settings)
    try:
        return run_facets(parse(*argv), settings, launcher)
    finally:
        launcher.stop()


def test_command_in_sandbox_mode_prints_both_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(sandbox_settings()) == 0
    out = capsys.readouterr().out
    assert out.startswith("OpenTrain marketplace: ")
    for heading in ("Categories", "Languages", "Countries", "Pay types", "Tags", "Work sites"):
        assert f"\n{heading} " in out
    assert "Recruitsome vacancy facets" in out
    assert "Netherlands (NL)" in out
    assert "\n      Software Engineer " in out, "sub-tags are indented under their tag"
    assert SANDBOX_RECRUITSOME_KEY not in out


def test_command_json_keeps_each_source_structure(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(sandbox_settings(), "--json") == 0
    document = json.loads(capsys.readouterr().out)  # exactly one document
    assert set(document) == {OPENTRAIN, RECRUITSOME, "sources"}
    market = document[OPENTRAIN]
    assert set(market) >= {"totalJobs", "categories", "languages", "countries", "payTypes"}
    assert all(set(c) == {"value", "count"} for c in market["countries"])
    data = document[RECRUITSOME]["data"]
    assert set(document[RECRUITSOME]["meta"]) == {"generated_at", "filters_applied"}
    assert any(tag["sub_tags"] for tag in data["tags"])
    sub = next(tag for tag in data["tags"] if tag["sub_tags"])["sub_tags"][0]
    assert set(sub) == {"id", "name", "count", "selected"}
    assert all(len(lang["code"]) == 2 and "count" in lang for lang in data["languages"])
    assert {"city", "country_code", "country_name"} <= set(data["locations"][0])


def test_command_filters_change_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(sandbox_settings(), "--source", "recruitsome", "--json") == 0
    plain = json.loads(capsys.readouterr().out)[RECRUITSOME]["data"]
    code = run(
        sandbox_settings(),
        "--source",
        "recruitsome",
        "--filter",
        "location_id=1",
        "--filter",
        "tags=1,5",
        "--json",
    )
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {RECRUITSOME, "sources"}
    data = document[RECRUITSOME]["data"]
    assert [loc["id"] for loc in data["locations"] if loc["selected"]] == [1]
    assert sum(d["count"] for d in data["departments"]) < sum(
        d["count"] for d in plain["departments"]
    )
    assert {"location_id", "tags"} <= set(document[RECRUITSOME]["meta"]["filters_applied"])


def test_command_people_see_the_active_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(sandbox_settings(), "--source", "recruitsome", "--filter", "language=en") == 0
    out = capsys.readouterr().out
    assert "filters: language=en" in out
    assert "* an active filter" in out
    assert "OpenTrain" not in out


def test_command_uses_the_cache(server: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    settings = remote_settings(server, SANDBOX_RECRUITSOME_KEY)
    before = received(server)
    assert run(settings, "--json") == 0
    first = json.loads(capsys.readouterr().out)
    assert run(settings, "--json") == 0
    second = json.loads(capsys.readouterr().out)
    after = received(server)
    assert first.pop("sources") != second.pop("sources")  # the second says it was cached
    assert first == second
    assert after.get(OT_ROUTE, 0) - before.get(OT_ROUTE, 0) == 1
    assert after.get(RS_ROUTE, 0) - before.get(RS_ROUTE, 0) == 1
    assert run(settings, "--json", "--refresh") == 0
    capsys.readouterr()
    assert received(server).get(RS_ROUTE, 0) - before.get(RS_ROUTE, 0) == 2


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (BAD_KEY, "Recruitsome rejected the API key (Invalid authentication credentials)"),
        (SANDBOX_RECRUITSOME_DISABLED_KEY, "API access is not enabled for this Recruitsome tenant"),
        (SANDBOX_RECRUITSOME_NO_SCOPE_KEY, "lacks the vacancies:read scope"),
    ],
)
def test_command_rejected_key_exits_1_without_echoing_it(
    server: SandboxServer, capsys: pytest.CaptureFixture[str], key: str, reason: str
) -> None:
    settings = remote_settings(server, key)
    assert run(settings, "--source", "recruitsome") == 1
    captured = capsys.readouterr()
    assert reason in captured.err
    assert key not in captured.out + captured.err

    assert run(settings, "--source", "recruitsome", "--json") == 1
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert reason in document["errors"][RECRUITSOME]["message"]
    assert key not in captured.out + captured.err


def test_command_invalid_filter_exits_1_naming_it(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = remote_settings(server, SANDBOX_RECRUITSOME_KEY)
    assert run(settings, "--filter", "location_id=999", "--json") == 1
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    error = document["errors"][RECRUITSOME]
    assert error["kind"] == "filter" and error["filter"] == "location_id" and error["status"] == 422
    assert "location_id=999" in captured.err
    # The other source still answered.
    assert document[OPENTRAIN]["totalJobs"] > 0


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (("--filter", "tags"), "--filter expects KEY=VALUE, got 'tags'."),
        (("--filter", "=5"), "--filter expects KEY=VALUE, got '=5'."),
        (("--filter", "colour=red"), "--filter 'colour' is not a Recruitsome facet filter"),
        (("--filter", "tags="), "--filter tags= has no value."),
        (("--filter", "language=en", "--filter", "language=nl"), "language is given twice"),
        (("--source", "opentrain", "--filter", "tags=1"), "OpenTrain's take no filters"),
    ],
)
def test_command_usage_errors_exit_2(
    server: SandboxServer, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], reason: str
) -> None:
    before = received(server)
    settings = remote_settings(server, SANDBOX_RECRUITSOME_KEY)
    assert run(settings, *argv) == 2
    assert reason in capsys.readouterr().err
    assert run(settings, *argv, "--json") == 2
    assert reason in json.loads(capsys.readouterr().out)["error"]["message"]
    assert received(server) == {**before, "GET /_sandbox/stats": before["GET /_sandbox/stats"] + 1}


def test_command_without_a_key(server: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    settings = remote_settings(server, None)
    assert run(settings, "--source", "recruitsome") == 2
    assert "RECRUITSOME_API_KEY" in capsys.readouterr().err
    # Without --source the OpenTrain part still runs, and Recruitsome is skipped with a note.
    assert run(settings, "--json") == 0
    captured = capsys.readouterr()
    assert set(json.loads(captured.out)) == {OPENTRAIN, "sources"}
    assert "Recruitsome: skipped" in captured.err


def test_the_console_command_end_to_end(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "DRAFT_WIZARD_SANDBOX_DB": ":memory:",
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, "-m", "wizard", "facets", "--sandbox", "--json"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {OPENTRAIN, RECRUITSOME, "sources"}
    bad = subprocess.run(
        [*command, "--filter", "nonsense"], env=env, capture_output=True, text=True, timeout=60
    )
    assert bad.returncode == 2
