"""``draft-wizard fill`` end to end: a real subprocess against the sandbox on a loopback port.

Each exit code of the contract (0 ready or published, 1 API error, 2 usage, 3 questions
left) is reached the way a script reaches it, with ``--json`` giving exactly one document
on stdout and people reading stderr. The sandbox's counters prove one PATCH per round and
that nothing is sent when an answer cannot be coerced; its store proves what arrived.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fault_proxy import FaultProxy
from tests.integration.fill_helpers import (
    ANSWERS,
    CREATE_ROUTE,
    DESCRIPTION,
    EXPECTED,
    MINE_ROUTE,
    PATCH_ROUTE,
    PUBLISH_ROUTE,
    ROUND_ONE_KEYS,
    TITLE,
    api_client,
    count,
    create_draft,
    fill_env,
    journal,
    run_fill_cli,
    run_fill_main,
    stats,
    stored_fields,
    write_answers,
)
from wizard.sandbox import (
    SANDBOX_NO_DRAFTING_TOKEN,
    SANDBOX_NO_PUBLISH_TOKEN,
    SANDBOX_OTHER_TOKEN,
    SANDBOX_READONLY_TOKEN,
    SANDBOX_TOKEN,
    SandboxServer,
)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    """One sandbox for the module: tests only add drafts, and at most one publish."""
    with SandboxServer() as running:
        yield running


@pytest.fixture
def env(server: SandboxServer) -> dict[str, str]:
    return fill_env(server.base_url)


@pytest.fixture
def using_server(server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point this process's environment at the sandbox (for in-process runs)."""
    monkeypatch.setenv("OT_API_BASE_URL", server.base_url)
    monkeypatch.setenv("OT_API_TOKEN", SANDBOX_TOKEN)


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return write_answers(tmp_path, ANSWERS)


def fill_new(*extra: str | Path, answers: Path, env: dict[str, str]) -> Any:
    return run_fill_cli("--description", DESCRIPTION, "--answers", answers, *extra, env=env)


# ---- exit 0 ------------------------------------------------------------------------------


def test_two_rounds_one_patch_each_and_every_answer_coerced(
    server: SandboxServer, env: dict[str, str], answers: Path
) -> None:
    before = stats(server.base_url)
    run = fill_new("--json", answers=answers, env=env)
    after = stats(server.base_url)

    assert run.code == 0, run.stderr
    doc = run.doc
    assert doc["publishReady"] is True
    assert doc["status"] == "DRAFT"
    assert doc["rounds"] == 2  # the rate is only asked once the payment type is answered
    assert doc["missingFields"] == []
    assert doc["retries"] == 0
    assert "jobUrl" not in doc
    assert count(after, PATCH_ROUTE) - count(before, PATCH_ROUTE) == 2  # ONE PATCH per round
    assert count(after, CREATE_ROUTE) - count(before, CREATE_ROUTE) == 1
    # Coerced before sending: "0.06" as a number, "English" as a list, enums canonical.
    fields = stored_fields(server, doc["jobId"])
    assert {k: fields.get(k) for k in EXPECTED} == EXPECTED
    assert isinstance(fields["pricePerLabel"], float)
    assert journal().pending(server.base_url, doc["jobId"]) == {}
    assert f"Created draft {doc['jobId']}." in run.stderr
    assert "is ready to publish" in run.stderr
    assert run.stdout.count("{") >= 1 and "Created draft" not in run.stdout


def test_each_patch_holds_only_that_rounds_answers(
    server: SandboxServer, env: dict[str, str], answers: Path
) -> None:
    """The first PATCH answers round one's questions; the second only the rate."""
    job_id = create_draft(server.base_url)
    bodies: list[dict[str, Any]] = []
    with FaultProxy(server.base_url) as proxy:
        run = run_fill_cli(
            "--job-id", job_id, "--answers", answers, "--json", env=fill_env(proxy.base_url)
        )
        bodies = [json.loads(r.body) for r in proxy.seen("PATCH", "/job-drafts/")]
    assert run.code == 0, run.stderr
    assert run.doc["rounds"] == 2
    # Opening a draft this machine never saw: /jobs/mine gives its title for the refresh.
    assert bodies[0] == {"jobTitle": TITLE}
    assert sorted(bodies[1]) == ROUND_ONE_KEYS
    assert bodies[1]["experienceLevel"] == "ENTRY_LEVEL"
    assert bodies[1]["languages"] == ["English"]
    assert bodies[1]["headcount"] == 5
    assert bodies[2] == {"pricePerLabel": 0.06}
    assert len(bodies) == 3


def test_publish_prints_the_job_url(
    server: SandboxServer, env: dict[str, str], answers: Path
) -> None:
    before = stats(server.base_url)
    run = fill_new("--publish", "--json", answers=answers, env=env)
    assert run.code == 0, run.stderr
    doc = run.doc
    assert doc["status"] == "OPEN"
    assert doc["publishReady"] is True
    assert doc["alreadyPublished"] is False
    assert doc["jobUrl"].startswith(f"{server.base_url}/jobs/")
    assert doc["jobUrl"].endswith(doc["jobId"])
    assert f"Published: {doc['jobUrl']}" in run.stderr
    assert count(stats(server.base_url), PUBLISH_ROUTE) - count(before, PUBLISH_ROUTE) == 1


def test_toml_answers(server: SandboxServer, env: dict[str, str], tmp_path: Path) -> None:
    toml = tmp_path / "answers.toml"
    toml.write_text(
        f"""
labelingOverview = "{ANSWERS["labelingOverview"]}"
experienceLevel = "Entry_Level"
paymentType = "PAY_PER_LABEL"
pricePerLabel = 0.06
languages = ["English"]
countries = ["US", "IN"]
headcount = 5

[dataVolume]
dataVolume = 20000
dataVolumeUnit = "number_of_files"
""",
        encoding="utf-8",
    )
    run = fill_new("--json", answers=toml, env=env)
    assert run.code == 0, run.stderr
    fields = stored_fields(server, run.doc["jobId"])
    assert {k: fields.get(k) for k in EXPECTED} == EXPECTED


def test_description_file_and_answers_from_stdin(server: SandboxServer, tmp_path: Path) -> None:
    description = tmp_path / "job.txt"
    description.write_text(DESCRIPTION, encoding="utf-8")
    run = run_fill_cli(
        "--description-file",
        description,
        "--answers",
        "-",
        "--json",
        env=fill_env(server.base_url),
        input_text=json.dumps(ANSWERS),
    )
    assert run.code == 0, run.stderr
    assert run.doc["publishReady"] is True


def test_job_id_of_a_draft_made_elsewhere_refreshes_then_continues(
    server: SandboxServer, env: dict[str, str], answers: Path
) -> None:
    job_id = create_draft(server.base_url)
    before = stats(server.base_url)
    run = run_fill_cli("--job-id", job_id, "--answers", answers, "--json", env=env)
    after = stats(server.base_url)
    assert run.code == 0, run.stderr
    assert run.doc["jobId"] == job_id
    assert run.doc["rounds"] == 2
    assert count(after, MINE_ROUTE) - count(before, MINE_ROUTE) == 1  # the title, once
    assert count(after, PATCH_ROUTE) - count(before, PATCH_ROUTE) == 3  # refresh + 2 rounds
    assert count(after, CREATE_ROUTE) == count(before, CREATE_ROUTE)
    fields = stored_fields(server, job_id)
    assert {k: fields.get(k) for k in EXPECTED} == EXPECTED


def test_job_id_known_to_the_journal_still_reads_a_fresh_title(
    server: SandboxServer, env: dict[str, str], tmp_path: Path, answers: Path
) -> None:
    partial = write_answers(tmp_path, {"headcount": 3}, "partial.json")
    first = fill_new("--json", answers=partial, env=env)
    assert first.code == 3, first.stderr
    job_id = first.doc["jobId"]

    before = stats(server.base_url)
    second = run_fill_cli("--job-id", job_id, "--answers", answers, "--json", env=env)
    after = stats(server.base_url)
    assert second.code == 0, second.stderr
    # The title comes from /jobs/mine now, never the journal: one edited elsewhere survives.
    assert count(after, MINE_ROUTE) - count(before, MINE_ROUTE) == 1
    fields = stored_fields(server, job_id)
    # Already accepted, so not sent again: the file answers questions, it does not re-edit.
    assert {k: fields.get(k) for k in EXPECTED} == {**EXPECTED, "headcount": 3}


def test_a_title_changed_elsewhere_survives_fill_job_id(
    server: SandboxServer, env: dict[str, str], tmp_path: Path, answers: Path
) -> None:
    partial = write_answers(tmp_path, {"headcount": 3}, "partial.json")
    first = fill_new("--json", answers=partial, env=env)
    assert first.code == 3, first.stderr
    job_id = first.doc["jobId"]
    known = journal().draft(server.base_url.rstrip("/"), job_id)
    assert known is not None and known.title and known.title != "Renamed in the web app"
    # Someone renames the draft in the web app; the journal still holds the old title.
    with api_client(server.base_url) as api:
        renamed = api.patch(f"/job-drafts/{job_id}", json={"jobTitle": "Renamed in the web app"})
        assert renamed.status_code == 200, renamed.text
    run = run_fill_cli("--job-id", job_id, "--answers", answers, "--json", env=env)
    assert run.code == 0, run.stderr
    assert stored_fields(server, job_id)["jobTitle"] == "Renamed in the web app"


def test_untitled_draft_takes_its_title_from_the_answers(
    server: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    job_id = create_draft(server.base_url, "we need people")
    no_title = write_answers(tmp_path, ANSWERS, "no-title.json")
    refused = run_fill_cli("--job-id", job_id, "--answers", no_title, env=env)
    refused.assert_clean_failure(1, "has no title", "jobTitle")

    titled = write_answers(tmp_path, {**ANSWERS, "jobTitle": "Shelf photo boxes"}, "titled.json")
    run = run_fill_cli("--job-id", job_id, "--answers", titled, "--json", env=env)
    assert run.code == 0, run.stderr
    assert stored_fields(server, job_id)["jobTitle"] == "Shelf photo boxes"


def test_embedded_sandbox_when_nothing_is_configured(answers: Path) -> None:
    run = fill_new("--json", answers=answers, env=fill_env())
    assert run.code == 0, run.stderr
    assert run.doc["publishReady"] is True
    assert run.doc["rounds"] == 2
    # The journal scope of the embedded sandbox is "sandbox", whatever its port.
    assert journal().draft("sandbox", run.doc["jobId"]) is not None


# ---- exit 3 ------------------------------------------------------------------------------


def test_uncovered_questions_are_listed_with_their_prompts(
    server: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    partial = {k: v for k, v in ANSWERS.items() if k not in {"countries", "pricePerLabel"}}
    run = fill_new("--json", answers=write_answers(tmp_path, partial), env=env)
    assert run.code == 3, run.stderr
    doc = run.doc
    assert doc["rounds"] == 1
    assert doc["publishReady"] is False
    missing = {entry["field"]: entry for entry in doc["missingFields"]}
    assert set(missing) == {"countries", "pricePerLabel"}
    assert missing["countries"]["prompt"] == "Which countries may trainers work from?"
    assert missing["pricePerLabel"]["updateKeys"] == ["pricePerLabel"]
    assert "2 questions are not answered" in run.stderr
    assert "  countries [countries]: Which countries may trainers work from?" in run.stderr
    assert "  pricePerLabel [pricePerLabel]: How much is paid per label, in USD?" in run.stderr
    # What was answered is acknowledged; nothing is left pending.
    assert journal().pending(server.base_url, doc["jobId"]) == {}


def test_create_prompts_lose_their_ask_prefix(
    server: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    """Create responses carry ``ask:`` prompts; neither stderr nor the JSON shows it."""
    run = fill_new("--json", answers=write_answers(tmp_path, {}), env=env)
    assert run.code == 3, run.stderr
    doc = run.doc
    assert doc["rounds"] == 0
    fields = [entry["field"] for entry in doc["missingFields"]]
    assert "paymentType" in fields and "dataVolume" in fields
    for entry in doc["missingFields"]:
        assert entry["prompt"] and not entry["prompt"].lower().startswith("ask:")
    assert "ask:" not in run.stderr
    assert "  dataVolume [dataVolume, dataVolumeUnit]: " in run.stderr


# ---- exit 2 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--answers", "a.json"], id="no-target"),
        pytest.param(["--description", "x"], id="no-answers"),
        pytest.param(["--job-id", "j", "--description", "x", "--answers", "a.json"], id="both"),
        pytest.param(["--description", "x", "--answers", "a.json", "--bogus"], id="unknown"),
    ],
)
def test_bad_flags_are_usage_errors(
    server: SandboxServer, using_server: None, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    before = stats(server.base_url)
    run = run_fill_main(*args, capsys=capsys)
    assert run.code == 2, run.stderr
    assert "usage:" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    assert stats(server.base_url)["requests"] == {
        **before["requests"],
        "GET /_sandbox/stats": count(before, "GET /_sandbox/stats") + 1,
    }


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(["--description", "  "], "--description is empty.", id="empty-description"),
        pytest.param(
            ["--description-file", "nope.txt"], "Cannot read nope.txt: No such file", id="no-file"
        ),
    ],
)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_an_unusable_description_is_one_sentence(
    server: SandboxServer,
    using_server: None,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    needle: str,
    as_json: bool,
) -> None:
    before = stats(server.base_url)
    run = run_fill_main(
        *args, "--answers", "a.json", *(["--json"] if as_json else []), capsys=capsys
    )
    run.assert_clean_failure(2, needle)
    if as_json:
        assert run.doc["error"]["kind"] == "usage" and run.doc["jobId"] is None
    else:
        assert run.stdout == ""
    assert count(stats(server.base_url), CREATE_ROUTE) == count(before, CREATE_ROUTE)


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        pytest.param("missing.json", None, "does not exist", id="missing"),
        pytest.param("broken.json", '{"headcount": 5,', "is not valid JSON (line 1", id="json"),
        pytest.param("list.json", "[1, 2]", "must hold one JSON object", id="not-an-object"),
        pytest.param("broken.toml", "headcount = = 5", "is not valid TOML", id="toml"),
        pytest.param("latin1.json", b'{"a": "\xe9"}', "Cannot read answers file", id="encoding"),
    ],
)
def test_unreadable_answers_files(
    server: SandboxServer,
    using_server: None,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    content: str | bytes | None,
    needle: str,
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    before = stats(server.base_url)
    run = run_fill_main("--description", DESCRIPTION, "--answers", path, "--json", capsys=capsys)
    sentence = run.assert_clean_failure(2, needle)
    doc = run.doc  # the same keys as every other document, and the reason
    assert doc["error"] == {"message": sentence.removeprefix("draft-wizard: "), "kind": "usage"}
    assert doc["jobId"] is None and doc["publishReady"] is False and doc["rounds"] == 0
    assert doc["missingFields"] == []
    assert count(stats(server.base_url), CREATE_ROUTE) == count(before, CREATE_ROUTE)


@pytest.mark.parametrize(
    ("key", "value", "needle"),
    [
        pytest.param("headcount", "abc", "headcount: 'abc' is not a number", id="number"),
        pytest.param("experienceLevel", "sometimes", "experienceLevel", id="enum"),
    ],
)
def test_an_answer_that_cannot_be_coerced_sends_nothing(
    server: SandboxServer,
    env: dict[str, str],
    tmp_path: Path,
    key: str,
    value: str,
    needle: str,
) -> None:
    path = write_answers(tmp_path, {**ANSWERS, key: value})
    before = stats(server.base_url)
    run = fill_new("--json", answers=path, env=env)
    after = stats(server.base_url)
    sentence = run.assert_clean_failure(2, needle)
    assert str(path) in sentence
    assert run.doc["error"]["field"] == key
    assert run.doc["error"]["kind"] == "answer"
    # Checked before the create: nothing made, so a rerun cannot duplicate a draft.
    assert run.doc["jobId"] is None
    assert count(after, CREATE_ROUTE) == count(before, CREATE_ROUTE)
    assert count(after, PATCH_ROUTE) == count(before, PATCH_ROUTE)


# ---- exit 1 ------------------------------------------------------------------------------


def test_a_rejected_value_names_its_field_and_stays_pending(
    server: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    path = write_answers(tmp_path, {**ANSWERS, "countries": ["US", "ZZ"]})
    run = fill_new("--json", answers=path, env=env)
    sentence = run.assert_clean_failure(1, "countries", "ZZ")
    error = run.doc["error"]
    assert error["field"] == "countries"
    assert error["status"] == 400 and error["code"] == "BAD_REQUEST"
    assert error["requestId"]
    job_id = run.doc["jobId"]
    pending = journal().pending(server.base_url, job_id)
    assert sorted(pending) == ROUND_ONE_KEYS  # the whole round is kept, not just the bad one
    assert pending["countries"] == ["US", "ZZ"]
    assert "Traceback" not in sentence

    fixed = write_answers(tmp_path, ANSWERS, "fixed.json")
    again = run_fill_cli("--job-id", job_id, "--answers", fixed, "--json", env=env)
    assert again.code == 0, again.stderr
    assert "Re-sent 8 saved answer(s)" in again.stderr
    fields = stored_fields(server, job_id)
    assert {k: fields.get(k) for k in EXPECTED} == EXPECTED  # the file won over the journal
    assert journal().pending(server.base_url, job_id) == {}


def test_a_later_rounds_answer_refused_by_client_checks_keeps_the_first_round(
    server: SandboxServer, env: dict[str, str], tmp_path: Path
) -> None:
    """The rate's floor is known from the question: 0.001 is refused before sending."""
    path = write_answers(tmp_path, {**ANSWERS, "pricePerLabel": 0.001})
    before = stats(server.base_url)
    run = fill_new("--json", answers=path, env=env)
    run.assert_clean_failure(2, "pricePerLabel", "0.01")
    assert run.doc["error"]["field"] == "pricePerLabel"
    assert run.doc["rounds"] == 1
    assert [m["field"] for m in run.doc["missingFields"]] == ["pricePerLabel"]
    assert count(stats(server.base_url), PATCH_ROUTE) - count(before, PATCH_ROUTE) == 1
    assert journal().pending(server.base_url, run.doc["jobId"]) == {}


@pytest.mark.parametrize(
    ("token", "needles", "status"),
    [
        pytest.param("ot_pat_not_a_real_token_at_all", ("token was rejected",), 401, id="401"),
        # Known from /auth/me and capabilities before the create: refused up front, with
        # the account's sentence (tests/integration/test_fill_account.py has the rest).
        pytest.param(SANDBOX_READONLY_TOKEN, ("jobs:write",), None, id="403-read-only"),
        pytest.param(
            SANDBOX_NO_DRAFTING_TOKEN,
            ("not enabled", "public_api_job_drafting"),
            None,
            id="403-off",
        ),
    ],
)
def test_token_problems(
    server: SandboxServer,
    answers: Path,
    token: str,
    needles: tuple[str, ...],
    status: int | None,
) -> None:
    run = fill_new("--json", answers=answers, env=fill_env(server.base_url, token))
    run.assert_clean_failure(1, *needles)
    assert run.doc["error"].get("status") == status
    assert run.doc["jobId"] is None
    assert token not in run.stdout + run.stderr


@pytest.mark.parametrize("known", [False, True], ids=["unknown-here", "in-the-journal"])
def test_someone_elses_draft_is_refused(server: SandboxServer, answers: Path, known: bool) -> None:
    job_id = create_draft(server.base_url)
    if known:  # e.g. the token was switched: the refresh PATCH itself is refused
        journal().record_draft(server.base_url, job_id, title=TITLE)
    other = fill_env(server.base_url, SANDBOX_OTHER_TOKEN)
    run = run_fill_cli("--job-id", job_id, "--answers", answers, "--json", env=other)
    needle = "belongs to another account" if known else f"No draft {job_id} in this account"
    run.assert_clean_failure(1, needle)
    assert stored_fields(server, job_id).get("headcount") is None


def test_unknown_job_id(server: SandboxServer, env: dict[str, str], answers: Path) -> None:
    run = run_fill_cli("--job-id", "cmnosuchdraft0000000000000", "--answers", answers, env=env)
    run.assert_clean_failure(1, "No draft cmnosuchdraft0000000000000 in this account")


def test_a_draft_the_server_no_longer_has_is_refused(answers: Path, tmp_path: Path) -> None:
    """The journal knows the draft, the server does not list it: one sentence, no write."""
    with SandboxServer() as fresh:
        env = fill_env(fresh.base_url)
        partial = write_answers(tmp_path, {"headcount": 3}, "partial.json")
        first = fill_new("--json", answers=partial, env=env)
        assert first.code == 3, first.stderr
        job_id = first.doc["jobId"]
        httpx.post(f"{fresh.base_url}/_sandbox/reset", timeout=5).raise_for_status()
        run = run_fill_cli("--job-id", job_id, "--answers", answers, "--json", env=env)
    # /jobs/mine, read fresh at opening, no longer lists it: said before any write.
    run.assert_clean_failure(1, f"No draft {job_id} in this account")
    assert run.doc["jobId"] is None


def test_a_published_job_is_a_409(server: SandboxServer, answers: Path) -> None:
    job_id = create_draft(server.base_url)
    with api_client(server.base_url) as api:
        api.patch(f"/job-drafts/{job_id}", json=EXPECTED).raise_for_status()
        api.post(f"/jobs/{job_id}/publish").raise_for_status()
    # Known to this machine's journal: fill goes straight to the refresh PATCH.
    journal().record_draft(server.base_url, job_id, title=TITLE)
    run = run_fill_cli("--job-id", job_id, "--answers", answers, env=fill_env(server.base_url))
    # Published, so /jobs/mine?status=DRAFT no longer lists it: refused before any write.
    run.assert_clean_failure(1, f"No draft {job_id} in this account", "published")


def test_moderation_block(server: SandboxServer, tmp_path: Path) -> None:
    path = write_answers(
        tmp_path,
        {**ANSWERS, "labelingOverview": "Tag casino chips by colour; a crypto bonus applies."},
    )
    before = stats(server.base_url)
    run = fill_new("--publish", "--json", answers=path, env=fill_env(server.base_url))
    sentence = run.assert_clean_failure(1, "Moderation blocked publishing", "casino")
    assert "crypto" in sentence
    assert run.doc["error"]["status"] == 403
    assert run.doc["publishReady"] is True and run.doc["status"] == "DRAFT"
    assert count(stats(server.base_url), PUBLISH_ROUTE) - count(before, PUBLISH_ROUTE) == 1


def test_publishing_feature_off(server: SandboxServer, answers: Path) -> None:
    env = fill_env(server.base_url, SANDBOX_NO_PUBLISH_TOKEN)
    before = stats(server.base_url)
    run = fill_new("--publish", "--json", answers=answers, env=env)
    # Known from capabilities at start: refused before a draft is made.
    run.assert_clean_failure(1, "public_api_job_publishing")
    assert run.doc["jobId"] is None
    assert count(stats(server.base_url), CREATE_ROUTE) == count(before, CREATE_ROUTE)


def test_daily_publish_limit_is_told_up_front(answers: Path) -> None:
    with SandboxServer() as fresh:
        env = fill_env(fresh.base_url, SANDBOX_OTHER_TOKEN)
        with api_client(fresh.base_url, SANDBOX_OTHER_TOKEN) as api:
            for _ in range(3):  # the unclaimed account's daily allowance
                created = api.post("/job-drafts", json={"rawJobDescription": DESCRIPTION})
                job_id = created.json()["jobId"]
                api.patch(f"/job-drafts/{job_id}", json=EXPECTED).raise_for_status()
                api.post(f"/jobs/{job_id}/publish").raise_for_status()
        before = stats(fresh.base_url)
        run = fill_new("--publish", "--json", answers=answers, env=env)
        after = stats(fresh.base_url)
    # /auth/me says the day's publishes are used: nothing is created, nothing published.
    # (A 429 from publish itself is told, not retried: test_fill_errors.py.)
    run.assert_clean_failure(1, "not claimed yet and has used all 3")
    assert count(after, PUBLISH_ROUTE) == count(before, PUBLISH_ROUTE)
    assert count(after, CREATE_ROUTE) == count(before, CREATE_ROUTE)
    assert SANDBOX_OTHER_TOKEN not in run.stderr
