"""The account standing: what ``/auth/me`` and capabilities say, over their shape variants."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from wizard.api.errors import APIConnectionError, PermissionDeniedError
from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.opentrain.models import Capabilities, Me
from wizard.core.account import UNCHECKED, check_account, standing_from

FULL_SCOPES = ["jobs:read", "jobs:write", "proposals:read"]


def me(account: dict[str, Any] | None = None, scopes: Any = FULL_SCOPES, **top: Any) -> Me:
    token: dict[str, Any] = {"id": "tok_1"}
    if scopes is not None:
        token["scopes"] = scopes
    return Me.model_validate(
        {"actor": {"userId": "u1"}, "token": token, "account": account or {}, **top}
    )


def caps(**flags: Any) -> Capabilities:
    base = {"draftCreate": True, "draftUpdate": True, "publish": True}
    return Capabilities.model_validate({"capabilities": {**base, **flags}, "enabled": True})


def feature_off(key: str = "public_api_job_drafting") -> PermissionDeniedError:
    return PermissionDeniedError(
        "Job drafting is not enabled for this account.",
        status_code=403,
        details={"featureKey": key, "mode": "ALLOWLIST"},
    )


def test_a_full_claimed_account_has_nothing_to_say() -> None:
    standing = standing_from(me({"claimed": True}), caps())
    assert standing.can_draft and standing.can_publish and not standing.unclaimed
    assert standing.sentences == []
    assert standing.checked


def test_nothing_read_blocks_nothing() -> None:
    for standing in (
        UNCHECKED,
        standing_from(None, None),
        standing_from(APIConnectionError("down"), APIConnectionError("down")),
    ):
        assert standing.can_draft and standing.can_publish
        assert standing.sentences == []
    assert not standing_from(None, None).checked


@pytest.mark.parametrize(
    "scopes",
    [["jobs:read"], "jobs:read proposals:read", "jobs:read,messages:read", []],
    ids=["list", "space-string", "comma-string", "empty"],
)
def test_a_token_without_jobs_write_cannot_draft_or_publish(scopes: Any) -> None:
    standing = standing_from(me(scopes=scopes), caps())
    assert not standing.can_draft and not standing.can_publish
    assert standing.draft_problem is not None
    assert "jobs:write" in standing.draft_problem
    # One sentence, not the same problem twice.
    assert standing.sentences == [standing.draft_problem]
    assert standing.publish_reason == "drafts cannot be written"


def test_scopes_not_sent_are_not_a_missing_scope() -> None:
    assert standing_from(me(scopes=None), caps()).can_draft


def test_wildcard_write_scope_counts() -> None:
    assert standing_from(me(scopes=["jobs:*"]), caps()).can_draft


def test_drafting_switched_off_is_told_from_the_capabilities_403() -> None:
    standing = standing_from(me(), feature_off())
    assert not standing.can_draft and not standing.can_publish
    assert standing.draft_problem is not None
    assert "public_api_job_drafting" in standing.draft_problem
    assert "not enabled" in standing.draft_problem
    assert standing.checked


def test_a_403_without_a_feature_key_is_not_read_as_drafting_off() -> None:
    error = PermissionDeniedError("Forbidden.", status_code=403, details={})
    assert standing_from(me(), error).can_draft


@pytest.mark.parametrize(
    "flags", [{"draftCreate": False}, {"draftUpdate": "false"}, {"draftCreate": 0}]
)
def test_draft_flags_off(flags: dict[str, Any]) -> None:
    standing = standing_from(me(), caps(**flags))
    assert not standing.can_draft
    assert standing.draft_problem is not None and "off" in standing.draft_problem


def test_publishing_not_enabled() -> None:
    standing = standing_from(me({"claimed": True}), caps(publish=False))
    assert standing.can_draft and not standing.can_publish
    assert standing.publish_problem is not None
    assert "public_api_job_publishing" in standing.publish_problem
    assert standing.publish_reason == "publishing is off for this account"
    assert standing.sentences == [standing.publish_problem]


def test_unknown_publish_flag_counts_as_on() -> None:
    flagless = Capabilities.model_validate({"capabilities": {}})
    assert standing_from(me(), flagless).can_publish


@pytest.mark.parametrize(
    ("account", "top"),
    [
        ({"claimed": False}, {}),
        ({"isClaimed": "false"}, {}),
        ({"claimStatus": "UNCLAIMED"}, {}),
        ({"status": "pending-claim"}, {}),
        ({"claim": {"status": "unclaimed"}}, {}),
        ({"kind": "anonymous_agent"}, {}),
        ({}, {"claimed": False}),
        ({}, {"claim": {"state": "x", "claimed": False}}),
    ],
    ids=[
        "bool",
        "string-bool",
        "claim-status",
        "status",
        "nested",
        "anonymous-kind",
        "top-level",
        "top-nested",
    ],
)
def test_unclaimed_spellings(account: dict[str, Any], top: dict[str, Any]) -> None:
    standing = standing_from(me(account, **top), caps())
    assert standing.unclaimed
    assert standing.can_publish  # unclaimed accounts may publish, under the lower limit
    assert standing.daily_publishes == 3  # the documented limit when the server names none
    assert standing.claim_note is not None
    assert "not claimed" in standing.claim_note and "3 jobs a day" in standing.claim_note


def test_claimed_spellings_and_silence_say_nothing() -> None:
    for account in ({"claimStatus": "claimed"}, {"status": "ACTIVE"}, {"kind": "employer"}, {}):
        assert not standing_from(me(account), caps()).unclaimed


def test_claim_link_and_allowance_from_an_object() -> None:
    account = {
        "claimed": False,
        "claimUrl": "https://app.opentrain.ai/claim?x=1",
        "publishLimit": {"limit": 3, "used": 1, "windowHours": 24},
    }
    standing = standing_from(me(account), caps())
    assert standing.claim_url == "https://app.opentrain.ai/claim?x=1"
    assert standing.publishes_left == 2
    assert standing.claim_note == (
        "This account is not claimed yet, so it can publish 3 jobs a day (2 left today); "
        "claim it at https://app.opentrain.ai/claim?x=1 to publish 20 a day."
    )


@pytest.mark.parametrize(
    "account",
    [
        {"claimed": False, "publishLimit": {"limit": 3, "used": 3}},
        {"claimed": False, "publishLimit": {"limit": "3", "remaining": 0}},
        {"claimed": False, "limits": {"publish": {"max": 3, "left": 0}}},
        {"claimStatus": "unclaimed", "dailyPublishLimit": {"limit": 3, "count": 5}},
    ],
    ids=["used", "remaining", "nested-limits", "over"],
)
def test_unclaimed_at_its_limit_cannot_publish(account: dict[str, Any]) -> None:
    account = {**account, "claimUrl": "https://example.test/claim"}
    standing = standing_from(me(account), caps())
    assert standing.can_draft and not standing.can_publish
    assert standing.publishes_left == 0
    problem = standing.publish_problem
    assert problem is not None
    assert (
        "not claimed" in problem and "all 3" in problem and "https://example.test/claim" in problem
    )
    # One sentence says both: the limit and the way out.
    assert standing.sentences == [problem]
    assert standing.publish_reason == "daily limit reached"


def test_a_claimed_account_at_its_limit() -> None:
    standing = standing_from(
        me({"claimed": True, "publishLimit": {"limit": 20, "used": 20}}), caps()
    )
    assert not standing.can_publish
    assert standing.publish_problem is not None and "all 20" in standing.publish_problem


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://a b",
        "ftp://x/claim",
        12,
        "https://x/" + "a" * 400,
    ],
)
def test_unsafe_or_odd_claim_links_are_dropped(url: Any) -> None:
    standing = standing_from(me({"claimed": False, "claimUrl": url}), caps())
    assert standing.claim_url is None
    assert standing.claim_note is not None and "claiming it raises" in standing.claim_note


def test_control_characters_in_a_claim_link_are_stripped() -> None:
    standing = standing_from(me({"claimed": False, "claimUrl": "https://x/\x1b[31mclaim"}), caps())
    assert standing.claim_url is not None
    assert "\x1b" not in standing.claim_url


@pytest.mark.parametrize(
    "body",
    [
        {"actor": "nope", "token": ["x"], "account": 5},
        {"token": {"scopes": None}},
        {"account": {"publishLimit": True, "claimed": "maybe"}},
    ],
)
def test_odd_shapes_never_raise(body: dict[str, Any]) -> None:
    standing = standing_from(Me.model_validate(body), caps())
    assert standing.can_publish


async def test_check_account_reads_both_documents_concurrently() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path.endswith("/auth/me"):
            return httpx.Response(
                200,
                json={
                    "token": {"scopes": ["jobs:read", "jobs:write"]},
                    "account": {"claimed": False},
                },
            )
        return httpx.Response(200, json={"capabilities": {"publish": False}})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = OpenTrainClient("https://api.example.test", "ot_pat_x", http_client=http)
    standing = await check_account(client)
    assert sorted(p.rsplit("/", 1)[-1] for p in seen) == ["capabilities", "me"]
    assert standing.unclaimed and not standing.can_publish
    # Capabilities already at hand are not fetched again.
    seen.clear()
    await check_account(client, caps())
    assert [p.rsplit("/", 1)[-1] for p in seen] == ["me"]
    await http.aclose()


async def test_check_account_survives_a_failing_auth_me() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/me"):
            return httpx.Response(404, json={"error": "gone", "code": "NOT_FOUND"})
        return httpx.Response(200, json={"capabilities": {"publish": True}})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = OpenTrainClient("https://api.example.test", "ot_pat_x", http_client=http)
    standing = await check_account(client)
    assert standing.can_draft and standing.can_publish and standing.checked
    await http.aclose()


def test_a_long_scope_list_stays_one_short_sentence() -> None:
    scopes = [f"scope{n}:read" + "x" * 200 for n in range(500)]
    standing = standing_from(me(scopes=scopes), caps())
    assert standing.draft_problem is not None
    assert len(standing.draft_problem) < 500
    assert standing.draft_problem.count("scope") <= 7
