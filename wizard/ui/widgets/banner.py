"""Banners: the sandbox notice, and a problem line for errors that name no field."""

from __future__ import annotations

from textual.widgets import Static

SANDBOX_TEXT = "SANDBOX · nothing you do here is published · set OT_API_TOKEN for the real API"


class SandboxBanner(Static):
    """Shown on every screen in sandbox mode."""

    DEFAULT_CSS = """
    SandboxBanner {
        dock: top; height: 1; width: 100%;
        background: $warning 40%; color: $text; text-align: center; text-style: bold;
    }
    """

    def __init__(self) -> None:
        super().__init__(SANDBOX_TEXT, id="sandbox-banner", markup=False)


class ProblemBanner(Static):
    """One banner for problems that belong to no field; hidden when empty."""

    DEFAULT_CSS = """
    ProblemBanner {
        height: auto; width: 100%; padding: 0 1; display: none;
        background: $error 25%; color: $text; border-left: thick $error;
        &.-info { background: $primary 20%; border-left: thick $primary; }
        &.-success { background: $success 20%; border-left: thick $success; }
        &.-shown { display: block; }
    }
    """

    def __init__(self, *, id: str = "banner") -> None:
        super().__init__("", id=id, markup=False)
        self._shown: tuple[str, str] = ("", "")

    def show(self, text: str | None, *, kind: str = "error") -> None:
        """Show one message (or hide the banner with None); the same message costs nothing."""
        if (text or "", kind) == self._shown:
            return
        self._shown = (text or "", kind)
        self.update(text or "")
        self.set_class(bool(text), "-shown")
        self.set_class(kind == "info", "-info")
        self.set_class(kind == "success", "-success")

    @property
    def text(self) -> str:
        """What the banner says now."""
        return str(self.render()) if self.has_class("-shown") else ""
