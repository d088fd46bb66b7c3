"""The description a new draft starts from, read from ``--description`` or a file.

Refused here, before anything is sent, when the API would refuse it or it is not text:
one sentence, never a traceback.
"""

from __future__ import annotations

import argparse
import codecs
from pathlib import Path

MAX_DESCRIPTION_CHARS = 60_000
"""The API's limit for a description; a longer one is refused here, before sending."""
# UTF-8 needs at most 4 bytes a character: reading this much decides the length
# question for any file, and ends at once on /dev/zero or a multi-gigabyte log.
_MAX_DESCRIPTION_BYTES = 4 * MAX_DESCRIPTION_CHARS + 4
# Tab, newline, carriage return and form feed are text; other C0 controls (NUL above
# all) mean a binary file, or terminal escapes pasted with the text.
_BINARY = frozenset(chr(c) for c in range(32)) - set("\t\n\r\f")


class DescriptionError(ValueError):
    """A description that cannot be sent; the message is one sentence."""


def check_description(text: str, source: str) -> str:
    """Refuse a description the API would refuse, or that is not text; returns it.

    Raises:
        DescriptionError: empty, over the API's 60,000 characters, or holding control
            characters or undecodable bytes (a binary file).
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in argv arrive as lone surrogates
        raise DescriptionError(f"{source} is not valid UTF-8 text.") from None
    if not text.strip():
        raise DescriptionError(f"{source} is empty.")
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise DescriptionError(
            f"{source} is longer than the API's limit of {MAX_DESCRIPTION_CHARS:,} characters "
            "for a description; shorten it."
        )
    for index, char in enumerate(text):
        if char in _BINARY:
            raise DescriptionError(
                f"{source} holds a control character (U+{ord(char):04X} at character "
                f"{index + 1}); give a plain text file."
            )
    return text


def read_description_file(path: Path) -> str:
    """Read a description file with a size cap (never forever), refusing non-text.

    Raises:
        DescriptionError: unreadable, not UTF-8, binary, empty, or too long.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_DESCRIPTION_BYTES + 1)
    except OSError as err:
        raise DescriptionError(f"Cannot read {path}: {err.strerror or err}.") from None
    if len(raw) > _MAX_DESCRIPTION_BYTES:
        # Too long whatever it holds; but /dev/zero or an image is "not text", not "long".
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        head = decoder.decode(raw[:4096])  # a character cut at the end is held back
        if "\ufffd" not in head and not _BINARY.intersection(head):
            raise DescriptionError(
                f"{path} is longer than the API's limit of {MAX_DESCRIPTION_CHARS:,} "
                "characters for a description; shorten it."
            )
        raise DescriptionError(f"{path} is not a text file; give a plain text file.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DescriptionError(
            f"{path} is not UTF-8 text (byte {err.start}); give a plain text file."
        ) from None
    return check_description(text, str(path))


def description_from_args(args: argparse.Namespace) -> str | None:
    """The description given on the command line, if any.

    Raises:
        DescriptionError: as ``read_description_file`` and ``check_description``.
    """
    if getattr(args, "description_file", None) is not None:
        return read_description_file(args.description_file)
    description = getattr(args, "description", None)
    if description is None:
        return None
    return check_description(description, "--description")


def read_description(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str | None:
    """The description, or the usage error the parser prints (exit 2)."""
    try:
        return description_from_args(args)
    except DescriptionError as err:
        parser.error(str(err))
