"""The sandbox's demo accounts, API tokens and Recruitsome keys.

Every value here is a public demo constant: none of them works anywhere but in the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass

FEATURE_DRAFTING = "public_api_job_drafting"
FEATURE_PUBLISHING = "public_api_job_publishing"

# The scopes an unclaimed (agent-registered) account starts with: enough to draft and publish.
PRE_CLAIM_SCOPES: tuple[str, ...] = (
    "jobs:read",
    "jobs:write",
    "proposals:read",
    "messages:read",
    "payments:read",
    "team:read",
)

UNCLAIMED_DAILY_PUBLISH_LIMIT = 3
CLAIMED_DAILY_PUBLISH_LIMIT = 20


@dataclass(frozen=True)
class Account:
    """An employer organisation and its owner, as `GET /auth/me` describes them."""

    organization_id: str
    owner_user_id: str
    email: str
    first_name: str
    last_name: str
    features: frozenset[str]
    daily_publish_limit: int = UNCLAIMED_DAILY_PUBLISH_LIMIT
    """Unclaimed accounts may publish 3 jobs a day (claimed ones 20)."""
    claimed: bool = False
    """Whether a human has claimed the account (README: `/auth/me` account extras)."""
    publishes_elsewhere_today: int = 0
    """Publishes the fixture counts as already made today outside this sandbox, so an
    account can start at its daily limit."""

    @property
    def full_name(self) -> str:
        """First and last name, as the API's `fullName`."""
        return f"{self.first_name} {self.last_name}"

    def has_feature(self, feature: str) -> bool:
        """Whether the feature flag is granted to this account."""
        return feature in self.features


@dataclass(frozen=True)
class TokenProfile:
    """One personal API token: its metadata, scopes and the account it belongs to."""

    token: str
    token_id: str
    label: str
    scopes: tuple[str, ...]
    account: Account

    def has_scope(self, scope: str) -> bool:
        """Whether the token grants the scope; a `:write` scope implies its `:read`."""
        if scope in self.scopes:
            return True
        resource, _, action = scope.partition(":")
        return action == "read" and f"{resource}:write" in self.scopes


# The demo account is a claimed one (20 publishes a day), so a practice session that
# keeps its drafts across restarts does not hit the limit after three jobs; the other
# account is unclaimed (3 a day), so the limit itself can be practised and tested.
DEMO_ACCOUNT = Account(
    organization_id="org_sandbox_demo",
    owner_user_id="usr_sandbox_demo",
    email="demo@sandbox.example",
    first_name="Sandy",
    last_name="Demo",
    features=frozenset({FEATURE_DRAFTING, FEATURE_PUBLISHING}),
    daily_publish_limit=CLAIMED_DAILY_PUBLISH_LIMIT,
    claimed=True,
)
OTHER_ACCOUNT = Account(
    organization_id="org_sandbox_other",
    owner_user_id="usr_sandbox_other",
    email="other@sandbox.example",
    first_name="Otto",
    last_name="Other",
    features=frozenset({FEATURE_DRAFTING, FEATURE_PUBLISHING}),
)
NO_DRAFTING_ACCOUNT = Account(
    organization_id="org_sandbox_nodraft",
    owner_user_id="usr_sandbox_nodraft",
    email="nodraft@sandbox.example",
    first_name="Nora",
    last_name="Nodraft",
    features=frozenset({FEATURE_PUBLISHING}),
)
NO_PUBLISHING_ACCOUNT = Account(
    organization_id="org_sandbox_nopublish",
    owner_user_id="usr_sandbox_nopublish",
    email="nopublish@sandbox.example",
    first_name="Pat",
    last_name="Nopublish",
    features=frozenset({FEATURE_DRAFTING}),
)
AT_LIMIT_ACCOUNT = Account(
    organization_id="org_sandbox_atlimit",
    owner_user_id="usr_sandbox_atlimit",
    email="atlimit@sandbox.example",
    first_name="Lim",
    last_name="Itreached",
    features=frozenset({FEATURE_DRAFTING, FEATURE_PUBLISHING}),
    publishes_elsewhere_today=UNCLAIMED_DAILY_PUBLISH_LIMIT,
)

SANDBOX_TOKEN = "ot_pat_sandbox_demo_0123456789abcdef"
"""Full access: drafts and publishing, pre-claim scopes."""
SANDBOX_READONLY_TOKEN = "ot_pat_sandbox_readonly_0123456789abcdef"
"""Same account as SANDBOX_TOKEN, scope `jobs:read` only: writes answer 403."""
SANDBOX_OTHER_TOKEN = "ot_pat_sandbox_other_0123456789abcdef"
"""Full access to a second account, for "someone else's draft" checks."""
SANDBOX_NO_DRAFTING_TOKEN = "ot_pat_sandbox_nodraft_0123456789abcdef"
"""An account without `public_api_job_drafting`: capabilities and drafts answer 403."""
SANDBOX_NO_PUBLISH_TOKEN = "ot_pat_sandbox_nopublish_0123456789abcdef"
"""An account without `public_api_job_publishing`: publish answers 403."""
SANDBOX_AT_LIMIT_TOKEN = "ot_pat_sandbox_atlimit_0123456789abcdef"
"""An unclaimed account that has used its 3 publishes of the day: publish answers 429."""


def _profile(
    token: str, token_id: str, label: str, scopes: tuple[str, ...], account: Account
) -> TokenProfile:
    return TokenProfile(token=token, token_id=token_id, label=label, scopes=scopes, account=account)


SANDBOX_TOKENS: dict[str, TokenProfile] = {
    SANDBOX_TOKEN: _profile(
        SANDBOX_TOKEN, "tok_sandbox_demo", "Sandbox demo", PRE_CLAIM_SCOPES, DEMO_ACCOUNT
    ),
    SANDBOX_READONLY_TOKEN: _profile(
        SANDBOX_READONLY_TOKEN,
        "tok_sandbox_readonly",
        "Sandbox read-only",
        ("jobs:read",),
        DEMO_ACCOUNT,
    ),
    SANDBOX_OTHER_TOKEN: _profile(
        SANDBOX_OTHER_TOKEN,
        "tok_sandbox_other",
        "Sandbox other account",
        PRE_CLAIM_SCOPES,
        OTHER_ACCOUNT,
    ),
    SANDBOX_NO_DRAFTING_TOKEN: _profile(
        SANDBOX_NO_DRAFTING_TOKEN,
        "tok_sandbox_nodraft",
        "Sandbox without drafting",
        PRE_CLAIM_SCOPES,
        NO_DRAFTING_ACCOUNT,
    ),
    SANDBOX_NO_PUBLISH_TOKEN: _profile(
        SANDBOX_NO_PUBLISH_TOKEN,
        "tok_sandbox_nopublish",
        "Sandbox without publishing",
        PRE_CLAIM_SCOPES,
        NO_PUBLISHING_ACCOUNT,
    ),
    SANDBOX_AT_LIMIT_TOKEN: _profile(
        SANDBOX_AT_LIMIT_TOKEN,
        "tok_sandbox_atlimit",
        "Sandbox unclaimed, at its daily limit",
        PRE_CLAIM_SCOPES,
        AT_LIMIT_ACCOUNT,
    ),
}


@dataclass(frozen=True)
class RecruitsomeKey:
    """A Recruitsome tenant API key: its scopes and whether the tenant has API access."""

    key: str
    scopes: tuple[str, ...]
    tenant_api_enabled: bool = True
    agency: bool = True
    """Agency tenants place candidates at client work sites (`company_locations`); for
    other tenants the docs say that facet is `[]`."""


SANDBOX_RECRUITSOME_KEY = "rs_sandbox_vacancies_read_0123456789abcdef"
"""A `vacancies:read` key ("Career Website" preset) on a tenant with API access."""
SANDBOX_RECRUITSOME_NON_AGENCY_KEY = "rs_sandbox_non_agency_0123456789abcdef"
"""A `vacancies:read` key on a non-agency tenant: `company_locations` is always `[]`."""
SANDBOX_RECRUITSOME_DISABLED_KEY = "rs_sandbox_tenant_disabled_0123456789abcdef"
"""A key whose tenant has API access switched off: 403."""
SANDBOX_RECRUITSOME_NO_SCOPE_KEY = "rs_sandbox_candidates_only_0123456789abcdef"
"""A "Chrome Plugin" key without `vacancies:read`: 403 `INSUFFICIENT_SCOPE`."""

SANDBOX_RECRUITSOME_KEYS: dict[str, RecruitsomeKey] = {
    SANDBOX_RECRUITSOME_KEY: RecruitsomeKey(
        SANDBOX_RECRUITSOME_KEY,
        ("vacancies:read", "applications:write", "locations:read", "team:read", "articles:read"),
    ),
    SANDBOX_RECRUITSOME_NON_AGENCY_KEY: RecruitsomeKey(
        SANDBOX_RECRUITSOME_NON_AGENCY_KEY,
        ("vacancies:read", "applications:write", "locations:read", "team:read", "articles:read"),
        agency=False,
    ),
    SANDBOX_RECRUITSOME_DISABLED_KEY: RecruitsomeKey(
        SANDBOX_RECRUITSOME_DISABLED_KEY, ("vacancies:read",), tenant_api_enabled=False
    ),
    SANDBOX_RECRUITSOME_NO_SCOPE_KEY: RecruitsomeKey(
        SANDBOX_RECRUITSOME_NO_SCOPE_KEY, ("candidates:read", "candidates:write", "team:read")
    ),
}
