"""Capacity of ``draft-wizard serve``: N participants joining at once (N = 1, 10, 30).

Each N gets a fresh ``draft-wizard serve --port 0`` (a real subprocess, its own XDG
dirs). N simulated participants (``tests/serve/client.py``: the browser's side of the
websocket protocol, with the cookies the shared link sets) join together; each waits
for the start screen, types a description, presses ctrl+s and waits for the form.
Reported per N: time from joining to the start screen and to the first form (median,
p90, max over participants), the memory of serve and every participant's process
(PSS, so shared library pages are counted once), the machine's memory in use, CPU
seconds spent while the room started and the machine's CPU use then, and the CPU
the room burns idle afterwards (every participant on their form, nobody typing).
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.conftest import REPO, isolated_env, report
from tests.serve.client import CTRL_S, SimulatedParticipant
from wizard.serve.participants import process_memory_kib

SIZES = [int(n) for n in os.environ.get("BENCH_SERVE_SIZES", "1,10,30").split(",")]
TOKEN = "bench-room-token-0123456789abcdefghijklmnop"
DESCRIPTION = "Spanish tutor for beginners\rRemote Spanish tutoring for adults, $25 an hour."
IDLE_SECONDS = 5.0
TICKS = os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICKS


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _machine_memory_used_mib() -> float:
    info = {
        line.split(":")[0]: int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
    }
    return (info["MemTotal"] - info["MemAvailable"]) / 1024


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return statistics.median(ordered), p90, ordered[-1]


async def _join(participant: SimulatedParticipant) -> tuple[float, float]:
    """Seconds from joining to the start screen, and to the first form."""
    start = time.perf_counter()
    await participant.join()
    await participant.wait_for("Create draft", timeout=180)
    first_screen = time.perf_counter() - start
    mark = participant.mark()
    await participant.type(DESCRIPTION)
    await participant.type(CTRL_S)
    await participant.wait_for("Send answers", since=mark, timeout=180)
    return first_screen, time.perf_counter() - start


@pytest.mark.parametrize("size", SIZES)
def test_room_capacity(size: int, tmp_path: Path) -> None:
    env = isolated_env(tmp_path / "home")
    env["DRAFT_WIZARD_SERVE_TOKEN"] = TOKEN
    memory_before = _machine_memory_used_mib()
    server = subprocess.Popen(
        [sys.executable, "-m", "wizard", "serve", "--port", "0", "--max-participants", "100"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base_url = ""
        for line in server.stdout:
            if "?token=" in line:
                base_url = line.strip().split("/?token=")[0]
                break
        assert base_url, "serve printed no link"
        serve_alone_kib = process_memory_kib(server.pid)

        cpu_before = _cpu_seconds(_tree(server.pid))
        machine_before = _machine_cpu()
        started = time.perf_counter()

        async def room() -> list[tuple[float, float]]:
            participants = [SimulatedParticipant(base_url, TOKEN) for _ in range(size)]
            try:
                return await measure(participants)
            finally:  # everyone stays connected until the room is measured
                await asyncio.gather(*(p.close() for p in participants))

        async def measure(participants: list[SimulatedParticipant]) -> list[tuple[float, float]]:
            times = await asyncio.gather(*(_join(p) for p in participants))
            ramp = time.perf_counter() - started
            machine_after = _machine_cpu()
            pids = _tree(server.pid)
            cpu_ramp = _cpu_seconds(pids) - cpu_before
            busy = (machine_after[0] - machine_before[0]) / max(
                1, machine_after[1] - machine_before[1]
            )
            memory_kib = sum(process_memory_kib(pid) for pid in pids)
            memory_machine = _machine_memory_used_mib() - memory_before
            idle_before = _cpu_seconds(pids)
            await asyncio.sleep(IDLE_SECONDS)
            idle_cpu = (_cpu_seconds(_tree(server.pid)) - idle_before) / IDLE_SECONDS
            each_mib = (memory_kib - serve_alone_kib) / 1024 / size
            first_screen = _quantiles([t[0] for t in times])
            first_form = _quantiles([t[1] for t in times])
            report(
                "serve capacity (N participants joining at once)",
                f"N={size:>2}: start screen median {first_screen[0]:.2f} s (p90 "
                f"{first_screen[1]:.2f}, max {first_screen[2]:.2f}); first form median "
                f"{first_form[0]:.2f} s (p90 {first_form[1]:.2f}, max {first_form[2]:.2f}); "
                f"memory {memory_kib / 1024:.0f} MiB PSS ({each_mib:.0f} MiB a participant; "
                f"machine +{memory_machine:.0f} MiB); CPU {cpu_ramp:.1f} s "
                f"over the {ramp:.1f} s ramp (machine {busy:.0%} busy); idle "
                f"{idle_cpu:.0%} of a core for the room",
                **{
                    f"serve_{size}_first_screen_median_s": round(first_screen[0], 3),
                    f"serve_{size}_first_form_median_s": round(first_form[0], 3),
                    f"serve_{size}_first_form_max_s": round(first_form[2], 3),
                    f"serve_{size}_memory_pss_mib": round(memory_kib / 1024, 1),
                    f"serve_{size}_cpu_ramp_s": round(cpu_ramp, 2),
                    f"serve_{size}_idle_cores": round(idle_cpu, 3),
                },
            )
            assert len(pids) >= size + 1  # every participant has their own process
            return times

        times = asyncio.run(room())
        assert len(times) == size
    finally:
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert code == 0
