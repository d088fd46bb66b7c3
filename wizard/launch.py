"""Connecting a run to its API: the real one with a token, or the embedded sandbox.

This is the only place above the sandbox package that starts it, so the UI and the
core never import it.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.config import DEFAULT_RECRUITSOME_URL
from wizard.core.paths import state_dir
from wizard.settings import Settings

if TYPE_CHECKING:
    from wizard.api.recruitsome.client import RecruitsomeClient
    from wizard.api.transport import ExchangeObserver
    from wizard.core.backend import Backend
    from wizard.core.journal import Journal
    from wizard.sandbox import SandboxServer


def sandbox_db_path() -> Path | None:
    """Where the embedded sandbox keeps drafts, so resume works in the demo too.

    ``DRAFT_WIZARD_SANDBOX_DB=:memory:`` keeps them in memory instead.
    """
    configured = os.environ.get("DRAFT_WIZARD_SANDBOX_DB")
    if configured == ":memory:":
        return None
    if configured:
        return Path(configured)
    return state_dir() / "sandbox.sqlite3"


class Launcher:
    """Owns the embedded sandbox (if any) for the lifetime of one command."""

    def __init__(self, settings: Settings, *, journal: Journal | None = None) -> None:
        self.settings = settings
        self._journal = journal
        self._journal_opened = journal is not None
        self._server: SandboxServer | None = None
        self.journal_problem: str | None = None
        """Why crash-safety is off (no journal), as one sentence; None while it is on.

        Set by ``journal()`` (``connect`` calls it); the TUI shows it as a banner and
        ``fill`` as a warning.
        """
        self.journal_notice: str | None = None
        """A repair made while opening the journal (a damaged file moved aside), or None."""

    def journal(self) -> Journal | None:
        """The journal, opened once on first use (None if the state dir is unusable).

        A damaged journal file is moved aside and a fresh one started
        (``journal_notice``); a state directory that cannot be written leaves the run
        without one (``journal_problem``). Neither raises.
        """
        if not self._journal_opened:
            from wizard.core.journal import open_journal

            self._journal_opened = True
            opening = open_journal()
            self._journal = opening.journal
            self.journal_problem = opening.problem
            self.journal_notice = opening.notice
        return self._journal

    def start_sandbox(self) -> tuple[str, str]:
        """Start the embedded sandbox (blocking); returns its origin and demo token."""
        from wizard.sandbox import SANDBOX_TOKEN, SandboxServer

        if self._server is None:
            db = sandbox_db_path()
            if db is not None:
                db.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._server = SandboxServer(db_path=db)
            self._server.start()
        return self._server.base_url, SANDBOX_TOKEN

    async def connect(self, observer: ExchangeObserver | None = None) -> Backend:
        """Build the backend, starting the sandbox first when configured so."""
        token: str | None
        settings = self.settings
        # Recruitsome's client only when there will be one (the sandbox, or a key).
        wanted = settings.sandbox or settings.recruitsome_key is not None
        # On the caller's thread, not a worker's: the import is CPU-bound and holds the
        # GIL, so a worker thread saved no time, and its stack and allocator arena cost
        # ~0.5 MiB. The UI calls this after the start screen's first frame (or at once
        # for ``new``/``open``, whose screen takes no keys); a key pressed meanwhile waits
        # the ~50 ms of the import.
        _import_client_stack(wanted)
        from wizard.core.backend import make_backend

        if self.settings.sandbox:
            base_url, token = await asyncio.to_thread(self.start_sandbox)
        else:
            assert self.settings.base_url is not None
            base_url = self.settings.base_url
            token = self.settings.token.get_secret_value() if self.settings.token else None
        backend = make_backend(
            base_url=base_url,
            token=token,
            sandbox=self.settings.sandbox,
            journal=self.journal(),
            observer=observer,
            allow_insecure=self.settings.allow_insecure_http,
            facets_ttl=self.settings.facets_ttl,
            timeout=self.settings.timeout,
        )
        backend.recruitsome = recruitsome_client_for(self.settings, backend, observer=observer)
        backend.notices = [n for n in (self.journal_problem, self.journal_notice) if n]
        return backend

    def stop(self) -> None:
        """Stop the embedded sandbox, if this launcher started one."""
        if self._server is not None:
            self._server.stop()
            self._server = None


def _import_client_stack(recruitsome: bool) -> None:
    # All the first request needs, loaded in one go: httpx would load its transport
    # (httpcore, h11) only when the first client is built, and anyio its asyncio
    # backend on the first request.
    import anyio._backends._asyncio  # noqa: F401
    import httpcore  # noqa: F401

    import wizard.core.backend  # noqa: F401

    if recruitsome:
        import wizard.api.recruitsome.client  # noqa: F401


def recruitsome_client_for(
    settings: Settings, backend: Backend, **kwargs: Any
) -> RecruitsomeClient | None:
    """The Recruitsome client this run should use, or None when none is configured.

    In sandbox mode the embedded sandbox serves Recruitsome too, with its demo key (or
    with ``RECRUITSOME_API_KEY`` when that is one of the sandbox's own keys), unless
    ``RECRUITSOME_BASE_URL`` points elsewhere and a key is set. Otherwise a key is needed.

    Raises:
        InsecureURLError: the configured base URL is plain http to another machine.
    """
    configured = settings.recruitsome_key.get_secret_value() if settings.recruitsome_key else None
    if not configured and not backend.sandbox:
        return None
    from wizard.api.recruitsome.client import RecruitsomeClient

    allow = settings.allow_insecure_http
    custom_base = settings.recruitsome_base_url.rstrip("/") != DEFAULT_RECRUITSOME_URL
    if backend.sandbox and not (configured and custom_base):
        from wizard.sandbox import SANDBOX_RECRUITSOME_KEY, SANDBOX_RECRUITSOME_KEYS

        own = configured is not None and configured in SANDBOX_RECRUITSOME_KEYS
        key = configured if configured is not None and own else SANDBOX_RECRUITSOME_KEY
        return RecruitsomeClient(backend.base_url, key, allow_insecure=allow, **kwargs)
    if not configured:
        return None
    return RecruitsomeClient(
        settings.recruitsome_base_url, configured, allow_insecure=allow, **kwargs
    )
