"""What the token and the account allow, known before the first question is asked.

Three gates stand in front of every write (the API reference, "Auth"): the token's
scopes (``GET /auth/me``), the account's feature flags (``GET /job-drafts/capabilities``)
and whether the account is claimed (an unclaimed one may publish 3 jobs a day, a claimed
one 20). Both documents are read at start, alongside the first requests, and folded
into an ``AccountStanding``: can this run write drafts, can it publish, is the account
unclaimed, each problem as one sentence. The TUI shows the sentences before the form,
``fill`` refuses up front or says them on stderr, and the plain line mode can call
``check_account`` the same way.

``/auth/me`` documents no claim state and no publish count, so a server that adds them
may spell them several ways; ``standing_from`` reads the plausible spellings and says
nothing when it finds none (never a guess presented as fact).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from wizard.api.errors import PermissionDeniedError
from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.opentrain.models import Capabilities, Me
from wizard.api.sanitize import clean_text

FEATURE_DRAFTING = "public_api_job_drafting"
FEATURE_PUBLISHING = "public_api_job_publishing"
UNCLAIMED_DAILY_PUBLISHES = 3
"""The documented daily publish limit of an unclaimed account."""
CLAIMED_DAILY_PUBLISHES = 20
"""The documented daily publish limit of a claimed account."""

_WRITE_SCOPES = frozenset({"jobs:write", "jobs:*", "*"})
_UNCLAIMED_WORDS = ("unclaimed", "not_claimed", "pre_claim", "preclaim", "pending_claim")
_CLAIM_KEYS = ("claimed", "isClaimed", "is_claimed")
_CLAIM_STATE_KEYS = ("claimStatus", "claimState", "claim_status", "claimStage")
_LIMIT_KEYS = (
    "publishLimit",
    "dailyPublishLimit",
    "publishesPerDay",
    "dailyPublishes",
    "publishQuota",
)


@dataclass(frozen=True)
class AccountStanding:
    """What this run may do, with one sentence per problem.

    Every flag is "allowed" unless a document said otherwise: an account check that
    could not be made must never block work the server would accept.
    """

    can_draft: bool = True
    can_publish: bool = True
    unclaimed: bool = False
    daily_publishes: int | None = None
    """Publishes a day the account may make, when known (from the server, or the
    documented 3 for an unclaimed account)."""
    publishes_left: int | None = None
    """Publishes left in the current window, when the server says."""
    claim_url: str | None = None
    draft_problem: str | None = None
    """Why drafts cannot be written (None when they can)."""
    publish_problem: str | None = None
    """Why publishing cannot work (None when it can)."""
    claim_note: str | None = None
    """The unclaimed account's limit and claim link, when that is not a problem yet."""
    checked: bool = False
    """Whether either document could be read at all."""

    @property
    def sentences(self) -> list[str]:
        """Every sentence to tell before the form, each once, problems first."""
        found = [self.draft_problem, self.publish_problem, self.claim_note]
        return list(dict.fromkeys(s for s in found if s))

    @property
    def publish_reason(self) -> str | None:
        """A few words for the Publish button when publishing cannot work."""
        if self.can_publish:
            return None
        if not self.can_draft:
            return "drafts cannot be written"
        if self.publishes_left == 0:
            return "daily limit reached"
        return "publishing is off for this account"

    def as_json(self) -> dict[str, Any]:
        """The standing for ``fill --json``."""
        doc: dict[str, Any] = {
            "canDraft": self.can_draft,
            "canPublish": self.can_publish,
            "unclaimed": self.unclaimed,
            "sentences": self.sentences,
        }
        if self.daily_publishes is not None:
            doc["dailyPublishes"] = self.daily_publishes
        if self.publishes_left is not None:
            doc["publishesLeft"] = self.publishes_left
        if self.claim_url:
            doc["claimUrl"] = self.claim_url
        return doc


UNCHECKED = AccountStanding()
"""The standing before (or without) a check: nothing known, nothing blocked."""


async def check_account(
    client: OpenTrainClient, capabilities: Capabilities | BaseException | None = None
) -> AccountStanding:
    """Read ``/auth/me`` (and capabilities, unless given) concurrently; never raises.

    Args:
        client: The authenticated client.
        capabilities: The capabilities document (or the error fetching it) when the
            caller already has it, so nothing is fetched twice.
    """
    me_call = client.me(optional=True)
    if capabilities is None:
        me, capabilities = await asyncio.gather(
            me_call, client.capabilities(), return_exceptions=True
        )
    else:
        (me,) = await asyncio.gather(me_call, return_exceptions=True)
    return standing_from(me, capabilities)


def standing_from(
    me: Me | BaseException | None, capabilities: Capabilities | BaseException | None
) -> AccountStanding:
    """Fold ``/auth/me`` and capabilities (either may be an error, or missing) into a standing."""
    me_doc = me if isinstance(me, Me) else None
    caps = capabilities if isinstance(capabilities, Capabilities) else None
    draft_problem = _draft_problem(me_doc, caps, capabilities)
    publish_problem = draft_problem
    if publish_problem is None and caps is not None and not caps.can("publish"):
        publish_problem = (
            f"Publishing through the API is not enabled for this account (feature "
            f"{FEATURE_PUBLISHING}): drafts can be finished here and published in the "
            "OpenTrain app."
        )
    claimed = _claimed(me_doc) if me_doc is not None else None
    limit, left, window = _publish_limit(me_doc) if me_doc is not None else (None, None, 24)
    unclaimed = claimed is False
    if unclaimed and limit is None:
        limit = UNCLAIMED_DAILY_PUBLISHES
    claim_url = _claim_url(me_doc) if me_doc is not None else None
    claim_note = None
    # A daily allowance is beside the point when publishing cannot work at all.
    if unclaimed and publish_problem is None:
        claim = (
            f"claim it at {claim_url} to publish {CLAIMED_DAILY_PUBLISHES} a day"
            if claim_url
            else f"claiming it raises that to {CLAIMED_DAILY_PUBLISHES} a day"
        )
        left_today = f" ({left} left today)" if left else ""
        claim_note = (
            f"This account is not claimed yet, so it can publish {limit} jobs a day"
            f"{left_today}; {claim}."
        )
    if publish_problem is None and left == 0:
        later = f"publishing works again once the {window}-hour window frees a slot"
        if unclaimed:
            way_out = f", or after claiming it at {claim_url}" if claim_url else ""
            publish_problem = (
                f"This account is not claimed yet and has used all {limit} of its publishes "
                f"for today: finish the draft now; {later}{way_out}."
            )
            claim_note = None
        else:
            used = f"all {limit} of its" if limit else "its"
            publish_problem = (
                f"This account has used {used} publishes for today: finish the draft now; {later}."
            )
    return AccountStanding(
        can_draft=draft_problem is None,
        can_publish=publish_problem is None,
        unclaimed=unclaimed,
        daily_publishes=limit,
        publishes_left=left,
        claim_url=claim_url,
        draft_problem=draft_problem,
        publish_problem=publish_problem,
        claim_note=claim_note,
        checked=me_doc is not None or caps is not None or feature_off(capabilities) is not None,
    )


# ---- reading the documents ---------------------------------------------------------------


def _draft_problem(me: Me | None, caps: Capabilities | None, capabilities: object) -> str | None:
    """Why this token cannot write drafts, or None."""
    if me is not None and "scopes" in me.token.model_fields_set:
        scopes = set(me.token.scopes)
        if not scopes & _WRITE_SCOPES:
            # A few, each short: a server's list is data, and a sentence stays a sentence.
            shown = [clean_text(scope)[:40] for scope in sorted(scopes)[:6]]
            has = ", ".join(shown) + (", …" if len(scopes) > 6 else "") if shown else "none"
            return (
                f"This token cannot write drafts: it lacks the jobs:write scope (it has "
                f"{has}); make a token with jobs:write to fill drafts."
            )
    feature = feature_off(capabilities)
    if feature is not None or (caps is not None and not caps.enabled):
        return (
            f"Drafting through the API is not enabled for this account (feature "
            f"{feature or FEATURE_DRAFTING}): no draft can be created or filled."
        )
    if caps is not None:
        off = [flag for flag in ("draftCreate", "draftUpdate") if not caps.can(flag)]
        if off:
            return (
                f"This account cannot write drafts through the API (capabilities: "
                f"{' and '.join(off)} {'is' if len(off) == 1 else 'are'} off)."
            )
    return None


def feature_off(capabilities: object) -> str | None:
    """The feature key a capabilities 403 names (drafting is off for the account), or None."""
    if isinstance(capabilities, PermissionDeniedError):
        key = capabilities.details.get("featureKey")
        if isinstance(key, str) and key.strip():
            return clean_text(key.strip())[:80]
    return None


def _sources(me: Me) -> list[dict[str, Any]]:
    """Where claim facts may sit: the account object, a nested ``claim``, the top level."""
    found: list[dict[str, Any]] = [me.account]
    for holder in (me.account, me.model_extra or {}):
        claim = holder.get("claim")
        if isinstance(claim, dict):
            found.append(claim)
    found.append(me.model_extra or {})
    return found


def _claimed(me: Me) -> bool | None:
    """True or False when the document says whether the account is claimed, else None."""
    for source in _sources(me):
        for key in _CLAIM_KEYS:
            value = source.get(key)
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
                return value.strip().lower() == "true"
        for key in (*_CLAIM_STATE_KEYS, "status"):
            value = source.get(key)
            if not isinstance(value, str):
                continue
            word = value.strip().lower().replace("-", "_").replace(" ", "_")
            if any(marker in word for marker in _UNCLAIMED_WORDS):
                return False
            if word == "claimed" or (key != "status" and word in {"verified", "complete"}):
                return True
    kind = me.account.get("kind")
    if isinstance(kind, str) and "anonymous" in kind.lower():
        return False  # an agent-registered identity is unclaimed until a human claims it
    return None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _publish_limit(me: Me) -> tuple[int | None, int | None, int]:
    """The daily publish limit, what is left of it, and the window in hours."""
    for source in (me.account, me.model_extra or {}):
        holders = [source]
        limits = source.get("limits")
        if isinstance(limits, dict):
            holders.append(limits)
        for holder in holders:
            for key in (*_LIMIT_KEYS, "publish", "publishes"):
                if key not in holder:
                    continue
                value = holder[key]
                plain = _count(value)
                if plain is not None:
                    return plain, None, 24
                if isinstance(value, dict):
                    return _limit_object(value)
    return None, None, 24


def _limit_object(value: dict[str, Any]) -> tuple[int | None, int | None, int]:
    limit = next(
        (n for k in ("limit", "max", "perDay", "daily") if (n := _count(value.get(k))) is not None),
        None,
    )
    used = next(
        (
            n
            for k in ("used", "count", "usedToday", "published", "publishedToday")
            if (n := _count(value.get(k))) is not None
        ),
        None,
    )
    left = next((n for k in ("remaining", "left") if (n := _count(value.get(k))) is not None), None)
    if left is None and limit is not None and used is not None:
        left = max(0, limit - used)
    window = _count(value.get("windowHours")) or 24
    return limit, left, window


def _claim_url(me: Me) -> str | None:
    """A claim link the server gave (http or https only, plain text), or None."""
    extra = me.model_extra or {}
    candidates: list[Any] = [
        holder.get(key)
        for holder in (me.account, extra)
        for key in ("claimUrl", "claim_url", "claimLink")
    ]
    for holder in (me.account, extra):
        claim = holder.get("claim")
        if isinstance(claim, dict):
            candidates += [claim.get("url"), claim.get("claimUrl")]
    for value in candidates:
        if isinstance(value, str):
            url = clean_text(value.strip())
            plain = not any(ch.isspace() for ch in url) and len(url) <= 300
            if plain and url.lower().startswith(("https://", "http://")):
                return url
    return None
