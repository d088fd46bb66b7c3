"""Effort in the plain line mode: keystrokes and lines typed to publish each sample draft.

The real command (``draft-wizard new --plain``, TERM=dumb, the embedded sandbox) in a
pseudo-terminal, answered with the shortest answers the mode accepts: a sample by its
number, choices by number, a country and a language by their codes in lower case. A
keystroke is a character typed or an Enter; every run must end with the job's URL.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pexpect
import pytest

from bench.conftest import REPO, isolated_env, report

# (sample number, answers after the sample's number, in the order the questions come)
SAMPLE_ANSWERS: dict[str, list[str]] = {
    "1 hourly": ["1", "us", "3", "1000", "2", "y"],  # level, countries, headcount, volume+unit
    "2 per label": ["en", "us", "3", "1000", "2", "y"],  # languages, countries, ...
    "3 fixed price": ["1", "us", "3", "y"],  # level, countries, headcount
}


@pytest.mark.parametrize("sample", list(SAMPLE_ANSWERS))
def test_keystrokes_to_publish_a_sample(sample: str, tmp_path: Path) -> None:
    env = isolated_env(tmp_path / "home")
    env["TERM"] = "dumb"
    lines = [sample.split()[0], *SAMPLE_ANSWERS[sample]]
    child = pexpect.spawn(
        sys.executable,
        ["-m", "wizard", "new", "--plain"],
        cwd=str(REPO),
        env=env,
        encoding="utf-8",
        timeout=30,
    )
    started = time.perf_counter()
    prompt = r"(?:Number or description: |\): |\[y/N\] )"  # every answer line ends so
    for line in lines:
        child.expect(prompt)
        child.sendline(line)
    child.expect(r"Published\.\r\n(http\S+)\r\n")
    elapsed = time.perf_counter() - started
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    keystrokes = sum(len(line) + 1 for line in lines)
    report(
        "plain mode effort",
        f"sample {sample}: {len(lines)} lines, {keystrokes} keystrokes "
        f"({' | '.join(lines)}), published in {elapsed:.1f} s",
        **{
            f"plain_{sample.split()[0]}_lines": len(lines),
            f"plain_{sample.split()[0]}_keys": keystrokes,
        },
    )
