"""The collector is paused for start-up and resumed once, never left paused by us."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from wizard import collector


@pytest.fixture(autouse=True)
def restore_collector() -> Iterator[None]:
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    yield
    collector._paused = False
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


def test_paused_for_start_up_then_resumed_once_with_start_up_frozen() -> None:
    gc.enable()
    collector.pause_for_startup()
    assert not gc.isenabled()
    collector.resume_after_startup()
    assert gc.isenabled()
    assert gc.get_threshold()[0] == collector.YOUNG_COLLECTION_EVERY
    assert gc.get_freeze_count() > 0
    collector.resume_after_startup()  # a second screen's call changes nothing
    assert gc.isenabled()


def test_a_collector_someone_else_disabled_is_not_turned_on() -> None:
    gc.disable()
    collector.pause_for_startup()
    collector.resume_after_startup()
    assert not gc.isenabled()
