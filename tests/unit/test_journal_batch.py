"""Journal batches: writes that belong together share one transaction (one commit)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from wizard.core.journal import Journal

SCOPE = "sandbox"


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.sqlite3")


def test_a_batch_commits_its_writes_together(journal: Journal) -> None:
    ticket = journal.write_pending(SCOPE, "job1", {"headcount": 5})
    with journal.batch():
        journal.acknowledge(SCOPE, "job1", ["headcount"], ticket)
        journal.record_draft(SCOPE, "job1", title="Boxes")
        # Not committed yet: another connection still sees the answer pending.
        with sqlite3.connect(journal.path) as other:
            row = other.execute("SELECT state FROM answers WHERE job_id = 'job1'").fetchone()
        assert row == ("pending",)
    assert journal.pending(SCOPE, "job1") == {}
    assert journal.acknowledged(SCOPE, "job1") == {"headcount": 5}
    draft = journal.draft(SCOPE, "job1")
    assert draft is not None and draft.title == "Boxes"


def test_an_error_in_a_batch_keeps_the_answers_pending(journal: Journal) -> None:
    ticket = journal.write_pending(SCOPE, "job1", {"headcount": 5})
    with pytest.raises(RuntimeError), journal.batch():
        journal.acknowledge(SCOPE, "job1", ["headcount"], ticket)
        raise RuntimeError("the reply could not be read")
    assert journal.pending(SCOPE, "job1") == {"headcount": 5}
    # The journal is usable again afterwards, outside any batch.
    journal.record_draft(SCOPE, "job1", title="Boxes")
    assert journal.draft(SCOPE, "job1") is not None


def test_another_thread_writes_on_its_own_during_a_batch(journal: Journal) -> None:
    errors: list[BaseException] = []

    def save_typed() -> None:
        try:
            journal.save_typed(SCOPE, "job1", {"headcount": "7"})
        except BaseException as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(err)

    with journal.batch():
        journal.record_draft(SCOPE, "job1", title="Boxes")
        # The thread waits for the batch's write lock, so it runs after the batch ends.
        worker = threading.Thread(target=save_typed)
        worker.start()
    worker.join(timeout=15)
    assert not worker.is_alive() and errors == []
    assert journal.typed(SCOPE, "job1") == {"headcount": "7"}
