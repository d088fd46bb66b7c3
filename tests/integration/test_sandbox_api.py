"""The sandbox's OpenTrain public API over real loopback HTTP: auth, drafts, publish, listings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from wizard.sandbox import (
    SANDBOX_AT_LIMIT_TOKEN,
    SANDBOX_NO_DRAFTING_TOKEN,
    SANDBOX_NO_PUBLISH_TOKEN,
    SANDBOX_OTHER_TOKEN,
    SANDBOX_READONLY_TOKEN,
    SANDBOX_TOKEN,
    SandboxServer,
)
from wizard.sandbox.app import sandbox_state
from wizard.sandbox.edge import FACETS_WINDOW_SECONDS, EdgeCache

PREFIX = "/api/public/v1"

# Sample descriptions, one per kind of gap they leave.
COMPLETE = (
    "Bounding box annotation for retail shelf images\n"
    "We need 10 annotators to draw bounding boxes around every product in 20,000 images of"
    " supermarket shelves. Pay is $18/hour. Annotators must read English and be based in the US"
    " or Canada. Entry-level candidates are welcome: we train you on our guidelines in CVAT"
    " during a paid onboarding week, and a reviewer checks every batch before it is accepted."
)
AUDIO_PER_LABEL = (
    "Spanish audio transcription\n"
    "Transcribe 500 hours of audio from customer-support calls recorded in Mexico and Spain."
    " Paid $0.05 per label; each label is one utterance."
)
VAGUE = "Need help labeling some data for our model."
FIXED_TEXT = (
    "Text classification of legal documents\n"
    "Classify 1M words of contracts into 12 categories. Fixed price of $1,200 for the whole"
    " batch. French and German required. We need 4 expert reviewers."
)
NO_UNIT = (
    "Chatbot response rating\n"
    "Rate a dataset of 20,000 samples for helpfulness. $15 per hour. English. Philippines or"
    " India. Hire 5 people. Intermediate level."
)
LOW_RATE = "Image tagging\nTag 5,000 photos at $3/hour with 2 annotators, English, UK, entry-level."
HOURLY_NO_RATE = (
    "Podcast transcription\nHourly pay, 20 transcribers, 300 hours of podcasts in English,"
    " from Nigeria, intermediate."
)

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture(scope="module")
def client_for(server: SandboxServer) -> Iterator[Callable[[str], httpx.Client]]:
    """One reusable client per token (building an httpx.Client is slow: it loads CA certs)."""
    made: dict[str, httpx.Client] = {}

    def client(token: str) -> httpx.Client:
        if token not in made:
            made[token] = httpx.Client(base_url=server.base_url + PREFIX, headers=bearer(token))
        return made[token]

    yield client
    for each in made.values():
        each.close()


@pytest.fixture(scope="module")
def api(client_for: Callable[[str], httpx.Client]) -> httpx.Client:
    return client_for(SANDBOX_TOKEN)


@pytest.fixture(scope="module")
def anon(server: SandboxServer) -> Iterator[httpx.Client]:
    """No token, rooted at the origin (tokenless endpoints and the control routes)."""
    with httpx.Client(base_url=server.base_url) as client:
        yield client


@pytest.fixture
def clean(anon: httpx.Client) -> None:
    """Forget all jobs and publish counts, for tests that count or publish."""
    anon.post("/_sandbox/reset").raise_for_status()


def create(api: httpx.Client, text: str, **extra: Any) -> dict[str, Any]:
    response = api.post("/job-drafts", json={"rawJobDescription": text, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "code", "requestId", "details"}
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"].endswith(".")
    assert UUID4.match(body["requestId"])
    assert response.headers["x-request-id"] == body["requestId"]
    assert isinstance(body["details"], dict)
    return body


def issue_paths(body: dict[str, Any]) -> list[list[Any]]:
    return [issue["path"] for issue in body["details"]["issues"]]


# --- auth ---------------------------------------------------------------------------------


def test_auth_me_describes_the_token_and_account(api: httpx.Client) -> None:
    body = api.get("/auth/me").json()
    assert body["actor"]["userType"] == "EMPLOYER"
    assert set(body["actor"]) == {
        "userId",
        "email",
        "firstName",
        "lastName",
        "fullName",
        "userType",
    }
    assert body["token"]["scopes"] == [
        "jobs:read",
        "jobs:write",
        "proposals:read",
        "messages:read",
        "payments:read",
        "team:read",
    ]
    assert body["account"] == {
        "kind": "employer_organization",
        "organizationId": body["token"]["ownerOrganizationId"],
        "ownerUserId": body["actor"]["userId"],
        "memberRole": "OWNER",
        # Not documented (sandbox README item 33): the claim state and the day's allowance.
        "claimed": True,
        "publishLimit": {"limit": 20, "windowHours": 24, "used": 0, "remaining": 20},
    }


def test_auth_me_tells_an_unclaimed_account_its_claim_link_and_publishes_left(
    client_for: Callable[[str], httpx.Client], clean: None
) -> None:
    at_limit = client_for(SANDBOX_AT_LIMIT_TOKEN)
    account = at_limit.get("/auth/me").json()["account"]
    assert account["claimed"] is False
    assert account["claimUrl"].endswith("/claim")
    assert account["publishLimit"] == {"limit": 3, "windowHours": 24, "used": 3, "remaining": 0}
    # The publish answers the documented 429, as the allowance said it would.
    job_id = create(at_limit, COMPLETE)["jobId"]
    body = assert_envelope(at_limit.post(f"/jobs/{job_id}/publish"), 429, "RATE_LIMITED")
    assert body["details"] == {"limit": 3, "windowHours": 24}
    # An unclaimed account's count goes down as it publishes.
    other = client_for(SANDBOX_OTHER_TOKEN)
    job_id = create(other, COMPLETE)["jobId"]
    other.post(f"/jobs/{job_id}/publish").raise_for_status()
    left = other.get("/auth/me").json()["account"]["publishLimit"]
    assert (left["used"], left["remaining"]) == (1, 2)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer"}, bearer("ot_pat_nope_123")],
    ids=["missing", "wrong-scheme", "empty", "unknown"],
)
def test_bad_credentials_are_401_without_echoing_the_token(
    anon: httpx.Client, server: SandboxServer, headers: dict[str, str]
) -> None:
    response = anon.get(f"{PREFIX}/auth/me", headers=headers)
    body = assert_envelope(response, 401, "UNAUTHORIZED")
    assert "ot_pat_nope" not in response.text
    assert body["details"] == {}


def test_read_only_token_cannot_write(
    client_for: Callable[[str], httpx.Client], api: httpx.Client
) -> None:
    job = create(api, VAGUE)
    reader = client_for(SANDBOX_READONLY_TOKEN)
    caps = reader.get("/job-drafts/capabilities").json()
    assert caps["capabilities"]["draftCreate"] is False
    assert caps["capabilities"]["publish"] is False
    for response in (
        reader.post("/job-drafts", json={"rawJobDescription": VAGUE}),
        reader.patch(f"/job-drafts/{job['jobId']}", json={"headcount": 2}),
        reader.post(f"/jobs/{job['jobId']}/publish"),
    ):
        body = assert_envelope(response, 403, "FORBIDDEN")
        assert body["details"]["missingScope"] == "jobs:write"
    assert reader.get("/jobs/mine").status_code == 200


def test_account_without_drafting_gets_403_with_feature_details(
    client_for: Callable[[str], httpx.Client], api: httpx.Client
) -> None:
    client = client_for(SANDBOX_NO_DRAFTING_TOKEN)
    body = assert_envelope(client.get("/job-drafts/capabilities"), 403, "FORBIDDEN")
    assert body["details"] == {"featureKey": "public_api_job_drafting", "mode": "ALLOWLIST"}
    body = assert_envelope(
        client.post("/job-drafts", json={"rawJobDescription": VAGUE}), 403, "FORBIDDEN"
    )
    assert body["details"]["featureKey"] == "public_api_job_drafting"


def test_account_without_publishing_can_draft_but_not_publish(
    client_for: Callable[[str], httpx.Client], api: httpx.Client
) -> None:
    client = client_for(SANDBOX_NO_PUBLISH_TOKEN)
    assert client.get("/job-drafts/capabilities").json()["capabilities"]["publish"] is False
    job = create(client, COMPLETE)
    body = assert_envelope(client.post(f"/jobs/{job['jobId']}/publish"), 403, "FORBIDDEN")
    assert body["details"] == {"featureKey": "public_api_job_publishing", "mode": "ALLOWLIST"}


def test_another_accounts_draft_is_forbidden_to_patch_and_missing_to_publish(
    client_for: Callable[[str], httpx.Client],
    api: httpx.Client,
) -> None:
    job = create(api, COMPLETE)
    other = client_for(SANDBOX_OTHER_TOKEN)
    assert_envelope(
        other.patch(f"/job-drafts/{job['jobId']}", json={"headcount": 3}), 403, "FORBIDDEN"
    )
    assert_envelope(other.post(f"/jobs/{job['jobId']}/publish"), 404, "NOT_FOUND")
    assert job["jobId"] not in [j["id"] for j in other.get("/jobs/mine").json()["jobs"]]


# --- capabilities ------------------------------------------------------------------------------


def test_capabilities_has_the_documented_shape(api: httpx.Client) -> None:
    body = api.get("/job-drafts/capabilities").json()
    assert set(body) == {
        "featureKey",
        "namespace",
        "rolloutMode",
        "actorIsAdmin",
        "capabilities",
        "draft",
        "authBootstrap",
        "enabled",
    }
    assert body["featureKey"] == "public_api_job_drafting"
    assert body["namespace"] == "job-drafts"
    assert body["enabled"] is True
    assert set(body["capabilities"]) == {
        "draftImport",
        "draftCreate",
        "draftUpdate",
        "draftUrlRead",
        "publish",
        "hiring",
        "messagingWrites",
        "team",
        "paymentsWrite",
        "credits",
        "webhooks",
    }
    assert all(isinstance(v, bool) for v in body["capabilities"].values())
    assert body["capabilities"]["draftCreate"] and body["capabilities"]["publish"]
    draft = body["draft"]
    assert draft["importFormats"] == [
        "text",
        "opentrain_canonical",
        "schema_org_job_posting",
        "indeed_xml",
        "hr_xml",
    ]
    # At least the 26 keys the documents name (exactly the accepted set is checked in
    # test_sandbox_conformance.py, against the sandbox's own schema).
    assert len(draft["updateKeys"]) >= 26 and "..." not in draft["updateKeys"]
    assert {"jobTitle", "pricePerLabel", "visibility", "aiInterviewRequirements"} <= set(
        draft["updateKeys"]
    )
    assert draft["enums"] == {
        "paymentType": ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"],
        "experienceLevel": ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"],
        "dataVolumeUnit": [
            "HOURS_OF_RECORDING_AUDIO_VIDEO",
            "NUMBER_OF_FILES",
            "NUMBER_OF_WORDS",
            "UNKNOWN_NOT_SPECIFIED",
        ],
    }


# --- create --------------------------------------------------------------------------------


def test_create_response_puts_names_in_validation_and_rich_objects_on_top(
    api: httpx.Client, server: SandboxServer
) -> None:
    body = create(api, AUDIO_PER_LABEL)
    assert body["ok"] is True and body["status"] == "DRAFT"
    assert body["draftUrl"] == f"{server.base_url}/job-post?jobId={body['jobId']}"
    assert body["reviewUrl"].startswith(server.base_url)
    validation = body["validation"]
    assert validation["missingFields"] == ["labelingOverview", "experienceLevel", "headcount"]
    assert validation["missingFieldCount"] == 3 and validation["publishReady"] is False
    assert [m["field"] for m in body["missingFields"]] == validation["missingFields"]
    level = body["missingFields"][1]
    assert set(level) == {
        "field",
        "label",
        "message",
        "code",
        "prompt",
        "type",
        "enumValues",
        "updateKeys",
        "example",
        "hint",
    }
    assert level["code"] == "missing_required_field"
    assert level["prompt"].startswith("ask: ")
    assert level["prompt"].endswith("(EXPERT, ENTRY_LEVEL, INTERMEDIATE, ANY_EXPERIENCE_LEVEL)")
    assert level["message"].endswith("before publishing.")
    assert level["type"] == "enum" and level["updateKeys"] == ["experienceLevel"]
    headcount = body["missingFields"][2]
    assert headcount["example"] == "5" and headcount["enumValues"] is None
    assert all(isinstance(w, dict) and {"code", "message"} <= set(w) for w in body["warnings"])
    assert isinstance(body["unmappedFields"], list) and isinstance(
        body["lowConfidenceFields"], list
    )
    assert body["normalizedFields"]["jobDescription"] == AUDIO_PER_LABEL


def test_create_shape_b_source_object(api: httpx.Client) -> None:
    response = api.post(
        "/job-drafts",
        json={
            "source": {
                "type": "text",
                "text": NO_UNIT,
                "externalId": "ats-7",
                "idempotencyKey": "shape-b",
            },
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["externalId"] == "ats-7"
    assert body["normalizedFields"]["jobTitle"] == "Chatbot response rating"


def test_create_shape_c_canonical_job(api: httpx.Client) -> None:
    response = api.post(
        "/job-drafts",
        json={
            "format": "opentrain_canonical",
            "job": {
                "title": "Receipt OCR checking",
                "description": "Check OCR output of 3,000 receipts.",
                "paymentType": "PAY_PER_LABEL",
                "rateAmount": 0.04,
                "languages": ["english", "es"],
                "countries": ["Kenya", "ng", "Atlantis"],
                "labelTypes": ["Transcription"],
                "tools": ["Label Studio"],
                "experienceLevel": "ENTRY_LEVEL",
                "department": "Finance",
            },
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    fields = body["normalizedFields"]
    assert fields["jobTitle"] == "Receipt OCR checking"
    assert fields["pricePerLabel"] == 0.04 and fields["paymentType"] == "PAY_PER_LABEL"
    assert fields["languages"] == ["English", "Spanish"]
    assert fields["countries"] == ["KE", "NG"]
    assert fields["labelingSoftware"] == "Label Studio"
    assert fields["dataVolume"] == 3000 and fields["dataVolumeUnit"] == "NUMBER_OF_FILES"
    unmapped = {u["path"]: u for u in body["unmappedFields"]}
    assert set(unmapped) == {"job.countries[2]", "job.department"}
    assert unmapped["job.department"]["valuePreview"] == "Finance"
    assert body["validation"]["missingFields"] == ["labelingOverview", "headcount"]


@pytest.mark.parametrize(
    "payload",
    [
        {"format": "schema_org_job_posting", "jsonLd": {"@type": "JobPosting"}},
        {"format": "indeed_xml", "xml": "<job/>"},
        {"source": {"type": "hr_xml", "xml": "<job/>"}},
    ],
    ids=["schema-org", "indeed", "hr-xml-source"],
)
def test_structured_formats_are_refused_with_a_clear_sentence(
    api: httpx.Client, payload: dict[str, Any]
) -> None:
    body = assert_envelope(api.post("/job-drafts", json=payload), 400, "BAD_REQUEST")
    assert "does not support" in body["error"]
    assert body["details"]["supportedFormats"] == ["text", "opentrain_canonical"]


def test_create_shape_d_top_level_ids_and_idempotent_replay(
    client_for: Callable[[str], httpx.Client], api: httpx.Client
) -> None:
    payload = {
        "rawJobDescription": FIXED_TEXT,
        "externalId": "crm-42",
        "idempotencyKey": "replay-me",
    }
    first = api.post("/job-drafts", json=payload)
    assert first.status_code == 201
    job_id = first.json()["jobId"]
    api.patch(f"/job-drafts/{job_id}", json={"countries": ["FR"]}).raise_for_status()
    again = api.post("/job-drafts", json=payload)
    assert again.status_code == 200
    replay = again.json()
    assert replay["jobId"] == job_id and replay["externalId"] == "crm-42"
    # The replay reports the draft as it is now, not as it was created.
    assert "countries" not in replay["validation"]["missingFields"]
    assert replay["warnings"][0]["code"] == "IDEMPOTENT_REPLAY"
    fresh = api.post("/job-drafts", json={**payload, "idempotencyKey": "another-key"})
    assert fresh.status_code == 201 and fresh.json()["jobId"] != job_id
    other = client_for(SANDBOX_OTHER_TOKEN)
    theirs = other.post("/job-drafts", json=payload)
    assert theirs.status_code == 201 and theirs.json()["jobId"] != job_id


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"rawJobDescription": "x" * 60_001}, ["rawJobDescription"]),
        ({"rawJobDescription": "   "}, ["rawJobDescription"]),
        ({"rawJobDescription": 12}, ["rawJobDescription"]),
        ({}, []),
        ({"rawJobDescription": VAGUE, "source": {"type": "text", "text": VAGUE}}, []),
        ({"rawJobDescription": VAGUE, "extra": 1}, []),
        ({"source": {"type": "pdf", "text": VAGUE}}, ["source", "type"]),
        ({"source": {"type": "text"}}, ["source", "text"]),
        ({"format": "opentrain_canonical", "job": {"rateAmount": "ten"}}, ["job", "rateAmount"]),
        ({"rawJobDescription": VAGUE, "idempotencyKey": ""}, ["idempotencyKey"]),
        ({"rawJobDescription": VAGUE, "idempotencyKey": None}, ["idempotencyKey"]),
        ({"rawJobDescription": VAGUE, "format": "opentrain_canonical", "job": {}}, []),
        ({"rawJobDescription": VAGUE, "job": {"title": "T"}}, []),
        ({"job": {"title": "T"}}, ["format"]),
        ({"format": "opentrain_canonical"}, ["job"]),
        ({"format": "csv", "job": {}}, ["format"]),
    ],
    ids=[
        "too-long",
        "blank",
        "not-text",
        "empty",
        "two-shapes",
        "unknown-key",
        "bad-source-type",
        "no-source-text",
        "canonical-type",
        "blank-key",
        "null-key",
        "text-and-canonical",
        "text-and-job",
        "job-without-format",
        "format-without-job",
        "unknown-format",
    ],
)
def test_create_rejects_bad_bodies_with_zod_paths(
    api: httpx.Client, payload: dict[str, Any], path: list[Any]
) -> None:
    body = assert_envelope(api.post("/job-drafts", json=payload), 400, "BAD_REQUEST")
    assert path in issue_paths(body)


def test_create_accepts_the_text_format_and_the_mcp_field_name(api: httpx.Client) -> None:
    explicit = api.post("/job-drafts", json={"format": "text", "rawJobDescription": NO_UNIT})
    assert explicit.status_code == 201
    alias = api.post("/job-drafts", json={"jobDescription": NO_UNIT})
    assert alias.status_code == 201
    assert explicit.json()["normalizedFields"] == alias.json()["normalizedFields"]


def test_create_accepts_the_full_60000_characters(api: httpx.Client) -> None:
    text = ("Title line\n" + "Annotate images of shelves in English. " * 2000)[:60_000]
    assert len(text) == 60_000
    create(api, text)


# --- what different descriptions leave missing -----------------------------------------


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        (COMPLETE, []),
        (AUDIO_PER_LABEL, ["labelingOverview", "experienceLevel", "headcount"]),
        (
            VAGUE,
            [
                "jobTitle",
                "labelingOverview",
                "experienceLevel",
                "paymentType",
                "languages",
                "countries",
                "headcount",
                "dataVolume",
            ],
        ),
        (FIXED_TEXT, ["labelingOverview", "countries"]),
        (NO_UNIT, ["labelingOverview", "dataVolumeUnit"]),
        (LOW_RATE, ["labelingOverview"]),
        (HOURLY_NO_RATE, ["labelingOverview", "pricePerHour"]),
    ],
    ids=["complete", "audio", "vague", "fixed", "no-unit", "low-rate", "hourly-no-rate"],
)
def test_each_description_leaves_its_own_gaps(
    api: httpx.Client, text: str, missing: list[str]
) -> None:
    body = create(api, text)
    assert body["validation"]["missingFields"] == missing
    assert body["validation"]["publishReady"] is (not missing and text != LOW_RATE)


def test_vague_description_asks_for_data_volume_as_one_compound_field(api: httpx.Client) -> None:
    body = create(api, VAGUE)
    volume = next(m for m in body["missingFields"] if m["field"] == "dataVolume")
    assert volume["type"] == "number"
    assert volume["updateKeys"] == ["dataVolume", "dataVolumeUnit"]
    assert volume["enumValues"] is None
    assert volume["prompt"].endswith("UNKNOWN_NOT_SPECIFIED)")
    patched = api.patch(f"/job-drafts/{body['jobId']}", json={"dataVolume": 1200}).json()
    unit = next(
        m for m in patched["validation"]["missingFields"] if m["field"].startswith("dataVolume")
    )
    assert unit["field"] == "dataVolumeUnit" and unit["type"] == "enum"
    assert unit["updateKeys"] == ["dataVolumeUnit"]
    assert unit["enumValues"] == [
        "HOURS_OF_RECORDING_AUDIO_VIDEO",
        "NUMBER_OF_FILES",
        "NUMBER_OF_WORDS",
        "UNKNOWN_NOT_SPECIFIED",
    ]


def test_payment_type_makes_its_rate_required_and_the_floor_is_an_issue(api: httpx.Client) -> None:
    job_id = create(api, VAGUE)["jobId"]
    body = api.patch(f"/job-drafts/{job_id}", json={"paymentType": "PAY_PER_HOUR"}).json()
    missing = {m["field"]: m for m in body["validation"]["missingFields"]}
    assert "paymentType" not in missing
    rate = missing["pricePerHour"]
    assert rate["message"] == "A pay rate is required for Pay per hour."
    assert rate["type"] == "number" and rate["updateKeys"] == ["pricePerHour"]
    assert rate["hint"] == "USD per hour, at least 5" and rate["example"] == "18"
    assert rate["code"] == "MISSING_PRICE_PER_HOUR" and not rate["prompt"].startswith("ask:")

    low = api.patch(f"/job-drafts/{job_id}", json={"pricePerHour": 3}).json()["validation"]
    assert "pricePerHour" not in [m["field"] for m in low["missingFields"]]
    assert low["issueCount"] == 1 and low["issues"][0]["code"] == "RATE_BELOW_MINIMUM"
    assert low["issues"][0]["field"] == "pricePerHour"
    ok = api.patch(f"/job-drafts/{job_id}", json={"pricePerHour": 18}).json()["validation"]
    assert ok["issueCount"] == 0 and ok["issues"] == []

    switched = api.patch(f"/job-drafts/{job_id}", json={"paymentType": "FIXED_PRICE"}).json()
    fixed = next(m for m in switched["validation"]["missingFields"] if m["field"] == "fixedPrice")
    assert fixed["message"] == "A pay rate is required for Fixed price."
    assert fixed["hint"] == "USD for the whole job, at least 50"


def test_rate_floor_issue_blocks_publishing(api: httpx.Client) -> None:
    body = create(api, LOW_RATE)
    assert body["validation"]["issues"][0]["code"] == "RATE_BELOW_MINIMUM"
    api.patch(
        f"/job-drafts/{body['jobId']}", json={"labelingOverview": "Tag every photo."}
    ).raise_for_status()
    refused = assert_envelope(api.post(f"/jobs/{body['jobId']}/publish"), 400, "BAD_REQUEST")
    assert refused["details"]["validation"]["issueCount"] == 1


# --- strict PATCH -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "code", "path"),
    [
        ({"pricePerHour": "18"}, "invalid_type", ["pricePerHour"]),
        ({"languages": "English"}, "invalid_type", ["languages"]),
        ({"labelTypes": ["Box", 3]}, "invalid_type", ["labelTypes", 1]),
        ({"headcount": 2.5}, "invalid_type", ["headcount"]),
        ({"jobTitle": None}, "invalid_type", ["jobTitle"]),
        ({"experienceLevel": "SENIOR"}, "invalid_enum_value", ["experienceLevel"]),
        ({"paymentType": "pay_per_hour"}, "invalid_enum_value", ["paymentType"]),
        ({"headcount": 0}, "too_small", ["headcount"]),
        ({"pricePerLabel": 0}, "too_small", ["pricePerLabel"]),
        ({"jobTitle": ""}, "too_small", ["jobTitle"]),
        ({"headcount": 501}, "too_big", ["headcount"]),
        ({"jobTitle": "t" * 121}, "too_big", ["jobTitle"]),
        ({"countries": ["US", "XX"]}, "custom", ["countries", 1]),
        ({"pricePerHuor": 18}, "unrecognized_keys", []),
    ],
    ids=[
        "string-number",
        "string-list",
        "list-item",
        "fraction",
        "null",
        "enum",
        "enum-case",
        "zero-headcount",
        "zero-rate",
        "empty-title",
        "headcount-max",
        "title-max",
        "country",
        "unknown-key",
    ],
)
def test_patch_rejections_carry_zod_issues(
    api: httpx.Client, payload: dict[str, Any], code: str, path: list[Any]
) -> None:
    job_id = create(api, VAGUE)["jobId"]
    body = assert_envelope(api.patch(f"/job-drafts/{job_id}", json=payload), 400, "BAD_REQUEST")
    issues = body["details"]["issues"]
    assert [(i["code"], i["path"]) for i in issues] == [(code, path)]
    assert issues[0]["message"]
    if code == "invalid_enum_value":
        assert issues[0]["options"]
    if code == "unrecognized_keys":
        assert issues[0]["keys"] == ["pricePerHuor"]
    assert body["error"].startswith("Invalid draft update")


def test_patch_suggests_the_code_for_a_country_name(api: httpx.Client) -> None:
    job_id = create(api, VAGUE)["jobId"]
    body = assert_envelope(
        api.patch(f"/job-drafts/{job_id}", json={"countries": ["Canada"]}), 400, "BAD_REQUEST"
    )
    assert "such as CA" in body["details"]["issues"][0]["message"]


@pytest.mark.parametrize(
    "raw",
    [b"", b"{not json", b"[1, 2]", b'"text"', b"{}", b'{"headcount": NaN}', b"\xff\xfe\x00"],
    ids=["empty", "malformed", "array", "string", "empty-object", "nan", "bad-bytes"],
)
def test_patch_rejects_unusable_bodies(api: httpx.Client, raw: bytes) -> None:
    job_id = create(api, VAGUE)["jobId"]
    response = api.patch(
        f"/job-drafts/{job_id}", content=raw, headers={"content-type": "application/json"}
    )
    body = assert_envelope(response, 400, "BAD_REQUEST")
    assert body["details"]["issues"]


def test_patch_normalises_values(api: httpx.Client) -> None:
    payload = {"rawJobDescription": VAGUE, "idempotencyKey": "normalise"}
    job_id = api.post("/job-drafts", json=payload).json()["jobId"]
    api.patch(
        f"/job-drafts/{job_id}",
        json={
            "countries": ["us", "gb", "US"],
            "languages": ["english", "fr", "Klingon"],
            "headcount": 3.0,
            "jobTitle": "  Padded title  ",
        },
    ).raise_for_status()
    # Replaying the create is the documented way to read the current normalizedFields.
    fields = api.post("/job-drafts", json=payload).json()["normalizedFields"]
    assert fields["countries"] == ["US", "GB"]
    assert fields["languages"] == ["English", "French", "Klingon"]
    assert fields["headcount"] == 3 and isinstance(fields["headcount"], int)
    assert fields["jobTitle"] == "Padded title"


def test_patch_sets_absolute_values_so_repeats_are_idempotent(api: httpx.Client) -> None:
    job_id = create(api, VAGUE)["jobId"]
    payload = {
        "experienceLevel": "INTERMEDIATE",
        "paymentType": "PAY_PER_LABEL",
        "pricePerLabel": 0.06,
    }
    first = api.patch(f"/job-drafts/{job_id}", json=payload)
    second = api.patch(f"/job-drafts/{job_id}", json=payload)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    body = first.json()
    assert set(body) == {"ok", "jobId", "status", "draftUrl", "validation"}
    assert body["status"] == "DRAFT"


def test_patch_unknown_job_is_404(api: httpx.Client) -> None:
    body = assert_envelope(
        api.patch("/job-drafts/cm-missing", json={"headcount": 2}), 404, "NOT_FOUND"
    )
    assert body["details"] == {"jobId": "cm-missing"}


def test_patch_completes_a_draft_round_by_round(api: httpx.Client) -> None:
    body = create(api, AUDIO_PER_LABEL)
    patched = api.patch(
        f"/job-drafts/{body['jobId']}",
        json={
            "labelingOverview": "Transcribe each utterance verbatim, tagging speaker turns.",
            "experienceLevel": "INTERMEDIATE",
            "headcount": 6,
        },
    ).json()
    assert patched["validation"] == {
        "publishReady": True,
        "issueCount": 0,
        "missingFieldCount": 0,
        "missingFields": [],
        "issues": [],
    }


# --- publish ------------------------------------------------------------------------------


def test_publish_ready_draft_then_again(
    api: httpx.Client, server: SandboxServer, clean: None
) -> None:
    job_id = create(api, COMPLETE)["jobId"]
    response = api.post(f"/jobs/{job_id}/publish")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True and body["status"] == "OPEN" and body["alreadyPublished"] is False
    assert (
        body["jobUrl"]
        == f"{server.base_url}/jobs/bounding-box-annotation-for-retail-shelf-images-{job_id}"
    )
    assert body["publishAttemptId"]
    assert body["sideEffects"] == {"dispatched": True, "status": "queued"}
    assert all(isinstance(w, str) for w in body["warnings"])

    again = api.post(f"/jobs/{job_id}/publish").json()
    assert again["alreadyPublished"] is True and again["jobUrl"] == body["jobUrl"]

    conflict = assert_envelope(
        api.patch(f"/job-drafts/{job_id}", json={"headcount": 2}), 409, "CONFLICT"
    )
    assert conflict["details"] == {"jobId": job_id, "status": "OPEN", "requiredStatus": "DRAFT"}


def test_publish_not_ready_returns_validation_with_rich_fields(api: httpx.Client) -> None:
    job_id = create(api, FIXED_TEXT)["jobId"]
    body = assert_envelope(api.post(f"/jobs/{job_id}/publish"), 400, "BAD_REQUEST")
    validation = body["details"]["validation"]
    assert validation["publishReady"] is False
    assert [m["field"] for m in validation["missingFields"]] == ["labelingOverview", "countries"]
    assert validation["missingFields"][1]["code"] == "MISSING_COUNTRIES"
    assert validation["missingFields"][1]["type"] == "string[]"


def test_publish_unknown_job_is_404(api: httpx.Client) -> None:
    assert_envelope(api.post("/jobs/cm-nothing/publish"), 404, "NOT_FOUND")


def test_moderation_blocks_publishing_and_names_the_field(api: httpx.Client, clean: None) -> None:
    job_id = create(api, COMPLETE)["jobId"]
    api.patch(
        f"/job-drafts/{job_id}", json={"jobTitle": "Label crypto trading screenshots"}
    ).raise_for_status()
    body = assert_envelope(api.post(f"/jobs/{job_id}/publish"), 403, "FORBIDDEN")
    assert body["details"] == {
        "reason": "moderation_blocked",
        "reasons": ["Job title: mentions a prohibited topic (crypto)."],
    }


def test_daily_publish_limit_is_three_for_an_unclaimed_account_and_not_retryable(
    client_for: Callable[[str], httpx.Client], api: httpx.Client, clean: None
) -> None:
    unclaimed = client_for(SANDBOX_OTHER_TOKEN)
    for _ in range(3):
        job_id = create(unclaimed, COMPLETE)["jobId"]
        assert unclaimed.post(f"/jobs/{job_id}/publish").status_code == 200
    job_id = create(unclaimed, COMPLETE)["jobId"]
    response = unclaimed.post(f"/jobs/{job_id}/publish")
    body = assert_envelope(response, 429, "RATE_LIMITED")
    assert body["details"] == {"limit": 3, "windowHours": 24}
    assert "retry-after" not in response.headers
    # The demo account is claimed: 20 a day, and another account's count is its own.
    for _ in range(4):
        mine = create(api, COMPLETE)["jobId"]
        assert api.post(f"/jobs/{mine}/publish").status_code == 200


# --- listings -------------------------------------------------------------------------------


def test_jobs_mine_pages_newest_first_with_drafts(api: httpx.Client, clean: None) -> None:
    ids = [create(api, f"Job {n}\nAnnotate {n} images.")["jobId"] for n in range(5)]
    api.post(f"/jobs/{create(api, COMPLETE)['jobId']}/publish").raise_for_status()
    seen: list[dict[str, Any]] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = api.get("/jobs/mine", params=params).json()
        pages += 1
        seen.extend(page["jobs"])
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert pages == 3
    assert [j["id"] for j in seen][1:] == list(reversed(ids))
    first = seen[0]
    assert first["status"] == "OPEN" and first["published"] is True and first["jobUrl"]
    draft = seen[1]
    assert set(draft) == {
        "id",
        "title",
        "status",
        "published",
        "acceptingApplicants",
        "createdAt",
        "updatedAt",
        "jobUrl",
        "proposalCounts",
    }
    assert draft["status"] == "DRAFT" and draft["jobUrl"] is None and draft["title"] == "Job 4"
    assert draft["proposalCounts"] == {"total": 0, "unreviewed": 0}
    only_open = api.get("/jobs/mine", params={"status": "OPEN"}).json()["jobs"]
    assert [j["status"] for j in only_open] == ["OPEN"]


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"status": "LIVE"}, "supportedStatuses"),
        ({"status": "open"}, "supportedStatuses"),
        ({"limit": 0}, "issues"),
        ({"limit": -3}, "issues"),
        ({"limit": "ten"}, "issues"),
        ({"limit": ""}, "issues"),
        ({"cursor": "garbage!"}, "cursor"),
    ],
    ids=[
        "status",
        "status-case",
        "limit-zero",
        "limit-negative",
        "limit-text",
        "limit-empty",
        "cursor",
    ],
)
def test_jobs_mine_rejects_bad_parameters(
    api: httpx.Client, params: dict[str, Any], detail: str
) -> None:
    body = assert_envelope(api.get("/jobs/mine", params=params), 400, "BAD_REQUEST")
    assert detail in body["details"]
    if detail == "supportedStatuses":
        assert body["details"]["supportedStatuses"] == [
            "DRAFT",
            "OPEN",
            "ONGOING",
            "COMPLETED",
            "ARCHIVED",
            "PENDING_APPROVAL",
        ]


def test_jobs_mine_caps_limit_at_100(api: httpx.Client) -> None:
    assert api.get("/jobs/mine", params={"limit": 1000}).status_code == 200
    assert api.get("/jobs/mine", params={"limit": "9" * 5000}).status_code == 200


# --- marketplace ------------------------------------------------------------------------------


def test_facets_are_tokenless_sorted_and_wide(anon: httpx.Client, server: SandboxServer) -> None:
    response = anon.get(f"{PREFIX}/jobs/facets")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    assert set(body) == {
        "totalJobs",
        "categories",
        "languages",
        "countries",
        "payTypes",
        "generatedAt",
    }
    assert 180 <= body["totalJobs"] <= 260
    assert len(body["countries"]) >= 60
    assert all(re.fullmatch(r"[A-Z]{2}", c["value"]) for c in body["countries"])
    assert body["languages"][0]["value"] == "English"
    assert {p["value"] for p in body["payTypes"]} == {
        "PAY_PER_HOUR",
        "FIXED_PRICE",
        "PAY_PER_LABEL",
    }
    for key in ("categories", "languages", "countries", "payTypes"):
        counts = [entry["count"] for entry in body[key]]
        assert counts == sorted(counts, reverse=True)
    preflight = anon.options(f"{PREFIX}/jobs/facets")
    assert preflight.status_code == 204


def test_facets_count_a_job_published_in_the_sandbox_once_the_window_ends(
    anon: httpx.Client, api: httpx.Client, server: SandboxServer, clean: None
) -> None:
    # The reference: the facets are edge-cached, "so generatedAt may lag". A published job
    # is therefore counted only once the cache window has passed, not on the next call.
    # A fake clock ends the window without waiting for it.
    now = [0.0]
    state = sandbox_state(server.app)
    real_cache = state.facets_cache
    state.facets_cache = EdgeCache(FACETS_WINDOW_SECONDS, clock=lambda: now[0])

    def counts() -> tuple[str, int, dict[str, int], dict[str, int]]:
        body = anon.get(f"{PREFIX}/jobs/facets").json()
        return (
            body["generatedAt"],
            body["totalJobs"],
            {c["value"]: c["count"] for c in body["countries"]},
            {p["value"]: p["count"] for p in body["payTypes"]},
        )

    try:
        before = counts()
        generated, total, countries, pay = before
        job_id = create(api, COMPLETE)["jobId"]
        api.patch(f"/job-drafts/{job_id}", json={"countries": ["IS"]}).raise_for_status()
        api.post(f"/jobs/{job_id}/publish").raise_for_status()
        now[0] = FACETS_WINDOW_SECONDS - 0.001
        assert counts() == before, "within the window: the same answer, generatedAt included"
        now[0] = FACETS_WINDOW_SECONDS
        new_generated, new_total, new_countries, new_pay = counts()
    finally:
        state.facets_cache = real_cache
    assert new_generated >= generated
    assert new_total == total + 1
    assert new_countries["IS"] == countries.get("IS", 0) + 1
    assert new_pay["PAY_PER_HOUR"] == pay["PAY_PER_HOUR"] + 1
    # The job itself is reachable at once: only the facets are cached here.
    found = anon.get(f"{PREFIX}/jobs/{job_id}").json()
    assert found["status"] == "OPEN" and found["countries"] == ["IS"]


def test_search_and_single_job(anon: httpx.Client, server: SandboxServer) -> None:
    base = PREFIX
    page = anon.get(
        f"{base}/jobs", params={"payType": "PAY_PER_LABEL", "limit": 5}, timeout=5
    ).json()
    assert len(page["jobs"]) == 5 and page["nextCursor"]
    assert all(j["pay"]["paymentType"] == "PAY_PER_LABEL" for j in page["jobs"])
    following = anon.get(
        f"{base}/jobs",
        params={"payType": "PAY_PER_LABEL", "limit": 5, "cursor": page["nextCursor"]},
        timeout=5,
    ).json()
    assert not {j["id"] for j in following["jobs"]} & {j["id"] for j in page["jobs"]}
    one = page["jobs"][0]
    assert anon.get(f"{base}/jobs/{one['id']}").json()["id"] == one["id"]
    assert_envelope(anon.get(f"{base}/jobs", params={"payType": "HOURLY"}), 400, "BAD_REQUEST")
    assert_envelope(anon.get(f"{base}/jobs/{'x' * 65}"), 400, "BAD_REQUEST")
    assert_envelope(anon.get(f"{base}/jobs/cm-unknown"), 404, "NOT_FOUND")


# --- the HTTP surface ----------------------------------------------------------------------------


def test_unknown_routes_and_methods_use_the_envelope(
    anon: httpx.Client, server: SandboxServer
) -> None:
    assert_envelope(anon.get(f"{PREFIX}/nothing-here"), 404, "NOT_FOUND")
    response = anon.put(f"{PREFIX}/auth/me", headers=bearer(SANDBOX_TOKEN))
    assert_envelope(response, 405, "BAD_REQUEST")


def test_openapi_documents_bodies_and_hides_control_routes(
    anon: httpx.Client, server: SandboxServer
) -> None:
    spec = anon.get(f"{PREFIX}/openapi.json").json()
    paths = spec["paths"]
    assert not [p for p in paths if p.startswith("/_sandbox")]
    patch_body = paths[f"{PREFIX}/job-drafts/{{jobId}}"]["patch"]["requestBody"]["content"][
        "application/json"
    ]
    assert patch_body["schema"]["additionalProperties"] is False
    create_body = paths[f"{PREFIX}/job-drafts"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert len(create_body["schema"]["anyOf"]) == 3
    assert "/api/v1/vacancies/facets" in paths


def test_openapi_is_also_served_where_the_sdk_names_it(
    anon: httpx.Client, server: SandboxServer
) -> None:
    # The official SDK calls `/api/public/v1/openapi` the contract; the reference names
    # `openapi.json`. Both must answer the same document, tokenless.
    plain = anon.get(f"{PREFIX}/openapi")
    suffixed = anon.get(f"{PREFIX}/openapi.json")
    assert plain.status_code == suffixed.status_code == 200
    assert plain.headers["content-type"].startswith("application/json")
    assert plain.json() == suffixed.json()
    assert f"{PREFIX}/openapi" not in plain.json()["paths"]
