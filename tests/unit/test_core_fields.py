"""Field specs: kind resolution, compound questions, limits, and coercion of answers."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.api.opentrain.models import Capabilities, Issue, MissingField
from wizard.core.fields import (
    AnswerError,
    FieldPart,
    build_issue_spec,
    build_part,
    build_spec,
    limits_from_text,
)
from wizard.core.keys import Kind, humanize_enum, kind_for_key, kind_from_type, label_for_key
from wizard.core.options import OptionCatalog

CAPS = Capabilities.model_validate(
    {
        "draft": {
            "enums": {
                "paymentType": ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"],
                "dataVolumeUnit": ["NUMBER_OF_FILES", "NUMBER_OF_WORDS", "UNKNOWN_NOT_SPECIFIED"],
                "visibility": ["PUBLIC", "INVITE_ONLY"],
            }
        }
    }
)


def missing(**data: Any) -> MissingField:
    return MissingField.model_validate(data)


def number(**kwargs: Any) -> FieldPart:
    return FieldPart(key=kwargs.pop("key", "pricePerHour"), kind=Kind.NUMBER, label="n", **kwargs)


def select(values: list[str]) -> FieldPart:
    return build_part("experienceLevel", enum_values=values)


# ---- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.06", 0.06),
        ("25", 25),
        (" 25 ", 25),
        ("$1,200", 1200),
        ("1,200.50", 1200.5),
        ("USD 40", 40),
        ("US$ 40", 40),
        ("1_000", 1000),
        (0.05, 0.05),
        (12, 12),
        (12.0, 12),
        ("1e3", 1000),
    ],
)
def test_number_coercion(raw: Any, expected: float) -> None:
    value = number().coerce(raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "'abc' is not a number."),
        ("", "Enter a number."),
        ("$", "Enter a number."),
        (None, "Enter a number."),
        (True, "Enter a number."),
        ("nan", "Enter a finite number."),
        ("inf", "Enter a finite number."),
        ("25 dollars", "'25 dollars' is not a number."),
        (10**400, "Enter a finite number."),
        (-(10**400), "Enter a finite number."),
    ],
)
def test_number_rejections(raw: Any, message: str) -> None:
    with pytest.raises(AnswerError) as caught:
        number().coerce(raw)
    assert str(caught.value) == message


@pytest.mark.parametrize("raw", ["0,06", "1,5", "12,34,5"])
def test_a_decimal_comma_is_not_read_as_a_thousands_separator(raw: str) -> None:
    # "0,06" must never be sent as 6: that is a rate a hundred times too high.
    with pytest.raises(AnswerError) as caught:
        number().coerce(raw)
    assert "dot" in str(caught.value)


def test_whole_number_check() -> None:
    part = number(integer=True)
    assert part.coerce("8") == 8
    assert part.coerce("8.0") == 8
    with pytest.raises(AnswerError, match="whole number"):
        part.coerce("2.5")


def test_min_and_max() -> None:
    part = number(minimum=5, maximum=500)
    assert part.coerce("5") == 5
    assert part.coerce("500") == 500
    with pytest.raises(AnswerError, match="at least 5"):
        part.coerce("4.99")
    with pytest.raises(AnswerError, match="at most 500"):
        part.coerce("501")
    assert part.check("501") == "Must be at most 500."
    assert part.check("50") is None


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("Must be at least 5.",), (5.0, None, False)),
        (("Hourly rate from 1 to 500 USD.",), (1.0, 500.0, False)),
        (("Between $0.02 and $0.50 per label.",), (0.02, 0.5, False)),
        (("Minimum of 3 trainers, a whole number.",), (3.0, None, True)),
        (("No more than 1000 files.",), (None, 1000.0, False)),
        (("Up to 250",), (None, 250.0, False)),
        (("Must be at least $1,000.",), (1000.0, None, False)),
        (("An integer",), (None, None, True)),
        ((None, "at least 2", "at most 9"), (2.0, 9.0, False)),
        (("Tell us about the data.",), (None, None, False)),
        ((), (None, None, False)),
    ],
)
def test_limits_from_text(texts: tuple[str | None, ...], expected: tuple[Any, Any, bool]) -> None:
    assert limits_from_text(*texts) == expected


def test_number_part_reads_its_limits_from_hint_and_message() -> None:
    spec = build_spec(
        missing(
            field="pricePerHour",
            type="number",
            message="An hourly rate is required.",
            hint="Rates run from 5 to 200 USD.",
        )
    )
    part = spec.parts[0]
    assert (part.minimum, part.maximum, part.integer) == (5, 200, False)
    with pytest.raises(AnswerError, match="at least 5"):
        part.coerce("3")


def test_money_keys_are_never_negative_and_headcount_is_a_whole_number_from_one() -> None:
    rate = build_part("pricePerLabel", raw_type="number")
    assert rate.minimum == 0
    with pytest.raises(AnswerError):
        rate.coerce("-1")
    headcount = build_part("headcount")
    assert (headcount.kind, headcount.minimum, headcount.integer) == (Kind.NUMBER, 1, True)
    with pytest.raises(AnswerError, match="at least 1"):
        headcount.coerce("0")
    with pytest.raises(AnswerError, match="whole number"):
        headcount.coerce("1.5")


# ---- enums ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("INTERMEDIATE", "INTERMEDIATE"),
        ("intermediate", "INTERMEDIATE"),
        ("  Intermediate ", "INTERMEDIATE"),
        ("Entry level", "ENTRY_LEVEL"),
        ("entry LEVEL", "ENTRY_LEVEL"),
        ("Any experience level", "ANY_EXPERIENCE_LEVEL"),
        ("any_experience_level", "ANY_EXPERIENCE_LEVEL"),
    ],
)
def test_enum_matches_case_insensitively_and_by_label(raw: str, expected: str) -> None:
    part = select(["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"])
    assert part.coerce(raw) == expected


def test_unknown_enum_value_lists_the_options() -> None:
    part = select(["EXPERT", "ENTRY_LEVEL"])
    with pytest.raises(AnswerError) as caught:
        part.coerce("Guru")
    message = str(caught.value)
    assert "'Guru' is not an option" in message
    assert "Expert" in message and "Entry level" in message


@pytest.mark.parametrize("raw", [None, "", "  ", ["EXPERT"], {"v": 1}, True])
def test_enum_rejects_non_answers(raw: Any) -> None:
    with pytest.raises(AnswerError, match="Choose one"):
        select(["EXPERT"]).coerce(raw)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("ENTRY_LEVEL", "Entry level"),
        ("PAY_PER_HOUR", "Pay per hour"),
        ("HOURS_OF_RECORDING_AUDIO_VIDEO", "Hours of audio or video"),
        ("UNKNOWN_NOT_SPECIFIED", "Not specified"),
        ("EXPERT", "Expert"),
        ("USD", "USD"),
        ("Intermediate", "Intermediate"),
        ("[bold]x[/]", "[bold]x[/]"),
    ],
)
def test_humanize_enum(value: str, label: str) -> None:
    assert humanize_enum(value) == label


# ---- lists ---------------------------------------------------------------------------------


def test_list_from_a_string_is_a_one_item_list() -> None:
    part = build_part("labelTypes")
    assert part.kind is Kind.LIST
    assert part.coerce("Bounding boxes") == ["Bounding boxes"]
    assert part.coerce(["Boxes", " boxes ", "", "Polygons"]) == ["Boxes", "Polygons"]


@pytest.mark.parametrize("raw", [None, [], [""], ["  "]])
def test_empty_lists_are_rejected(raw: Any) -> None:
    with pytest.raises(AnswerError, match="at least one"):
        build_part("labelTypes").coerce(raw)


def test_list_items_must_be_plain_text() -> None:
    with pytest.raises(AnswerError, match="plain text"):
        build_part("labelTypes").coerce([["nested"]])


def test_countries_by_name_become_iso_codes() -> None:
    part = build_part("countries", catalog=OptionCatalog.reference())
    assert part.coerce(["Germany", "us", "United Kingdom", "DE"]) == ["DE", "US", "GB"]
    assert part.coerce("germany") == ["DE"]
    assert part.coerce("Germany (DE)") == ["DE"]
    assert part.options and all(len(o.value) == 2 for o in part.options)


def test_languages_by_iso_code_become_names() -> None:
    part = build_part("languages", catalog=OptionCatalog.reference())
    assert part.coerce(["es", "EN", "german", "Spanish"]) == ["Spanish", "English", "German"]


def test_unknown_list_values_pass_through() -> None:
    part = build_part("countries", catalog=OptionCatalog.reference())
    assert part.coerce(["Atlantis"]) == ["Atlantis"]


# ---- booleans and text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("Y", True),
        ("true", True),
        ("on", True),
        (1, True),
        ("no", False),
        ("FALSE", False),
        ("off", False),
        (0, False),
    ],
)
def test_boolean_coercion(raw: Any, expected: bool) -> None:
    assert build_part("remoteOk", raw_type="boolean").coerce(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", None, "", 2])
def test_boolean_rejections(raw: Any) -> None:
    with pytest.raises(AnswerError, match="yes or no"):
        build_part("remoteOk", raw_type="boolean").coerce(raw)


def test_text_is_stripped_and_must_not_be_empty() -> None:
    part = build_part("jobTitle")
    assert part.kind is Kind.STRING
    assert part.coerce("  Label cars  ") == "Label cars"
    assert part.coerce(12) == "12"
    for raw in (None, "", "   ", ["a"], {"a": 1}):
        with pytest.raises(AnswerError, match="Type an answer"):
            part.coerce(raw)


# ---- kind resolution -----------------------------------------------------------------------


def test_enum_values_win_over_type() -> None:
    spec = build_spec(missing(field="visibility", type="string", enumValues=["PUBLIC", "PRIVATE"]))
    assert spec.kind is Kind.SELECT
    assert [o.value for o in spec.parts[0].options] == ["PUBLIC", "PRIVATE"]
    assert [o.label for o in spec.parts[0].options] == ["Public", "Private"]


def test_unknown_type_is_unknown_with_the_raw_type_in_the_hint() -> None:
    spec = build_spec(missing(field="geoFence", type="GeoPolygon"))
    assert spec.kind is Kind.UNKNOWN
    assert spec.raw_type == "GeoPolygon"
    assert spec.hint is not None and "GeoPolygon" in spec.hint
    assert spec.parts[0].coerce(" anything ") == "anything"


def test_unknown_type_keeps_the_servers_hint_too() -> None:
    spec = build_spec(missing(field="geoFence", type="GeoPolygon", hint="Draw it."))
    assert spec.hint == "Draw it. (type: GeoPolygon)"


def test_missing_type_comes_from_the_key_table() -> None:
    assert build_spec(missing(field="headcount")).kind is Kind.NUMBER
    assert build_spec(missing(field="languages")).kind is Kind.LIST
    assert build_spec(missing(field="jobTitle")).kind is Kind.STRING
    experience = build_spec(missing(field="experienceLevel"))
    assert experience.kind is Kind.SELECT
    assert [o.value for o in experience.parts[0].options][
        0
    ] == "ENTRY_LEVEL"  # a natural order: Entry < Intermediate < Expert


def test_unknown_key_without_type_is_a_string() -> None:
    assert build_spec(missing(field="somethingNew")).kind is Kind.STRING


def test_a_known_key_with_an_unknown_type_keeps_the_key_kind() -> None:
    assert build_spec(missing(field="pricePerHour", type="money_v2")).kind is Kind.NUMBER


@pytest.mark.parametrize(
    "key", ["jobDescription", "labelingOverview", "datasetDescription", "fooDescription"]
)
def test_long_text_keys_are_text(key: str) -> None:
    assert build_spec(missing(field=key)).kind is Kind.TEXT
    assert build_spec(missing(field=key, type="string")).kind is Kind.TEXT


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("enum", Kind.SELECT),
        ("NUMBER", Kind.NUMBER),
        (" integer ", Kind.NUMBER),
        ("string[]", Kind.LIST),
        ("array", Kind.LIST),
        ("text", Kind.TEXT),
        ("boolean", Kind.BOOLEAN),
        ("string", Kind.STRING),
        ("hologram", None),
        (None, None),
        ("", None),
    ],
)
def test_kind_from_type(raw: str | None, kind: Kind | None) -> None:
    assert kind_from_type(raw) is kind


def test_kind_for_key_and_labels() -> None:
    assert kind_for_key("dataVolumeUnit") is Kind.SELECT
    assert kind_for_key("brandNew") is None
    assert label_for_key("pricePerHour") == "Hourly rate"
    assert label_for_key("aiInterviewRequirements") == "Ai interview requirements"
    assert label_for_key("snake_case_key") == "Snake case key"


def test_enum_type_without_known_values_is_asked_as_text() -> None:
    spec = build_spec(missing(field="projectDuration", type="enum"))
    assert spec.kind is Kind.STRING


def test_bare_name_gets_its_enum_values_from_capabilities() -> None:
    # DESIGN: "a bare name is looked up in capabilities for its enum values".
    spec = build_spec(missing(field="visibility"), capabilities=CAPS)
    assert spec.kind is Kind.SELECT
    assert [o.value for o in spec.parts[0].options] == ["PUBLIC", "INVITE_ONLY"]


def test_capabilities_enums_override_the_documented_ones() -> None:
    spec = build_spec(missing(field="dataVolumeUnit"), capabilities=CAPS)
    assert [o.value for o in spec.parts[0].options] == [
        "NUMBER_OF_FILES",
        "NUMBER_OF_WORDS",
        "UNKNOWN_NOT_SPECIFIED",
    ]


# ---- compound specs ------------------------------------------------------------------------


def test_update_keys_with_several_keys_make_parts() -> None:
    spec = build_spec(
        missing(
            field="pricePerLabel",
            label="Pay rate",
            type="number",
            example="0.05",
            message="A pay rate is required; at least 0.01.",
            updateKeys=["paymentType", "pricePerLabel"],
        ),
        capabilities=CAPS,
    )
    assert spec.compound
    assert spec.keys == ["paymentType", "pricePerLabel"]
    payment, rate = spec.parts
    # The field's own type describes the key named like the field...
    assert rate.kind is Kind.NUMBER
    assert rate.example == "0.05"
    assert rate.minimum == 0.01
    # ...and the secondary enum key gets the capabilities enums.
    assert payment.kind is Kind.SELECT
    assert [o.value for o in payment.options] == ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"]
    assert payment.example is None
    # Compound parts use key labels; the field's label names the whole question.
    assert spec.label == "Pay rate"
    assert payment.label == "Payment type"
    assert spec.part("pricePerLabel") is rate
    with pytest.raises(KeyError):
        spec.part("fixedPrice")


def test_compound_with_a_field_not_among_its_keys_describes_the_first_key() -> None:
    spec = build_spec(
        missing(field="dataVolumeGap", type="number", updateKeys=["dataVolume", "dataVolumeUnit"]),
        capabilities=CAPS,
    )
    volume, unit = spec.parts
    assert volume.kind is Kind.NUMBER
    assert unit.kind is Kind.SELECT
    assert unit.options[0].value == "NUMBER_OF_FILES"


def test_secondary_key_with_extra_capabilities_enum() -> None:
    spec = build_spec(
        missing(field="jobTitle", type="string", updateKeys=["jobTitle", "visibility"]),
        capabilities=CAPS,
    )
    assert spec.part("visibility").kind is Kind.SELECT


def test_prompt_falls_back_to_message_then_label() -> None:
    assert build_spec(missing(field="x", prompt="ask: Why?")).prompt == "Why?"
    assert build_spec(missing(field="x", prompt="ask: ", message="X is required")).prompt == (
        "X is required"
    )
    assert build_spec(missing(field="headcount")).prompt == "Headcount?"


# ---- issues --------------------------------------------------------------------------------


def test_issue_with_a_field_becomes_a_spec_with_its_limit() -> None:
    issue = Issue.model_validate(
        {
            "message": "Hourly rate must be at least 5.",
            "code": "RATE_TOO_LOW",
            "field": "pricePerHour",
        }
    )
    spec = build_issue_spec(issue)
    assert spec is not None
    assert spec.from_issue
    assert spec.field == "pricePerHour"
    assert spec.error == "Hourly rate must be at least 5."
    assert spec.kind is Kind.NUMBER
    with pytest.raises(AnswerError, match="at least 5"):
        spec.parts[0].coerce("4")


def test_issue_without_a_field_is_no_spec() -> None:
    assert build_issue_spec(Issue.model_validate("Something is off")) is None
