"""The facilitator's lines and status page, from the events a wizard appends."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from wizard.core.events import EVENTS_VARIABLE, emit
from wizard.serve import status
from wizard.serve.events import Feed
from wizard.serve.participants import Room


def test_emit_appends_one_line_only_when_a_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "events.jsonl"
    monkeypatch.delenv(EVENTS_VARIABLE, raising=False)
    emit("draft_created", job_id="j1", left=3)
    assert not target.exists()
    monkeypatch.setenv(EVENTS_VARIABLE, str(target))
    emit("draft_created", job_id="j1", left=3)
    emit("round_sent", job_id="j1", round=1, left=0)
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [line["event"] for line in lines] == ["draft_created", "round_sent"]
    monkeypatch.setenv(EVENTS_VARIABLE, str(tmp_path / "missing" / "events.jsonl"))
    emit("published", job_id="j1")  # an unwritable file costs a line, never a crash


def test_each_event_is_one_line_and_moves_the_progress(tmp_path: Path) -> None:
    room = Room(tmp_path, grace_seconds=600, max_participants=5)
    participant = room.new()
    with participant.events_file.open("w") as handle:
        for event in (
            {"event": "draft_created", "job_id": "cm1", "left": 4},
            {"event": "round_sent", "job_id": "cm1", "round": 1, "left": 1},
            {"event": "unknown"},
            {"event": "published", "job_id": "cm1"},
        ):
            handle.write(json.dumps(event) + "\n")
        handle.write('{"event": "round_sent", "job_id": "cm1", "le')  # a line still being written
    out = io.StringIO()
    Feed(out).poll(list(room))
    lines = out.getvalue().splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == [
        "participant 1: draft created (cm1), 4 questions left",
        "participant 1: round sent (cm1), 1 question left",
        "participant 1: published (cm1)",
    ]
    progress = participant.progress
    assert (progress.drafts, progress.rounds, progress.left, progress.published) == (1, 1, 0, 1)
    with participant.events_file.open("a") as handle:
        handle.write('ft": 0}\n')  # the half line, finished
    out = io.StringIO()
    Feed(out).poll(list(room))
    assert out.getvalue().endswith("participant 1: round sent (cm1), ready to publish\n")


def test_the_status_page_lists_states_and_progress_as_text(tmp_path: Path) -> None:
    room = Room(tmp_path, grace_seconds=600, max_participants=5)
    waiting = room.new()
    away = room.new()
    away.app = _Running()  # type: ignore[assignment]
    away.away_since = 0.0
    away.progress.job_id = "cm-secret-draft"
    here = room.new()
    here.app = _Running()  # type: ignore[assignment]
    here.connected = True
    here.progress.left = 2
    here.progress.published = 1
    rows = status.rows(room)
    assert [row["state"] for row in rows] == ["not started", "away (kept 0 more min)", "connected"]
    assert rows[2]["left"] == 2 and rows[2]["published"] is True
    page = status.page(room)
    assert "cm-secret-draft" not in page  # progress only: no draft ids, nothing typed
    assert "<td>away (kept 0 more min)</td>" in page
    assert "2 of 5 places in use" in page
    assert waiting.number == 1


class _Running:
    running = True
