"""``draft-wizard facets`` says where its numbers come from (the built-in sandbox, or the
API's origin, and when the source generated them), and a filter value the source does not
know is one sentence and exit 1, not a table of zeros. Against the real sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_facets_sandbox import remote_settings, run, sandbox_settings
from wizard.cli.facets_source import SANDBOX_NOTE
from wizard.core.options import OPENTRAIN, RECRUITSOME
from wizard.sandbox import SANDBOX_RECRUITSOME_KEY, SandboxServer


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("DRAFT_WIZARD_SANDBOX_DB", ":memory:")
    for name in ("OT_API_TOKEN", "OPENTRAIN_API_TOKEN", "OT_API_BASE_URL", "RECRUITSOME_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_people_see_the_sandbox_and_the_generation_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(sandbox_settings()) == 0
    lines = capsys.readouterr().out.splitlines()
    market = lines.index(next(line for line in lines if line.startswith("OpenTrain marketplace")))
    source = lines[market + 1]
    assert source.startswith(f"Source: from {SANDBOX_NOTE}, generated 20")
    vacancies = next(i for i, line in enumerate(lines) if line.startswith("Recruitsome vacancy"))
    assert lines[vacancies + 1].startswith(f"Source: from {SANDBOX_NOTE}, generated 20")


def test_json_names_each_source_and_stderr_says_it_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(sandbox_settings(), "--json") == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    sources = document["sources"]
    assert set(sources) == {OPENTRAIN, RECRUITSOME}
    market = sources[OPENTRAIN]
    assert market["sandbox"] is True and market["cached"] is False
    assert market["origin"].startswith("http://127.0.0.1:")
    assert market["generatedAt"] == document[OPENTRAIN]["generatedAt"]
    vacancies = sources[RECRUITSOME]
    assert vacancies["sandbox"] is True
    assert vacancies["generatedAt"] == document[RECRUITSOME]["meta"]["generated_at"]
    assert f"OpenTrain marketplace: from {SANDBOX_NOTE}, generated " in captured.err
    assert f"Recruitsome vacancy facets: from {SANDBOX_NOTE}, generated " in captured.err


def test_a_remote_origin_is_named_and_a_cached_answer_says_so(
    server: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = remote_settings(server, SANDBOX_RECRUITSOME_KEY)
    assert run(settings, "--source", "opentrain", "--json") == 0
    first = json.loads(capsys.readouterr().out)["sources"][OPENTRAIN]
    assert first == {
        "origin": server.base_url,
        "sandbox": False,
        "generatedAt": first["generatedAt"],
        "cached": False,
    }
    assert run(settings, "--source", "opentrain") == 0
    out = capsys.readouterr().out
    assert f"Source: from {server.base_url}, generated {first['generatedAt']}, cached " in out


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (
            ("--filter", "language=xx"),
            "Recruitsome does not know the language 'xx'; its vacancies use de, en, fr, nl.",
        ),
        (("--filter", "language=XX", "--json"), "Recruitsome does not know the language 'XX'"),
    ],
)
def test_an_unknown_language_is_exit_1_with_one_sentence(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], sentence: str
) -> None:
    assert run(sandbox_settings(), "--source", "recruitsome", *argv) == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("draft-wizard facets:")]
    assert len(errors) == 1 and sentence in errors[0]
    assert "Recruitsome vacancy facets (" not in captured.out  # no table of zeros
    if "--json" in argv:
        document = json.loads(captured.out)
        assert RECRUITSOME not in document
        assert document["errors"][RECRUITSOME]["kind"] == "filter"
        assert document["errors"][RECRUITSOME]["filter"] == "language"
    else:
        assert captured.out == ""


def test_a_known_language_in_another_case_is_fine(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(sandbox_settings(), "--source", "recruitsome", "--filter", "language=EN") == 0
    assert "filters: language=EN" in capsys.readouterr().out
