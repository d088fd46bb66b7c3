"""DraftSession: re-planning from each validation, round diffs, and building the PATCH."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.api.opentrain.models import Capabilities, DraftResponse, PublishResult, Validation
from wizard.core.keys import Kind
from wizard.core.options import OptionCatalog
from wizard.core.session import AnswersInvalid, DraftSession

EXPERIENCE = {
    "field": "experienceLevel",
    "label": "Experience level",
    "message": "Experience level is required before publishing.",
    "code": "MISSING_EXPERIENCE_LEVEL",
    "prompt": "ask: What experience level should trainers have?",
    "type": "enum",
    "enumValues": ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"],
    "updateKeys": ["experienceLevel"],
}
PAYMENT = {
    "field": "paymentType",
    "message": "Choose how trainers are paid.",
    "type": "enum",
    "enumValues": ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"],
    "updateKeys": ["paymentType"],
}
HOURLY = {
    "field": "pricePerHour",
    "message": "An hourly rate is required for hourly jobs.",
    "type": "number",
    "example": "25",
    "updateKeys": ["pricePerHour"],
}


def reply(*missing: Any, ready: bool = False, issues: Any = (), **extra: Any) -> DraftResponse:
    return DraftResponse.model_validate(
        {
            "ok": True,
            "jobId": "job_1",
            "status": "DRAFT",
            "validation": {
                "publishReady": ready,
                "issueCount": len(issues),
                "missingFieldCount": len(missing),
                "missingFields": list(missing),
                "issues": list(issues),
            },
            **extra,
        }
    )


def session(**kwargs: Any) -> DraftSession:
    return DraftSession(job_id="job_1", **kwargs)


# ---- rounds and diffs ----------------------------------------------------------------------


def test_first_round_marks_nothing_new() -> None:
    s = session()
    diff = s.apply(reply(EXPERIENCE, PAYMENT))

    assert diff.round == 1
    assert diff.added == []
    assert diff.resolved == []
    assert diff.remaining == 2
    assert not diff.grew
    assert [spec.field for spec in s.specs] == ["experienceLevel", "paymentType"]
    assert not any(spec.is_new for spec in s.specs)
    assert s.remaining == 2
    assert s.specs[0].prompt == "What experience level should trainers have?"


def test_patch_resolves_and_adds_with_a_reason() -> None:
    s = session()
    s.apply(reply(EXPERIENCE, PAYMENT))
    sent = {"paymentType": "PAY_PER_HOUR", "experienceLevel": "INTERMEDIATE"}
    diff = s.apply(reply(HOURLY), sent=sent)

    assert diff.round == 2
    assert diff.resolved == ["experienceLevel", "paymentType"]
    assert diff.added == ["pricePerHour"]
    assert diff.remaining == 1
    assert diff.grew
    (hourly,) = s.specs
    assert hourly.is_new
    assert hourly.reason == "Required because you chose Pay per hour."
    assert s.history == [s.history[0], diff]


def test_added_field_without_a_causing_choice_uses_the_servers_message() -> None:
    s = session()
    s.apply(reply(EXPERIENCE))
    diff = s.apply(
        reply({"field": "headcount", "message": "How many trainers?"}),
        sent={"experienceLevel": "EXPERT"},
    )
    assert diff.added == ["headcount"]
    assert s.specs[0].reason == "How many trainers?"


def test_added_field_mentioning_the_chosen_label_names_that_choice() -> None:
    s = session()
    s.apply(reply({"field": "dataVolumeUnit"}))
    diff = s.apply(
        reply({"field": "dataVolume", "message": "How many hours of audio or video?"}),
        sent={"dataVolumeUnit": "HOURS_OF_RECORDING_AUDIO_VIDEO"},
    )
    assert diff.added == ["dataVolume"]
    assert s.specs[0].reason == "Required because you chose Hours of audio or video."


def test_added_field_with_no_message_gets_a_generic_reason() -> None:
    s = session()
    s.apply(reply(EXPERIENCE))
    s.apply(reply(EXPERIENCE, "subjectMatter"))
    new = s.spec("subjectMatter")
    assert new is not None and new.is_new
    assert new.reason == "Newly required by the server."
    kept = s.spec("experienceLevel")
    assert kept is not None and not kept.is_new


def test_a_field_still_missing_after_a_round_is_not_new_again() -> None:
    s = session()
    s.apply(reply(EXPERIENCE))
    s.apply(reply(EXPERIENCE, HOURLY), sent={"paymentType": "PAY_PER_HOUR"})
    diff = s.apply(reply(EXPERIENCE, HOURLY), sent={"experienceLevel": "Guru"})
    assert diff.added == []
    assert diff.resolved == []
    assert not any(spec.is_new for spec in s.specs)


def test_ready_and_all_resolved() -> None:
    s = session()
    s.apply(reply(EXPERIENCE))
    diff = s.apply(reply(ready=True), sent={"experienceLevel": "EXPERT"})
    assert diff.resolved == ["experienceLevel"]
    assert diff.remaining == 0
    assert s.ready


def test_issue_count_blocks_readiness() -> None:
    s = session()
    s.apply(reply(ready=True, issues=["Rate is below the floor."]))
    assert not s.ready
    assert s.blocking_issues == ["Rate is below the floor."]


# ---- issues --------------------------------------------------------------------------------


def test_issue_naming_an_asked_field_attaches_its_error() -> None:
    s = session()
    s.apply(reply(HOURLY, issues=[{"message": "Must be at least 5.", "field": "pricePerHour"}]))
    (spec,) = s.specs
    assert spec.error == "Must be at least 5."
    assert not spec.from_issue


def test_issue_naming_a_key_of_a_compound_question_attaches_to_it() -> None:
    compound = {**HOURLY, "field": "payRate", "updateKeys": ["paymentType", "pricePerHour"]}
    s = session()
    s.apply(reply(compound, issues=[{"message": "Too low.", "path": ["pricePerHour"]}]))
    assert [spec.field for spec in s.specs] == ["payRate"]
    assert s.specs[0].error == "Too low."


def test_issue_naming_a_field_not_asked_becomes_its_own_question() -> None:
    s = session()
    s.apply(reply(EXPERIENCE))
    diff = s.apply(
        reply(
            EXPERIENCE, issues=[{"message": "Rate must be at least 5.", "field": "pricePerHour"}]
        ),
        sent={"pricePerHour": 2},
    )
    issue_spec = s.spec("pricePerHour")
    assert issue_spec is not None
    assert issue_spec.from_issue
    assert issue_spec.error == "Rate must be at least 5."
    assert issue_spec.kind is Kind.NUMBER
    assert diff.added == ["pricePerHour"]
    assert issue_spec.reason == "Rate must be at least 5."
    assert s.blocking_issues == []


def test_issue_without_a_field_is_a_banner_not_a_question() -> None:
    s = session()
    s.apply(reply(EXPERIENCE, issues=[{"message": "Description looks like spam."}]))
    assert [spec.field for spec in s.specs] == ["experienceLevel"]
    assert s.blocking_issues == ["Description looks like spam."]


# ---- bare names keep what we learnt --------------------------------------------------------


def test_bare_name_patch_replies_keep_the_richer_objects_seen_earlier() -> None:
    rate = {
        "field": "pricePerLabel",
        "label": "Pay rate",
        "message": "Set a pay rate.",
        "prompt": "ask: How much per label?",
        "type": "number",
        "example": "0.05",
        "updateKeys": ["paymentType", "pricePerLabel"],
    }
    s = session()
    s.apply(reply(EXPERIENCE, rate))
    s.apply(reply("experienceLevel", "pricePerLabel"), sent={"headcount": 3})

    experience = s.spec("experienceLevel")
    assert experience is not None
    assert experience.kind is Kind.SELECT
    assert [o.value for o in experience.parts[0].options][0] == "ENTRY_LEVEL"
    assert experience.prompt == "What experience level should trainers have?"
    pay = s.spec("pricePerLabel")
    assert pay is not None
    assert pay.keys == ["paymentType", "pricePerLabel"]
    assert pay.label == "Pay rate"
    assert pay.example == "0.05"
    # The merged objects are what the session's validation now holds.
    assert s.validation.missing_fields[1].update_keys == ["paymentType", "pricePerLabel"]


def test_a_newer_message_wins_over_the_remembered_one() -> None:
    s = session()
    s.apply(reply(HOURLY))
    s.apply(reply({"field": "pricePerHour", "message": "Must be at least 5."}))
    spec = s.spec("pricePerHour")
    assert spec is not None
    assert spec.message == "Must be at least 5."
    assert spec.example == "25"
    assert spec.parts[0].minimum == 5


def test_publish_400_validation_replans_the_form() -> None:
    s = session()
    s.apply(reply(EXPERIENCE))
    diff = s.apply_validation(
        Validation.model_validate({"missingFields": ["experienceLevel", HOURLY]})
    )
    assert diff.added == ["pricePerHour"]
    level = s.spec("experienceLevel")
    assert level is not None
    assert level.kind is Kind.SELECT


# ---- values and extras ---------------------------------------------------------------------


def test_values_track_parsed_and_answered_provenance() -> None:
    s = session()
    s.apply(
        reply(
            EXPERIENCE,
            normalizedFields={"jobTitle": "Label cars", "headcount": 3},
            warnings=["Title is short."],
            unmappedFields=[{"path": "budget", "reason": "No field", "valuePreview": "$5k"}],
            lowConfidenceFields=["headcount"],
        )
    )
    assert s.values == {"jobTitle": "Label cars", "headcount": 3}
    assert s.provenance == {"jobTitle": "parsed", "headcount": "parsed"}
    assert s.title == "Label cars"
    assert s.warnings == ["Title is short."]
    assert s.unmapped == ["budget: No field ($5k)"]
    assert s.low_confidence == ["headcount"]

    s.apply(reply(), sent={"headcount": 5, "jobTitle": "Label street scenes"})
    assert s.values["headcount"] == 5
    assert s.provenance["headcount"] == "you"
    assert s.title == "Label street scenes"

    # A later parse never overwrites what the person typed.
    s.apply(reply(normalizedFields={"headcount": 99, "languages": ["English"]}))
    assert s.values["headcount"] == 5
    assert s.values["languages"] == ["English"]
    assert s.provenance["languages"] == "parsed"


def test_reply_without_extras_keeps_the_earlier_ones() -> None:
    s = session()
    s.apply(reply(EXPERIENCE, warnings=["w"], draftUrl="https://x/1"))
    s.apply(reply(EXPERIENCE))
    assert s.warnings == ["w"]
    assert s.draft_url == "https://x/1"


def test_mark_published() -> None:
    s = session()
    s.mark_published(PublishResult.model_validate({"jobId": "job_1", "status": "OPEN"}))
    assert s.status == "OPEN"
    assert s.published is not None


def test_spec_for_key_finds_compound_owners() -> None:
    compound = {**HOURLY, "field": "payRate", "updateKeys": ["paymentType", "pricePerHour"]}
    s = session()
    s.apply(reply(compound))
    owner = s.spec_for_key("paymentType")
    assert owner is not None and owner.field == "payRate"
    assert s.spec_for_key("payRate") is owner
    assert s.spec_for_key("nothing") is None


# ---- build_patch ---------------------------------------------------------------------------


def test_build_patch_coerces_each_answer_by_its_part() -> None:
    caps = Capabilities.model_validate(
        {"draft": {"enums": {"paymentType": ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"]}}}
    )
    rate = {**HOURLY, "field": "pricePerLabel", "updateKeys": ["paymentType", "pricePerLabel"]}
    s = session(capabilities=caps, catalog=OptionCatalog.reference())
    s.apply(reply(EXPERIENCE, rate, "countries"))

    body = s.build_patch(
        {
            "experienceLevel": "intermediate",
            "paymentType": "Pay per label",
            "pricePerLabel": "0.06",
            "countries": "Germany",
            "headcount": "4",  # asked by nothing: coerced by what we know of the key
        }
    )
    assert body == {
        "experienceLevel": "INTERMEDIATE",
        "paymentType": "PAY_PER_LABEL",
        "pricePerLabel": 0.06,
        "countries": ["DE"],
        "headcount": 4,
    }


def test_build_patch_names_every_bad_key() -> None:
    s = session()
    s.apply(reply(EXPERIENCE, HOURLY))
    with pytest.raises(AnswersInvalid) as caught:
        s.build_patch(
            {"experienceLevel": "Guru", "pricePerHour": "lots", "jobTitle": "ok", "headcount": "0"}
        )
    errors = caught.value.errors
    assert set(errors) == {"experienceLevel", "pricePerHour", "headcount"}
    assert "not an option" in errors["experienceLevel"]
    assert errors["pricePerHour"] == "'lots' is not a number."
    assert errors["headcount"] == "Must be at least 1."
    assert str(caught.value).startswith("experienceLevel: ")


def test_build_patch_by_field_name_sends_the_update_key() -> None:
    compound = {**HOURLY, "field": "payRate", "updateKeys": ["pricePerHour", "paymentType"]}
    s = session()
    s.apply(reply(compound))
    # Answered by the question's field name: the PATCH must carry an update key, never `field`.
    assert s.build_patch({"payRate": "30"}) == {"pricePerHour": 30}


def test_build_patch_of_nothing_is_empty() -> None:
    assert session().build_patch({}) == {}
