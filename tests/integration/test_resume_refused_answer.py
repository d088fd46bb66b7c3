"""A saved answer the server refuses for good is dropped on resume and said aloud."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.fill_helpers import (
    ANSWERS,
    TITLE,
    InProcessFill,
    create_draft,
    journal,
    write_answers,
)
from wizard.sandbox import SandboxServer


def test_refused_saved_answer_is_dropped_and_the_rest_resent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fill = InProcessFill(monkeypatch, capsys)
    with SandboxServer() as server:
        scope = server.base_url
        job_id = create_draft(server.base_url)
        saved = journal()
        saved.record_draft(scope, job_id, title=TITLE)
        saved.write_pending(scope, job_id, {"countries": ["XQ"], "headcount": 5})
        without_countries = {
            k: v for k, v in ANSWERS.items() if k not in ("countries", "headcount")
        }
        answers = write_answers(tmp_path, without_countries)

        run = fill(server.base_url, "--job-id", job_id, "--answers", answers, "--json")

    assert "Dropped a saved answer the server refuses: countries:" in run.stderr
    assert "Re-sent 1 saved answer(s)" in run.stderr
    assert run.code == 3  # countries is asked again; the file does not answer it
    assert [f["field"] for f in run.doc["missingFields"]] == ["countries"]
    assert journal().pending(scope, job_id) == {}
    assert journal().acknowledged(scope, job_id)["headcount"] == 5
