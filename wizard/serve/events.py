"""The facilitator's terminal: one line per participant event.

Lines name participants by number and hold counts and draft ids only, never what a
participant typed.
"""

from __future__ import annotations

import time
from typing import TextIO

from wizard.serve.participants import Participant


def _left(value: object) -> str:
    if isinstance(value, int):
        return "ready to publish" if value == 0 else f"{value} question{'s' * (value != 1)} left"
    return ""


def describe(participant: Participant, event: dict[str, object]) -> str | None:
    """One line for a wizard event (updating the participant's progress), or None."""
    kind = event.get("event")
    progress = participant.progress
    job = str(event.get("job_id", ""))[:40]
    left = event.get("left")
    if isinstance(left, int):
        progress.left = left
    if kind == "draft_created":
        progress.drafts += 1
        progress.job_id = job
        return f"draft created ({job}), {_left(left)}"
    if kind == "round_sent":
        progress.rounds += 1
        progress.job_id = job
        return f"round sent ({job}), {_left(left)}"
    if kind == "published":
        progress.published += 1
        progress.left = 0
        return f"published ({job})"
    return None


class Feed:
    """Writes the lines to serve's stdout."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def line(self, participant: Participant | None, text: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        who = f"{participant.label}: " if participant is not None else ""
        self.out.write(f"{stamp}  {who}{text}\n")
        self.out.flush()

    def poll(self, participants: list[Participant]) -> None:
        """Read every participant's new events and print a line for each."""
        for participant in participants:
            for event in participant.read_events():
                text = describe(participant, event)
                if text is not None:
                    self.line(participant, text)
