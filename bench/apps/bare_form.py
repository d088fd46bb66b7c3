"""The yardstick for the first form: a bare Textual app showing a Select and an Input.

Run by path in a pseudo-terminal (``bench/test_first_form.py``); it shows ``QUESTION``
as the Input's placeholder, the text the benchmark waits for, and runs until killed.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Select

QUESTION = "What exactly will trainers label"


class Bare(App[None]):
    """One Select and one Input, nothing else."""

    def compose(self) -> ComposeResult:
        yield Select([(f"Level {n}", n) for n in range(4)], prompt="Experience level")
        yield Input(placeholder=f"{QUESTION}, how, and with which tool?")

    def on_mount(self) -> None:
        self.query_one(Input).focus()


if __name__ == "__main__":
    Bare().run()
