"""The account banner: what the token and account allow, told before the first question.

One line per sentence of the account standing (``wizard.core.account``): a token that
cannot write drafts, drafting or publishing off for the account, an unclaimed account and
its daily allowance. Hidden when there is nothing to say. Server text (a claim link) is
shown as text, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from wizard.core.account import AccountStanding


class AccountBanner(Static):
    """The account standing's sentences; problems in the error colour, notes in the info one."""

    DEFAULT_CSS = """
    AccountBanner {
        height: auto; width: 100%; padding: 0 1; display: none;
        background: $primary 20%; color: $text; border-left: thick $primary;
        &.-problem { background: $warning 25%; border-left: thick $warning; }
        &.-shown { display: block; }
    }
    """

    def __init__(self) -> None:
        super().__init__("", id="account-banner", markup=False)

    def show(self, standing: AccountStanding | None) -> None:
        """Show the standing's sentences (hidden when there are none)."""
        sentences = standing.sentences if standing is not None else []
        self.update("\n".join(sentences))
        self.set_class(bool(sentences), "-shown")
        problem = standing is not None and not (standing.can_draft and standing.can_publish)
        self.set_class(problem, "-problem")

    @property
    def text(self) -> str:
        """What the banner says now."""
        return str(self.render()) if self.has_class("-shown") else ""
