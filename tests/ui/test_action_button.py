"""ActionButton looks and behaves like Textual's Button without loading Button's CSS."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from wizard.ui.widgets.action_button import ActionButton


class _Buttons(App[None]):
    CSS = "Horizontal Button { margin-left: 1; }"

    def __init__(self, cls: type[Button]) -> None:
        super().__init__()
        self.cls = cls
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield self.cls("Back", id="plain")
            yield self.cls("Send", id="primary", variant="primary")
            yield self.cls("Yes", id="warning", variant="warning")
            yield self.cls("x", id="compact", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.pressed.append(event.button.id or "")


def _looks(app: _Buttons) -> dict[str, tuple[object, ...]]:
    return {
        str(button.id): (
            button.region,
            button.styles.border_top,
            button.styles.border_bottom,
            button.styles.background,
            button.styles.color,
            button.styles.text_style,
            button.styles.margin,
        )
        for button in app.query(Button)
    }


async def test_same_look_and_keys_as_button_without_its_stylesheet() -> None:
    looks = {}
    for cls in (Button, ActionButton):
        app = _Buttons(cls)
        async with app.run_test(size=(80, 6)) as pilot:
            await pilot.pause()
            looks[cls] = _looks(app)
            sources = {name for _, name in app.stylesheet.source}
            app.query_one("#primary", Button).focus()
            await pilot.press("enter")
            await pilot.pause()
            assert app.pressed == ["primary"]
            # Queries and "Button" selectors still reach it (the margin rule above).
            assert len(app.query(Button)) == 4
        loaded_button_css = "Button.DEFAULT_CSS" in sources
        assert loaded_button_css is (cls is Button)
    assert looks[ActionButton] == looks[Button]
