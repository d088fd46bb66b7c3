"""A hostile stand-in of the OpenTrain public API, for tests that prove server text is data.

It answers the endpoints the wizard uses (capabilities, create, PATCH, publish,
``/jobs/mine``, ``/jobs/facets``) with the documented shapes, like a small honest server,
until a *mode* makes it hostile:

========================  ===========================================================
mode                      what the server does
========================  ===========================================================
``plain``                 nothing odd: a draft with three questions, answered in one round
``markup``                Rich/Textual markup in labels, prompts, hints, enum values,
                          titles and error messages (``[/]``, ``[@click=app.quit]x[/]``,
                          ``Pay per label [USD]``)
``escapes``               terminal escape sequences (clear screen, OSC 0 title, OSC 52
                          clipboard, OSC 8 link, C1 CSI) in the same places and in facets
``drip``                  every reply is valid but sent one byte per ``drip_interval`` s
``echo``                  the bearer token it received, echoed in a title, a prompt, a
                          label, an error ``code``, a zod path and its message
``deep``                  the create reply nests ``deep_levels`` (100,000) levels deep
``huge``                  the create reply asks ``huge_questions`` (10,000) questions
``bloat``                 a reply of ``bloat_bytes`` (8 MB) of otherwise valid JSON
``surrogate``             a lone surrogate (``"\\ud800"`` in the JSON text) in titles,
                          prompts, labels and messages
``job_id``                PATCH replies carry another draft's ``jobId``
``job_id_empty``          PATCH replies carry an empty ``jobId``
========================  ===========================================================

Errors: with ``reject_patch`` set, every PATCH is refused with a 400 whose message,
code and zod issue carry the mode's payload, so error paths see hostile text too.

Use it as a context manager (or with ``start``/``stop``); the mode can be changed
while it runs, so one server serves several cases::

    with HostileServer("escapes") as server:
        env = {"OT_API_BASE_URL": server.base_url, "OT_API_TOKEN": TOKEN}
        ...
        server.mode = "echo"

Tests take it from the ``hostile_server`` fixture (``tests/conftest.py``): one server
per module, reset to an honest ``plain`` with no request seen before each test. It
listens on 127.0.0.1 on a free port, in daemon threads, with the standard library only,
so a test of any layer can use it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.loopback import QuietHandler, envelope

PREFIX = "/api/public/v1"

MODES = (
    "plain",
    "markup",
    "escapes",
    "drip",
    "echo",
    "deep",
    "huge",
    "bloat",
    "surrogate",
    "job_id",
    "job_id_empty",
)

MARKUP = {
    "label": "Pay per label [USD]",
    "prompt": "Close the tag [/] then [@click=app.quit]click here[/] for [bold]help[/bold]",
    "hint": "[@click=app.quit]x[/]",
    "title": "Shelf boxes [/] [link=https://example.com]here[/link]",
    "error": "Rejected [/] [@click=app.quit]retry[/]",
    "enum": "[b]EXPERT[/b]",
}
"""What markup mode puts where: each one crashes, steers or is swallowed by a markup parser."""

ESCAPES = {
    "clear": "\x1b[2J\x1b[H",
    "title": "\x1b]0;pwned title\x07",
    "clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "link": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "c1": "\x9b31m\x9d0;c1 title\x9c",
}
"""Escape sequences a terminal acts on: clear the screen, set its title, write the
clipboard, plant a link, and the same with 8-bit C1 controls."""

ESCAPED = "".join(ESCAPES.values())

SURROGATE_JSON = "\\ud800"
"""A lone surrogate as it appears in the JSON text (it decodes to U+D800)."""

QUESTIONS: list[dict[str, Any]] = [
    {
        "field": "experienceLevel",
        "label": "Experience level",
        "message": "Experience level is required before publishing.",
        "code": "MISSING_EXPERIENCE_LEVEL",
        "prompt": "ask: What experience level should trainers have?",
        "type": "enum",
        "enumValues": ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"],
        "updateKeys": ["experienceLevel"],
        "example": "INTERMEDIATE",
        "hint": None,
    },
    {
        "field": "headcount",
        "label": "Headcount",
        "message": "Headcount is required before publishing.",
        "code": "missing_required_field",
        "prompt": "How many trainers do you need?",
        "type": "number",
        "enumValues": None,
        "updateKeys": ["headcount"],
        "example": "5",
        "hint": "A whole number.",
    },
    {
        "field": "languages",
        "label": "Languages",
        "message": "Languages are required before publishing.",
        "code": "missing_required_field",
        "prompt": "Which languages must trainers speak?",
        "type": "string[]",
        "enumValues": None,
        "updateKeys": ["languages"],
        "example": "English",
        "hint": None,
    },
]
"""The honest server's questions; ``ANSWERS`` answers them all."""

ANSWERS: dict[str, Any] = {
    "experienceLevel": "INTERMEDIATE",
    "headcount": 5,
    "languages": ["English"],
}
"""An answers file that makes a ``plain`` draft ready in one round."""

TITLE = "Shelf photo bounding boxes"


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    authorization: str | None
    body: bytes


class HostileServer:
    """The stand-in: an OpenTrain-shaped API on 127.0.0.1 whose ``mode`` turns it hostile."""

    def __init__(self, mode: str = "plain", *, reject_patch: bool = False) -> None:
        self.reset(mode, reject_patch=reject_patch)
        self.drafts: dict[str, dict[str, Any]] = {}
        """Job id → the fields the server holds."""
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def reset(self, mode: str = "plain", *, reject_patch: bool = False) -> None:
        """Every knob at its default and no request seen: one server serves many tests."""
        self.mode = mode
        self.reject_patch = reject_patch
        """Answer every PATCH with a 400 carrying the mode's payload."""
        self.drip_interval = 0.5
        """Seconds between two bytes in ``drip`` mode."""
        self.drip_routes: tuple[str, ...] = ()
        """Only requests whose ``METHOD path`` contains one of these drip; () drips all."""
        self.drips_finished = 0
        """Dripped replies sent to their last byte (a client that gives up ends one early)."""
        self.deep_levels = 100_000
        self.huge_questions = 10_000
        self.bloat_bytes = 8 * 1024 * 1024
        self.requests: list[Seen] = []

    # ---- life cycle -------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """The current mode (one of ``MODES``); settable while the server runs."""
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        if value not in MODES:
            raise ValueError(f"unknown mode {value!r}; one of {', '.join(MODES)}")
        self._mode = value

    @property
    def base_url(self) -> str:
        """The origin a client is pointed at (the API prefix is the client's to add)."""
        assert self._httpd is not None, "start the server first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> HostileServer:
        """Listen on a free loopback port, serving from a daemon thread."""
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        httpd.daemon_threads = True
        httpd.hostile = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and end every drip at once."""
        self.stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def seen(self, method: str, path_part: str = "") -> list[Seen]:
        """Requests received with this method and a path holding ``path_part``."""
        return [r for r in self.requests if r.method == method and path_part in r.path]

    # ---- what hostile text looks like in the current mode --------------------------------

    def payload(self, token: str | None, kind: str = "prompt") -> str:
        """The hostile part of a string, for this mode (empty when the mode has none)."""
        mode = self.mode
        if mode == "markup":
            return MARKUP.get(kind, MARKUP["prompt"])
        if mode == "escapes":
            return ESCAPED
        if mode == "echo":
            return f"token={token}" if token else "token=(none)"
        return ""

    # ---- the API ------------------------------------------------------------------------

    def handle(self, method: str, path: str, token: str | None, body: Any) -> tuple[int, Any]:
        """Answer one request: a status and a JSON-able body (or raw ``bytes``)."""
        route = path.removeprefix(PREFIX)
        if method == "GET" and route == "/jobs/facets":
            return 200, self._facets(token)
        if method == "GET" and route == "/job-drafts/capabilities":
            return 200, self._capabilities()
        if token is None:
            return 401, _envelope("Authentication required.", "UNAUTHORIZED")
        if method == "POST" and route == "/job-drafts":
            return self._create(token, body)
        if method == "PATCH" and route.startswith("/job-drafts/"):
            return self._patch(token, route.removeprefix("/job-drafts/"), body)
        if method == "POST" and route.startswith("/jobs/") and route.endswith("/publish"):
            return self._publish(route.split("/")[2])
        if method == "GET" and route == "/jobs/mine":
            return 200, self._mine(token)
        return 404, _envelope(f"No route {method} {route}.", "NOT_FOUND")

    def _capabilities(self) -> dict[str, Any]:
        enums = {
            "experienceLevel": ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"],
            "paymentType": ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"],
        }
        if self.mode == "markup":
            enums["experienceLevel"] = [*enums["experienceLevel"], MARKUP["enum"]]
        return {
            "featureKey": "public_api_job_drafting",
            "enabled": True,
            "capabilities": {"draftCreate": True, "draftUpdate": True, "publish": True},
            "draft": {
                "importFormats": ["text"],
                "updateKeys": ["jobTitle", "experienceLevel", "headcount", "languages"],
                "enums": enums,
            },
        }

    def _questions(self, token: str | None, fields: dict[str, Any]) -> list[dict[str, Any]]:
        if self.mode == "huge":
            return [
                {
                    "field": f"customQuestion{n}",
                    "label": f"Custom question {n}",
                    "message": f"Custom question {n} is required before publishing.",
                    "prompt": f"What is the answer to custom question {n}?",
                    "type": "string",
                    "updateKeys": [f"customQuestion{n}"],
                }
                for n in range(self.huge_questions)
                if f"customQuestion{n}" not in fields
            ]
        out = []
        for question in QUESTIONS:
            if question["field"] in fields:
                continue
            entry = dict(question)
            if self.mode in ("markup", "escapes", "echo"):
                entry["label"] = f"{entry['label']} {self.payload(token, 'label')}"
                entry["prompt"] = f"{entry['prompt']} {self.payload(token, 'prompt')}"
                entry["hint"] = f"{entry['hint'] or ''} {self.payload(token, 'hint')}".strip()
                entry["message"] = f"{entry['message']} {self.payload(token, 'error')}"
            if self.mode == "markup" and entry["enumValues"]:
                entry["enumValues"] = [*entry["enumValues"], MARKUP["enum"]]
            out.append(entry)
        return out

    def _title(self, token: str | None) -> str:
        extra = self.payload(token, "title")
        return f"{TITLE} {extra}".strip()

    def _draft_reply(self, token: str | None, job_id: str, *, created: bool) -> dict[str, Any]:
        fields = self.drafts[job_id]
        missing = self._questions(token, fields)
        reply: dict[str, Any] = {
            "ok": True,
            "jobId": job_id,
            "status": "DRAFT",
            "draftUrl": f"{self.base_url}/job-post?jobId={job_id}",
            "validation": {
                "publishReady": not missing,
                "issueCount": 0,
                "missingFieldCount": len(missing),
                "missingFields": missing,
                "issues": [],
            },
        }
        if created:
            reply["missingFields"] = missing
            if self.mode == "huge":
                # As the create example documents: rich objects at the top level, bare
                # names in the validation (so 10,000 questions stay under the size cap).
                reply["validation"]["missingFields"] = [m["field"] for m in missing]
            reply["normalizedFields"] = {"jobTitle": fields.get("jobTitle")}
            reply["warnings"] = [f"Check the title. {self.payload(token, 'error')}".strip()]
        return reply

    def _create(self, token: str, body: Any) -> tuple[int, Any]:
        with self._lock:
            job_id = f"cmhostile{next(self._ids):016d}"
            self.drafts[job_id] = {"jobTitle": self._title(token)}
        if self.mode == "deep":
            depth = self.deep_levels
            raw = (
                f'{{"ok":true,"jobId":"{job_id}","status":"DRAFT","validation":'
                + "[" * depth
                + "]" * depth
                + "}"
            )
            return 201, raw.encode()
        reply = self._draft_reply(token, job_id, created=True)
        if self.mode == "bloat":
            reply["padding"] = "x" * self.bloat_bytes
        return 201, reply

    def _patch(self, token: str, job_id: str, body: Any) -> tuple[int, Any]:
        if job_id not in self.drafts:
            return 404, _envelope(f"No job has the id '{job_id}'.", "NOT_FOUND")
        if self.reject_patch:
            payload = self.payload(token, "error")
            code = f"BAD_REQUEST{payload}" if self.mode != "echo" else str(token)
            key = next(iter(body), "headcount") if isinstance(body, dict) and body else "headcount"
            issue = {"path": [key], "message": f"Not accepted {payload}".strip()}
            if self.mode == "echo":
                issue = {"path": [str(token)], "message": f"Bad value for {token}"}
            return 400, _envelope(f"Invalid draft update. {payload}".strip(), code, issues=[issue])
        if isinstance(body, dict):
            self.drafts[job_id].update(body)
        reply = self._draft_reply(token, job_id, created=False)
        if self.mode == "job_id":
            reply["jobId"] = "cmsomeotherdraft00000000"
        elif self.mode == "job_id_empty":
            reply["jobId"] = ""
        return 200, reply

    def _publish(self, job_id: str) -> tuple[int, Any]:
        if job_id not in self.drafts:
            return 404, _envelope(f"No job has the id '{job_id}'.", "NOT_FOUND")
        return 200, {
            "ok": True,
            "jobId": job_id,
            "status": "OPEN",
            "alreadyPublished": False,
            "jobUrl": f"{self.base_url}/jobs/{job_id}",
            "warnings": [],
        }

    def _mine(self, token: str | None) -> dict[str, Any]:
        return {
            "jobs": [
                {"id": job_id, "title": fields.get("jobTitle"), "status": "DRAFT"}
                for job_id, fields in self.drafts.items()
            ],
            "nextCursor": None,
        }

    def _facets(self, token: str | None) -> dict[str, Any]:
        odd = self.payload(token, "label")
        return {
            "totalJobs": 3,
            "categories": [{"value": f"Text Annotation {odd}".strip(), "count": 2}],
            "languages": [{"value": f"English {odd}".strip(), "count": 3}],
            "countries": [{"value": f"US{odd}", "count": 1}],
            "payTypes": [{"value": f"PAY_PER_HOUR{odd}", "count": 1}],
            "generatedAt": f"2026-01-01T00:00:00Z{odd}",
        }

    def render(self, status: int, reply: Any) -> bytes:
        """The body bytes of a reply, with the mode's lone surrogate spliced into the text."""
        if isinstance(reply, bytes):
            return reply
        text = json.dumps(reply, ensure_ascii=False)
        if self.mode == "surrogate":
            # json.dumps cannot write a lone surrogate as text; splice its escape in.
            text = text.replace(TITLE, f"{TITLE} {SURROGATE_JSON}")
            text = text.replace("?", f"? {SURROGATE_JSON}").replace(
                "required before publishing.", f"required {SURROGATE_JSON}."
            )
        return text.encode("utf-8")


def _envelope(message: str, code: str, **details: Any) -> dict[str, Any]:
    return envelope(message, code, request_id="req-hostile", **details)


class _Handler(QuietHandler):
    """One request per connection (HTTP/1.0), answered by the server's ``handle``."""

    server: Any

    def serve(self) -> None:
        hostile: HostileServer = self.server.hostile
        raw = self.read_body()
        authorization = self.headers.get("authorization")
        hostile.requests.append(Seen(self.command, self.path, authorization, raw))
        token = authorization.split(" ", 1)[1] if authorization and " " in authorization else None
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = urlsplit(self.path).path
        status, reply = hostile.handle(self.command, path, token, body)
        payload = hostile.render(status, reply)
        head = (
            f"HTTP/1.0 {status} {self.responses.get(status, ('',))[0]}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n"
            "x-request-id: req-hostile\r\n"
            "\r\n"
        ).encode()
        route = f"{self.command} {path}"
        if hostile.mode == "drip" and (
            not hostile.drip_routes or any(part in route for part in hostile.drip_routes)
        ):
            self._drip(hostile, head + payload)
            return
        with contextlib.suppress(OSError):
            self.wfile.write(head + payload)
            self.wfile.flush()

    def _drip(self, hostile: HostileServer, data: bytes) -> None:
        """One byte at a time: each gap is short, the whole reply takes forever."""
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for index in range(len(data)):
            if hostile.stopping.wait(hostile.drip_interval if index else 0):
                return
            try:
                self.connection.sendall(data[index : index + 1])
            except OSError:
                return  # the client gave up: that is the point
        with hostile._lock:
            hostile.drips_finished += 1


def read_only_dir(tmp_path: Path) -> Path:
    """A directory this process cannot create files in (root ignores mode bits)."""
    directory = tmp_path / "read-only"
    directory.mkdir()
    directory.chmod(0o500)
    probe = directory / "probe"
    try:
        probe.touch()
    except OSError:
        return directory
    probe.unlink()
    directory.chmod(0o700)
    # Running as root: mode bits do not stop us; a read-only file system does.
    for candidate in (Path("/sys/fs"), Path("/proc/sys")):
        try:
            (candidate / "draft-wizard-probe").mkdir()
        except OSError:
            return candidate
    import pytest

    pytest.skip("no directory on this machine refuses writes to this user")
