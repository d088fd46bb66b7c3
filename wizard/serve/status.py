"""The facilitator's status page: who is connected, who is away, how far each got."""

from __future__ import annotations

import html
import time
from typing import Any

from wizard.serve.participants import Participant, Room


def state_of(participant: Participant, grace_seconds: float) -> str:
    """not started, connected, away (with the minutes it is kept), or ended."""
    if participant.app is None:
        return "not started"
    if participant.live and participant.connected:
        return "connected"
    if participant.live and participant.away_since is not None:
        left = max(0.0, grace_seconds - (time.time() - participant.away_since))
        return f"away (kept {left / 60:.0f} more min)"
    return "ended"


def rows(room: Room) -> list[dict[str, Any]]:
    """The table's data, also served as JSON."""
    return [
        {
            "participant": participant.number,
            "state": state_of(participant, room.grace_seconds),
            "drafts": participant.progress.drafts,
            "rounds": participant.progress.rounds,
            "left": participant.progress.left,
            "published": participant.progress.published > 0,
        }
        for participant in room
    ]


def page(room: Room) -> str:
    """The HTML page; it refreshes itself every 5 seconds."""
    body = []
    for row in rows(room):
        left = "" if row["left"] is None else str(row["left"])
        cells = (
            row["participant"],
            row["state"],
            row["drafts"],
            row["rounds"],
            left,
            "yes" if row["published"] else "no",
        )
        body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    live = room.live_count()
    table = "\n".join(body) or '<tr><td colspan="6">Nobody has joined yet.</td></tr>'
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>draft-wizard room</title>
<style>body{{font-family:sans-serif;margin:2em}}td,th{{padding:.3em 1em;text-align:left}}</style>
</head><body>
<h1>Room</h1>
<p>{live} of {room.max_participants} places in use.</p>
<table><thead><tr><th>Participant</th><th>State</th><th>Drafts</th><th>Rounds sent</th>
<th>Questions left</th><th>Published</th></tr></thead>
<tbody>
{table}
</tbody></table></body></html>
"""
