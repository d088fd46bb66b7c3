"""The headless loop behind ``draft-wizard fill``: answer each round from a file until done.

Each validation round sends ONE PATCH holding the file's answers to that round's
questions, and nothing the server already accepted. The loop ends when the draft is
ready, when a round has nothing new to send, or when the server refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wizard.api.models import PublishResult
from wizard.core.answers import answers_for
from wizard.core.engine import DraftEngine
from wizard.core.fields import FieldSpec
from wizard.core.session import DraftSession

MAX_ROUNDS = 25
"""A server that keeps asking new questions forever must not keep us forever."""


@dataclass
class FillOutcome:
    """Where a fill run ended."""

    session: DraftSession
    rounds: int = 0
    """PATCH rounds sent by this run."""
    uncovered: list[FieldSpec] = field(default_factory=list)
    """Questions the answers file does not answer."""
    stuck: list[FieldSpec] = field(default_factory=list)
    """Questions answered from the file that the server still does not accept."""
    published: PublishResult | None = None

    @property
    def ready(self) -> bool:
        """Whether the server says the draft can be published."""
        return self.session.ready


async def fill_rounds(
    engine: DraftEngine,
    session: DraftSession,
    answers: dict[str, Any],
    *,
    rounds_so_far: int = 0,
    outcome: FillOutcome | None = None,
) -> FillOutcome:
    """Answer rounds from ``answers`` until nothing more can be sent.

    Pass ``outcome`` to keep the count of rounds sent even when a later round raises.
    """
    if outcome is None:
        outcome = FillOutcome(session=session, rounds=rounds_so_far)
    sent: dict[str, Any] = {}
    while not session.ready and outcome.rounds < MAX_ROUNDS:
        body: dict[str, Any] = {}
        uncovered: list[FieldSpec] = []
        stuck: list[FieldSpec] = []
        for spec in session.specs:
            found = answers_for(spec, answers)
            if found is None:
                uncovered.append(spec)
                continue
            fresh = {k: v for k, v in found.items() if k not in sent or sent[k] != v}
            if fresh:
                body.update(found)
            else:
                stuck.append(spec)  # same answer already sent, server still asks
        outcome.uncovered, outcome.stuck = uncovered, stuck
        if not body:
            break
        await engine.submit(session, body)
        sent.update(body)
        outcome.rounds += 1
    if session.ready:
        outcome.uncovered, outcome.stuck = [], []
    return outcome
