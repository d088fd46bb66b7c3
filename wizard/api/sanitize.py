"""Server text is data: the one place where what a server sends becomes safe to show.

Every reply body either API client reads goes through :func:`decode_json`, which parses
it and walks the result once, before any model or error sees it. Each string in it
(values and dict keys, at any depth) is passed through :func:`clean_text` and then has
every secret (the token, the Recruitsome key; see :data:`MIN_SECRET_LENGTH`) replaced
by :data:`REDACTED`:

- terminal escape sequences (CSI, OSC such as the clipboard-writing OSC 52 or the link-
  planting OSC 8, DCS/APC strings, two-character escapes) are dropped with their payload;
- the control characters left over are removed: C0 except tab and newline, DEL, and C1
  (U+0080-U+009F, which some terminals honour as escapes of their own);
- lone surrogates (a JSON ``"\\ud800"`` decodes to one) become U+FFFD, so printing the
  text can never raise ``UnicodeEncodeError``.

Redaction runs before and after cleaning, so a token split by a control character is
still found.
Other layers may import :func:`clean_text` for strings that do not come from the API
(an answers file, a journal row) but are printed all the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

REDACTED = "«redacted»"
"""What a secret is replaced with wherever it appears."""

MIN_SECRET_LENGTH = 8
"""Shorter secrets are not searched for in reply data: replacing every ``t`` of a reply
for a test token ``"t"`` would wreck it, and no real token or key is that short."""

MAX_DEPTH = 64
"""Deepest nesting of a reply that is read; real replies stay under ten levels."""

# A quick test first: most strings hold nothing to clean and are returned as they are.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# Escape sequences, dropped whole so their payload (a title, clipboard data, a link
# target) is not left behind as stray text. ST is ESC \ or U+009C; BEL ends OSC too.
_SEQUENCE = re.compile(
    r"""
      (?:\x1b\]|\x9d) [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)?   # OSC ... BEL/ST
    | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]) [^\x1b\x9c]* (?:\x1b\\|\x9c)?   # DCS/SOS/PM/APC
    | (?:\x1b\[|\x9b) [0-?]* [\x20-/]* [@-~]?                # CSI ... final byte
    | \x1b [\x20-/]* [0-~]?                                  # ESC c, ESC 7, ESC ( B, ...
    """,
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class UnreadableReply(ValueError):
    """A reply body that cannot be read as JSON; ``reason`` completes "… sent <reason>"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean_text(text: str) -> str:
    """``text`` without escape sequences, control characters (tab and newline stay) or
    lone surrogates, so it can be shown or printed as plain text."""
    if not _UNSAFE.search(text):
        return text
    text = _SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret in ``text`` with :data:`REDACTED`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """One server string made safe to show: :func:`redact`, :func:`clean_text`, and
    :func:`redact` again (a token split by a control character is whole once cleaned;
    redacting first keeps an escape sequence from eating a token's first characters)."""
    secrets = list(secrets)
    return redact(clean_text(redact(text, secrets)), secrets)


def clean_json(value: Any, secrets: Iterable[str] = ()) -> Any:
    """A decoded JSON value with every string in it (dict keys too) scrubbed.

    Raises:
        UnreadableReply: the value is nested more than :data:`MAX_DEPTH` levels deep.
    """
    found = [secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH]
    return _walk(value, found, 0)


def _walk(value: Any, secrets: list[str], depth: int) -> Any:
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, dict | list):
        # Bounded here so nothing downstream (models, json.dumps of details) recurses
        # deeper than this either.
        if depth >= MAX_DEPTH:
            raise UnreadableReply(f"a reply nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, list):
            return [_walk(item, secrets, depth + 1) for item in value]
        return {
            scrub(str(key), secrets): _walk(item, secrets, depth + 1) for key, item in value.items()
        }
    return value


def decode_json(content: bytes | str, secrets: Iterable[str] = ()) -> Any:
    """Parse a reply body and scrub every string in it: the one way server JSON is read.

    Raises:
        UnreadableReply: the body is empty, not JSON, not valid text, or nested too
            deeply; ``reason`` says which, in words.
    """
    if not content:
        raise UnreadableReply("an empty reply")
    try:
        value = json.loads(content)
    except UnicodeDecodeError:
        raise UnreadableReply("a reply that is not valid UTF-8 text") from None
    except RecursionError:
        # json.loads gives up on very deep nesting by raising RecursionError.
        raise UnreadableReply(f"a reply nested more than {MAX_DEPTH} levels deep") from None
    except ValueError:
        raise UnreadableReply("a reply that is not JSON") from None
    return clean_json(value, secrets)
