"""``fill`` as scripts use it, against the real sandbox: keys that matched no question are
named, exit 3 says what each open question allows and how to continue, the JSON carries
what a script needs (``enumValues``, ``draftUrl``), and ``publishReady`` alone decides:
advisory ``issues[]`` are warnings and the draft publishes.

Runs ``fill`` in this process (``wizard.cli.main.main``) for speed; ``test_fill_cli`` covers
the real subprocess.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.fill_helpers import (
    ANSWERS,
    DESCRIPTION,
    InProcessFill,
    stored_fields,
    write_answers,
)
from wizard.sandbox import SandboxServer


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture
def fill(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> InProcessFill:
    return InProcessFill(monkeypatch, capsys)


def warnings(stderr: str) -> list[str]:
    prefix = "draft-wizard: warning: "
    return [line[len(prefix) :] for line in stderr.splitlines() if line.startswith(prefix)]


def test_keys_that_matched_no_question_are_named_with_the_closest_one(
    server: SandboxServer, fill: InProcessFill, tmp_path: Path
) -> None:
    answers = {k: v for k, v in ANSWERS.items() if k != "headcount"}
    answers["headcont"] = 5  # a typo
    answers["ExperienceLevel"] = "EXPERT"  # a case slip of a question that was asked
    answers["jobTitle"] = "Parsed already"  # a real key the server did not ask for
    answers["zzzq"] = 1  # nothing like any question
    path = write_answers(tmp_path, answers)
    run = fill(server.base_url, "--description", DESCRIPTION, "--answers", path, "--json")

    assert run.code == 3, run.stderr  # headcount is still open
    said = warnings(run.stderr)
    assert f"{path}: headcont matches no question and was not sent; did you mean headcount?" in said
    assert (
        f"{path}: ExperienceLevel matches no question and was not sent; "
        "did you mean experienceLevel?" in said
    )
    assert f"{path}: zzzq matches no question and was not sent." in said
    assert any(line.startswith(f"{path}: jobTitle was not asked by the server") for line in said)
    # pricePerLabel matched only the second round's question: it is not reported.
    assert not [line for line in said if "pricePerLabel" in line]
    doc = run.doc
    assert doc["unmatchedKeys"] == [
        {"key": "headcont", "closest": "headcount", "known": False},
        {"key": "ExperienceLevel", "closest": "experienceLevel", "known": False},
        {"key": "jobTitle", "closest": None, "known": True},
        {"key": "zzzq", "closest": None, "known": False},
    ]
    fields = stored_fields(server, doc["jobId"])
    assert fields["jobTitle"] != "Parsed already"  # never sent
    assert fields["pricePerLabel"] == 0.06  # the later round's answer was


def test_every_key_matching_a_question_reports_nothing(
    server: SandboxServer, fill: InProcessFill, tmp_path: Path
) -> None:
    run = fill(
        server.base_url,
        "--description",
        DESCRIPTION,
        "--answers",
        write_answers(tmp_path, ANSWERS),
        "--json",
    )
    assert run.code == 0, run.stderr
    assert run.doc["unmatchedKeys"] == []
    assert warnings(run.stderr) == []


def test_exit_3_says_what_each_question_allows_and_how_to_continue(
    server: SandboxServer, fill: InProcessFill, tmp_path: Path
) -> None:
    partial = {
        k: v for k, v in ANSWERS.items() if k not in {"experienceLevel", "countries", "headcount"}
    }
    path = write_answers(tmp_path, partial)
    run = fill(server.base_url, "--description", DESCRIPTION, "--answers", path, "--publish")

    assert run.code == 3, run.stderr
    err = run.stderr
    assert f"3 questions are not answered by {path}:" in err
    assert "  experienceLevel [experienceLevel]: What experience level should trainers have?" in err
    assert (
        # Levels in their natural order (the form's), whatever order the server lists them.
        "      experienceLevel: one of: ENTRY_LEVEL, INTERMEDIATE, EXPERT, ANY_EXPERIENCE_LEVEL"
        in err
    )
    assert "      countries: a list of values (one value is a one-item list) (e.g. US)" in err
    assert "      headcount: a whole number from 1 to 500 (e.g. 5)" in err
    lines = err.splitlines()
    command_line = lines[lines.index(f"Add them to {path}, then continue with:") + 1]
    words = shlex.split(command_line)
    assert words[:3] == ["draft-wizard", "fill", "--job-id"]
    job_id = words[3]
    assert words[4:] == ["--answers", str(path), "--publish"]

    # The command does what it says once the file answers the rest.
    write_answers(tmp_path, {**partial, **ANSWERS})
    again = fill(server.base_url, *words[2:], "--json")
    assert again.code == 0, again.stderr
    assert again.doc["jobId"] == job_id
    assert again.doc["status"] == "OPEN"


def test_the_json_entries_carry_what_a_script_needs(
    server: SandboxServer, fill: InProcessFill, tmp_path: Path
) -> None:
    path = write_answers(tmp_path, {})
    run = fill(server.base_url, "--description", DESCRIPTION, "--answers", path, "--json")
    assert run.code == 3, run.stderr
    doc = run.doc
    assert doc["draftUrl"].endswith(doc["jobId"])
    assert doc["draftUrl"].startswith(server.base_url)
    entries: dict[str, dict[str, Any]] = {e["field"]: e for e in doc["missingFields"]}
    for entry in entries.values():
        assert {"field", "label", "prompt", "type"} <= set(entry)
        assert entry["label"] and entry["prompt"]
    assert entries["experienceLevel"]["type"] == "enum"
    assert entries["experienceLevel"]["enumValues"] == [
        "ENTRY_LEVEL",
        "INTERMEDIATE",
        "EXPERT",
        "ANY_EXPERIENCE_LEVEL",
    ]
    assert set(entries["paymentType"]["enumValues"]) == {
        "PAY_PER_LABEL",
        "PAY_PER_HOUR",
        "FIXED_PRICE",
    }
    # The compound question's unit is its choice part.
    assert "NUMBER_OF_FILES" in entries["dataVolume"]["enumValues"]
    assert "enumValues" not in entries["countries"]
    assert "enumValues" not in entries["headcount"]


def test_advisory_issues_are_warnings_and_the_draft_publishes(
    server: SandboxServer, fill: InProcessFill, tmp_path: Path
) -> None:
    answers = {**ANSWERS, "headcount": 150}  # the sandbox's advisory HEADCOUNT_LARGE issue
    path = write_answers(tmp_path, answers)
    run = fill(
        server.base_url, "--description", DESCRIPTION, "--answers", path, "--publish", "--json"
    )
    assert run.code == 0, run.stderr
    doc = run.doc
    assert doc["publishReady"] is True
    assert doc["status"] == "OPEN" and doc["jobUrl"]
    assert doc["issues"] and "150 trainers" in doc["issues"][0]
    assert doc["rounds"] == 2  # the issue is not re-sent as if it were a question
    said = warnings(run.stderr)
    assert [line for line in said if line.startswith("headcount: Hiring 150 trainers")]
    assert "Published: " in run.stderr
