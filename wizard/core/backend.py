"""Everything one run talks to, built in one place: client, journal, engine.

Both the TUI and ``fill`` get their backend from ``make_backend``; tests build the
same thing against a sandbox on a loopback port.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from wizard.api.errors import WizardAPIError
from wizard.api.opentrain.client import OpenTrainClient
from wizard.api.opentrain.models import MyJob
from wizard.api.transport import ExchangeObserver
from wizard.config import DEFAULT_FACETS_TTL, DEFAULT_TIMEOUT
from wizard.core.draft_lock import DraftLock
from wizard.core.engine import DraftEngine
from wizard.core.explain import explain
from wizard.core.facets.cache import InFlight
from wizard.core.journal import Journal, JournalDraft
from wizard.core.options import OptionCatalog
from wizard.core.paths import state_dir
from wizard.core.rate_hint import RateHint, load_rate_hint

if TYPE_CHECKING:
    # Only the TUI and ``facets`` talk to Recruitsome: ``fill`` never loads its client.
    from wizard.api.recruitsome.client import RecruitsomeClient


@dataclass
class Backend:
    """A connected client, its journal and the engine that drives both."""

    client: OpenTrainClient
    engine: DraftEngine
    journal: Journal | None
    scope: str
    sandbox: bool
    base_url: str
    facets_ttl: float = DEFAULT_FACETS_TTL
    recruitsome: RecruitsomeClient | None = None
    """A recruiter's Recruitsome facets, when a key is configured (or in the sandbox)."""
    notices: list[str] = field(default_factory=list)
    """Sentences for the person about this run's set-up (crash-safety off, a journal
    moved aside), shown once connected."""
    owned: list[httpx.AsyncClient] = field(default_factory=list)
    """HTTP clients built for this backend and handed to its API clients; closed with it."""
    inflight: InFlight = field(default_factory=InFlight)
    """This run's cached lookups in flight (facets, the rate hint): concurrent callers
    asking for the same answer share one request."""

    def draft_lock(self, job_id: str) -> DraftLock:
        """This run's hold on one draft (not yet taken): one writer per draft."""
        return DraftLock(state_dir(), self.scope, job_id)

    async def prepare(self) -> None:
        """Fetch capabilities and both facet sources (concurrently, cached)."""
        await self.engine.prepare(
            recruitsome=self.recruitsome, facets_ttl=self.facets_ttl, inflight=self.inflight
        )

    async def aclose(self) -> None:
        """Close network resources."""
        await self.client.aclose()
        if self.recruitsome is not None:
            await self.recruitsome.aclose()
        for http in self.owned:
            await http.aclose()

    # ---- what the screens ask: this machine's journal and the account's drafts ----------

    async def list_drafts(self, limit: int = 25) -> DraftList:
        """This machine's drafts, then the account's others (hidden ones left out)."""
        local: list[JournalDraft] = []
        seen: set[str] = set()
        if self.journal is not None:
            seen |= self.journal.hidden(self.scope)
            local = self.journal.drafts(self.scope)
            seen |= {draft.job_id for draft in local}
        unsent = self.journal.drafts_with_pending(self.scope) if self.journal else []
        try:
            page = await self.client.my_jobs(status="DRAFT", limit=limit)
        except WizardAPIError as err:
            return DraftList(local, [], unsent, problem=explain(err)[0])
        return DraftList(local, [job for job in page.jobs if job.id not in seen], unsent)

    def hide_draft(self, job_id: str) -> bool:
        """Leave a draft out of the drafts list on this machine; False without a journal."""
        if self.journal is None:
            return False
        self.journal.hide_draft(self.scope, job_id)
        return True

    def earlier_draft(self, description: str) -> JournalDraft | None:
        """The newest unpublished draft made here from this same description, if any."""
        if self.journal is None:
            return None
        return self.journal.draft_for_description(self.scope, description)

    def typed(self, job_id: str) -> dict[str, Any]:
        """Answers typed for a draft and never sent (empty without a journal)."""
        return self.journal.typed(self.scope, job_id) if self.journal is not None else {}

    def save_typed(self, job_id: str, typed: dict[str, Any]) -> None:
        """Keep a form's typed answers on this machine (nothing without a journal)."""
        if self.journal is not None:
            self.journal.save_typed(self.scope, job_id, typed)

    async def rate_hint(self, pay_type: str, title: str | None) -> RateHint | None:
        """What similar open jobs pay (cached like facets; None whenever there is none)."""
        return await load_rate_hint(
            self.client,
            pay_type,
            title,
            ttl=self.facets_ttl,
            # The sandbox's port changes every run: cache its answers under its scope.
            scope="sandbox" if self.sandbox else None,
            inflight=self.inflight,
        )


@dataclass
class DraftList:
    """The drafts the start screen offers to continue."""

    local: list[JournalDraft]
    """Drafts worked on here, newest first."""
    server: list[MyJob]
    """The account's other drafts (neither worked on here nor hidden)."""
    unsent: list[JournalDraft]
    """Drafts with answers that were never acknowledged (offered for resume)."""
    problem: str | None = None
    """Why the account's drafts could not be listed, or None."""


def make_backend(
    *,
    base_url: str,
    token: str | None,
    sandbox: bool,
    journal: Journal | None,
    observer: ExchangeObserver | None = None,
    http_client: httpx.AsyncClient | None = None,
    allow_insecure: bool = False,
    catalog: OptionCatalog | None = None,
    facets_ttl: float = DEFAULT_FACETS_TTL,
    timeout: float = DEFAULT_TIMEOUT,
) -> Backend:
    """Build the backend for one API origin.

    The journal scope is ``sandbox`` for the embedded sandbox (its port changes each
    run, its drafts persist), else the origin, so drafts of one server are never
    offered against another. ``timeout`` is the per-request limit in seconds
    (``DRAFT_WIZARD_TIMEOUT``) when the client makes its own HTTP client.
    """
    client = OpenTrainClient(
        base_url,
        token,
        http_client=http_client,
        observer=observer,
        allow_insecure=allow_insecure,
        timeout=timeout,
    )
    scope = "sandbox" if sandbox else base_url.rstrip("/")
    engine = DraftEngine(client, scope=scope, journal=journal, catalog=catalog)
    return Backend(
        client=client,
        engine=engine,
        journal=journal,
        scope=scope,
        sandbox=sandbox,
        base_url=base_url,
        facets_ttl=facets_ttl,
    )
