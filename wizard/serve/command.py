"""``draft-wizard serve``: check the arguments, warn, then run the room."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from wizard.serve.options import ServeOptions, host_warnings, options_from, room_token


def state_root(options: ServeOptions) -> Path:
    """This launch's folder under the state directory (one per launch, owner-only)."""
    from wizard.core.paths import private_dir, state_dir

    base = options.state_root or private_dir(state_dir() / "serve")
    return private_dir(base / f"{time.strftime('room-%Y%m%d-%H%M%S')}-{os.getpid()}")


def run_serve(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Exit code: 0 after a clean stop, 1 when the address cannot be used, 2 usage."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        options = options_from(args)
        token = room_token()
    except ValueError as error:
        err.write(f"draft-wizard serve: {error}\n")
        return 2
    real_api = None
    if options.allow_real_api:
        from wizard.serve.environment import RealAPI
        from wizard.settings import load_settings

        settings = load_settings()
        if settings.sandbox or settings.token is None:
            err.write(
                "draft-wizard serve: --allow-real-api needs a token (OT_API_TOKEN or "
                "OpenTrain's cli.json); none is configured.\n"
            )
            return 2
        real_api = RealAPI(token=settings.token.get_secret_value(), base_url=settings.base_url)
    for warning in host_warnings(options):
        err.write(f"draft-wizard serve: warning: {warning}\n")

    from wizard.serve.server import RoomServer, remove_state

    root = state_root(options)
    server = RoomServer(options, token, root, out, real_api=real_api)
    try:
        server.serve()
    except OSError as error:
        err.write(
            f"draft-wizard serve: cannot listen on {options.host}:{options.port}: "
            f"{error.strerror or error}.\n"
        )
        return 1
    finally:
        remove_state(root)
    out.write("Session ended.\n")
    return 0
