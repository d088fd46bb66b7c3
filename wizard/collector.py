"""The cyclic garbage collector, tuned for how a draft-wizard process starts.

Start-up imports several hundred modules and builds long-lived objects (classes,
styles, widgets) with little garbage among them. CPython's default young-generation
threshold (700 allocations) makes the collector walk those survivors over and over,
and its full passes walk everything imported so far: about 10-15 ms before the first
screen, and a few ms of ``fill``. ``quiet_during_startup`` raises the young threshold
before the heavy imports; ``freeze_startup`` moves what is loaded by then out of the
collector's sight for good, once the app is about to run; ``settle_after_connect`` does
the same for the client stack and makes full passes rarer once the app is connected.
"""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 10_000
"""Allocations between young passes (CPython's default is 700); each pass still takes
well under a frame."""

FULL_COLLECTION_EVERY = 100
"""Middle-generation passes between full ones once connected (CPython's default is 10)."""

_frozen = False


def quiet_during_startup() -> None:
    """Make young passes rarer (idempotent; the middle and old thresholds are kept)."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, old)


def freeze_startup() -> None:
    """Freeze everything allocated so far out of the collector's sight, once a process.

    What is loaded by then (Textual, the wizard's modules) lives as long as the process,
    so the full passes otherwise due in the middle of start-up have nothing to free.
    """
    global _frozen
    quiet_during_startup()
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
