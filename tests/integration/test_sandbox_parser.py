"""What the sandbox's description parser pulls out of free text, one extraction at a time."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.sandbox.fields import validate_update
from wizard.sandbox.parser import parse_description
from wizard.sandbox.readiness import evaluate


def fields_of(text: str) -> dict[str, Any]:
    return parse_description(text).fields


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pay is $18/hour.", {"paymentType": "PAY_PER_HOUR", "pricePerHour": 18}),
        ("We pay 18 USD per hour.", {"paymentType": "PAY_PER_HOUR", "pricePerHour": 18}),
        ("$22.50 an hour", {"paymentType": "PAY_PER_HOUR", "pricePerHour": 22.5}),
        ("Hourly rate of $30", {"paymentType": "PAY_PER_HOUR", "pricePerHour": 30}),
        ("$0.05 per label", {"paymentType": "PAY_PER_LABEL", "pricePerLabel": 0.05}),
        ("$0.08/annotation", {"paymentType": "PAY_PER_LABEL", "pricePerLabel": 0.08}),
        ("5 cents per image", {"paymentType": "PAY_PER_LABEL", "pricePerLabel": 0.05}),
        ("a fixed price of $1,200", {"paymentType": "FIXED_PRICE", "fixedPrice": 1200}),
        ("$1200 total", {"paymentType": "FIXED_PRICE", "fixedPrice": 1200}),
        ("Budget: $2.5k", {"paymentType": "FIXED_PRICE", "fixedPrice": 2500}),
        ("Hourly pay, rate to be agreed.", {"paymentType": "PAY_PER_HOUR"}),
        ("This is a fixed-price project.", {"paymentType": "FIXED_PRICE"}),
    ],
)
def test_payment_type_and_rate(text: str, expected: dict[str, Any]) -> None:
    found = fields_of(text)
    assert {
        k: found.get(k)
        for k in ("paymentType", "pricePerHour", "pricePerLabel", "fixedPrice")
        if k in found
    } == expected


def test_a_range_uses_its_lower_bound_and_says_so() -> None:
    result = parse_description("Pay: $18-25/hour")
    assert result.fields["pricePerHour"] == 18
    assert [w["code"] for w in result.warnings] == ["RATE_RANGE", "DESCRIPTION_SHORT"]
    assert {
        "field": "pricePerHour",
        "value": 18,
        "reason": "Lower bound of a range.",
    } in result.low_confidence


def test_a_rate_in_another_currency_is_unmapped() -> None:
    result = parse_description("Reviewers earn €20 per hour.")
    assert "pricePerHour" not in result.fields
    assert result.fields["paymentType"] == "PAY_PER_HOUR"
    assert result.unmapped == [
        {
            "path": "rawJobDescription",
            "reason": "Rates are stored in USD; this one is in another currency.",
            "valuePreview": "€20 per hour",
        }
    ]


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("Annotators must read English.", ["English"]),
        ("Spanish, French and German speakers", ["Spanish", "French", "German"]),
        ("Fluent Farsi or Mandarin Chinese", ["Persian", "Mandarin"]),
        ("No language requirement.", None),
    ],
)
def test_languages(text: str, languages: list[str] | None) -> None:
    assert fields_of(text).get("languages") == languages


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("Based in the US or Canada", ["US", "CA"]),
        ("Open to the UK, Germany and the Philippines", ["GB", "DE", "PH"]),
        ("Workers from India, Kenya, Nigeria.", ["IN", "KE", "NG"]),
        ("USA only", ["US"]),
        ("Contact us in Indiana or New Jersey", None),
    ],
)
def test_countries(text: str, countries: list[str] | None) -> None:
    assert fields_of(text).get("countries") == countries


@pytest.mark.parametrize(
    ("text", "headcount"),
    [
        ("We need 10 annotators.", 10),
        ("Looking to hire 5 people for this.", 5),
        ("Hiring twelve native Spanish speakers", 12),
        ("A team of 3 will review.", 3),
        ("Headcount: 40", 40),
        ("We need 2,000 annotators.", None),
        ("Annotate 20,000 images.", None),
    ],
)
def test_headcount(text: str, headcount: int | None) -> None:
    assert fields_of(text).get("headcount") == headcount


def test_an_impossible_headcount_is_unmapped() -> None:
    result = parse_description("We need 2,000 annotators.")
    assert result.unmapped[0]["reason"] == "A headcount must be between 1 and 500."


@pytest.mark.parametrize(
    ("text", "volume", "unit"),
    [
        ("Label 20,000 images of shelves.", 20000, "NUMBER_OF_FILES"),
        ("About 3,500 product photos", 3500, "NUMBER_OF_FILES"),
        ("Transcribe 500 hours of audio.", 500, "HOURS_OF_RECORDING_AUDIO_VIDEO"),
        ("120 hours of call-centre recordings", 120, "HOURS_OF_RECORDING_AUDIO_VIDEO"),
        ("Translate 1M words.", 1_000_000, "NUMBER_OF_WORDS"),
        ("Roughly 250k tokens of chat logs", 250_000, "NUMBER_OF_WORDS"),
        ("Rate 20,000 samples.", 20000, None),
        ("A dataset of 8,000 for review.", 8000, None),
        ("10 annotators label images at $5 per 1,000 images", None, None),
        ("Work 40 hours per week.", None, None),
    ],
)
def test_data_volume_and_unit(text: str, volume: int | None, unit: str | None) -> None:
    found = fields_of(text)
    assert found.get("dataVolume") == volume
    assert found.get("dataVolumeUnit") == unit


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Entry-level welcome.", "ENTRY_LEVEL"),
        ("entry level, we train you", "ENTRY_LEVEL"),
        ("No prior experience required", "ENTRY_LEVEL"),
        ("Intermediate annotators", "INTERMEDIATE"),
        ("Medical experts only", "EXPERT"),
        ("Senior linguists", "EXPERT"),
        ("Open to all experience levels", "ANY_EXPERIENCE_LEVEL"),
        ("Annotate images.", None),
    ],
)
def test_experience_level(text: str, level: str | None) -> None:
    assert fields_of(text).get("experienceLevel") == level


def test_inferred_experience_is_flagged_low_confidence() -> None:
    result = parse_description("Senior linguists wanted")
    assert result.low_confidence == [
        {
            "field": "experienceLevel",
            "value": "EXPERT",
            "reason": "Inferred from the wording of the description.",
        }
    ]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Bounding box annotation\nDraw boxes around cars.", "Bounding box annotation"),
        ("# Speech tagging:\n\nTag speech.", "Speech tagging"),
        ("We need help.\nTitle: Receipt review\nMore text.", "Receipt review"),
        ("Just one line describing the job.", None),
        ("x" * 101 + "\nsecond line", None),
    ],
)
def test_title_is_a_short_first_line_or_an_explicit_title(text: str, title: str | None) -> None:
    assert fields_of(text).get("jobTitle") == title


def test_description_is_the_whole_text_and_extras_are_found() -> None:
    text = (
        "Shelf boxes\nDraw bounding boxes in CVAT or Label Studio over 2,000 images, English, US."
    )
    found = fields_of(text)
    assert found["jobDescription"] == text
    assert found["labelTypes"] == ["Bounding Box"]
    assert found["labelingSoftware"] == "CVAT, Label Studio"
    assert found["dataType"] == "Image"


def test_an_overview_line_becomes_the_labeling_overview() -> None:
    found = fields_of("OCR review\nOverview: correct OCR errors in each receipt line.")
    assert found["labelingOverview"] == "correct OCR errors in each receipt line."


def test_a_long_description_needs_no_overview() -> None:
    short = evaluate(fields_of("Short job\nLabel cats."))
    long = evaluate(fields_of("Long job\n" + "Label cats in photos carefully. " * 10))
    assert "labelingOverview" in [m.field for m in short.missing]
    assert "labelingOverview" not in [m.field for m in long.missing]


def test_everything_the_parser_finds_passes_the_patch_schema() -> None:
    text = (
        "Bounding box annotation\nWe need 10 annotators for 20,000 images at $18/hour, English,"
        " US or Canada, entry-level, in CVAT."
    )
    values, issues = validate_update(fields_of(text))
    assert issues == []
    assert values["countries"] == ["US", "CA"]


def test_parsing_the_maximum_length_is_quick() -> None:
    import time

    text = ("Title\n" + "Annotate 20,000 images in English for $18/hour in the US. " * 1100)[
        :60_000
    ]
    started = time.perf_counter()
    parse_description(text)
    assert time.perf_counter() - started < 1.0
