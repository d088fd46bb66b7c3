"""The sandbox's Recruitsome-compatible `GET /api/v1/vacancies/facets` over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from wizard.sandbox import (
    SANDBOX_RECRUITSOME_DISABLED_KEY,
    SANDBOX_RECRUITSOME_KEY,
    SANDBOX_RECRUITSOME_NO_SCOPE_KEY,
    SANDBOX_RECRUITSOME_NON_AGENCY_KEY,
    SandboxServer,
)

FACETS = "/api/v1/vacancies/facets"
GROUPS = (
    "locations",
    "company_locations",
    "departments",
    "experience_levels",
    "job_types",
    "education_levels",
    "tags",
    "languages",
)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        yield running


@pytest.fixture(scope="module")
def client(server: SandboxServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {SANDBOX_RECRUITSOME_KEY}", "Accept": "application/json"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=5) as c:
        yield c


def facets(client: httpx.Client, params: Any = None) -> dict[str, Any]:
    response = client.get(FACETS, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def by_id(entries: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {entry["id"]: entry for entry in entries}


def total(entries: list[dict[str, Any]]) -> int:
    return sum(entry["count"] for entry in entries)


def test_shape_matches_the_documentation(client: httpx.Client) -> None:
    body = facets(client)
    assert set(body) == {"data", "meta"}
    assert set(body["data"]) == set(GROUPS)
    assert body["meta"]["filters_applied"] == []
    assert body["meta"]["generated_at"].endswith("Z")
    for place in body["data"]["locations"] + body["data"]["company_locations"]:
        assert set(place) == {
            "id",
            "name",
            "city",
            "country_code",
            "country_name",
            "count",
            "selected",
        }
    remote = next(p for p in body["data"]["locations"] if p["name"] == "Remote")
    assert remote["city"] is None and remote["country_code"] is None
    for group in ("departments", "experience_levels", "job_types", "education_levels"):
        for option in body["data"][group]:
            assert set(option) == {"id", "name", "count", "selected"}
            assert option["selected"] is False
    assert [e["name"] for e in body["data"]["experience_levels"]] == ["Junior", "Medior", "Senior"]
    for tag in body["data"]["tags"]:
        assert set(tag) == {"id", "name", "count", "selected", "sub_tags"}
        for sub in tag["sub_tags"]:
            assert set(sub) == {"id", "name", "count", "selected"}
    for language in body["data"]["languages"]:
        assert set(language) == {"code", "name", "count", "selected"} and len(language["code"]) == 2


def test_unfiltered_counts_cover_the_whole_catalogue(client: httpx.Client) -> None:
    data = facets(client)["data"]
    assert total(data["locations"]) == 100
    assert total(data["departments"]) == 100
    assert total(data["experience_levels"]) == 100
    assert total(data["languages"]) == 100
    assert 0 < total(data["company_locations"]) < 100  # not every vacancy has a work site


def test_a_non_agency_tenant_has_no_work_sites(client: httpx.Client) -> None:
    # The docs: `company_locations` is `[]` for non-agency tenants. Everything else is there.
    non_agency = {"Authorization": f"Bearer {SANDBOX_RECRUITSOME_NON_AGENCY_KEY}"}
    agency = facets(client)
    response = client.get(FACETS, headers=non_agency)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body["data"]) == set(GROUPS)
    assert body["data"]["company_locations"] == []
    assert agency["data"]["company_locations"], "the agency tenant keeps its work sites"
    for group in GROUPS:
        if group != "company_locations":
            assert body["data"][group] == agency["data"][group], group
    # Other filters still narrow the counts on that tenant.
    narrowed = client.get(FACETS, headers=non_agency, params={"location_id[]": "1"}).json()
    assert narrowed["data"]["company_locations"] == []
    assert total(narrowed["data"]["departments"]) < 100


def test_a_non_agency_tenant_refuses_a_work_site_filter(client: httpx.Client) -> None:
    # Not documented (sandbox choice): a work site the tenant cannot have is an invalid id.
    work_site = facets(client)["data"]["company_locations"][0]["id"]
    response = client.get(
        FACETS,
        headers={"Authorization": f"Bearer {SANDBOX_RECRUITSOME_NON_AGENCY_KEY}"},
        params={"company_location_id[]": str(work_site)},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "company_location_id.0": ["The company_location_id.0 must be a valid company location."]
    }


def test_counts_honour_the_other_filters(client: httpx.Client) -> None:
    everything = facets(client)["data"]
    amsterdam = by_id(everything["locations"])[1]["count"]
    filtered = facets(client, [("location_id[]", "1")])
    data = filtered["data"]
    assert filtered["meta"]["filters_applied"] == ["location_id"]
    # Other groups only count Amsterdam vacancies...
    assert total(data["departments"]) == amsterdam
    assert total(data["experience_levels"]) == amsterdam
    # ...while the location group ignores its own filter, so every option stays selectable.
    assert data["locations"] == [
        {**entry, "selected": entry["id"] == 1} for entry in everything["locations"]
    ]


def test_two_filters_combine_and_mark_selection(client: httpx.Client) -> None:
    data = facets(
        client, [("location_id[]", "1"), ("location_id[]", "2"), ("department_id[]", "5")]
    )
    locations = by_id(data["data"]["locations"])
    assert locations[1]["selected"] and locations[2]["selected"] and not locations[3]["selected"]
    engineering_in_both = locations[1]["count"] + locations[2]["count"]
    assert total(data["data"]["experience_levels"]) == engineering_in_both
    assert by_id(data["data"]["departments"])[5]["selected"] is True
    assert data["meta"]["filters_applied"] == ["location_id", "department_id"]


def test_main_tag_counts_and_filters_include_sub_tags(client: httpx.Client) -> None:
    tags = by_id(facets(client)["data"]["tags"])
    engineering = tags[1]
    assert engineering["count"] >= max(sub["count"] for sub in engineering["sub_tags"])
    assert engineering["count"] >= 1
    as_main = facets(client, [("tags[]", "1")])["data"]
    assert total(as_main["departments"]) == engineering["count"]
    assert by_id(as_main["tags"])[1]["selected"] is True
    assert all(sub["selected"] is False for sub in by_id(as_main["tags"])[1]["sub_tags"])
    software = next(sub for sub in engineering["sub_tags"] if sub["id"] == 5)
    as_sub = facets(client, [("tags[]", "5")])["data"]
    assert total(as_sub["departments"]) == software["count"]


def test_language_and_search_filter(client: httpx.Client) -> None:
    everything = facets(client)["data"]
    english = next(entry for entry in everything["languages"] if entry["code"] == "en")
    body = facets(client, {"language": "en"})
    assert total(body["data"]["locations"]) == english["count"]
    assert next(e for e in body["data"]["languages"] if e["code"] == "en")["selected"] is True
    searched = facets(client, {"search": "engineer"})
    assert 0 < total(searched["data"]["locations"]) < 100
    assert searched["meta"]["filters_applied"] == ["search"]


def test_scalar_and_indexed_array_notation_are_accepted(client: httpx.Client) -> None:
    a = facets(client, {"location_id": "3"})["data"]["departments"]
    b = facets(client, [("location_id[0]", "3")])["data"]["departments"]
    assert a == b


@pytest.mark.parametrize(
    ("params", "key", "message"),
    [
        ({"language": "eng"}, "language", "The language must be 2 characters."),
        ({"language": ""}, "language", "The language must be 2 characters."),
        ({"language": "e1"}, "language", "The language must only contain letters."),
        ({"search": "x" * 256}, "search", "The search must not be greater than 255 characters."),
        (
            [("location_id[]", "999")],
            "location_id.0",
            "The location_id.0 must be a valid location.",
        ),
        (
            [("location_id[]", "1"), ("location_id[]", "x")],
            "location_id.1",
            "The location_id.1 must be an integer.",
        ),
        ([("tags[]", "77")], "tags.0", "The tags.0 must be a valid tag."),
        (
            [("experience_levels[]", "1")],
            "experience_levels.0",
            "The experience_levels.0 must be a valid experience level.",
        ),
    ],
    ids=[
        "language",
        "language-empty",
        "language-digits",
        "search",
        "location",
        "not-integer",
        "tag",
        "experience",
    ],
)
def test_invalid_filters_are_422(client: httpx.Client, params: Any, key: str, message: str) -> None:
    response = client.get(FACETS, params=params)
    assert response.status_code == 422
    assert response.json() == {"message": "The given data was invalid.", "errors": {key: [message]}}


@pytest.mark.parametrize(
    ("headers", "status", "body"),
    [
        ({}, 401, {"message": "Unauthenticated."}),
        (
            {"Authorization": "Bearer rs_not_a_key"},
            401,
            {"message": "Invalid authentication credentials."},
        ),
        (
            {"Authorization": f"Bearer {SANDBOX_RECRUITSOME_DISABLED_KEY}"},
            403,
            {"message": "API access is not enabled for this tenant."},
        ),
    ],
    ids=["missing", "unknown", "tenant-disabled"],
)
def test_auth_errors(
    server: SandboxServer, headers: dict[str, str], status: int, body: dict[str, str]
) -> None:
    with httpx.Client(base_url=server.base_url, timeout=5) as anonymous:
        response = anonymous.get(FACETS, headers=headers)
    assert response.status_code == status
    assert response.json() == body


def test_insufficient_scope(client: httpx.Client) -> None:
    response = client.get(
        FACETS, headers={"Authorization": f"Bearer {SANDBOX_RECRUITSOME_NO_SCOPE_KEY}"}
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "INSUFFICIENT_SCOPE" and "vacancies:read" in body["message"]


def test_health_and_unknown_routes(client: httpx.Client) -> None:
    assert client.get("/api/v1/health").json()["status"] == "ok"
    missing = client.get("/api/v1/vacancies/nope/more")
    assert missing.status_code == 404 and set(missing.json()) == {"message"}
