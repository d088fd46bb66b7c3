"""What the screens say to the app: its messages, and the key that sends one."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

POST_LIVE_BINDING = Binding("l", "post_live", "Post for real", id="post-live")
"""The key on the review and result screens (sandbox runs only): sends ``PostForReal``."""


@dataclass
class PostForReal(Message):
    """Create this practice draft again on the real API, with its answers."""

    practice_job_id: str
