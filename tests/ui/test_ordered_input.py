"""OrderedInput shows what a plain Input shows, and a keystroke lays nothing out again.

A keystroke in Textual's ``Input`` changes its virtual size, a layout property, so the
whole screen is arranged again; ``OrderedInput`` records that size without asking for
a layout. These tests type the same keys into both, side by side, and compare what
they show (scrolling inside a long value included) and how often the screen was laid out.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from wizard.ui.widgets.ordered_input import OrderedInput


class TwoInputs(App[None]):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(id="plain")
            yield OrderedInput(id="ordered")


def _line(widget: Input) -> str:
    return widget.render_line(0).text


async def test_a_long_value_scrolls_and_shows_the_same_as_a_plain_input() -> None:
    app = TwoInputs()
    text = "the quick brown fox jumps over the lazy dog " * 3
    async with app.run_test(size=(40, 10)) as pilot:
        plain = app.query_one("#plain", Input)
        ordered = app.query_one("#ordered", OrderedInput)
        for widget in (plain, ordered):
            widget.focus()
            await pilot.press(*text, "left", "left", "backspace", "home", "right", "end")
            await pilot.pause()
        assert ordered.value == plain.value == text[:-3] + text[-2:]
        assert ordered.scroll_offset == plain.scroll_offset
        assert ordered.scroll_offset.x > 0, "a value wider than the box scrolls to its end"
        assert ordered.virtual_size == plain.virtual_size
        assert ordered.cursor_screen_offset.x - ordered.region.x == (
            plain.cursor_screen_offset.x - plain.region.x
        )
        assert _line(ordered) == _line(plain)


async def test_a_keystroke_repaints_without_a_layout() -> None:
    app = TwoInputs()
    async with app.run_test(size=(40, 10)) as pilot:
        layouts = 0
        screen = app.screen
        refresh_layout = screen._refresh_layout

        def counting(*args: object, **kwargs: object) -> None:
            nonlocal layouts
            if screen._layout_required:
                layouts += 1
            refresh_layout(*args, **kwargs)  # type: ignore[arg-type]

        screen._refresh_layout = counting  # type: ignore[method-assign]
        app.query_one("#ordered", OrderedInput).focus()
        await pilot.pause()
        layouts = 0
        await pilot.press(*"typed")
        await pilot.pause()
        assert app.query_one("#ordered", OrderedInput).value == "typed"
        assert layouts == 0, f"{layouts} layouts for five keys"
        # The yardstick can fail: the plain Input lays the screen out on a keystroke.
        app.query_one("#plain", Input).focus()
        await pilot.pause()
        layouts = 0
        await pilot.press("x")
        await pilot.pause()
        assert layouts >= 1
