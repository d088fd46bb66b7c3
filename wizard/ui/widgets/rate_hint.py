"""The marketplace rate hint under a rate question: "Similar open jobs pay $12–$25 / hour,
median $18" (from the tokenless marketplace search, so it tells what the market pays).

``RateHintLine`` is the line (id ``rate-hint``), shown only once there is something to
say. ``RateHints`` keeps it beside whichever question asks a rate (``pricePerHour``,
``pricePerLabel`` or ``fixedPrice``; the rate key names the payment type): it mounts the
line there after every round and looks the hint up in a worker, through the lookup its
screen hands it (the backend's cached, never-failing ``rate_hint``). Offline or
rate-limited, the line simply stays hidden.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.widget import Widget
from textual.widgets import Static

from wizard.core.rate_hint import PAY_TYPE_FOR_KEY, RateHint
from wizard.ui.widgets.field_box import FieldBox
from wizard.ui.widgets.quiet import set_display, set_text

LookUp = Callable[[str, "str | None"], Awaitable["RateHint | None"]]
"""Finds the hint for a payment type and a job title (None when there is none)."""


class RateHintLine(Static):
    """One dim line: what similar open jobs pay. Hidden until a hint arrives."""

    DEFAULT_CSS = """
    RateHintLine {
        height: auto;
        color: $text-muted;
        display: none;
    }
    """

    def __init__(self, pay_type: str, title: str | None) -> None:
        super().__init__("", id="rate-hint", markup=False)
        self.pay_type = pay_type
        self.title = title
        self.hint: RateHint | None = None

    def show_hint(self, hint: RateHint | None) -> None:
        """Show a hint, or stay hidden when there is none."""
        self.hint = hint
        if hint is not None:
            set_text(self, shown_sentence(hint))
        set_display(self, hint is not None)


def shown_sentence(hint: RateHint) -> str:
    """The hint as the form shows it: capitalised, a price and its unit never split by a
    line break ("$16–$38 / hour" stays whole in a narrow terminal)."""
    sentence = hint.sentence
    for unit in (" / hour", " / label"):
        sentence = sentence.replace(unit, unit.replace(" ", "\u00a0"))
    return sentence[:1].upper() + sentence[1:]


class RateHints:
    """Keeps the rate hint beside the form's rate question, one lookup per pay type and title."""

    def __init__(
        self,
        screen: Widget,
        boxes: Callable[[], list[FieldBox]],
        title: Callable[[], str | None],
        look_up: LookUp,
    ) -> None:
        """Keep the hint on ``screen``, beside one of its ``boxes()``, for its ``title()``."""
        self.screen = screen
        self._boxes = boxes
        self._title = title
        self._look_up_hint = look_up

    def _rate_box(self) -> tuple[FieldBox, str] | None:
        for box in self._boxes():
            for key in box.spec.keys:
                if key in PAY_TYPE_FOR_KEY:
                    return box, PAY_TYPE_FOR_KEY[key]
        return None

    def place(self) -> None:
        """Put the line under the question that asks a rate (or remove it), and look up."""
        found = self._rate_box()
        title = self._title()
        current = self.screen.query(RateHintLine)
        line = current.first() if current else None
        if found is None:
            if line is not None:
                line.remove()
            return
        box, pay_type = found
        wanted = (pay_type, title)
        if line is not None and line.parent is box and (line.pay_type, line.title) == wanted:
            return  # already there, already asked
        if line is not None:
            line.remove()
        line = RateHintLine(pay_type, title)
        hint_text = box.query(".field-hint")
        if hint_text:
            box.mount(line, before=hint_text.first())
        else:
            box.mount(line)
        self.screen.run_worker(
            self._look_up(line), group="rate-hint", exclusive=True, exit_on_error=False
        )

    async def _look_up(self, line: RateHintLine) -> None:
        hint = await self._look_up_hint(line.pay_type, line.title)
        if line.is_attached:
            line.show_hint(hint)
