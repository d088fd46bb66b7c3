"""The request log: each exchange's method, path, status, time and requestId, with bodies.

The token never reaches this screen: the client redacts it before an exchange is
recorded.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from wizard.api.transport import Exchange


def _detail(exchange: Exchange) -> str:
    lines = [f"{exchange.method} {exchange.path}  (attempt {exchange.attempt})"]
    for name, value in exchange.headers.items():
        lines.append(f"{name}: {value}")
    if exchange.request_id:
        lines.append(f"requestId: {exchange.request_id}")
    if exchange.error:
        lines.append(f"problem: {exchange.error}")
    lines.append("")
    lines.append("request body:")
    lines.append(exchange.request_body or "(none)")
    lines.append("")
    lines.append("response body:")
    lines.append(exchange.response_body or "(none)")
    return "\n".join(lines)


class RequestLogScreen(ModalScreen[None]):
    """Every request this run made."""

    DEFAULT_CSS = """
    RequestLogScreen { align: center middle; }
    RequestLogScreen > Vertical {
        width: 95%; height: 90%; border: thick $primary; background: $surface;
    }
    RequestLogScreen DataTable { height: 40%; }
    RequestLogScreen #detail-scroll { height: 1fr; border-top: solid $panel; }
    RequestLogScreen #exchange-detail { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="log.close"),
        Binding("ctrl+l", "close", "Close", show=False, id="log.close-toggle"),
    ]

    def __init__(self, exchanges: Sequence[Exchange]) -> None:
        """Show ``exchanges`` (the app's record, which keeps growing while the log is open)."""
        super().__init__()
        self.exchanges = exchanges

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Requests, newest last · token redacted · Tab: details · Escape closes")
            yield DataTable(id="exchanges", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-scroll", can_focus=True):
                yield Static("", id="exchange-detail", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "method", "path", "status", "ms", "requestId")
        for exchange in self.exchanges:
            self.add_exchange(exchange)
        table.focus()
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)

    def add_exchange(self, exchange: Exchange) -> None:
        """Append one exchange to the table."""
        table = self.query_one(DataTable)
        status = str(exchange.status) if exchange.status is not None else "—"
        if exchange.status is None and exchange.error:
            status = "failed"
        table.add_row(
            str(table.row_count + 1),
            exchange.method,
            Text(exchange.path),
            status,
            f"{exchange.elapsed_ms:.0f}",
            exchange.request_id or "",
            key=str(id(exchange)),
        )

    @on(DataTable.RowHighlighted)
    def _show(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.exchanges):
            detail = _detail(self.exchanges[event.cursor_row])
            self.query_one("#exchange-detail", Static).update(detail)

    def action_close(self) -> None:
        """Close the log."""
        self.dismiss(None)
