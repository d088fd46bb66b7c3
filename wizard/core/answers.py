"""Answers files for ``fill``: JSON (or TOML) keyed by update key or by field name.

A file is local input, so every way it can be malformed is one sentence (exit 2), never
a traceback: it is read with a size cap, numbers with more digits than any answer needs
are refused before Python's int-conversion limit raises, and nesting is bounded both
while parsing (``RecursionError``) and after. ``check_answers`` coerces every value the
file gives for a key the wizard knows, before the first write, so a bad value never
leaves a half-made draft behind.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.core.fields import AnswerError, FieldSpec, build_part
from wizard.core.keys import (
    DOCUMENTED_ENUMS,
    KEY_LABELS,
    LIST_KEYS,
    NUMBER_KEYS,
    TEXT_KEYS,
)

if TYPE_CHECKING:
    from wizard.api.opentrain.models import Capabilities
    from wizard.core.options import OptionCatalog

MAX_ANSWERS_BYTES = 1024 * 1024
"""An answers file holds a few dozen short values; a mebibyte is far beyond any real one."""
MAX_DEPTH = 16
"""A compound question nests two levels (field → key → list); anything deeper is a mistake."""
MAX_DIGITS = 64
"""No rate, count or volume needs more digits; Python refuses ints past 4,300 anyway."""


class AnswersFileError(ValueError):
    """The answers file cannot be read; the message is one sentence."""


def load_answers(path: Path) -> dict[str, Any]:
    """Read an answers file: a JSON object (``.toml`` files as TOML), or ``-`` for stdin."""
    raw = _read_capped(path)
    try:
        text = raw.decode("utf-8-sig")  # a BOM (Windows editors) is fine
    except UnicodeDecodeError as err:
        raise AnswersFileError(
            f"Cannot read answers file {path}: it is not UTF-8 text (byte {err.start})."
        ) from None
    try:
        data = _parse(path, text)
    except RecursionError:
        raise AnswersFileError(
            f"Answers file {path} is nested too deeply (at most {MAX_DEPTH} levels)."
        ) from None
    if not isinstance(data, dict):
        raise AnswersFileError(f"Answers file {path} must hold one JSON object of key: value.")
    if _depth(data) > MAX_DEPTH:
        raise AnswersFileError(
            f"Answers file {path} is nested too deeply (at most {MAX_DEPTH} levels)."
        )
    return data


def _read_capped(path: Path) -> bytes:
    """The file's bytes, refusing (not truncating) anything over the cap."""
    try:
        if str(path) == "-":
            stream = getattr(sys.stdin, "buffer", None)
            raw: bytes | str = (
                stream.read(MAX_ANSWERS_BYTES + 1)
                if stream is not None
                else sys.stdin.read(MAX_ANSWERS_BYTES + 1)
            )
            data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw
        else:
            with path.open("rb") as handle:
                data = handle.read(MAX_ANSWERS_BYTES + 1)
    except FileNotFoundError:
        raise AnswersFileError(f"Answers file {path} does not exist.") from None
    except OSError as err:
        raise AnswersFileError(f"Cannot read answers file {path}: {err.strerror or err}.") from None
    if len(data) > MAX_ANSWERS_BYTES:
        raise AnswersFileError(
            f"Answers file {path} is larger than {MAX_ANSWERS_BYTES // 1024} KiB; "
            "an answers file holds a few short values."
        )
    return data


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _TooManyDigits
    return int(text)


class _TooManyDigits(ValueError):
    pass


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise AnswersFileError(f"Answers file {path} is not valid TOML: {err}.") from None
        except ValueError:  # an integer past Python's digit limit
            raise AnswersFileError(_digits_message(path)) from None
    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as err:
        raise AnswersFileError(
            f"Answers file {path} is not valid JSON (line {err.lineno}: {err.msg})."
        ) from None
    except ValueError:  # _TooManyDigits, or the interpreter's own int limit
        raise AnswersFileError(_digits_message(path)) from None


def _digits_message(path: Path) -> str:
    return f"Answers file {path} holds a number with more than {MAX_DIGITS} digits."


def _depth(value: Any) -> int:
    """How deeply a parsed value nests (iteratively, so no depth can overflow the stack)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


# ---- checking values before anything is written -------------------------------------------


def known_keys(capabilities: Capabilities | None = None) -> frozenset[str]:
    """Update keys whose type the wizard knows (unknown keys are left to the server)."""
    keys = set(KEY_LABELS) | NUMBER_KEYS | LIST_KEYS | TEXT_KEYS | set(DOCUMENTED_ENUMS)
    if capabilities is not None:
        keys.update(capabilities.draft.update_keys)
        keys.update(capabilities.draft.enums.extra)
    return frozenset(keys)


def check_answers(
    answers: dict[str, Any],
    *,
    capabilities: Capabilities | None = None,
    catalog: OptionCatalog | None = None,
) -> dict[str, str]:
    """Every answer that cannot be coerced for the key it answers: ``{key: sentence}``.

    Run before the draft is created, so a file that would fail in a later round fails
    now and a rerun never duplicates the draft. Each known update key is coerced the way
    its question would coerce it (``build_part``; the enums from capabilities, else the
    documented ones); a field name holding an object (a compound question) has each of
    its known keys checked. Unknown keys are left alone: only the server knows them.
    Limits stated only in a question's text (a rate's floor) are checked when asked.
    """
    known = known_keys(capabilities)
    errors: dict[str, str] = {}

    def check(key: str, shown: str, value: Any) -> None:
        if key not in known:
            return
        part = build_part(key, capabilities=capabilities, catalog=catalog)
        try:
            part.coerce(value)
        except AnswerError as err:
            errors[shown] = str(err)

    for key, value in answers.items():
        if isinstance(value, dict) and any(k in known for k in value):
            for inner, inner_value in value.items():
                check(inner, f"{key}.{inner}", inner_value)
        else:
            check(key, key, value)
    return errors


def answers_for(spec: FieldSpec, answers: dict[str, Any]) -> dict[str, Any] | None:
    """The file's answers for one question, by update key; None unless every key is covered.

    A question is matched by each of its update keys, or by its field name (a compound
    question's field may map to an object holding its keys).
    """
    found: dict[str, Any] = {}
    raw_nested = answers.get(spec.field)
    nested = (
        raw_nested
        if isinstance(raw_nested, dict) and any(key in raw_nested for key in spec.keys)
        else None
    )
    for key in spec.keys:
        if nested is not None and key in nested:
            found[key] = nested[key]
        elif key in answers and not (nested is not None and key == spec.field):
            found[key] = answers[key]
        elif (
            key == spec.keys[0]
            and spec.field not in spec.keys  # else the field's answer is its own key's
            and nested is None
            and spec.field in answers
        ):
            found[key] = answers[spec.field]
    if len(found) != len(spec.keys):
        return None
    return found
