"""The composition root: settings → backend → app, built the same way everywhere.

``draft-wizard``, the Pilot tests and the screenshots all get their app from
``make_app``. Handed a backend, the app uses it as it is (tests build one over
``httpx.ASGITransport`` on the sandbox app: no thread, no port, no monkeypatching);
otherwise a ``Launcher`` connects to the configured API, starting the embedded
sandbox when there is no token.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.collector import freeze_startup
from wizard.settings import Settings

if TYPE_CHECKING:
    from wizard.api.transport import ExchangeObserver
    from wizard.core.backend import Backend
    from wizard.core.journal import Journal
    from wizard.launch import Launcher
    from wizard.ui.app import WizardApp

IN_PROCESS_ORIGIN = "http://sandbox.invalid"
"""The origin an in-process sandbox answers on (never resolved: no socket is opened)."""


def make_app(
    settings: Settings,
    backend: Backend | None = None,
    *,
    launcher: Launcher | None = None,
    **options: Any,
) -> WizardApp:
    """The wizard app for these settings.

    Args:
        settings: Resolved configuration.
        backend: A ready backend to use instead of connecting (tests, embedding).
        launcher: The launcher to connect with, when the caller owns it (and stops it);
            by default the app makes its own and stops it when it closes.
        options: ``WizardApp`` options: ``description``, ``start_new``, ``job_id``, ``samples``,
            ``offer_tour`` (``connect_live`` defaults to ``connect_live`` below).
    """
    from wizard.ui.app import WizardApp

    freeze_startup()
    options.setdefault("connect_live", connect_live)
    if backend is not None:
        given = backend

        async def use_given(observer: ExchangeObserver | None) -> Backend:
            # The request log listens to the backend's clients, whoever built them.
            given.client.observer = observer
            if given.recruitsome is not None:
                given.recruitsome.observer = observer
            return given

        return WizardApp(settings, use_given, **options)

    if launcher is not None:
        return WizardApp(settings, launcher.connect, **options)
    from wizard.launch import Launcher

    own = Launcher(settings)
    return WizardApp(settings, own.connect, cleanup=own.stop, **options)


async def connect_live(
    settings: Settings, journal: Journal | None, observer: ExchangeObserver | None
) -> Backend:
    """Connect to the API ``settings`` name, sharing a journal (posting a practice draft
    for real): the UI asks for it through the app, never importing the launcher."""
    from wizard.launch import Launcher

    return await Launcher(settings, journal=journal).connect(observer)


def in_process_sandbox_backend(
    *, journal: Journal | None = None, faults: str | None = None, db_path: Path | None = None
) -> Backend:
    """A backend wired to a fresh sandbox app in this process, over ``ASGITransport``.

    The sandbox keeps its drafts in memory, or in ``db_path`` so that a second backend
    (a restarted app) finds them; the backend owns (and closes) its transport.
    """
    import httpx

    from wizard.api.recruitsome.client import RecruitsomeClient
    from wizard.core.backend import make_backend
    from wizard.sandbox import SANDBOX_RECRUITSOME_KEY, SANDBOX_TOKEN, create_app

    transport = httpx.ASGITransport(app=create_app(db_path=db_path, faults=faults))
    http = httpx.AsyncClient(transport=transport)
    backend = make_backend(
        base_url=IN_PROCESS_ORIGIN,
        token=SANDBOX_TOKEN,
        sandbox=True,
        journal=journal,
        http_client=http,
        allow_insecure=True,
    )
    backend.recruitsome = RecruitsomeClient(
        IN_PROCESS_ORIGIN, SANDBOX_RECRUITSOME_KEY, http_client=http, allow_insecure=True
    )
    backend.owned.append(http)
    return backend
