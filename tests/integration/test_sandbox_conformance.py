"""The sandbox agrees with itself where the documents make one answer depend on another.

The reference lists 26 draft keys by name "and more", and tells clients to learn the full
list from `draft.updateKeys` in the capabilities document. So that list must be exactly what
`PATCH /job-drafts/{jobId}` accepts: a key listed but refused, or accepted but unlisted,
would teach a client something false. The accepted set is read from the sandbox itself
(`UPDATE_SCHEMA`) and from its behaviour, never from a list written here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from wizard.sandbox import SANDBOX_TOKEN, SandboxServer
from wizard.sandbox.fields import UPDATE_SCHEMA

PREFIX = "/api/public/v1"
DOCUMENTED_KEYS = frozenset(
    # The capabilities example's 18 keys and the 8 more the PATCH page names.
    [
        "jobTitle",
        "jobDescription",
        "labelingOverview",
        "datasetDescription",
        "dataType",
        "subjectMatter",
        "dataVolume",
        "dataVolumeUnit",
        "labelingSoftware",
        "headcount",
        "experienceLevel",
        "paymentType",
        "pricePerHour",
        "pricePerLabel",
        "fixedPrice",
        "countries",
        "languages",
        "labelTypes",
        "aiInterviewRequirements",
        "budgetRange",
        "workloadDesc",
        "timeRequirement",
        "projectDuration",
        "freelancerType",
        "projectScope",
        "visibility",
    ]
)


@pytest.fixture(scope="module")
def api() -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
    with (
        SandboxServer() as server,
        httpx.Client(base_url=server.base_url + PREFIX, headers=headers, timeout=5) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def update_keys(api: httpx.Client) -> list[str]:
    response = api.get("/job-drafts/capabilities")
    assert response.status_code == 200, response.text
    keys: list[str] = response.json()["draft"]["updateKeys"]
    return keys


@pytest.fixture(scope="module")
def draft_id(api: httpx.Client) -> str:
    response = api.post("/job-drafts", json={"rawJobDescription": "Label 500 images, $9/hour."})
    assert response.status_code == 201, response.text
    job_id: str = response.json()["jobId"]
    return job_id


def unrecognized(response: httpx.Response) -> list[str]:
    """The keys a 400 PATCH answer calls unknown (zod's `unrecognized_keys`)."""
    assert response.status_code == 400, response.text
    issues: list[dict[str, Any]] = response.json()["details"]["issues"]
    return [key for i in issues if i["code"] == "unrecognized_keys" for key in i["keys"]]


def test_update_keys_are_exactly_the_keys_the_patch_accepts(update_keys: list[str]) -> None:
    assert len(update_keys) == len(set(update_keys)), "no key listed twice"
    assert set(update_keys) == set(UPDATE_SCHEMA)
    assert all(key.isidentifier() for key in update_keys), 'no "..." placeholder'
    # The sandbox accepts at least every key the documents name.
    assert set(update_keys) >= DOCUMENTED_KEYS


def test_the_patch_recognises_every_listed_key_and_nothing_else(
    api: httpx.Client, draft_id: str, update_keys: list[str]
) -> None:
    # null is a wrong type for every key, so nothing is written; the issues show which keys
    # the schema knows (a type issue) and which it does not (unrecognized_keys).
    body: dict[str, Any] = dict.fromkeys(update_keys)
    body["notADraftKey"] = "x"
    response = api.patch(f"/job-drafts/{draft_id}", json=body)
    assert unrecognized(response) == ["notADraftKey"]
    issues = response.json()["details"]["issues"]
    typed = {i["path"][0] for i in issues if i["code"] != "unrecognized_keys" and i["path"]}
    assert typed == set(update_keys)


def test_the_openapi_document_declares_the_same_keys(
    api: httpx.Client, update_keys: list[str]
) -> None:
    spec = api.get("/openapi").json()
    body = spec["paths"][f"{PREFIX}/job-drafts/{{jobId}}"]["patch"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(update_keys)


def test_the_documented_enums_match_what_the_patch_accepts(
    api: httpx.Client, draft_id: str
) -> None:
    enums: dict[str, list[str]] = api.get("/job-drafts/capabilities").json()["draft"]["enums"]
    for key, values in enums.items():
        for value in values:
            response = api.patch(f"/job-drafts/{draft_id}", json={key: value})
            assert response.status_code == 200, (key, value, response.text)
        refused = api.patch(f"/job-drafts/{draft_id}", json={key: "NOT_A_VALUE"})
        assert refused.status_code == 400
        assert refused.json()["details"]["issues"][0]["options"] == values
