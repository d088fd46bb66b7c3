"""The steps of the guided first run, as data.

Each step names the screen it happens on, the part of that screen to highlight, a
short note, one practice task, and the event that completes it. The controller knows
nothing about the individual steps; adding or rewording one is an edit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wizard.core.samples import PRACTICE

Event = Literal["form-opened", "edited", "sent", "refused", "review-opened", "published"]
"""What the person did, as the controller observes it:

- ``form-opened``: a draft's form became the screen;
- ``edited``: an answer was typed or chosen on the form;
- ``sent``: the server accepted a send and the form was re-planned;
- ``refused``: the server refused a send (the value stays, with its reason);
- ``review-opened``: the review screen opened;
- ``published``: the draft was published.
"""

SCREEN_NAMES = {
    "StartScreen": "start screen (Esc on the form goes back to it)",
    "FormScreen": "form (open your draft under Continue a draft)",
    "ReviewScreen": "review (ctrl+r on the form)",
    "ResultScreen": "published page",
}
"""The screens the tour is laid over, and how a note tells the way to each."""

PRACTICE_SAMPLE = PRACTICE.name
"""The sample description the tour practises on."""


@dataclass(frozen=True)
class TourStep:
    """One step: look at ``target`` on ``screen``, read ``note``, do ``task``."""

    title: str
    screen: str
    """The class name of the screen the step happens on."""
    target: str
    """A selector for the part to highlight, on that screen."""
    note: str
    task: str
    done_on: frozenset[Event]


STEPS: tuple[TourStep, ...] = (
    TourStep(
        title="Describe the job",
        screen="StartScreen",
        target="#new-draft",
        note="Describe the job in your own words; the server reads it and fills in what it can.",
        task=f'Pick the sample "{PRACTICE_SAMPLE}" (or type your own), then ctrl+s.',
        done_on=frozenset({"form-opened"}),
    ),
    TourStep(
        title="The questions",
        screen="FormScreen",
        target="#fields",
        note="Each question is something the server still needs; its Why: line says why.",
        task="Answer one: for example, type 3 in Headcount.",
        done_on=frozenset({"edited"}),
    ),
    TourStep(
        title="Send, and the form re-plans",
        screen="FormScreen",
        target="#send",
        note="ctrl+s sends all answers in one request; the form re-plans from the reply "
        "and marks NEW any question it brings.",
        task="Choose a payment type (not Countries yet), then ctrl+s.",
        done_on=frozenset({"sent"}),
    ),
    TourStep(
        title="A rejected value",
        screen="FormScreen",
        target="#fields",
        note="A refused value stays in its box, with one sentence saying why: nothing is lost.",
        task="Type XX in the Countries filter, Enter, then ctrl+s.",
        done_on=frozenset({"refused"}),
    ),
    TourStep(
        title="Review",
        screen="FormScreen",
        target="#publish",
        note="Once the server says the draft is ready, Review lists every value and where "
        "it came from.",
        task="Fix Countries (Backspace removes XX), answer the rest, ctrl+s; then ctrl+r.",
        done_on=frozenset({"review-opened"}),
    ),
    TourStep(
        title="Publish",
        screen="ReviewScreen",
        target="#confirm-publish",
        note="Publish puts the job on the marketplace; in the sandbox nothing leaves this machine.",
        task="Press Publish.",
        done_on=frozenset({"published"}),
    ),
)
