"""Who is calling and what they may do: the bearer token, its scopes, its account's flags.

Not documented; chosen by the sandbox (`wizard/sandbox/README.md`, item 26): the `details`
keys of a missing scope or feature.
"""

from __future__ import annotations

from wizard.sandbox.accounts import (
    FEATURE_DRAFTING,
    FEATURE_PUBLISHING,
    SANDBOX_TOKENS,
    TokenProfile,
)
from wizard.sandbox.errors import ApiError

_FEATURE_NAMES = {
    FEATURE_DRAFTING: "Job drafting through the public API",
    FEATURE_PUBLISHING: "Publishing through the public API",
}


def require_scope(profile: TokenProfile, scope: str) -> None:
    """403 unless the token grants the scope."""
    if not profile.has_scope(scope):
        resource = scope.partition(":")[0]
        raise ApiError(
            403,
            f"This token lacks the {scope} scope.",
            details={
                "missingScope": scope,
                "resource": resource,
                "tokenScopes": list(profile.scopes),
            },
        )


def require_feature(profile: TokenProfile, feature: str) -> None:
    """403 unless the token's account has the feature flag."""
    if not profile.account.has_feature(feature):
        name = _FEATURE_NAMES.get(feature, feature)
        raise ApiError(
            403,
            f"{name} is not enabled for this account.",
            details={
                "featureKey": feature,
                "mode": "ALLOWLIST",
            },
        )


def authenticate(header: str | None) -> TokenProfile:
    """The token's profile from an `Authorization` header, or the 401 envelope."""
    if not header:
        raise ApiError(401, "Authentication required: send Authorization: Bearer <API token>.")
    scheme, _, credentials = header.strip().partition(" ")
    token = credentials.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "The Authorization header must have the form 'Bearer <API token>'.")
    profile = SANDBOX_TOKENS.get(token)
    if profile is None:
        # The token itself is never echoed: error bodies end up in logs.
        raise ApiError(401, "The API token is invalid, expired or revoked.")
    return profile
