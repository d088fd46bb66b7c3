"""The plain mode as a person meets it: ``draft-wizard`` in a pseudo-terminal with TERM=dumb.

Each test spawns the real command (its embedded sandbox, its own XDG directories, no
token) and types into it with ``pexpect``, so line discipline, Ctrl+C and Ctrl+D are
the terminal's own. Not one escape byte may appear in a whole session.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tests.plain.plain_helpers import ESC
from wizard.core.journal import Journal
from wizard.core.samples import SAMPLES
from wizard.sandbox import SANDBOX_TOKEN, SandboxServer

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 15


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """This test's XDG dirs (from conftest), no token, a sandbox store that outlives a run."""
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    env.update(
        TERM="dumb",
        HOME=str(tmp_path),
        PYTHONUNBUFFERED="1",
        DRAFT_WIZARD_SANDBOX_DB=str(tmp_path / "sandbox.sqlite3"),
    )
    return env


def spawn(env: dict[str, str], *args: str) -> tuple[pexpect.spawn[str], io.StringIO]:
    transcript = io.StringIO()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "wizard", *args],
        cwd=str(REPO),
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(24, 80),
    )
    child.logfile_read = transcript
    return child, transcript


def matched(child: pexpect.spawn[str]) -> re.Match[str]:
    """The match of the last ``expect`` with a pattern."""
    assert isinstance(child.match, re.Match)
    return child.match


def answer(child: pexpect.spawn[str], prompt: str, line: str) -> None:
    child.expect_exact(prompt)
    child.sendline(line)


def finished(child: pexpect.spawn[str]) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return int(child.exitstatus)


def test_a_draft_from_a_description_file_to_a_published_url(
    env: dict[str, str], tmp_path: Path
) -> None:
    """``TERM=dumb draft-wizard new --plain --description-file job.txt``, to the job's URL."""
    job = tmp_path / "job.txt"
    job.write_text(SAMPLES[0].text)
    child, transcript = spawn(env, "new", "--plain", "--description-file", str(job))
    child.expect_exact("Created draft ")
    answer(child, "Experience level (number or name): ", "9")  # a wrong number
    child.expect_exact("There is no choice 9; type a number from 1 to 4, or a name.")
    answer(child, "Experience level (number or name): ", "Expert")  # by name
    child.expect_exact("Experience level: Expert.")
    answer(child, "Countries (comma-separated, e.g. US): ", "?")
    child.expect_exact("Most used values for Countries:")
    answer(child, "Countries (comma-separated, e.g. US): ", "US, nl")  # a list
    child.expect_exact("Countries: United States (US), Netherlands (NL).")
    answer(child, "Headcount (e.g. 5): ", "")  # left open
    answer(child, "Data volume (e.g. 20000): ", "1000")
    answer(child, "Data volume unit (number or name): ", "2")  # by number
    child.expect_exact("Data volume unit: Number of files.")
    child.expect_exact("Saved: 3 answered. 1 question left.")
    child.expect_exact("Question 1 of 1: Headcount")  # the open one, asked again
    answer(child, "Headcount (e.g. 5): ", "3")
    child.expect_exact("Saved: 1 answered. The draft is ready to publish.")
    child.expect_exact("Headcount: 3 (typed by you)")
    answer(child, "Publish now? [y/N] ", "y")
    child.expect(r"Published\.\r\n(http://127\.0\.0\.1:\d+/jobs/\S+)\r\n")
    url = matched(child).group(1)
    assert finished(child) == 0
    assert "spanish-call-center-transcript-review" in url
    assert ESC not in transcript.getvalue()


def test_ctrl_c_keeps_the_typed_answers_for_the_next_run(env: dict[str, str]) -> None:
    child, transcript = spawn(env, "new", "--description", SAMPLES[0].text)
    child.expect(r"Created draft (\w+):")
    job_id = matched(child).group(1)
    answer(child, "Experience level (number or name): ", "int")
    answer(child, "Countries (comma-separated, e.g. US): ", "PH")
    child.expect_exact("Headcount (e.g. 5): ")
    child.sendintr()
    child.expect_exact("Interrupted: your 2 typed answers are kept on this machine.")
    child.expect_exact(f"`draft-wizard open {job_id} --plain` continues the draft.")
    assert finished(child) == 130
    typed = Journal.default().typed("sandbox", job_id)
    assert typed == {"experienceLevel": "INTERMEDIATE", "countries": ["PH"]}

    again, second = spawn(env, "open", job_id)  # TERM=dumb alone chooses the plain mode
    again.expect_exact(
        "draft-wizard: using the plain line mode because TERM is dumb (--plain chooses it too)."
    )
    again.expect_exact("Restored 2 typed answers from last time.")
    again.expect_exact("Typed earlier: Intermediate. Enter keeps it, - clears it.")
    answer(again, "Experience level (number or name): ", "")
    again.expect_exact("Typed earlier: Philippines (PH). Enter keeps it, - clears it.")
    again.expect_exact("Countries (comma-separated, e.g. US): ")
    again.sendeof()  # Ctrl+D: ends promptly, with a sentence
    again.expect_exact("Input ended. Draft ")
    assert finished(again) == 3
    assert ESC not in transcript.getvalue() + second.getvalue()


def test_no_terminal_at_all_ends_within_seconds_with_a_sentence(
    env: dict[str, str], tmp_path: Path
) -> None:
    """``draft-wizard new … < /dev/null > out.txt``: plain by itself, no TUI, no escapes."""
    env["TERM"] = "xterm-256color"  # a capable TERM: the redirection alone decides
    out = tmp_path / "out.txt"
    started = time.perf_counter()
    with out.open("w") as handle:
        done = subprocess.run(
            [sys.executable, "-m", "wizard", "new", "--description", SAMPLES[1].text],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.PIPE,
            timeout=30,
            check=False,
        )
    elapsed = time.perf_counter() - started
    text = out.read_text()
    stderr = done.stderr.decode()
    assert done.returncode == 3, stderr
    assert elapsed < 10
    assert stderr.startswith(
        "draft-wizard: using the plain line mode because standard input is not a terminal"
    )
    assert "Input ended. Draft " in stderr and "--plain` continues the draft." in stderr
    assert "Created draft " in text and "Question 1 of 4: Languages" in text
    assert ESC not in text and ESC not in stderr


def test_ctrl_c_during_a_send_keeps_the_answers_pending(env: dict[str, str]) -> None:
    """Interrupted while the PATCH is on its way: the journal re-sends it on the next open."""
    with SandboxServer(faults="hold=patch:30") as server:  # the PATCH waits at the server
        origin = server.base_url
        env.update(OT_API_BASE_URL=origin, OT_API_TOKEN=SANDBOX_TOKEN)
        child, transcript = spawn(env, "new", "--plain", "--description", SAMPLES[0].text)
        child.expect(r"Created draft (\w+):")
        job_id = matched(child).group(1)
        for prompt, line in [
            ("Experience level (number or name): ", "1"),
            ("Countries (comma-separated, e.g. US): ", "US"),
            ("Headcount (e.g. 5): ", "3"),
            ("Data volume (e.g. 20000): ", "10"),
            ("Data volume unit (number or name): ", "2"),
        ]:
            answer(child, prompt, line)
        child.expect_exact("Sending 5 answers...")
        # Interrupt once the answers are journaled as pending: the PATCH is then on its
        # way and held by the server, whatever the machine's load.
        deadline = time.monotonic() + TIMEOUT
        while len(Journal.default().pending(origin, job_id)) < 5:
            assert time.monotonic() < deadline, "the answers were never journaled"
            time.sleep(0.05)
        child.sendintr()
        child.expect_exact(
            "Interrupted: 5 answers the server did not confirm are sent again when you open it."
        )
        assert finished(child) == 130
    pending = Journal.default().pending(origin, job_id)
    assert pending == {
        "experienceLevel": "ENTRY_LEVEL",  # choice 1: levels are offered Entry level first
        "countries": ["US"],
        "headcount": 3,
        "dataVolume": 10,
        "dataVolumeUnit": "NUMBER_OF_FILES",
    }
    assert ESC not in transcript.getvalue()
