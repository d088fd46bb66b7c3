"""The served room: textual-serve's routes behind the gate, one process per participant.

textual-serve's ``Server`` gives the page, the static assets and the websocket
protocol; this subclass replaces how a websocket finds its process (a participant's,
kept across reconnects), adds the status page, and runs the server itself so Ctrl+C
can end every participant's app in order and tell them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.server import Server, to_int

from wizard.serve import status
from wizard.serve.environment import RealAPI, participant_command, participant_environment
from wizard.serve.events import Feed
from wizard.serve.gate import make_gate
from wizard.serve.options import ServeOptions
from wizard.serve.participants import Participant, ParticipantApp, Room

PARTICIPANT_COOKIE = "dw_participant"
_TEMPLATES = Path(__file__).parent / "templates"
_POLL_SECONDS = 0.5
_GOODBYE = (
    b"\x1b[?1049l\x1b[2J\x1b[H\r\n  The facilitator has ended this session."
    b"\r\n  Thank you for taking part.\r\n"
)

FULL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>draft-wizard</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>The room is full</h1>
<p>Every place in this room ({places}) is taken right now. Please tell your facilitator;
reload this page when a place is free.</p>
</body></html>
"""


class RoomServer(Server):
    """textual-serve with a gate, participants and a facilitator's view."""

    def __init__(
        self,
        options: ServeOptions,
        token: str,
        state_root: Path,
        out: TextIO,
        *,
        real_api: RealAPI | None = None,
        environ: dict[str, str] | None = None,
    ) -> None:
        super().__init__(
            "draft-wizard",
            host=options.host,
            port=options.port,
            title="draft-wizard",
            public_url=options.public_url,
            templates_path=_TEMPLATES,
        )
        self.options = options
        self.token = token
        self.real_api = real_api
        self.environ = dict(os.environ) if environ is None else environ
        self.room = Room(
            state_root,
            grace_seconds=options.grace_seconds,
            max_participants=options.max_participants,
        )
        self.feed = Feed(out)
        self.stopping = False
        self._watchers: set[asyncio.Task[None]] = set()
        self._command = participant_command(real_api=real_api is not None)

    # ---- the aiohttp application ------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(
            middlewares=[make_gate(self.token, public_url=lambda: self.public_url)]
        )
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/status", self.handle_status, name="status"),
                web.get("/status.json", self.handle_status_json, name="status_json"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        participant = self.room.get(request.cookies.get(PARTICIPANT_COOKIE))
        if not self.room.has_room_for(participant):
            return self._full()
        fresh = participant is None
        if participant is None:
            participant = self.room.new()
        public = self.public_url
        scheme = "wss:" if public.startswith("https") else "ws:"
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": scheme + public.split(":", 1)[1] + "/ws",
            "config": {"static": {"url": f"{public}/static/"}},
            "application": {"name": "draft-wizard"},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        if fresh:
            response.set_cookie(
                PARTICIPANT_COOKIE,
                participant.key,
                path="/",
                httponly=True,
                samesite="Strict",
                secure=public.startswith("https://"),
            )
        return response

    async def handle_status(self, request: web.Request) -> web.Response:
        return web.Response(
            text=status.page(self.room),
            content_type="text/html",
            headers={"Cache-Control": "no-store"},
        )

    async def handle_status_json(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"max_participants": self.room.max_participants, "participants": status.rows(self.room)}
        )

    def _full(self) -> web.Response:
        return web.Response(
            status=503,
            text=FULL_PAGE.format(places=self.room.max_participants),
            content_type="text/html",
            headers={"Retry-After": "30"},
        )

    def _same_origin(self, request: web.Request) -> bool:
        """A websocket opened by a page of another site is refused (cookies would ride
        along on some browsers; SameSite=Strict stops the rest)."""
        origin = request.headers.get("Origin")
        if not origin:
            return True
        netloc = urlsplit(origin).netloc
        return netloc in {request.host, urlsplit(self.public_url).netloc}

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if not self._same_origin(request):
            return web.Response(status=403, text="This page cannot open the room.")
        if self.stopping:
            return web.Response(status=503, text="The room is closing.")
        participant = self.room.get(request.cookies.get(PARTICIPANT_COOKIE))
        if not self.room.has_room_for(participant):
            return self._full()
        if participant is None:  # a script without the page's cookie: a new participant
            participant = self.room.new()
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        socket = web.WebSocketResponse(heartbeat=15)
        await socket.prepare(request)
        try:
            app = await self._attach(participant, socket, width, height)
        except OSError:
            return socket
        try:
            await self._process_messages(socket, app)
        except Exception as error:  # a malformed message ends this connection only
            self.feed.line(participant, f"connection dropped ({type(error).__name__})")
        finally:
            self._detached(participant, app, socket)
        return socket

    async def _attach(
        self, participant: Participant, socket: web.WebSocketResponse, width: int, height: int
    ) -> ParticipantApp:
        if participant.expiry is not None:
            participant.expiry.cancel()
            participant.expiry = None
        app = participant.app
        if app is not None and app.running:
            previous = app.socket
            await app.attach(socket, width, height)
            if previous is not None and previous is not socket:
                # The same participant in a second tab: the newest tab has the session.
                await previous.close(code=WSCloseCode.GOING_AWAY, message=b"opened elsewhere")
            self.feed.line(participant, "reconnected (same session)")
        else:
            app = ParticipantApp(
                self._command,
                participant_environment(
                    participant.home,
                    participant.events_file,
                    self.environ,
                    real_api=self.real_api,
                ),
                participant.home,
                self.download_manager,
            )
            app.socket = socket
            app.size = (width, height)
            try:
                await app.start(width, height)
            except OSError as error:
                # One sentence for the facilitator; the participant's tab shows the
                # session ended and can reconnect.
                self.feed.line(participant, f"could not start the wizard: {error}")
                await socket.close(code=WSCloseCode.INTERNAL_ERROR, message=b"no wizard")
                raise
            participant.app = app
            self._spawn(self._watch(participant, app))
            self.feed.line(participant, "connected")
        participant.connected = True
        participant.away_since = None
        participant.ended = False
        return app

    def _detached(
        self, participant: Participant, app: ParticipantApp, socket: web.WebSocketResponse
    ) -> None:
        if not app.detach(socket) or self.stopping or not app.running or app.exiting:
            return
        participant.connected = False
        participant.away_since = time.time()
        minutes = self.room.grace_seconds / 60
        self.feed.line(participant, f"away (session kept {minutes:g} min for a reconnect)")
        loop = asyncio.get_running_loop()
        participant.expiry = loop.call_later(
            self.room.grace_seconds, lambda: self._spawn(self._expire(participant, app))
        )

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run in the background, holding a reference until done (asyncio keeps none)."""
        task = asyncio.create_task(work)
        self._watchers.add(task)
        task.add_done_callback(self._watchers.discard)

    async def _expire(self, participant: Participant, app: ParticipantApp) -> None:
        if participant.app is app and app.socket is None and app.running:
            await app.stop()
            self.feed.line(participant, "session closed (away longer than the grace period)")

    async def _watch(self, participant: Participant, app: ParticipantApp) -> None:
        await app.wait()
        if participant.app is app:
            participant.connected = False
            participant.ended = True
            if participant.expiry is not None:
                participant.expiry.cancel()
                participant.expiry = None
            if not (self.stopping or app.stop_requested):
                code = app.returncode
                if app.exiting or code == 0:
                    self.feed.line(participant, "left (the wizard was closed)")
                else:
                    self.feed.line(participant, f"the wizard stopped unexpectedly (exit {code})")
                socket = app.socket
                if socket is not None and not socket.closed:
                    # A page still attached would show a frozen screen; closed, it offers
                    # to reconnect (a fresh wizard on the same home and journal).
                    await socket.close(code=WSCloseCode.GOING_AWAY, message=b"wizard ended")

    # ---- running and stopping ----------------------------------------------------------

    async def run_until_stopped(
        self, stop: asyncio.Event, ready: asyncio.Event | None = None
    ) -> None:
        """Serve until ``stop`` is set, then end every participant's app and say so."""
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        if self.options.public_url is None:
            # The real port (``--port 0`` picks a free one).
            port = runner.addresses[0][1] if runner.addresses else self.port
            host = f"[{self.host}]" if ":" in self.host else self.host
            self.public_url = f"http://{host}:{port}"
        self.feed.out.write(
            f"Share this link with the room (anyone with it can join):\n\n"
            f"    {self.public_url}/?token={self.token}\n\n"
            f"Status page for you: the same link with /status in place of /\n"
            f"    ({self.public_url}/status?token=…; it starts no wizard)\n"
            f"Up to {self.room.max_participants} participants; press Ctrl+C to end the session.\n\n"
        )
        self.feed.out.flush()
        if ready is not None:
            ready.set()
        try:
            while not stop.is_set():
                self.feed.poll(list(self.room))
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), _POLL_SECONDS)
        finally:
            await self._close_room()
            self.feed.poll(list(self.room))
            await runner.cleanup()

    async def _close_room(self) -> None:
        self.stopping = True
        live = [participant for participant in self.room if participant.live]
        self.feed.line(None, f"ending the session for {len(live)} participant(s)")
        await asyncio.gather(*(self._say_goodbye(p) for p in live), return_exceptions=True)

    async def _say_goodbye(self, participant: Participant) -> None:
        app = participant.app
        if app is None:
            return
        socket, app.socket = app.socket, None  # the app's own exit must not close it first
        await app.stop()
        if socket is not None and not socket.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await socket.send_bytes(_GOODBYE)
                await socket.close(code=WSCloseCode.GOING_AWAY, message=b"session ended")

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (or SIGTERM)."""
        asyncio.run(self._serve_with_signals())

    async def _serve_with_signals(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        await self.run_until_stopped(stop)


def remove_state(root: Path) -> None:
    """The practice folders of a finished session (nothing in them was published)."""
    shutil.rmtree(root, ignore_errors=True)
