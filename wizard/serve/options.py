"""The ``serve`` command's arguments, and what they resolve to before anything starts."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.api.urls import is_loopback_host
from wizard.config import DEFAULT_GRACE_MINUTES, DEFAULT_MAX_PARTICIPANTS, SERVE_HOST, SERVE_PORT


def add_serve_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the ``serve`` subcommand."""
    serve = commands.add_parser(
        "serve",
        parents=parents,
        help="the TUI in browsers, one process and one sandbox per participant",
        description="Serve the wizard to browsers behind a per-launch token printed as a "
        "link. Each participant gets their own process, home folder and sandbox; nothing "
        "they do is published unless --allow-real-api is given.",
    )
    serve.add_argument("--host", default=SERVE_HOST, help="address to listen on")
    serve.add_argument("--port", type=int, default=SERVE_PORT)
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address participants use, when behind a proxy (https marks the cookie Secure)",
    )
    serve.add_argument(
        "--allow-real-api",
        action="store_true",
        help="hand your API token to every participant (they all act as your account)",
    )
    serve.add_argument(
        "--max-participants",
        type=int,
        metavar="N",
        default=DEFAULT_MAX_PARTICIPANTS,
        help=f"places in the room (default {DEFAULT_MAX_PARTICIPANTS})",
    )
    serve.add_argument(
        "--grace-minutes",
        type=float,
        metavar="M",
        default=DEFAULT_GRACE_MINUTES,
        help="how long a disconnected participant's session is kept for a reconnect "
        f"(default {DEFAULT_GRACE_MINUTES:g})",
    )


@dataclass(frozen=True)
class ServeOptions:
    """Resolved ``serve`` arguments."""

    host: str = SERVE_HOST
    port: int = SERVE_PORT
    public_url: str | None = None
    allow_real_api: bool = False
    max_participants: int = DEFAULT_MAX_PARTICIPANTS
    grace_seconds: float = DEFAULT_GRACE_MINUTES * 60
    state_root: Path | None = None


def options_from(args: argparse.Namespace) -> ServeOptions:
    """Check the arguments; raises ValueError with one sentence."""
    if not 0 <= args.port <= 65535:
        raise ValueError(f"--port must be between 0 and 65535, not {args.port}.")
    if args.max_participants < 1:
        raise ValueError("--max-participants must be at least 1.")
    if args.grace_minutes < 0:
        raise ValueError("--grace-minutes cannot be negative.")
    public_url = args.public_url
    if public_url is not None:
        public_url = public_url.strip().rstrip("/")
        if not public_url.lower().startswith(("http://", "https://")):
            raise ValueError("--public-url must start with http:// or https://.")
    return ServeOptions(
        host=args.host,
        port=args.port,
        public_url=public_url,
        allow_real_api=args.allow_real_api,
        max_participants=args.max_participants,
        grace_seconds=args.grace_minutes * 60,
    )


def host_warnings(options: ServeOptions) -> list[str]:
    """What the facilitator must know before sharing the link."""
    warnings: list[str] = []
    if not is_loopback_host(options.host):
        warnings.append(
            f"listening on {options.host}: anyone who can reach this machine and has the "
            "link can join."
        )
        if not (options.public_url or "").lower().startswith("https://"):
            warnings.append(
                "over plain http the link's token travels in clear on the network; put "
                "an https proxy in front and pass --public-url https://…"
            )
    if options.allow_real_api:
        warnings.append(
            "--allow-real-api: every participant acts as YOUR OpenTrain account; what "
            "they publish is published for real."
        )
    return warnings


def room_token(environ: dict[str, str] | None = None) -> str:
    """``DRAFT_WIZARD_SERVE_TOKEN`` if set (checked), else a fresh one."""
    from wizard.serve.gate import TOKEN_VARIABLE, check_token, new_token

    configured = (environ if environ is not None else dict(os.environ)).get(TOKEN_VARIABLE)
    return check_token(configured.strip()) if configured else new_token()
