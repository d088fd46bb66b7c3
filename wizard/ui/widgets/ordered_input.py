"""An ``Input`` that applies keys in the order they arrive, however fast they come.

Textual's ``Input`` inserts printable characters in its own key handler, but its
editing keys (Backspace, Delete, arrows, Home/End) are bindings, which run only after
the key event has bubbled up to the app. When several keys arrive in one write (a
paste, a slow SSH link, tmux ``send-keys``), the characters that follow a Backspace
are therefore inserted *before* it runs: ``80`` then ⌫⌫``500`` ends as ``5``.
Running the widget's own bindings from its key handler keeps the order.

It also repaints a keystroke without laying out the screen again: Textual's ``Input``
records the width of its text as its virtual size on every change, and that size is a
layout property, so each key re-arranged every widget on the screen (tens of
milliseconds on a form of many questions).
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input


class OrderedInput(Input):
    """An Input whose editing keys and typed characters are applied in arrival order."""

    async def _on_key(self, event: events.Key) -> None:
        bindings = self._bindings.key_to_bindings.get(event.key)
        if bindings and not event.is_printable:
            # Handle the binding here, in the widget's own queue, instead of letting the
            # key bubble to the app and come back after the keys queued behind it.
            if bindings[0].action == "copy" and not self.selected_text:
                # Ctrl+C with nothing to copy goes on up to the app, which says how to quit.
                await super()._on_key(event)
                return
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
            return
        await super()._on_key(event)

    def _watch_value(self, value: str) -> None:
        # The new width of the text, stored first without a refresh: the Input's own
        # watcher then finds it unchanged and asks for no layout. The width only bounds
        # horizontal scrolling inside this widget (``max_scroll_x``), which reads it
        # from here; nothing outside depends on it. A repaint shows the new text.
        self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)
        self.refresh()
