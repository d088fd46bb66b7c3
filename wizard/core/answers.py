"""Answers files for ``fill``: JSON (or TOML) keyed by update key or by field name."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from wizard.core.fields import FieldSpec


class AnswersFileError(ValueError):
    """The answers file cannot be read; the message is one sentence."""


def load_answers(path: Path) -> dict[str, Any]:
    """Read an answers file: a JSON object (``.toml`` files as TOML), or ``-`` for stdin."""
    try:
        if str(path) == "-":
            import sys

            text = sys.stdin.read()
        else:
            text = path.read_text(encoding="utf-8-sig")  # a BOM (Windows editors) is fine
    except FileNotFoundError:
        raise AnswersFileError(f"Answers file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise AnswersFileError(f"Cannot read answers file {path}: {err}.") from None
    if path.suffix.lower() == ".toml":
        try:
            data: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise AnswersFileError(f"Answers file {path} is not valid TOML: {err}.") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise AnswersFileError(
                f"Answers file {path} is not valid JSON (line {err.lineno}: {err.msg})."
            ) from None
    if not isinstance(data, dict):
        raise AnswersFileError(f"Answers file {path} must hold one JSON object of key: value.")
    return data


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
