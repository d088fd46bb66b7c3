"""fill_rounds: one PATCH per round from the answers file, until ready or stuck."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wizard.api.opentrain.models import DraftResponse
from wizard.core.autofill import MAX_ROUNDS, fill_rounds
from wizard.core.session import DraftSession

Server = Callable[[dict[str, Any]], DraftResponse]


def reply(*missing: Any, ready: bool = False) -> DraftResponse:
    return DraftResponse.model_validate(
        {"jobId": "job_1", "validation": {"publishReady": ready, "missingFields": list(missing)}}
    )


class FakeEngine:
    """Stands in for DraftEngine.submit: coerce, record the PATCH, apply the server's reply."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.patches: list[dict[str, Any]] = []

    async def submit(self, session: DraftSession, answers: dict[str, Any]) -> None:
        body = session.build_patch(answers)
        self.patches.append(body)
        session.apply(self.server(body), sent=body)


def started(*missing: Any) -> DraftSession:
    session = DraftSession(job_id="job_1")
    session.apply(reply(*missing))
    return session


async def test_one_patch_per_round_until_ready() -> None:
    def server(body: dict[str, Any]) -> DraftResponse:
        if body.get("paymentType") == "PAY_PER_HOUR" and "pricePerHour" not in body:
            return reply({"field": "pricePerHour", "type": "number"})
        return reply(ready=True)

    engine = FakeEngine(server)
    session = started(
        {"field": "experienceLevel", "enumValues": ["EXPERT", "INTERMEDIATE"]}, "paymentType"
    )
    answers = {
        "experienceLevel": "intermediate",
        "paymentType": "PAY_PER_HOUR",
        "pricePerHour": "25",
    }

    outcome = await fill_rounds(engine, session, answers)  # type: ignore[arg-type]

    assert outcome.ready
    assert outcome.rounds == 2
    assert engine.patches == [
        {"experienceLevel": "INTERMEDIATE", "paymentType": "PAY_PER_HOUR"},
        {"pricePerHour": 25},  # round two answers only round two's question
    ]
    assert outcome.uncovered == [] and outcome.stuck == []


async def test_uncovered_questions_stop_the_loop() -> None:
    engine = FakeEngine(lambda _body: reply("headcount"))
    session = started("jobTitle", "headcount")

    outcome = await fill_rounds(engine, session, {"jobTitle": "Label cars"})  # type: ignore[arg-type]

    assert engine.patches == [{"jobTitle": "Label cars"}]
    assert not outcome.ready
    assert [spec.field for spec in outcome.uncovered] == ["headcount"]


async def test_an_answer_the_server_keeps_refusing_is_stuck_not_resent() -> None:
    engine = FakeEngine(lambda _body: reply("jobTitle"))
    session = started("jobTitle")

    outcome = await fill_rounds(engine, session, {"jobTitle": "x"})  # type: ignore[arg-type]

    assert engine.patches == [{"jobTitle": "x"}]
    assert outcome.rounds == 1
    assert [spec.field for spec in outcome.stuck] == ["jobTitle"]


async def test_a_server_that_never_stops_asking_is_bounded() -> None:
    counter = iter(range(1000))

    def server(body: dict[str, Any]) -> DraftResponse:
        return reply(f"field{next(counter)}")

    answers = {f"field{n}": "x" for n in range(-1, 1000)}
    engine = FakeEngine(server)
    outcome = await fill_rounds(engine, started("field-1"), answers)  # type: ignore[arg-type]

    assert outcome.rounds == MAX_ROUNDS
    assert len(engine.patches) == MAX_ROUNDS


async def test_already_ready_sends_nothing() -> None:
    engine = FakeEngine(lambda _body: reply(ready=True))
    session = DraftSession(job_id="job_1")
    session.apply(reply(ready=True))

    outcome = await fill_rounds(engine, session, {"jobTitle": "x"})  # type: ignore[arg-type]

    assert engine.patches == []
    assert outcome.ready and outcome.rounds == 0
