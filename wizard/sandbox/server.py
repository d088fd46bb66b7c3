"""Run the sandbox: in a background thread (`SandboxServer`) or in the foreground (`serve`)."""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from wizard.sandbox.accounts import SANDBOX_RECRUITSOME_KEY, SANDBOX_TOKEN
from wizard.sandbox.edge import FACETS_WINDOW_SECONDS
from wizard.sandbox.faults import FaultConfig
from wizard.sandbox.ratelimit import TOKENLESS_LIMIT

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

START_TIMEOUT_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 5.0


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, bound before the server starts, so the port is known at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP, not 0: asyncio only turns Nagle off (TCP_NODELAY) on sockets
    # that say they are TCP, and with Nagle on every response body waits ~40 ms for an ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        raise OSError(exc.errno, f"Cannot listen on {_origin(host, port)}: {reason}.") from exc
    return sock


def _origin(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _uvicorn_config(app: FastAPI) -> uvicorn.Config:
    import uvicorn

    from wizard.sandbox.middleware import quiet_intentional_drops

    quiet_intentional_drops()
    return uvicorn.Config(
        app,
        http="h11",
        ws="none",
        lifespan="off",
        log_config=None,
        log_level="warning",
        access_log=False,
        # Held requests end promptly on stop (see FaultInjector.shutting_down); this bounds
        # anything else still running.
        timeout_graceful_shutdown=2,
    )


class SandboxServer:
    """The sandbox on a loopback port, served by uvicorn in a daemon thread.

    Example::

        with SandboxServer() as server:
            httpx.get(f"{server.base_url}/api/public/v1/auth/me", headers=...)
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        db_path: str | Path | None = None,
        faults: FaultConfig | str | None = None,
        facets_window: float | None = None,
        tokenless_limit: int | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.db_path = db_path
        self.faults = FaultConfig.coerce(faults)
        self.facets_window = facets_window
        """Seconds a `/jobs/facets` answer is served; None for the app's default."""
        self.tokenless_limit = tokenless_limit
        """Tokenless requests a minute per client; None for the documented 120, 0 for none."""
        self._app: FastAPI | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def base_url(self) -> str:
        """The origin, e.g. `http://127.0.0.1:54321` (no path); valid once started."""
        if self._server is None:
            raise RuntimeError("The sandbox server has not been started.")
        return _origin(self.host, self.port)

    @property
    def app(self) -> FastAPI:
        """The running FastAPI app."""
        if self._app is None:
            raise RuntimeError("The sandbox server has not been started.")
        return self._app

    def start(self) -> SandboxServer:
        """Start serving; returns once the server accepts connections."""
        if self._server is not None:
            raise RuntimeError("The sandbox server is already running.")
        import uvicorn

        from wizard.sandbox.app import create_app

        sock = _bind(self.host, self.port)
        self.port = int(sock.getsockname()[1])
        try:
            window = FACETS_WINDOW_SECONDS if self.facets_window is None else self.facets_window
            limit = TOKENLESS_LIMIT if self.tokenless_limit is None else self.tokenless_limit
            self._app = create_app(
                db_path=self.db_path,
                faults=self.faults,
                facets_window=window,
                tokenless_limit=limit,
            )
            server = uvicorn.Server(_uvicorn_config(self._app))
        except BaseException:
            sock.close()
            raise
        self._server = server
        self._thread = threading.Thread(
            target=self._run, args=(server, sock), name="draft-wizard-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                error = self._error
                self.stop()
                raise RuntimeError(f"The sandbox server did not start: {error!r}")
            time.sleep(0.002)
        return self

    def _run(self, server: uvicorn.Server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported by start(): a thread cannot raise to its caller
            self._error = exc
        finally:
            sock.close()

    def stop(self) -> None:
        """Stop serving and wait for the thread to finish (idempotent)."""
        server, thread = self._server, self._thread
        if server is None:
            return
        from wizard.sandbox.app import sandbox_state

        state = sandbox_state(self._app) if self._app is not None else None
        if state is not None:
            state.injector.shutting_down = True
        server.should_exit = True
        if thread is not None:
            thread.join(STOP_TIMEOUT_SECONDS)
        if state is not None:
            state.store.close()
        self._server = None
        self._thread = None

    def set_faults(self, faults: FaultConfig | str | None) -> None:
        """Change the injected faults while running."""
        from wizard.sandbox.app import sandbox_state

        self.faults = FaultConfig.coerce(faults)
        sandbox_state(self.app).injector.configure(self.faults)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    db_path: str | Path | None = None,
    faults: FaultConfig | str | None = None,
) -> None:
    """Run the sandbox in the foreground until interrupted (`draft-wizard sandbox`)."""
    import uvicorn

    from wizard.sandbox.app import create_app

    config = FaultConfig.coerce(faults)
    sock = _bind(host, port)
    bound_port = int(sock.getsockname()[1])
    app = create_app(db_path=db_path, faults=config)
    server = uvicorn.Server(_uvicorn_config(app))
    extra = f", faults: {config.to_spec()}" if config.active else ""
    sys.stdout.write(
        f"Sandbox API listening on {_origin(host, bound_port)} (token: {SANDBOX_TOKEN},"
        f" Recruitsome key: {SANDBOX_RECRUITSOME_KEY}{extra}); nothing done here is published.\n"
    )
    sys.stdout.flush()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
