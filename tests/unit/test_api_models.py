"""The response models accept every shape variant in the API reference's §2.2 table."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from wizard.api.lenient import as_text
from wizard.api.opentrain.models import (
    Capabilities,
    DraftResponse,
    Issue,
    MarketplaceFacets,
    Me,
    MissingField,
    MyJobsPage,
    PublishResult,
    Validation,
    merge_missing,
    strip_ask,
)
from wizard.api.record import ShapeError

EXPERIENCE = ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"]

RICH_EXPERIENCE: dict[str, Any] = {
    "field": "experienceLevel",
    "label": "Experience level",
    "message": "Experience level is required before publishing.",
    "code": "missing_required_field",
    "prompt": "ask: What experience level should trainers have? "
    "(EXPERT, ENTRY_LEVEL, INTERMEDIATE, ANY_EXPERIENCE_LEVEL)",
    "type": "enum",
    "enumValues": EXPERIENCE,
    "updateKeys": ["experienceLevel"],
    "example": "INTERMEDIATE",
    "hint": None,
}

RICH_RATE: dict[str, Any] = {
    "field": "pricePerLabel",
    "label": "Pay rate",
    "message": "Set a pay rate before publishing.",
    "code": "missing_required_field",
    "prompt": "ask: How much do you pay per label, in USD?",
    "type": "number",
    "enumValues": None,
    "updateKeys": ["paymentType", "pricePerLabel"],
    "example": "0.05",
    "hint": "Most label jobs pay between 0.02 and 0.10.",
}

# The create example of the API reference: rich objects at the top level only.
CREATE_EXAMPLE: dict[str, Any] = {
    "ok": True,
    "jobId": "job_123",
    "status": "DRAFT",
    "draftUrl": "https://app.opentrain.ai/job-post?jobId=job_123",
    "reviewUrl": "https://app.opentrain.ai/job-post/review?jobId=job_123",
    "validation": {
        "publishReady": False,
        "issueCount": 0,
        "missingFieldCount": 2,
        "missingFields": [],
        "issues": [],
    },
    "missingFields": [RICH_EXPERIENCE, RICH_RATE],
    "normalizedFields": {
        "jobTitle": "Label street scenes",
        "paymentType": "PAY_PER_LABEL",
        "languages": ["English"],
        "headcount": 5,
    },
    "warnings": [],
    "unmappedFields": [{"path": "budget", "reason": "No matching field", "valuePreview": "$5k"}],
}


def draft(**overrides: Any) -> dict[str, Any]:
    body = copy.deepcopy(CREATE_EXAMPLE)
    body.update(overrides)
    return body


def by_field(fields: list[MissingField]) -> dict[str, MissingField]:
    return {m.field: m for m in fields}


# ---- §2.2 #1: where the missing fields live ------------------------------------------------


def test_top_level_rich_objects_with_empty_validation_list() -> None:
    response = DraftResponse.model_validate(CREATE_EXAMPLE)

    assert [m.field for m in response.missing_fields] == ["experienceLevel", "pricePerLabel"]
    experience = response.missing_fields[0]
    assert experience.enum_values == EXPERIENCE
    assert experience.type == "enum"
    assert experience.label == "Experience level"
    assert response.missing_fields[1].update_keys == ["paymentType", "pricePerLabel"]
    # The validation carries the same merged list, and the server's counts.
    assert response.validation.missing_fields == response.missing_fields
    assert response.validation.missing_field_count == 2
    assert response.validation.publish_ready is False


def test_validation_names_only_are_upgraded_to_objects() -> None:
    body = {
        "ok": True,
        "jobId": "job_1",
        "status": "DRAFT",
        "validation": {
            "publishReady": False,
            "missingFieldCount": 2,
            "missingFields": ["experienceLevel", "dataVolumeUnit"],
            "issues": [],
        },
    }
    response = DraftResponse.model_validate(body)

    fields = by_field(response.missing_fields)
    assert list(fields) == ["experienceLevel", "dataVolumeUnit"]
    assert fields["experienceLevel"].update_keys == ["experienceLevel"]
    assert fields["dataVolumeUnit"].update_keys == ["dataVolumeUnit"]
    assert fields["dataVolumeUnit"].type is None
    assert fields["dataVolumeUnit"].enum_values is None


def test_rich_objects_inside_validation_patch_shape() -> None:
    body = {
        "ok": True,
        "jobId": "job_1",
        "status": "DRAFT",
        "draftUrl": "https://app.opentrain.ai/job-post?job=job_1",
        "validation": {
            "publishReady": False,
            "issueCount": 0,
            "missingFieldCount": 1,
            "missingFields": [RICH_RATE],
            "issues": [],
        },
    }
    response = DraftResponse.model_validate(body)

    (rate,) = response.missing_fields
    assert rate.field == "pricePerLabel"
    assert rate.update_keys == ["paymentType", "pricePerLabel"]
    assert rate.example == "0.05"
    assert rate.hint == "Most label jobs pay between 0.02 and 0.10."
    # No top-level extras on PATCH: they default, they do not fail.
    assert response.normalized_fields is None
    assert response.warnings == []
    assert response.unmapped_fields == []


def test_both_places_at_once_are_merged_by_field() -> None:
    thin_rate = {"field": "pricePerLabel", "message": "A pay rate is required."}
    body = draft(
        missingFields=[RICH_EXPERIENCE, thin_rate],
        validation={
            "publishReady": False,
            "missingFieldCount": 3,
            "missingFields": ["experienceLevel", RICH_RATE, "dataVolumeUnit"],
        },
    )
    response = DraftResponse.model_validate(body)

    fields = by_field(response.missing_fields)
    # One entry per field, first-seen order, never the raw array length.
    assert list(fields) == ["experienceLevel", "pricePerLabel", "dataVolumeUnit"]
    # The bare name did not wipe the rich object.
    assert fields["experienceLevel"].enum_values == EXPERIENCE
    assert fields["experienceLevel"].prompt is not None
    # The thin top-level object kept its message but gained the rich one's blanks.
    rate = fields["pricePerLabel"]
    assert rate.message == "A pay rate is required."
    assert rate.update_keys == ["paymentType", "pricePerLabel"]
    assert rate.type == "number"
    assert rate.example == "0.05"


def test_bare_name_first_then_rich_object_takes_the_rich_update_keys() -> None:
    merged = merge_missing(["pricePerLabel"], [RICH_RATE])

    (rate,) = merged
    assert rate.update_keys == ["paymentType", "pricePerLabel"]
    assert rate.type == "number"


def test_merge_skips_junk_entries_and_accepts_alternative_name_keys() -> None:
    merged = merge_missing(
        [None, 7, "", "   ", {"no": "name"}, {"key": "headcount"}, {"name": "languages"}],
        "not a list",
        [{"updateKeys": ["countries"]}],
    )
    assert [m.field for m in merged] == ["headcount", "languages", "countries"]


def test_a_nameless_entry_is_named_by_its_first_usable_update_key() -> None:
    merged = merge_missing(
        [{"updateKeys": ["", "...", "pricePerHour"]}, {"updateKeys": [""]}, {"updateKeys": ["  "]}]
    )
    assert [(m.field, m.update_keys) for m in merged] == [("pricePerHour", ["pricePerHour"])]


def test_publish_400_validation_uses_the_same_parser() -> None:
    validation = Validation.model_validate(
        {"publishReady": False, "missingFields": ["experienceLevel", RICH_EXPERIENCE]}
    )
    (experience,) = validation.missing_fields
    assert experience.enum_values == EXPERIENCE


# ---- §2.2 #2, #3, #5, #13: the parts of one missing field ----------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ask: What experience level?", "What experience level?"),
        ("ASK: What experience level?", "What experience level?"),
        ("Ask:What experience level?", "What experience level?"),
        ("  ask :   What experience level?", "What experience level?"),
        ("ask:\tWhat experience level?", "What experience level?"),
        (
            "What experience level should trainers have?",
            "What experience level should trainers have?",
        ),
        ("Task: label cars", "Task: label cars"),
        ("Please ask: your manager", "Please ask: your manager"),
        ("ask: ask: twice", "ask: twice"),
    ],
)
def test_ask_prefix_is_stripped(raw: str, expected: str) -> None:
    assert strip_ask(raw) == expected
    assert MissingField.model_validate({"field": "x", "prompt": raw}).prompt == expected


def test_strip_ask_passes_none() -> None:
    assert strip_ask(None) is None


@pytest.mark.parametrize(
    ("example", "expected"),
    [("0.05", "0.05"), (0.05, "0.05"), (25, "25"), ("INTERMEDIATE", "INTERMEDIATE"), (None, None)],
)
def test_example_is_always_a_string(example: Any, expected: str | None) -> None:
    assert MissingField.model_validate({"field": "x", "example": example}).example == expected


@pytest.mark.parametrize(
    "code", ["missing_required_field", "MISSING_EXPERIENCE_LEVEL", "Missing_Required_Field"]
)
def test_code_is_kept_verbatim_whatever_its_casing(code: str) -> None:
    assert MissingField.model_validate({"field": "x", "code": code}).code == code


def test_non_string_code_becomes_text() -> None:
    assert MissingField.model_validate({"field": "x", "code": 42}).code == "42"


def test_literal_ellipsis_and_non_identifiers_are_dropped_from_update_keys() -> None:
    field = MissingField.model_validate(
        {"field": "pricePerLabel", "updateKeys": ["paymentType", "pricePerLabel", "...", "", 3]}
    )
    assert field.update_keys == ["paymentType", "pricePerLabel"]


def test_update_keys_that_are_all_junk_fall_back_to_the_field() -> None:
    field = MissingField.model_validate({"field": "headcount", "updateKeys": ["...", None]})
    assert field.update_keys == ["headcount"]


def test_update_keys_as_one_string() -> None:
    assert MissingField.model_validate({"field": "a", "updateKeys": "b"}).update_keys == ["b"]


def test_duplicate_update_keys_are_kept_once() -> None:
    # A key listed twice would become two widgets with the same id.
    field = MissingField.model_validate(
        {"field": "pricePerHour", "updateKeys": ["paymentType", "pricePerHour", "paymentType"]}
    )
    assert field.update_keys == ["paymentType", "pricePerHour"]


def test_enum_values_drop_nulls_and_ignore_non_lists() -> None:
    assert MissingField.model_validate(
        {"field": "x", "enumValues": ["A", None, 3]}
    ).enum_values == ["A", "3"]
    assert MissingField.model_validate({"field": "x", "enumValues": "A,B"}).enum_values is None


def test_loose_text_attributes_are_stringified() -> None:
    field = MissingField.model_validate(
        {"field": "x", "label": {"message": "Label"}, "hint": ["a"], "type": 7}
    )
    assert field.label == "Label"
    assert field.hint == '["a"]'
    assert field.type == "7"


# ---- §2.2 #8, #10 and §2.3: the top-level extras -------------------------------------------


def test_warnings_as_strings_or_objects() -> None:
    response = DraftResponse.model_validate(
        draft(
            warnings=[
                "Title is short.",
                {"message": "Rate is low.", "code": "LOW_RATE"},
                {"code": "NO_MESSAGE"},
                {"field": "x"},
                None,
            ]
        )
    )
    assert response.warnings == ["Title is short.", "Rate is low.", "NO_MESSAGE", '{"field": "x"}']


def test_a_single_warning_string_becomes_a_list() -> None:
    assert DraftResponse.model_validate(draft(warnings="Only one.")).warnings == ["Only one."]
    assert DraftResponse.model_validate(draft(warnings=None)).warnings == []


def test_unmapped_fields() -> None:
    response = DraftResponse.model_validate(
        draft(
            unmappedFields=[
                {"path": "budget", "reason": "No matching field", "valuePreview": "$5k"},
                {"path": ["meta", "team"], "reason": "Unknown"},
                "free-floating text",
            ]
        )
    )
    first, second, third = response.unmapped_fields
    assert (first.path, first.reason, first.value_preview) == ("budget", "No matching field", "$5k")
    assert second.path == '["meta", "team"]'
    assert second.value_preview is None
    assert (third.path, third.reason) == ("", "free-floating text")


def test_unmapped_fields_not_a_list_is_empty() -> None:
    assert DraftResponse.model_validate(draft(unmappedFields={"a": 1})).unmapped_fields == []


def test_low_confidence_fields_as_names_or_objects() -> None:
    response = DraftResponse.model_validate(
        draft(
            lowConfidenceFields=[
                "headcount",
                {"field": "languages", "confidence": 0.4},
                {"path": "countries"},
                {"key": "dataVolume"},
                {"confidence": 0.1},
                5,
            ]
        )
    )
    assert response.low_confidence_fields == ["headcount", "languages", "countries", "dataVolume"]
    assert DraftResponse.model_validate(draft(lowConfidenceFields="x")).low_confidence_fields == []


def test_extra_keys_are_ignored_everywhere() -> None:
    body = draft(somethingNew={"a": 1}, apiVersion=3)
    body["validation"]["futureFlag"] = True
    body["missingFields"][0]["severity"] = "high"
    response = DraftResponse.model_validate(body)
    assert response.job_id == "job_123"
    assert response.missing_fields[0].field == "experienceLevel"
    assert not hasattr(response, "somethingNew")


def test_normalized_fields_not_an_object_is_none() -> None:
    assert DraftResponse.model_validate(draft(normalizedFields=[1, 2])).normalized_fields is None
    values = DraftResponse.model_validate(CREATE_EXAMPLE).normalized_fields
    assert values is not None and values["headcount"] == 5


def test_numeric_job_id_becomes_a_string() -> None:
    assert DraftResponse.model_validate({"jobId": 123}).job_id == "123"


def test_missing_job_id_is_rejected() -> None:
    with pytest.raises(ShapeError):
        DraftResponse.model_validate({"ok": True, "validation": {}})


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": None},
        {"draftUrl": 5},
        {"reviewUrl": None},
        {"ok": None},
        {"validation": None},
        {"validation": ["experienceLevel"]},
    ],
)
def test_odd_scalars_on_a_draft_reply_do_not_fail_the_whole_reply(
    overrides: dict[str, object],
) -> None:
    response = DraftResponse.model_validate(draft(**overrides))
    assert response.job_id == "job_123"
    assert response.status in {"DRAFT"}
    assert [m.field for m in response.missing_fields] == ["experienceLevel", "pricePerLabel"]


# ---- validation counts and readiness -------------------------------------------------------


def test_ready_needs_publish_ready_and_no_issues() -> None:
    assert Validation.model_validate({"publishReady": True}).ready
    assert not Validation.model_validate({"publishReady": True, "issueCount": 1}).ready
    assert not Validation.model_validate({"publishReady": True, "issues": ["Rate too low"]}).ready
    assert not Validation.model_validate({}).ready


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (False, False), (None, False), ("false", False), ("true", True), (0, False)],
)
def test_publish_ready_parses_loose_booleans(raw: Any, expected: bool) -> None:
    assert Validation.model_validate({"publishReady": raw}).publish_ready is expected


def test_counts_that_are_not_integers_are_unknown() -> None:
    validation = Validation.model_validate({"issueCount": "2", "missingFieldCount": True})
    assert validation.issue_count is None
    assert validation.missing_field_count is None


@pytest.mark.parametrize(
    ("raw", "message", "code", "field"),
    [
        (
            {
                "message": "Rate is below the floor.",
                "code": "RATE_TOO_LOW",
                "field": "pricePerHour",
            },
            "Rate is below the floor.",
            "RATE_TOO_LOW",
            "pricePerHour",
        ),
        ({"message": "Too low", "path": ["pricePerHour"]}, "Too low", None, "pricePerHour"),
        ({"message": "Bad", "path": "countries"}, "Bad", None, "countries"),
        ({"message": "Bad", "path": "countries.1"}, "Bad", None, "countries"),
        ({"message": "Bad", "path": ["countries", 1]}, "Bad", None, "countries"),
        ({"message": "Bad", "path": [0, "labelTypes"]}, "Bad", None, "labelTypes"),
        ({"message": "Bad", "path": []}, "Bad", None, None),
        ({"code": "ONLY_CODE"}, "ONLY_CODE", "ONLY_CODE", None),
        ("A plain sentence.", "A plain sentence.", None, None),
        ({"weird": [1]}, '{"weird": [1]}', None, None),
    ],
)
def test_issue_shapes(raw: Any, message: str, code: str | None, field: str | None) -> None:
    issue = Issue.model_validate(raw)
    assert (issue.message, issue.code, issue.field) == (message, code, field)


def test_issues_not_a_list_are_empty() -> None:
    assert Validation.model_validate({"issues": "x"}).issues == []


# ---- capabilities (§1.3) -------------------------------------------------------------------

CAPABILITIES: dict[str, Any] = {
    "featureKey": "public_api_job_drafting",
    "namespace": "job-drafts",
    "rolloutMode": "ALLOWLIST",
    "actorIsAdmin": False,
    "capabilities": {
        "draftImport": True,
        "draftCreate": True,
        "draftUpdate": True,
        "draftUrlRead": True,
        "publish": False,
        "hiring": False,
        "messagingWrites": False,
        "team": True,
        "paymentsWrite": False,
        "credits": False,
        "webhooks": False,
    },
    "draft": {
        "importFormats": ["text", "opentrain_canonical", "schema_org_job_posting"],
        "updateKeys": ["jobTitle", "paymentType", "pricePerHour", "visibility", "..."],
        "enums": {
            "paymentType": ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"],
            "experienceLevel": EXPERIENCE,
            "dataVolumeUnit": ["NUMBER_OF_FILES", "UNKNOWN_NOT_SPECIFIED"],
            "visibility": ["PUBLIC", "INVITE_ONLY"],
            "freelancerType": ["INDIVIDUAL", "AGENCY"],
        },
    },
    "authBootstrap": "token",
    "enabled": True,
}


def test_capabilities_with_extra_enums() -> None:
    caps = Capabilities.model_validate(CAPABILITIES)

    assert caps.feature_key == "public_api_job_drafting"
    assert caps.draft.update_keys == ["jobTitle", "paymentType", "pricePerHour", "visibility"]
    assert caps.draft.enums.for_key("paymentType") == [
        "PAY_PER_LABEL",
        "PAY_PER_HOUR",
        "FIXED_PRICE",
    ]
    assert caps.draft.enums.for_key("dataVolumeUnit") == [
        "NUMBER_OF_FILES",
        "UNKNOWN_NOT_SPECIFIED",
    ]
    assert caps.draft.enums.for_key("visibility") == ["PUBLIC", "INVITE_ONLY"]
    assert caps.draft.enums.for_key("freelancerType") == ["INDIVIDUAL", "AGENCY"]
    assert caps.draft.enums.for_key("jobTitle") == []
    assert caps.can("draftCreate") is True
    assert caps.can("publish") is False
    assert caps.can("somethingNew") is True  # unknown flags count as on


@pytest.mark.parametrize(
    "draft_part",
    [
        {"enums": {"paymentType": None, "experienceLevel": ["EXPERT", None, 3]}},
        {"enums": "none"},
        {"importFormats": [1, "text"], "updateKeys": "jobTitle"},
        [],
        None,
    ],
)
def test_capabilities_tolerate_odd_draft_parts(draft_part: Any) -> None:
    caps = Capabilities.model_validate({**CAPABILITIES, "draft": draft_part})
    assert caps.draft.enums.for_key("paymentType") == []
    assert caps.draft.enums.for_key("experienceLevel") in ([], ["EXPERT", "3"])


def test_capabilities_tolerate_odd_scalars() -> None:
    caps = Capabilities.model_validate(
        {"featureKey": 3, "enabled": None, "capabilities": ["publish"]}
    )
    assert caps.capabilities == {}
    assert caps.enabled is True


# ---- the other replies ---------------------------------------------------------------------


def test_publish_result_documented_shape() -> None:
    result = PublishResult.model_validate(
        {
            "ok": True,
            "jobId": "job_1",
            "status": "OPEN",
            "alreadyPublished": False,
            "jobUrl": "https://app.opentrain.ai/jobs/job_1",
            "publishAttemptId": None,
            "warnings": ["Consider adding a sample."],
            "sideEffects": {"dispatched": True, "status": "queued"},
        }
    )
    assert result.status == "OPEN"
    assert result.already_published is False
    assert result.job_url == "https://app.opentrain.ai/jobs/job_1"
    assert result.warnings == ["Consider adding a sample."]


def test_my_jobs_and_facets_and_me() -> None:
    page = MyJobsPage.model_validate(
        {
            "jobs": [{"id": 7, "title": "Old draft", "status": "DRAFT", "published": False}],
            "nextCursor": "c2",
        }
    )
    assert page.jobs[0].id == "7"
    assert page.next_cursor == "c2"
    facets = MarketplaceFacets.model_validate(
        {
            "totalJobs": 3,
            "languages": [{"value": "English", "count": 3}],
            "countries": [{"value": "US", "count": 2}],
            "payTypes": [{"value": "PAY_PER_HOUR", "count": 1}],
            "generatedAt": "2025-01-01T00:00:00Z",
        }
    )
    assert facets.countries[0].value == "US"
    assert facets.pay_types[0].count == 1
    me = Me.model_validate(
        {
            "actor": {"userId": "u1", "fullName": "Ada"},
            "token": {"id": "t", "scopes": ["jobs:read"]},
        }
    )
    assert me.actor.full_name == "Ada"
    assert me.token.scopes == ["jobs:read"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("text", "text"),
        ({"message": "m", "code": "c"}, "m"),
        ({"error": "e"}, "e"),
        ({"reason": "r"}, "r"),
        ({"message": ""}, '{"message": ""}'),
        ([1, "a"], '[1, "a"]'),
        (3.5, "3.5"),
    ],
)
def test_as_text(value: Any, expected: str) -> None:
    assert as_text(value) == expected


def test_capability_flags_spelled_as_strings() -> None:
    caps = Capabilities.model_validate(
        {"capabilities": {"publish": "false", "draftCreate": "true", "team": None}}
    )
    assert caps.can("publish") is False
    assert caps.can("draftCreate") is True
    assert caps.can("team") is False


def test_enum_values_as_value_label_objects_and_duplicates() -> None:
    field = MissingField.model_validate(
        {
            "field": "visibility",
            "enumValues": [
                {"value": "PUBLIC", "label": "Public"},
                {"code": "INVITE_ONLY"},
                "PUBLIC",
                {"label": "no value"},
                ["nested"],
            ],
        }
    )
    assert field.enum_values == ["PUBLIC", "INVITE_ONLY"]
    caps = Capabilities.model_validate(
        {"draft": {"enums": {"visibility": [{"value": "PUBLIC"}, "PUBLIC", "PRIVATE"]}}}
    )
    assert caps.draft.enums.for_key("visibility") == ["PUBLIC", "PRIVATE"]
