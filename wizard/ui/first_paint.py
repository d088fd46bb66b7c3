"""Which questions the form builds before its first frame: those above the fold.

A question's widgets cost time to build, style, lay out and paint, and a pick list
most of all; the person sees only the first screenful. The form builds the questions
that fit whole in the first screen, shows them, and builds the rest just after (in
order, below them), so the first question is on screen sooner. A question the bottom
edge would cut is left for that second step: most of it is out of sight, and it is
often the costliest one (a pick list over a few hundred languages). The estimate needs
to be right only roughly: one question too many costs a little time, one too few is
built a frame later.
"""

from __future__ import annotations

from collections.abc import Iterable

from wizard.core.fields import FieldSpec
from wizard.core.keys import Kind

CHROME_ROWS = 8
"""Rows of the form screen that are not questions: head, banners, actions, footer."""

_EDITOR_ROWS = {Kind.TEXT: 5, Kind.LIST: 10, Kind.BOOLEAN: 1}
"""Rows an editor takes (see the widgets' CSS); the others take 3."""

_BOX_ROWS = 4
"""Label, prompt, hint line and the gap below a question."""


def estimated_rows(spec: FieldSpec) -> int:
    """About how many rows a question takes on screen."""
    editors = [_EDITOR_ROWS.get(part.kind, 3) for part in spec.parts]
    # A compound question puts its parts side by side, each with a label line.
    tallest = max(editors, default=3) + (1 if spec.compound else 0)
    return _BOX_ROWS + tallest


def above_the_fold(specs: Iterable[FieldSpec], screen_rows: int) -> int:
    """How many of ``specs``, in order, fit whole in the first ``screen_rows`` rows.

    At least one, even when it does not fit.
    """
    room = max(1, screen_rows - CHROME_ROWS)
    used = 0
    count = 0
    for spec in specs:
        used += estimated_rows(spec)
        if used > room:
            break
        count += 1
    return max(1, count)
