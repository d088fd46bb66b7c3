"""The draft loop with no UI: create or open, PATCH answers, re-plan, publish.

The Textual app and the headless ``fill`` command both drive this engine. It owns the
order of operations that keeps answers safe: journal first (pending), then the PATCH,
then the acknowledgement, then the new validation.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wizard.api.errors import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    PermissionDeniedError,
    PublishNotReadyError,
    WizardAPIError,
)
from wizard.api.opentrain.client import OpenTrainClient, new_idempotency_key
from wizard.api.opentrain.models import Capabilities, PublishResult, Validation
from wizard.config import DEFAULT_FACETS_TTL
from wizard.core.account import UNCHECKED, AccountStanding, feature_off, standing_from
from wizard.core.events import emit
from wizard.core.journal import Journal
from wizard.core.options import OptionCatalog
from wizard.core.session import DraftSession, RoundDiff

if TYPE_CHECKING:
    from wizard.api.recruitsome.client import RecruitsomeClient
    from wizard.core.facets.cache import InFlight

PRACTICE_SCOPE = "sandbox"
"""The journal scope of the embedded sandbox's drafts (practice drafts)."""


class DraftUnreadable(WizardAPIError):
    """An existing draft whose validation cannot be read (no known value to re-send)."""


@dataclass
class OpenResult:
    """What opening an existing draft did."""

    session: DraftSession
    resent: dict[str, Any]
    """Answers that were pending in the journal (or given) and were sent again."""
    dropped: dict[str, str] = field(default_factory=dict)
    """Saved answers the server rejected for good, with its reason; no longer pending."""
    note: str | None = None
    """Something the person should know about how the draft was read."""


class DraftEngine:
    """Runs the loop for one API (one client, one journal scope)."""

    def __init__(
        self,
        client: OpenTrainClient,
        *,
        scope: str,
        journal: Journal | None = None,
        catalog: OptionCatalog | None = None,
    ) -> None:
        """Build an engine.

        Args:
            client: The OpenTrain client (already authenticated).
            scope: The journal scope: the API origin, or ``sandbox``.
            journal: Where answers are kept until acknowledged; None keeps nothing.
            catalog: Pick-list options; the ISO reference catalog when None.
        """
        self.client = client
        self.scope = scope
        self.journal = journal
        self.catalog = catalog or OptionCatalog.reference()
        self.capabilities: Capabilities | None = None
        self.notes: list[str] = []
        self.standing: AccountStanding = UNCHECKED
        """What the token and account allow (``prepare`` reads it)."""

    # ---- start-up --------------------------------------------------------------------

    async def prepare(
        self,
        *,
        facets: bool = True,
        recruitsome: RecruitsomeClient | None = None,
        facets_ttl: float = DEFAULT_FACETS_TTL,
        inflight: InFlight | None = None,
    ) -> None:
        """Fetch capabilities, ``/auth/me`` and the pick-list facets concurrently.

        ``standing`` then says what the token and account allow. A token problem is
        raised (drafting switched off is the standing's to tell); anything else only
        degrades (documented enums, free entry) with a quiet note, so the form is never
        blocked. Facets come from the disk cache while fresh, so a second start within
        the TTL sends no request; callers sharing ``inflight`` share one request.
        """
        capabilities_call = self.client.capabilities()
        # The account check (/auth/me) rides along: no wait of its own.
        me_call = self.client.me(optional=True)
        if facets:
            # Imported here: ``fill`` asks for capabilities only, and never loads it.
            from wizard.core.facets.catalog import load_catalog

            # The sandbox's port changes every run: cache its facets under its scope.
            scope = self.scope if self.scope == "sandbox" else None
            catalog_call = load_catalog(
                self.client,
                recruitsome,
                ttl=facets_ttl,
                base=self.catalog,
                scope=scope,
                inflight=inflight,
            )
            capabilities, me, catalog = await asyncio.gather(
                capabilities_call, me_call, catalog_call, return_exceptions=True
            )
            if isinstance(catalog, OptionCatalog):
                self.catalog = catalog
                self.notes.extend(catalog.notes)
        else:
            capabilities, me = await asyncio.gather(
                capabilities_call, me_call, return_exceptions=True
            )
        self.standing = standing_from(me, capabilities)
        # A refused connection or a rejected token is told now; anything else degrades.
        # Drafting switched off for the account is the standing's sentence, not a failure
        # to connect: it is told before the form like the other account problems.
        if feature_off(capabilities) is None and isinstance(
            capabilities, AuthenticationError | PermissionDeniedError | APIConnectionError
        ):
            raise capabilities
        if isinstance(capabilities, Capabilities):
            self.capabilities = capabilities
        elif isinstance(capabilities, BaseException):
            self.notes.append(f"Capabilities unavailable ({capabilities}); using documented enums.")

    def new_session(self, job_id: str, **kwargs: Any) -> DraftSession:
        """An empty session bound to this engine's capabilities and options."""
        return DraftSession(
            job_id=job_id, capabilities=self.capabilities, catalog=self.catalog, **kwargs
        )

    # ---- the loop --------------------------------------------------------------------

    async def create(self, description: str) -> DraftSession:
        """Create a draft from text; a retried or re-run create never duplicates it."""
        key = new_idempotency_key()
        if self.journal is not None:
            key = self.journal.create_key(self.scope, description, key)
        response = await self.client.create_draft(description, idempotency_key=key)
        session = self.new_session(response.job_id, idempotency_key=key)
        session.apply(response)
        if self.journal is not None:
            with self.journal.batch():  # one commit for the draft and its create
                self.journal.record_draft(
                    self.scope,
                    response.job_id,
                    title=session.title,
                    idempotency_key=key,
                    validation=session.validation.model_dump(by_alias=True),
                    parsed=response.normalized_fields or {},
                )
                self.journal.create_done(self.scope, description, response.job_id)
                if self.scope == PRACTICE_SCOPE:
                    # A practice draft can be posted for real later: that needs its text.
                    self.journal.keep_practice_description(self.scope, response.job_id, description)
        emit("draft_created", job_id=session.job_id, left=session.remaining)
        return session

    async def open(self, job_id: str, overrides: dict[str, Any] | None = None) -> OpenResult:
        """Open an existing draft: re-send unacknowledged answers, else a no-op refresh.

        There is no documented GET for a draft, so its validation is read by PATCHing
        the title it already has, taken from a fresh ``/jobs/mine`` at this moment and
        never from the journal: a title changed elsewhere since must not be reverted.
        ``overrides`` (e.g. an answers file) win over pending answers for the same key.
        """
        session = self.new_session(job_id)
        known = self.journal.draft(self.scope, job_id) if self.journal else None
        if known is not None:
            session.idempotency_key = known.idempotency_key
            for key, value in (known.parsed or {}).items():
                session.values[key] = value
                session.provenance[key] = "parsed"
            if self.journal is not None:
                for key, value in self.journal.acknowledged(self.scope, job_id).items():
                    session.values[key] = value
                    session.provenance[key] = "you"
        pending = self.journal.pending(self.scope, job_id) if self.journal else {}
        resend = {key: (overrides or {}).get(key, value) for key, value in pending.items()}
        dropped: dict[str, str] = {}
        if resend:
            try:
                await self.submit(session, resend)
                return OpenResult(session=session, resent=resend)
            except BadRequestError as err:
                # A saved answer the server refuses for good would block every later
                # start. Drop exactly the answers it names (and say so), keep the rest.
                dropped = {k: m for k, m in err.field_errors.items() if k in resend}
                if not dropped:
                    raise
                if self.journal is not None:
                    self.journal.discard_pending(self.scope, job_id, list(dropped))
                rest = {k: v for k, v in resend.items() if k not in dropped}
                if rest:
                    await self.submit(session, rest)
                    return OpenResult(session=session, resent=rest, dropped=dropped)
        listed, title = await self._title_from_server(job_id)
        if not listed:
            raise DraftUnreadable(
                f"No draft {job_id} in this account: check the id (a job that was "
                "published, or belongs to another account, cannot be filled)."
            )
        given = (overrides or {}).get("jobTitle")
        if not title and isinstance(given, str) and given.strip():
            # An untitled draft: its title is this run's answer, sent as a real write.
            await self.submit(session, {"jobTitle": given})
            return OpenResult(session=session, resent={"jobTitle": given}, dropped=dropped)
        if not title:
            if known is not None and known.validation:
                # Nothing fresh to re-send without risking an overwrite: show the
                # questions this machine saw last, and write nothing.
                session.title = known.title
                session.apply_validation(Validation.model_validate(known.validation))
                return OpenResult(
                    session=session,
                    resent={},
                    dropped=dropped,
                    note="The server did not give this draft's title, so its questions are "
                    "the ones saved when you last worked on it; your first send refreshes them.",
                )
            raise DraftUnreadable(
                f"Draft {job_id} has no title the server lists, so its validation cannot be "
                "read (the API has no GET for drafts). Answer its jobTitle to continue."
            )
        session.title = title
        session.values["jobTitle"] = title
        session.provenance.setdefault("jobTitle", "parsed")
        response = await self.client.update_draft(job_id, {"jobTitle": title})
        session.apply(response)
        self._record(session)
        return OpenResult(session=session, resent={}, dropped=dropped)

    async def _title_from_server(self, job_id: str) -> tuple[bool, str | None]:
        """Whether ``/jobs/mine`` lists the draft, and its title there."""
        cursor: str | None = None
        for _ in range(20):  # bounded: at most 2,000 drafts scanned
            page = await self.client.my_jobs(status="DRAFT", limit=100, cursor=cursor)
            for job in page.jobs:
                if job.id == job_id:
                    return True, job.title
            if not page.next_cursor:
                return False, None
            cursor = page.next_cursor
        return True, None  # not seen in the first 2,000: say nothing about existence

    async def submit(self, session: DraftSession, answers: dict[str, Any]) -> RoundDiff:
        """Send one round's answers as ONE PATCH and re-plan from the reply.

        Raises ``AnswersInvalid`` when an answer cannot be coerced: then nothing is
        journaled or sent (the answers stay with the caller, who asks again). Raises the
        client's typed errors when the server refuses or cannot be reached: those answers
        were journaled before the PATCH and stay pending, so nothing sent is lost.
        """
        body = session.build_patch(answers)
        ticket = 0
        if self.journal is not None:
            ticket = self.journal.write_pending(self.scope, session.job_id, body)
        response = await self.client.update_draft(session.job_id, body)
        if self.journal is None:
            diff = session.apply(response, sent=body)
        else:
            # The pending write above is committed before the PATCH (crash safety);
            # the acknowledgement and the new validation share one commit.
            with self.journal.batch():
                self.journal.acknowledge(self.scope, session.job_id, list(body), ticket)
                diff = session.apply(response, sent=body)
                self._record(session)
        emit("round_sent", job_id=session.job_id, round=session.round, left=session.remaining)
        return diff

    async def publish(self, session: DraftSession) -> PublishResult:
        """Publish; a not-ready reply re-plans the form from ``details.validation``."""
        try:
            result = await self.client.publish(session.job_id)
        except PublishNotReadyError as err:
            session.apply_validation(err.validation)
            raise
        session.mark_published(result)
        if self.journal is not None:
            self.journal.record_draft(
                self.scope, session.job_id, status=result.status or "OPEN", job_url=result.job_url
            )
        emit("published", job_id=session.job_id)
        return result

    def _record(self, session: DraftSession) -> None:
        if self.journal is None:
            return
        self.journal.record_draft(
            self.scope,
            session.job_id,
            title=session.title,
            idempotency_key=session.idempotency_key,
            validation=session.validation.model_dump(by_alias=True),
            # Working on a draft shows it again if it was hidden from the list.
            status=session.status,
        )
