"""Command-palette entries that jump to a question, with server text kept literal.

Textual's system commands read their titles and help as markup, so a label such as
``[@click=app.quit]…[/]`` from a server would become a live action there. This
provider builds its prompts as ``rich.text.Text``, which the palette shows verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Protocol, runtime_checkable

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider


@runtime_checkable
class Jumpable(Protocol):
    """A screen that lists its questions and can jump to one."""

    def jump_targets(self) -> Iterable[tuple[str, str, str]]:
        """``(field, label, prompt)`` for each question."""
        ...

    def jump_to(self, field: str) -> None:
        """Focus a question."""
        ...


def _prompt(label: str, prompt: str, matched: Iterable[int] = ()) -> Text:
    text = Text(f"Jump to: {label}")
    offset = len("Jump to: ")
    for index in matched:
        text.stylize("bold underline", offset + index, offset + index + 1)
    if prompt:
        text.append("\n" + prompt, style="dim")
    return text


class JumpCommands(Provider):
    """One "Jump to: <question>" command per question on the form."""

    def _targets(self) -> list[tuple[str, str, str, Callable[[], None]]]:
        screen = self.screen
        if not isinstance(screen, Jumpable):
            return []
        return [
            (field, label, prompt, partial(screen.jump_to, field))
            for field, label, prompt in screen.jump_targets()
        ]

    async def discover(self) -> Hits:
        """Every question, when nothing is typed yet."""
        for _field, label, prompt, callback in self._targets():
            yield DiscoveryHit(_prompt(label, prompt), callback, text=f"Jump to: {label}")

    async def search(self, query: str) -> Hits:
        """Questions whose label matches what is typed."""
        matcher = self.matcher(query)
        for _field, label, prompt, callback in self._targets():
            score = matcher.match(label)
            if score > 0:
                _, offsets = matcher.fuzzy_search.match(query, label)
                yield Hit(
                    score, _prompt(label, prompt, offsets), callback, text=f"Jump to: {label}"
                )
