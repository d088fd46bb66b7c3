"""The local journal: private files, pending answers with tickets, drafts, create keys."""

from __future__ import annotations

import itertools
import sqlite3
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from wizard.core import journal as journal_module
from wizard.core.journal import Journal, description_digest

SCOPE = "https://app.opentrain.ai"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """A journal clock that ticks one second per reading, so ordering is deterministic."""
    ticks = itertools.count(1_700_000_000)
    fake = SimpleNamespace(time=lambda: float(next(ticks)))
    monkeypatch.setattr(journal_module, "time", fake)
    return fake


@pytest.fixture
def journal(tmp_path: Path, clock: SimpleNamespace) -> Journal:
    return Journal(tmp_path / "state" / "draft-wizard" / "journal.sqlite3")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---- files ---------------------------------------------------------------------------------


def test_file_is_0600_and_directory_0700(journal: Journal) -> None:
    journal.write_pending(SCOPE, "job_1", {"headcount": 3})
    assert mode(journal.path) == 0o600
    assert mode(journal.path.parent) == 0o700


def test_an_existing_loose_file_is_tightened(tmp_path: Path, clock: SimpleNamespace) -> None:
    path = tmp_path / "journal.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    Journal(path)
    assert mode(path) == 0o600


def test_default_lives_under_xdg_state_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: SimpleNamespace
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    journal = Journal.default()
    assert journal.path == tmp_path / "xdg" / "draft-wizard" / "journal.sqlite3"
    assert journal.path.exists()


def test_no_token_column_anywhere(journal: Journal) -> None:
    with sqlite3.connect(journal.path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        columns = {
            (table, row[1]) for table in tables for row in db.execute(f"PRAGMA table_info({table})")
        }
    assert {"drafts", "answers", "creates"} <= set(tables)
    assert columns  # the check below must look at something
    assert not [c for c in columns if "token" in c[1].lower() or "secret" in c[1].lower()]


def test_descriptions_are_stored_as_digests_only(journal: Journal) -> None:
    text = "Label 10k street images of bicycles"
    journal.create_key(SCOPE, text, "dw-1")
    raw = journal.path.read_bytes()
    assert text.encode() not in raw
    assert description_digest(text) == description_digest(f"  {text}\n")


# ---- pending and acknowledged answers ------------------------------------------------------


def test_pending_then_acknowledged(journal: Journal) -> None:
    ticket = journal.write_pending(SCOPE, "job_1", {"headcount": 3, "languages": ["Spanish"]})
    assert journal.pending(SCOPE, "job_1") == {"headcount": 3, "languages": ["Spanish"]}
    assert journal.acknowledged(SCOPE, "job_1") == {}

    journal.acknowledge(SCOPE, "job_1", ["headcount", "languages"], ticket)
    assert journal.pending(SCOPE, "job_1") == {}
    assert journal.acknowledged(SCOPE, "job_1") == {"headcount": 3, "languages": ["Spanish"]}


def test_an_older_ack_does_not_ack_a_newer_pending_value(journal: Journal) -> None:
    first = journal.write_pending(SCOPE, "job_1", {"pricePerHour": 20})
    second = journal.write_pending(SCOPE, "job_1", {"pricePerHour": 25})
    assert second > first

    journal.acknowledge(SCOPE, "job_1", ["pricePerHour"], first)  # the slow first reply
    assert journal.pending(SCOPE, "job_1") == {"pricePerHour": 25}

    journal.acknowledge(SCOPE, "job_1", ["pricePerHour"], second)
    assert journal.pending(SCOPE, "job_1") == {}
    assert journal.acknowledged(SCOPE, "job_1") == {"pricePerHour": 25}


def test_tickets_keep_increasing_across_journal_instances(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A restart (a new instance) must never hand out a ticket below one already used,
    # even when the clock has not moved on (same millisecond, or stepped back by NTP):
    # otherwise the old run's late acknowledgement would ack the new run's answer.
    monkeypatch.setattr(journal_module, "time", SimpleNamespace(time=lambda: 1_700_000_000.0))
    path = tmp_path / "j.sqlite3"
    first = Journal(path)
    tickets = [first.write_pending(SCOPE, "job_1", {"k": n}) for n in range(5)]
    second = Journal(path)
    newer = second.write_pending(SCOPE, "job_1", {"k": "new"})
    assert newer > max(tickets)

    first.acknowledge(SCOPE, "job_1", ["k"], max(tickets))
    assert second.pending(SCOPE, "job_1") == {"k": "new"}


def test_ack_only_touches_the_named_keys_and_job(journal: Journal) -> None:
    ticket = journal.write_pending(SCOPE, "job_1", {"a": 1, "b": 2})
    journal.write_pending(SCOPE, "job_2", {"a": 9})
    journal.write_pending("sandbox", "job_1", {"a": 7})

    journal.acknowledge(SCOPE, "job_1", ["a"], ticket + 100)
    assert journal.pending(SCOPE, "job_1") == {"b": 2}
    assert journal.pending(SCOPE, "job_2") == {"a": 9}
    assert journal.pending("sandbox", "job_1") == {"a": 7}


def test_discard_pending(journal: Journal) -> None:
    ticket = journal.write_pending(SCOPE, "job_1", {"a": 1, "b": 2})
    journal.acknowledge(SCOPE, "job_1", ["b"], ticket)
    journal.discard_pending(SCOPE, "job_1", ["a", "b"])
    assert journal.pending(SCOPE, "job_1") == {}
    assert journal.acknowledged(SCOPE, "job_1") == {"b": 2}  # acknowledged values stay


def test_values_round_trip_as_json(journal: Journal) -> None:
    values = {"n": 0.06, "s": "Ünïcødé [bold]", "l": ["a", 1], "o": {"x": None}, "b": False}
    journal.write_pending(SCOPE, "job_1", values)
    assert journal.pending(SCOPE, "job_1") == values


def test_the_journal_survives_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal(path).write_pending(SCOPE, "job_1", {"headcount": 3})
    assert Journal(path).pending(SCOPE, "job_1") == {"headcount": 3}


# ---- drafts --------------------------------------------------------------------------------


def test_drafts_newest_first_with_pending_counts(journal: Journal) -> None:
    journal.record_draft(SCOPE, "old", title="Old draft")
    journal.record_draft(SCOPE, "middle", title="Middle draft")
    journal.write_pending(SCOPE, "middle", {"a": 1, "b": 2})
    journal.record_draft(SCOPE, "new", title="New draft")
    journal.record_draft(SCOPE, "published", title="Done", status="OPEN", job_url="https://x/j")
    journal.record_draft("sandbox", "elsewhere", title="Other scope")

    drafts = journal.drafts(SCOPE)
    assert [d.job_id for d in drafts] == ["new", "middle", "old"]
    assert [d.pending for d in drafts] == [0, 2, 0]
    assert [d.job_id for d in journal.drafts_with_pending(SCOPE)] == ["middle"]
    assert journal.draft(SCOPE, "published") is not None
    assert journal.draft(SCOPE, "published").job_url == "https://x/j"  # type: ignore[union-attr]
    assert journal.draft(SCOPE, "nope") is None


def test_touching_a_draft_moves_it_to_the_top(journal: Journal) -> None:
    journal.record_draft(SCOPE, "a", title="A")
    journal.record_draft(SCOPE, "b", title="B")
    journal.write_pending(SCOPE, "a", {"x": 1})
    assert [d.job_id for d in journal.drafts(SCOPE)] == ["a", "b"]


def test_record_draft_none_keeps_old_values(journal: Journal) -> None:
    journal.record_draft(
        SCOPE,
        "job_1",
        title="T",
        idempotency_key="dw-1",
        validation={"publishReady": False, "missingFields": []},
        parsed={"jobTitle": "T"},
    )
    journal.record_draft(SCOPE, "job_1", status="DRAFT")
    entry = journal.draft(SCOPE, "job_1")
    assert entry is not None
    assert entry.title == "T"
    assert entry.idempotency_key == "dw-1"
    assert entry.validation == {"publishReady": False, "missingFields": []}
    assert entry.parsed == {"jobTitle": "T"}
    assert entry.status == "DRAFT"


# ---- create keys ---------------------------------------------------------------------------


def test_create_key_is_reused_after_a_crash(journal: Journal) -> None:
    text = "Label street scenes"
    assert journal.create_key(SCOPE, text, "dw-first") == "dw-first"
    # The process died before the reply: the next run offers a fresh key, gets the old one.
    assert journal.create_key(SCOPE, text, "dw-second") == "dw-first"
    assert journal.create_key(SCOPE, f"  {text}  ", "dw-third") == "dw-first"


def test_create_key_resets_after_create_done(journal: Journal) -> None:
    text = "Label street scenes"
    journal.create_key(SCOPE, text, "dw-first")
    journal.create_done(SCOPE, text, "job_1")
    assert journal.create_key(SCOPE, text, "dw-second") == "dw-second"


def test_create_keys_are_per_scope_and_per_text(journal: Journal) -> None:
    journal.create_key(SCOPE, "one", "dw-1")
    assert journal.create_key("sandbox", "one", "dw-2") == "dw-2"
    assert journal.create_key(SCOPE, "two", "dw-3") == "dw-3"


def test_an_existing_loose_state_dir_is_tightened(tmp_path: Path) -> None:
    from wizard.core.journal import Journal

    loose = tmp_path / "state"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    Journal(loose / "journal.sqlite3")
    assert loose.stat().st_mode & 0o777 == 0o700
