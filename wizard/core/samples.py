"""Sample job descriptions offered on the start screen: one per payment style, and a
practice one that leaves the payment open (the guided first run uses it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    """A ready-made description to try the loop with."""

    name: str
    text: str


PRACTICE = Sample(
    name="Practice: audio clips, pay not set yet",
    text=(
        "Emotion tags for short audio clips\n"
        "Listen to short English audio clips from customer calls and tag the speaker's "
        "emotion: happy, calm, frustrated or angry. About 10,000 clips of 5 to 20 seconds "
        "each, with a written guide and examples for every emotion. Intermediate annotators "
        "welcome; the pay is not settled yet.\n"
    ),
)
"""Leaves the payment type, countries and headcount open: choosing a payment type makes
the server ask for its rate (a new question), and a made-up country code is refused."""

SAMPLES: tuple[Sample, ...] = (
    Sample(
        name="Hourly: Spanish call transcripts",
        text=(
            "Spanish call-center transcript review\n"
            "We are looking for native Spanish speakers to review and correct machine "
            "transcripts of customer-support phone calls. Each call is 5 to 15 minutes "
            "long; you will fix misheard words, mark speaker turns and tag background noise.\n"
            "Pay: $18 per hour.\n"
        ),
    ),
    Sample(
        name="Per label: product image tagging",
        text=(
            "Product image bounding boxes\n"
            "Draw bounding boxes around every product in retail shelf photos and pick the "
            "product category from a list. Clear guidelines and examples are provided, "
            "and a reviewer checks a sample of your work every day.\n"
            "We pay $0.04 per label. Entry-level annotators welcome.\n"
        ),
    ),
    Sample(
        name="Fixed price: legal document classification",
        text=(
            "Legal contract clause classification\n"
            "Classify clauses in commercial contracts (indemnity, termination, liability, "
            "confidentiality) for a model evaluation set. Annotators must read English "
            "legal text fluently; a law background is a plus.\n"
            "Fixed price of $1,500 for the whole batch of 20,000 words.\n"
        ),
    ),
    PRACTICE,
)
