"""What the screens use of the running app, as a Protocol: its backend and how it connected.

Screens are handed an object of this shape when they are built (the app passes itself),
so no screen imports the app: the imports inside ``wizard.ui`` only go down
(app → screens → dialogs → widgets), and a screen can be read without the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from wizard.core.backend import Backend


class Services(Protocol):
    """The app's connection to the API, as the screens see it."""

    @property
    def sandbox(self) -> bool:
        """Whether this run talks to the embedded sandbox (a practice run)."""
        ...

    @property
    def backend(self) -> Backend | None:
        """The backend once connected (None before, or when connecting failed)."""
        ...

    @property
    def connect_error(self) -> str | None:
        """Why connecting failed, in one sentence, or None."""
        ...

    async def wait_backend(self) -> Backend | None:
        """The backend once connected, or None when connecting failed."""
        ...
