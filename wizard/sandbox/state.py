"""What one sandbox app instance owns: its store, draft service, counters and caches."""

from __future__ import annotations

from dataclasses import dataclass

from wizard.sandbox.drafts import DraftService
from wizard.sandbox.edge import EdgeCache
from wizard.sandbox.middleware import FaultInjector, Stats
from wizard.sandbox.ratelimit import SlidingWindowLimiter
from wizard.sandbox.store import Store


@dataclass
class SandboxState:
    """Everything one sandbox app instance owns."""

    store: Store
    drafts: DraftService
    stats: Stats
    injector: FaultInjector
    facets_cache: EdgeCache
    """`GET /jobs/facets` answers, per app instance (see `wizard.sandbox.edge`)."""
    tokenless_limiter: SlidingWindowLimiter | None = None
    """The 120 a minute per client on the tokenless endpoints (`wizard.sandbox.ratelimit`)."""
