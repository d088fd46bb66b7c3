"""Words a recruiter uses: prices, plurals, natural choice order, plain server prose."""

from __future__ import annotations

import pytest

from wizard.api.opentrain.models import MissingField
from wizard.core.fields import build_spec, humanize_text
from wizard.core.keys import label_for_key
from wizard.core.wording import (
    adds_to,
    break_url,
    format_price,
    ordered_values,
    plain,
    plural,
)


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("pricePerHour", 18, "$18 / hour"),
        ("pricePerHour", 12.5, "$12.50 / hour"),
        ("pricePerLabel", 0.05, "$0.05 / label"),
        ("pricePerLabel", 0.005, "$0.005 / label"),
        ("fixedPrice", 500, "$500 fixed"),
        ("fixedPrice", 1200, "$1,200 fixed"),
        ("headcount", 5, None),
        ("pricePerHour", "18", None),
        ("pricePerHour", True, None),
    ],
)
def test_prices_read_as_a_recruiter_writes_them(key: str, value: object, shown: str) -> None:
    assert format_price(key, value) == shown


def test_plurals() -> None:
    assert plural(1, "draft") == "1 draft"
    assert plural(0, "draft") == "0 drafts"
    assert plural(3, "reply", "replies") == "3 replies"


def test_levels_in_a_natural_order_any_last() -> None:
    server = ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"]
    assert ordered_values("experienceLevel", server) == [
        "ENTRY_LEVEL",
        "INTERMEDIATE",
        "EXPERT",
        "ANY_EXPERIENCE_LEVEL",
    ]
    # A value we do not know keeps its place; catch-alls still go last.
    assert ordered_values("experienceLevel", ["ANY_EXPERIENCE_LEVEL", "GURU", "EXPERT"]) == [
        "EXPERT",
        "GURU",
        "ANY_EXPERIENCE_LEVEL",
    ]


def test_other_enums_keep_the_capabilities_order_with_catch_alls_last() -> None:
    units = ["UNKNOWN_NOT_SPECIFIED", "HOURS_OF_RECORDING_AUDIO_VIDEO", "NUMBER_OF_FILES"]
    assert ordered_values("dataVolumeUnit", units) == [
        "HOURS_OF_RECORDING_AUDIO_VIDEO",
        "NUMBER_OF_FILES",
        "UNKNOWN_NOT_SPECIFIED",
    ]
    pay = ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"]
    assert ordered_values("paymentType", pay) == pay


def test_the_select_offers_levels_in_that_order() -> None:
    spec = build_spec(
        MissingField.model_validate(
            {
                "field": "experienceLevel",
                "type": "enum",
                "enumValues": ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"],
            }
        )
    )
    labels = [o.label for o in spec.parts[0].options]
    assert labels == ["Entry level", "Intermediate", "Expert", "Any experience level"]


@pytest.mark.parametrize(
    ("message", "label", "adds"),
    [
        ("Job title is required before publishing.", "Job title", False),
        ("Countries is required before publishing.", "Countries", False),
        ("Countries are required.", "Countries", False),
        ("An experience level is required before publishing.", "Experience level", False),
        (
            "A labeling overview is required while the job description is shorter than "
            "280 characters.",
            "Labeling overview",
            True,
        ),
        ("A pay rate is required for Pay per hour.", "Hourly rate", True),
        ("Trainers need to know the volume to plan.", "Data volume", True),
        (None, "Job title", False),
        ("", "Job title", False),
    ],
)
def test_why_only_when_it_adds_something(message: str | None, label: str, adds: bool) -> None:
    assert adds_to(message, label) is adds


def test_why_that_repeats_the_prompt_adds_nothing() -> None:
    assert not adds_to("How many trainers?", "Headcount", "How many trainers?")


def test_why_that_the_hint_already_says_adds_nothing() -> None:
    message = "A labeling overview is required while the job description is shorter than 280."
    hint = "Required while the job description is shorter than 280 characters (it has 182)."
    assert not adds_to(message, "Labeling overview", "What will trainers label?", hint)
    assert adds_to(message, "Labeling overview", "What will trainers label?", "Plain text.")


def test_no_standards_jargon_on_screen() -> None:
    hint = "ISO 3166-1 alpha-2 codes, e.g. US, IN, PH."
    assert plain(hint) == "Two-letter country codes, e.g. US, IN, PH."
    rejection = "Unknown country code 'XX': use an ISO 3166-1 alpha-2 code such as US."
    assert humanize_text(rejection) == (
        "Unknown country code 'XX': use a two-letter country code such as US."
    )
    assert humanize_text("Use ISO 639-1 codes.") == "Use language codes."


def test_rate_labels_stay_the_same_once_answered() -> None:
    # The server asks "Fixed price"; the value list shows the same words afterwards.
    assert label_for_key("fixedPrice") == "Fixed price"
    assert label_for_key("pricePerHour") == "Hourly rate"
    assert label_for_key("pricePerLabel") == "Rate per label"


def test_payment_type_choices_carry_marketplace_counts() -> None:
    from wizard.core.facets import PAY_TYPES_KEY
    from wizard.core.options import ENUM_COUNT_KEYS, OptionCatalog

    assert ENUM_COUNT_KEYS["paymentType"] == PAY_TYPES_KEY
    catalog = OptionCatalog.reference()
    catalog.add_counts(
        PAY_TYPES_KEY,
        [("PAY_PER_HOUR", 52), ("FIXED_PRICE", 1)],
        note_template="used in {count} open job{s}",
        source="opentrain",
    )
    spec = build_spec(
        MissingField.model_validate(
            {
                "field": "paymentType",
                "type": "enum",
                "enumValues": ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"],
            }
        ),
        catalog=catalog,
    )
    notes = {o.value: o.note for o in spec.parts[0].options}
    assert notes == {
        "PAY_PER_LABEL": None,
        "PAY_PER_HOUR": "used in 52 open jobs",
        "FIXED_PRICE": "used in 1 open job",
    }
    # The label stays the plain name, so answers files can still use it.
    assert spec.parts[0].coerce("Pay per hour") == "PAY_PER_HOUR"


def test_a_long_url_breaks_after_a_separator_not_inside_a_word() -> None:
    url = "http://127.0.0.1:8765/jobs/spanish-call-center-transcript-review-cmsnapshot0001"
    lines = break_url(url, 66).split("\n")
    assert "".join(lines) == url
    assert all(len(line) <= 66 for line in lines)
    assert lines[0].endswith(("/", "-"))
    assert break_url("http://a.example/x", 66) == "http://a.example/x"
