"""Keeps what a person types in the journal, a moment after they type it.

The form calls ``changed()`` on every edit; a short quiet period later the whole form's
typed answers are written (in a thread: the journal syncs to disk) as one snapshot, so
a closed terminal or a crash loses at most that moment. ``now()`` writes at once, for
leaving the form or quitting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.timer import Timer
from textual.widget import Widget

from wizard.core.form import FormModel

QUIET_SECONDS = 0.3
"""How long typing must pause before the typed answers are written."""


class TypedKeeper:
    """Writes a form model's typed answers to the journal, debounced and off the UI."""

    def __init__(
        self,
        host: Widget,
        model: FormModel,
        save: Callable[[dict[str, Any]], None],
    ) -> None:
        """Keep ``model``'s typed answers.

        Args:
            host: The widget whose timers and workers do the waiting and the writing.
            model: The form model whose ``typed_snapshot()`` is kept.
            save: Keeps a snapshot for the model's draft (the backend's journal; nothing
                while there is none: no backend yet, or crash-safety is off).
        """
        self._host = host
        self._model = model
        self._save = save
        self._timer: Timer | None = None
        self._written: dict[str, Any] | None = None

    def changed(self) -> None:
        """Something was typed: write once typing pauses."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._host.set_timer(QUIET_SECONDS, self.soon)

    def soon(self) -> None:
        """Write now, in a thread (when anything changed since the last write)."""
        self._stop_timer()
        snapshot = self._model.typed_snapshot()
        if snapshot == self._written:
            return
        self._written = snapshot
        self._host.run_worker(
            lambda: self._write(snapshot), thread=True, group="typed", exit_on_error=False
        )

    def now(self) -> None:
        """Write at once, on this thread (leaving the form, quitting)."""
        self._stop_timer()
        snapshot = self._model.typed_snapshot()
        if snapshot != self._written:
            self._written = snapshot
            self._write(snapshot)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _write(self, snapshot: dict[str, Any]) -> None:
        self._save(snapshot)
