"""Which questions the form builds before its first frame (``wizard.ui.first_paint``)."""

from __future__ import annotations

from wizard.core.fields import FieldPart, FieldSpec
from wizard.core.keys import Kind
from wizard.ui.first_paint import CHROME_ROWS, above_the_fold, estimated_rows


def _spec(name: str, *kinds: Kind) -> FieldSpec:
    parts = [FieldPart(key=f"{name}{i}", kind=kind, label=name) for i, kind in enumerate(kinds)]
    return FieldSpec(field=name, label=name, prompt="?", parts=parts)


def test_taller_editors_take_more_rows() -> None:
    line = estimated_rows(_spec("a", Kind.STRING))
    assert estimated_rows(_spec("b", Kind.TEXT)) > line
    assert estimated_rows(_spec("c", Kind.LIST)) > estimated_rows(_spec("b", Kind.TEXT))
    # Side by side, a compound question is as tall as its tallest part, plus labels.
    assert estimated_rows(_spec("d", Kind.NUMBER, Kind.SELECT)) == line + 1


def test_the_questions_that_fit_whole_in_the_first_screen_are_counted() -> None:
    specs = [_spec(f"q{n}", Kind.STRING) for n in range(100)]
    each = estimated_rows(specs[0])
    rows = CHROME_ROWS + 3 * each + 1  # three whole questions and the top of a fourth
    assert above_the_fold(specs, rows) == 3
    assert above_the_fold(specs, CHROME_ROWS + 3 * each) == 3
    assert above_the_fold(specs, CHROME_ROWS + 3 * each - 1) == 2
    # Few questions: all of them; a tiny terminal: still the first one.
    assert above_the_fold(specs[:2], 200) == 2
    assert above_the_fold(specs, 3) == 1
    assert above_the_fold([], 40) == 1
