"""The form screen's own sentences, built from counts and the model (no widgets).

Kept apart from ``wizard.ui.screens.form`` so the screen reads as what it does with its
widgets; the words are here, in one place, with the keys they name.
"""

from __future__ import annotations

from wizard.core.form import FormModel, RoundPlan
from wizard.core.wording import is_are, plural


def ready_panel(ready: bool) -> str:
    """Shown where the questions were, once the server lists none."""
    if ready:
        return (
            "✓ The server says this draft is ready to publish.\n"
            "Press ctrl+r to review every value and publish."
        )
    return "The server lists no questions, but the draft is not ready yet. See the problems above."


def more_questions(more: int) -> str:
    """Below the questions shown, when the server lists more than the form shows at once."""
    return f"…and {more:,} more questions. Answer these and send (ctrl+s); the rest come next."


def send_status(model: FormModel, restored_note: str, round_note: str) -> str:
    """Beside the buttons: sending, what is unsent, or what the last send did."""
    if model.sending:
        return "sending…"
    unsent = model.unsent()
    if unsent:
        return f"{unsent} unsent{restored_note}"
    return round_note


def round_note(plan: RoundPlan, ready: bool, remaining: int) -> str:
    """What a send did ("ready to publish" is said above the form, so not here)."""
    added = f", {plural(len(plan.added), 'new question')}" if plan.added else ""
    left = "" if ready else f"; {plural(remaining, 'question')} left"
    return f"Saved: {len(plan.resolved)} answered{added}{left}."


def kept_on_leaving(unsent: int) -> str:
    """Said when the form closes with typed answers unsent."""
    return (
        f"Your {plural(unsent, 'typed answer')} {is_are(unsent)} kept: open the draft again "
        "to go on."
    )


def not_ready(remaining: int) -> str:
    """Said when review is asked for before the server says ready."""
    return f"Not ready yet: {plural(remaining, 'question')} left. Answer them and send with ctrl+s."
