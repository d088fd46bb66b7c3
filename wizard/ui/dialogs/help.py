"""F1: how the loop works and every key, in plain words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP_TEXT = """\
# How draft-wizard works

*Escape, F1 or q closes this help.*

1. **Describe the job.** Paste a description (or pick a sample) and press **ctrl+s**.
   The server turns it into a draft and says what is still missing.
2. **Answer the questions.** Each missing field is a question with the right widget:
   a list of choices, a number, a text box, or a filterable pick list.
   *Why* says why the server asks; the hint says what it expects.
3. **Send** with **ctrl+s**. All answers go in one request. Answered questions
   disappear; questions that became required appear marked **NEW**, with the reason.
4. Repeat until the server says the draft is **ready**, then **ctrl+r** to review every
   value (and where it came from) and publish.

What you type is saved as you type it, so Escape, a dropped connection
or a closed terminal loses nothing: open the draft again and every answer is back.
Changes to values under "Already filled" go with your next send; moving through the form
never sends anything.

## Keys

| key | does |
| --- | --- |
| Tab / Shift+Tab | next / previous question |
| Enter | next question (in a pick list: toggle, or add what you typed) |
| Down / Up | into / out of a pick list's options |
| Space | toggle the highlighted option |
| Backspace | in an empty pick-list filter: remove the last choice |
| ctrl+s | send answers (start screen: create the draft) |
| ctrl+r | review and publish |
| ctrl+j | the checklist: Enter jumps to a question |
| ctrl+l | request log: every request and response, token redacted |
| ctrl+p | command palette: send, publish, jump to a question, theme |
| F1 | this help |
| Escape | back (typed answers are kept) |
| Delete | start screen: hide the highlighted draft from the list |
| ctrl+q | quit (asks first when answers are unsent, and says how to come back) |
| F2 / F4 | start / close the guided first run (ctrl+p, Guided first run: any time) |

## Sandbox

With no token configured the wizard runs on a built-in sandbox of the OpenTrain API:
nothing is published. Set `OT_API_TOKEN` (or log in with OpenTrain's CLI) to use the
real API.
"""


class HelpScreen(ModalScreen[None]):
    """The help text; any of Escape, F1 or q closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("f1", "close", "Close", show=False, id="help.close-f1"),
        Binding("q", "close", "Close", show=False, id="help.close-q"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP_TEXT, id="help-text")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
