"""The "guided first run offered" marker: one small file per user's state directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.ui.tour.marker import mark_offered, marker_path, was_offered


def test_marker_lives_in_the_state_dir_and_is_remembered(isolated_home: Path) -> None:
    assert not was_offered()
    mark_offered()
    assert was_offered()
    assert marker_path() == isolated_home / "state" / "draft-wizard" / "tour-offered"
    assert marker_path().stat().st_mode & 0o077 == 0


def test_another_home_has_its_own_marker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mark_offered()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "participant" / "state"))
    assert not was_offered()


def test_an_unwritable_state_dir_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the state directory would be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    mark_offered()  # no exception: the offer is simply made again next time
    assert not was_offered()
