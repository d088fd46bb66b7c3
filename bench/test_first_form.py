"""The first form of ``new``, in a real pseudo-terminal, against a bare Textual app.

Budget (DESIGN.md): ``draft-wizard new --base-url <API> --description-file F`` shows its
first question within 2x the time a bare Textual app (one Select, one Input) takes to
show its Input, and its peak memory at that moment is within 1.5x the bare app's.

Both run as fresh interpreters on their own pty (120x40, ``TERM=xterm-256color``), with
their own empty XDG dirs, alternating (and swapping order every round) so that both see
the same machine. The clock runs from just before the spawn until the question's text has
been written to the terminal (``bench/pty_run.py``): interpreter start-up, imports, the
connection, creating the draft on the stand-in API (``draft-wizard sandbox`` on loopback,
in its own process) and the paint all count. Memory is the child's ``VmHWM`` then.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bench.apps.bare_form import QUESTION
from bench.conftest import SANDBOX_DEMO_TOKEN, isolated_env, report
from bench.pty_run import PtyRun, run_until_text
from bench.stats import median, ms, percentile

ROUNDS = int(os.environ.get("BENCH_FORM_ROUNDS", "11"))
"""Samples per app (``BENCH_FORM_ROUNDS``); one more of each is run first and discarded."""
TIME_BUDGET = 2.0
MEMORY_BUDGET = 1.5
BARE = Path(__file__).parent / "apps" / "bare_form.py"
DESCRIPTION = (
    "Product image bounding boxes\n"
    "Draw bounding boxes around every product in retail shelf photos and pick the "
    "product category from a list. Clear guidelines are provided.\n"
)
"""The sandbox asks seven questions about it, the first one ``QUESTION``."""


def _run(app: str, home: Path, api: str) -> PtyRun:
    env = isolated_env(home)
    if app == "bare":
        argv = [sys.executable, str(BARE)]
    else:
        env["OT_API_TOKEN"] = SANDBOX_DEMO_TOKEN
        description = home / "description.txt"
        description.write_text(DESCRIPTION)
        argv = [
            sys.executable,
            "-m",
            "wizard",
            "new",
            "--base-url",
            api,
            "--description-file",
            str(description),
        ]
    return run_until_text(argv, QUESTION, env=env, cwd=home)


@pytest.fixture(scope="module")
def first_forms(
    loopback_api: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[PtyRun]]:
    apps = ("bare", "wizard")
    for app in apps:
        _run(app, tmp_path_factory.mktemp(f"warm-{app}"), loopback_api)
    runs: dict[str, list[PtyRun]] = {app: [] for app in apps}
    for index in range(ROUNDS):
        for app in apps if index % 2 == 0 else reversed(apps):
            runs[app].append(_run(app, tmp_path_factory.mktemp(app), loopback_api))
    return runs


def test_first_form_within_budget(first_forms: dict[str, list[PtyRun]]) -> None:
    section = "new: process start → first question on screen (pty)"
    seconds = {app: median([r.seconds for r in runs]) for app, runs in first_forms.items()}
    peak = {app: median([r.peak_rss_kib for r in runs]) for app, runs in first_forms.items()}
    cpu = {app: median([r.cpu_s for r in runs]) for app, runs in first_forms.items()}
    time_ratio = seconds["wizard"] / seconds["bare"]
    memory_ratio = peak["wizard"] / peak["bare"]
    cpu_ratio = cpu["wizard"] / cpu["bare"]
    report(section, f"{ROUNDS} fresh processes per app on a 120x40 pty, alternating; medians")
    for app, runs in first_forms.items():
        report(
            section,
            f"{app:6s}: on screen after {ms(seconds[app])} "
            f"(p95 {ms(percentile([r.seconds for r in runs], 0.95))}), "
            f"CPU by then {ms(cpu[app])}, peak RSS {peak[app] / 1024:.1f} MiB",
        )
    report(
        section,
        f"time ratio wizard/bare: {time_ratio:.2f} (budget {TIME_BUDGET}); "
        f"peak memory ratio: {memory_ratio:.2f} (budget {MEMORY_BUDGET}); "
        f"CPU ratio {cpu_ratio:.2f} (not judged)",
        first_form={
            "rounds": ROUNDS,
            "median_s": seconds,
            "median_peak_rss_kib": peak,
            "time_ratio": time_ratio,
            "memory_ratio": memory_ratio,
            "median_cpu_s": cpu,
            "cpu_ratio": cpu_ratio,
        },
    )
    assert time_ratio <= TIME_BUDGET, f"first form {time_ratio:.2f}x the bare app"
    assert memory_ratio <= MEMORY_BUDGET, f"peak memory {memory_ratio:.2f}x the bare app"
