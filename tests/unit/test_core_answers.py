"""Answers files for ``fill``: JSON or TOML, and matching answers to questions."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from wizard.api.opentrain.models import MissingField
from wizard.core.answers import AnswersFileError, answers_for, load_answers
from wizard.core.fields import FieldSpec, build_spec


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def spec(field: str, keys: list[str] | None = None, **extra: Any) -> FieldSpec:
    data: dict[str, Any] = {"field": field, **extra}
    if keys is not None:
        data["updateKeys"] = keys
    return build_spec(MissingField.model_validate(data))


def one_sentence(message: str) -> bool:
    return "\n" not in message and message.endswith(".") and "Traceback" not in message


# ---- loading -------------------------------------------------------------------------------


def test_json_object(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", '{"pricePerLabel": "0.06", "languages": ["Spanish"]}')
    assert load_answers(path) == {"pricePerLabel": "0.06", "languages": ["Spanish"]}


def test_json_with_a_byte_order_mark(tmp_path: Path) -> None:
    # Editors on Windows write one; it must not make the file "invalid JSON".
    path = write(tmp_path, "a.json", b'\xef\xbb\xbf{"headcount": 3}')
    assert load_answers(path) == {"headcount": 3}


def test_any_other_suffix_is_read_as_json(tmp_path: Path) -> None:
    assert load_answers(write(tmp_path, "answers.txt", '{"a": 1}')) == {"a": 1}


def test_toml(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.toml",
        'experienceLevel = "INTERMEDIATE"\npricePerHour = 25\n\n'
        '[payRate]\npaymentType = "PAY_PER_HOUR"\n',
    )
    assert load_answers(path) == {
        "experienceLevel": "INTERMEDIATE",
        "pricePerHour": 25,
        "payRate": {"paymentType": "PAY_PER_HOUR"},
    }


def test_toml_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert load_answers(write(tmp_path, "A.TOML", "a = 1\n")) == {"a": 1}


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("bad.json", '{"a": 1,}', "is not valid JSON (line 1:"),
        ("bad.json", "", "is not valid JSON"),
        ("bad.json", "{\n  'single': 'quotes'\n}", "(line 2:"),
        ("bad.toml", "a = \n", "is not valid TOML"),
        ("list.json", "[1, 2]", "must hold one JSON object"),
        ("scalar.json", '"just text"', "must hold one JSON object"),
        ("null.json", "null", "must hold one JSON object"),
    ],
)
def test_unreadable_files_are_one_sentence(
    tmp_path: Path, name: str, text: str, fragment: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(AnswersFileError) as caught:
        load_answers(path)
    message = str(caught.value)
    assert fragment in message
    assert str(path) in message
    assert one_sentence(message), message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AnswersFileError) as caught:
        load_answers(tmp_path / "nope.json")
    assert str(caught.value) == f"Answers file {tmp_path / 'nope.json'} does not exist."


def test_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(AnswersFileError) as caught:
        load_answers(write(tmp_path, "latin.json", b'{"a": "\xe9"}'))
    assert str(caught.value).startswith("Cannot read answers file")


def test_a_directory(tmp_path: Path) -> None:
    with pytest.raises(AnswersFileError, match="Cannot read answers file"):
        load_answers(tmp_path)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"jobTitle": "From stdin"}'))
    assert load_answers(Path("-")) == {"jobTitle": "From stdin"}


# ---- matching answers to questions ---------------------------------------------------------


def test_by_update_key() -> None:
    assert answers_for(spec("pricePerHour"), {"pricePerHour": 25, "other": 1}) == {
        "pricePerHour": 25
    }


def test_by_field_name_for_a_single_key_question() -> None:
    question = spec("payRate", ["pricePerHour"])
    assert answers_for(question, {"payRate": 25}) == {"pricePerHour": 25}


def test_uncovered_question_is_none() -> None:
    assert answers_for(spec("headcount"), {"pricePerHour": 25}) is None


def test_compound_by_update_keys() -> None:
    question = spec("pricePerLabel", ["paymentType", "pricePerLabel"])
    answers = {"paymentType": "PAY_PER_LABEL", "pricePerLabel": 0.06}
    assert answers_for(question, answers) == answers


def test_compound_needs_every_key() -> None:
    question = spec("pricePerLabel", ["paymentType", "pricePerLabel"])
    assert answers_for(question, {"pricePerLabel": 0.06}) is None


def test_compound_as_a_nested_object_under_its_field() -> None:
    question = spec("payRate", ["paymentType", "pricePerHour"])
    answers = {"payRate": {"paymentType": "PAY_PER_HOUR", "pricePerHour": 25}}
    assert answers_for(question, answers) == {"paymentType": "PAY_PER_HOUR", "pricePerHour": 25}


def test_nested_object_under_a_field_that_is_also_one_of_its_keys() -> None:
    # §2.2 #6: the field is often the rate key itself, and its gap needs paymentType too.
    question = spec("pricePerLabel", ["paymentType", "pricePerLabel"])
    answers = {"pricePerLabel": {"paymentType": "PAY_PER_LABEL", "pricePerLabel": 0.06}}
    assert answers_for(question, answers) == {"paymentType": "PAY_PER_LABEL", "pricePerLabel": 0.06}


def test_nested_object_mixed_with_a_top_level_key() -> None:
    question = spec("payRate", ["paymentType", "pricePerHour"])
    answers = {"paymentType": "PAY_PER_HOUR", "payRate": {"pricePerHour": 25}}
    assert answers_for(question, answers) == {"paymentType": "PAY_PER_HOUR", "pricePerHour": 25}


def test_a_scalar_under_a_compound_field_answers_its_first_key_only() -> None:
    question = spec("payRate", ["pricePerHour", "paymentType"])
    assert answers_for(question, {"payRate": 25}) is None
    assert answers_for(question, {"payRate": 25, "paymentType": "PAY_PER_HOUR"}) == {
        "pricePerHour": 25,
        "paymentType": "PAY_PER_HOUR",
    }


def test_values_are_passed_raw_coercion_happens_later() -> None:
    assert answers_for(spec("languages"), {"languages": "Spanish"}) == {"languages": "Spanish"}
    assert answers_for(spec("headcount"), {"headcount": None}) == {"headcount": None}
