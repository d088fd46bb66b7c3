"""The cyclic garbage collector, tuned for how a draft-wizard process starts.

Start-up imports several hundred modules and builds long-lived objects (classes,
styles, widgets) with little garbage among them. CPython's default young-generation
threshold (700 allocations) makes the collector walk those survivors over and over,
and its full passes walk everything imported so far. Even with rarer young passes,
the collector took about 15 ms of the ~400 before a new draft's first form, to free
next to nothing.

So a command starts with the collector paused (``pause_for_startup``, the first thing
``draft-wizard`` does). The TUI resumes it once its first screen is painted (the form
of ``new``/``open``, else the start screen); the other commands resume it before they
run. Resuming (``resume_after_startup``) first freezes what start-up built out of the
collector's sight for good (it lives as long as the process), with rarer young passes
from then on. ``freeze_startup`` does the freezing alone when the app is about to run,
and ``settle_after_connect`` again for the client stack, with rarer full passes.
"""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 10_000
"""Allocations between young passes (CPython's default is 700); each pass still takes
well under a frame."""

FULL_COLLECTION_EVERY = 100
"""Middle-generation passes between full ones once connected (CPython's default is 10)."""

_frozen = False
_paused = False


def _rarer_young_passes() -> None:
    """Make young passes rarer (idempotent; the middle and old thresholds are kept)."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, old)


def pause_for_startup() -> None:
    """Pause the collector until ``resume_after_startup`` (it was running: a paused one
    stays paused, and is not resumed by this module)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_after_startup() -> None:
    """Freeze what start-up built and resume the collector paused by
    ``pause_for_startup`` (idempotent; a no-op when it was not paused here)."""
    global _paused
    if _paused:
        _paused = False
        freeze_startup()
        gc.enable()


def freeze_startup() -> None:
    """Freeze everything allocated so far out of the collector's sight, once a process.

    What is loaded by then (Textual, the wizard's modules) lives as long as the process,
    so the full passes otherwise due in the middle of start-up have nothing to free.
    """
    global _frozen
    _rarer_young_passes()
    if not _frozen:
        _frozen = True
        gc.freeze()


def settle_after_connect() -> None:
    """Freeze what the connection loaded (the client stack) and make full passes rarer.

    A full pass in the middle of a round then scans only what the form itself made, and
    pauses the screen less often; a form's widgets are long-lived anyway (cycles are
    still collected, a little later).
    """
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
