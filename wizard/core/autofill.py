"""The headless loop behind ``draft-wizard fill``: answer each round from a file until done.

Each validation round sends ONE PATCH holding the file's answers to that round's
questions, and nothing the server already accepted. The loop ends when the draft is
ready, when a round has nothing new to send, or when the server refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    matched: set[str] = field(default_factory=set)
    """Answers-file keys that matched a question of some round (its update key or field)."""
    asked: set[str] = field(default_factory=set)
    """Every field name and update key of every question seen, for "did you mean"."""

    @property
    def ready(self) -> bool:
        """Whether the server says the draft can be published: ``publishReady`` alone
        (``issues[]`` the server still allows publishing with are warnings, not blockers)."""
        return self.session.validation.publish_ready

    def note_questions(self, specs: list[FieldSpec], answers: dict[str, Any]) -> None:
        """Remember which file keys this round's questions match, and their names.

        A key that matches no question of this round may match one of a later round
        (a rate asked once its payment type is known), so only the end of the run can
        say which keys matched nothing.
        """
        for spec in specs:
            names = {spec.field, *spec.keys}
            self.asked.update(names)
            self.matched.update(key for key in answers if key in names)


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
    outcome.note_questions(session.specs, answers)
    while not outcome.ready and outcome.rounds < MAX_ROUNDS:
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
        outcome.note_questions(session.specs, answers)
    if outcome.ready:
        outcome.uncovered, outcome.stuck = [], []
    return outcome
