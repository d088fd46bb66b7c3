"""Add a detail: the keys the server accepts (``draft.updateKeys``) that it did not ask for.

A recruiter may want to say more than the server requires: label types, the data type,
the subject matter, a budget range, visibility. Each key gets the widget its type calls
for, and, like a change under "Already filled", what is typed goes with the next send
(ctrl+s) in the same single PATCH. Once the server holds a value, the key moves to
"Already filled". Ids are ``add-value-<key>`` (editor) and ``add-row-<key>`` (row).
"""

from __future__ import annotations

from wizard.ui.widgets.parsed_values import ParsedValues


class AddDetail(ParsedValues):
    """Optional details the draft has no value for yet, each editable; built when opened."""

    WIDGET_ID = "add-detail"
    ROW_PREFIX = "add-"
    pending_note = "Added: sent with your next send (ctrl+s)."

    def keys(self) -> list[str]:
        """Keys the server accepts, not asked and not yet set."""
        return self.model.addable_keys

    @staticmethod
    def _heading(count: int) -> str:
        return f"Add a detail ({count} more the server accepts): goes with your next send"
