"""What a token learns about itself: the `GET /auth/me` and capabilities bodies.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, items 27 and 33): how the
capabilities flags are derived from the token and account; the claim state, claim link and
publish allowance in `/auth/me`.
"""

from __future__ import annotations

from typing import Any

from wizard.sandbox.access import require_feature
from wizard.sandbox.accounts import FEATURE_DRAFTING, FEATURE_PUBLISHING, TokenProfile
from wizard.sandbox.fields import ENUMS, IMPORT_FORMATS, UPDATE_KEYS

PUBLISH_WINDOW_HOURS = 24
"""The rolling window of the daily publish limit (README item 17)."""


def capabilities(profile: TokenProfile) -> dict[str, Any]:
    """The `GET /job-drafts/capabilities` body for this token."""
    require_feature(profile, FEATURE_DRAFTING)
    account = profile.account
    can_write = profile.has_scope("jobs:write")
    return {
        "featureKey": FEATURE_DRAFTING,
        "namespace": "job-drafts",
        "rolloutMode": "ALL",
        "actorIsAdmin": False,
        "capabilities": {
            "draftImport": can_write,
            "draftCreate": can_write,
            "draftUpdate": can_write,
            "draftUrlRead": profile.has_scope("jobs:read"),
            "publish": can_write and account.has_feature(FEATURE_PUBLISHING),
            # Hiring, team changes and credits need a claimed account; sandbox ones are not.
            "hiring": False,
            "messagingWrites": profile.has_scope("messages:write"),
            "team": profile.has_scope("team:write"),
            "paymentsWrite": profile.has_scope("payments:write"),
            "credits": False,
            "webhooks": False,
        },
        "draft": {
            "importFormats": list(IMPORT_FORMATS),
            "updateKeys": list(UPDATE_KEYS),
            "enums": {key: list(values) for key, values in ENUMS.items()},
        },
        "authBootstrap": "token",
        "enabled": True,
    }


def auth_me(profile: TokenProfile, *, published_today: int = 0, origin: str = "") -> dict[str, Any]:
    """The `GET /auth/me` body for this token.

    The documented keys, plus the account's claim state, claim link and publish
    allowance (not documented; README item 33), so a client can tell before publishing.
    """
    account = profile.account
    limit = account.daily_publish_limit
    used = min(limit, published_today + account.publishes_elsewhere_today)
    extras: dict[str, Any] = {
        "claimed": account.claimed,
        "publishLimit": {
            "limit": limit,
            "windowHours": PUBLISH_WINDOW_HOURS,
            "used": used,
            "remaining": limit - used,
        },
    }
    if not account.claimed:
        extras["claimUrl"] = f"{origin}/claim"
    return {
        "actor": {
            "userId": account.owner_user_id,
            "email": account.email,
            "firstName": account.first_name,
            "lastName": account.last_name,
            "fullName": account.full_name,
            "userType": "EMPLOYER",
        },
        "token": {
            "id": profile.token_id,
            "label": profile.label,
            "scopes": list(profile.scopes),
            "ownerOrganizationId": account.organization_id,
        },
        "account": {
            "kind": "employer_organization",
            "organizationId": account.organization_id,
            "ownerUserId": account.owner_user_id,
            "memberRole": "OWNER",
            **extras,
        },
    }
