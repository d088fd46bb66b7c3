"""Cold start to the first interactive form, in a fresh interpreter.

Run by path, not as a module, so nothing of ours is imported before the app's own code::

    python bench/apps/cold_start.py bare|wizard T0

``T0`` is the parent's ``time.perf_counter()`` taken just before it spawned this process
(``CLOCK_MONOTONIC`` on Linux, ``mach_absolute_time`` on macOS: one clock shared by every
process), so the times below include the interpreter's own start-up. The app runs headless
at a fixed size; on the first ``call_after_refresh`` after its first screen is mounted (the
screen has been laid out, rendered and is idle) the probe records the time and exits the
app. One JSON line goes to stdout once the app is gone, so Textual never sees our output::

    {"app": "wizard", "import_s": 0.1, "run_s": 0.8, "ready_s": 1.0, "ready_cpu_s": 0.8,
     "exit_s": 1.5, "screen": "StartScreen"}

- ``import_s``: the first import done (Textual for ``bare``, ``wizard.cli.main`` for ``wizard``).
- ``run_s``: ``App.run`` entered, so everything the command imports before the UI is loaded.
- ``ready_s``: the first screen is refreshed: the number the budget is about.
- ``ready_cpu_s``: CPU seconds the process (all its threads) had used by then; less
  sensitive than wall time to other load on the machine.
- ``exit_s``: the app has exited (for ``wizard``, after ``main()`` stopped the sandbox).

The apps:

- ``bare``: a Textual app showing one Select and one Input, nothing else.
- ``wizard``: exactly what the ``draft-wizard`` console script does with no arguments
  (``wizard.cli.main.main([])``: sandbox mode, the sandbox starts in a thread while the start
  screen composes); only ``App.run`` is wrapped, to run headless at ``SIZE`` and to install
  the probe on ``StartScreen.on_mount``.

With ``BENCH_READY_MARK=1`` a line ``bench: first frame`` goes to stderr at that moment, to
split ``python -X importtime`` output into before and after the first frame.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping
from typing import Any, TextIO

SIZE = (100, 32)
"""Terminal size for both apps (columns, rows)."""

_result: dict[str, Any] = {}


def _ready(app: Any, t0: float) -> None:
    _result["ready_s"] = time.perf_counter() - t0
    _result["ready_cpu_s"] = time.process_time()
    if os.environ.get("BENCH_READY_MARK"):
        # Separates what was imported before the first frame in ``-X importtime`` output.
        os.write(2, b"bench: first frame\n")
    _result["screen"] = type(app.screen).__name__
    app.exit()


def run_bare(t0: float) -> None:
    """One Select and one Input, the baseline the budget is relative to."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Select

    _result["import_s"] = time.perf_counter() - t0

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Select([(f"Sample {n}", n) for n in range(4)], prompt="Pick a sample")
            yield Input(placeholder="Describe the job")

        def on_mount(self) -> None:
            self.query_one(Input).focus()
            self.screen.call_after_refresh(_ready, self, t0)

    app = Bare()
    _result["run_s"] = time.perf_counter() - t0
    app.run(headless=True, size=SIZE)


def run_wizard(t0: float) -> None:
    """``draft-wizard`` with no arguments, headless, stopping at the start screen."""
    from wizard.cli.main import main  # what the console script imports

    _result["import_s"] = time.perf_counter() - t0
    from textual.app import App  # main() would import it next anyway

    original_run = App.run

    def headless_run(self: Any, **kwargs: Any) -> Any:
        from wizard.ui.screens.start import StartScreen  # on_mount would import it

        mounted = StartScreen.on_mount

        def probed_mount(screen: Any) -> None:
            mounted(screen)
            screen.call_after_refresh(_ready, screen.app, t0)

        StartScreen.on_mount = probed_mount  # type: ignore[method-assign,assignment]
        kwargs.update(headless=True, size=SIZE)
        _result["run_s"] = time.perf_counter() - t0
        return original_run(self, **kwargs)

    App.run = headless_run  # type: ignore[method-assign]
    # Its streams are pipes to this benchmark, so the real command would choose the plain
    # line mode; the TUI is what is measured here.
    import wizard.plain.mode

    wizard.plain.mode.plain_reason = _tui_always
    main([])


def _tui_always(env: Mapping[str, str], stdin: TextIO | None, stdout: TextIO | None) -> None:
    """Stands in for ``plain_reason`` (same signature): the TUI can always run."""
    del env, stdin, stdout


def main() -> None:
    """Entry point: ``cold_start.py APP T0``."""
    which, t0 = sys.argv[1], float(sys.argv[2])
    {"bare": run_bare, "wizard": run_wizard}[which](t0)
    _result["app"] = which
    _result["exit_s"] = time.perf_counter() - t0
    sys.stdout.write(json.dumps(_result) + "\n")


if __name__ == "__main__":
    main()
