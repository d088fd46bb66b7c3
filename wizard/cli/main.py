"""The ``draft-wizard`` command line: the TUI, ``fill``, ``sandbox`` (a contract scripts rely on).

Heavy modules (Textual, the sandbox server) are imported only by the command that
needs them, so ``fill`` and ``--help`` start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from wizard import __version__
from wizard.cli.description import DescriptionError, description_from_args, read_description
from wizard.collector import pause_for_startup, resume_after_startup
from wizard.config import SANDBOX_HOST, SANDBOX_PORT

EPILOG = """\
With no token and no base URL the embedded sandbox is used: nothing you do there is
published. Set OT_API_TOKEN (or log in with OpenTrain's CLI) to work on the real API.

Plain line mode (--plain): the same questions as plain lines, for screen readers,
braille displays, TERM=dumb and pipes; used by itself when TERM=dumb or when input or
output is not a terminal (not under textual-serve). Exit codes: 0 done, 1 API error,
3 input ended with questions open, 130 interrupted (typed answers are kept).

exit codes of fill: 0 ready (published with --publish), 1 API or network error (or
the draft is busy in another run), 2 usage error, 3 questions the answers file does
not answer.
"""


def _global_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("global options")
    group.add_argument(
        "--base-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help=(
            "API origin (default: OT_API_BASE_URL, OPENTRAIN_BASE_URL, OPENTRAIN_API_BASE_URL, "
            "the CLI's cli.json, or app.opentrain.ai)"
        ),
    )
    group.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the embedded sandbox even when a token is configured",
    )
    group.add_argument(
        "--plain",
        action="store_true",
        default=argparse.SUPPRESS,
        help="plain line mode for screen readers, braille displays and pipes: one question "
        "a line, no full-screen form, no escape sequences (chosen by itself when TERM=dumb "
        "or input or output is not a terminal)",
    )
    group.add_argument(
        "--allow-insecure-http",
        action="store_true",
        default=argparse.SUPPRESS,
        help="allow plain http:// to a host that is not this machine",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    common = _global_options()
    parser = argparse.ArgumentParser(
        prog="draft-wizard",
        description="Finish OpenTrain job drafts from a terminal: every question the server "
        "says is missing becomes a form field, until the draft can be published.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"draft-wizard {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser(
        "new",
        parents=[common],
        help="open the form of a new draft (TUI; --plain for plain lines)",
        description="Create a draft from a description and open its form.",
    )
    source = new.add_mutually_exclusive_group()
    source.add_argument("--description-file", type=Path, metavar="F")
    source.add_argument("--description", metavar="TEXT")

    open_ = commands.add_parser(
        "open",
        parents=[common],
        help="open an existing draft (TUI; --plain for plain lines)",
        description="Open an existing draft; answers never acknowledged are sent first.",
    )
    open_.add_argument("job_id", metavar="JOB_ID")

    fill = commands.add_parser(
        "fill",
        parents=[common],
        help="the same loop without a UI, answers from a file",
        description="Create (or open) a draft, answer each round from a file, one PATCH per "
        "round, until the server says it is ready.",
        epilog="exit codes: 0 ready (published with --publish), 1 API or network error "
        "(or the draft is busy in another run), 2 usage error, 3 questions the answers "
        "file does not answer (each with the values it allows, then the fill --job-id "
        "command that continues). Answers-file keys that match no question are named on "
        "stderr; publishReady decides, and issues the server publishes with are warnings.",
    )
    target = fill.add_mutually_exclusive_group(required=True)
    target.add_argument("--job-id", metavar="ID", help="an existing draft")
    target.add_argument(
        "--description-file", type=Path, metavar="F", help="create a draft from this text file"
    )
    target.add_argument("--description", metavar="TEXT", help="create a draft from this text")
    target.add_argument(
        "--from-sandbox",
        metavar="ID",
        help="post a finished practice (sandbox) draft for real: its description and answers",
    )
    fill.add_argument(
        "--answers",
        type=Path,
        metavar="FILE",
        help="JSON (or .toml) object keyed by update key or field; - for stdin (required, "
        "except with --from-sandbox, where it answers what practice did not)",
    )
    fill.add_argument("--publish", action="store_true", help="publish once ready")
    fill.add_argument(
        "--json", action="store_true", help="print one JSON document on stdout (people read stderr)"
    )

    sandbox = commands.add_parser(
        "sandbox",
        parents=[common],
        help="run the embedded API server alone",
        description="Serve the OpenTrain-compatible sandbox (and Recruitsome facets).",
    )
    sandbox.add_argument("--host", default=SANDBOX_HOST)
    sandbox.add_argument("--port", type=int, default=SANDBOX_PORT)
    sandbox.add_argument(
        "--db", type=Path, metavar="FILE", help="keep drafts in this SQLite file across restarts"
    )
    sandbox.add_argument(
        "--faults",
        metavar="SPEC",
        help="inject faults, e.g. latency=0.1,error_rate=0.1,drop_rate=0.05",
    )
    from wizard.cli.facets_args import add_facets_parser

    add_facets_parser(commands, [common])
    from wizard.serve.options import add_serve_parser

    add_serve_parser(commands, [common])
    return parser


def _safe_streams() -> None:
    """A character the terminal cannot encode (a lone surrogate, a non-UTF-8 locale) is
    written escaped instead of raising ``UnicodeEncodeError`` mid-report."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A stream already closed or detached keeps its own settings.
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _plain_mode(args: argparse.Namespace) -> bool:
    """Whether to run the plain line mode: asked for, or the terminal cannot take the TUI
    (then stderr says why, in one sentence)."""
    if getattr(args, "plain", False):
        return True
    import os

    from wizard.plain.mode import chosen_sentence, plain_reason

    reason = plain_reason(os.environ, sys.stdin, sys.stdout)
    if reason is None:
        return False
    print(chosen_sentence(reason), file=sys.stderr)
    return True


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    # Until the first screen is painted (the TUI) or the command starts: see
    # ``wizard.collector``.
    pause_for_startup()
    _safe_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command

    if command == "sandbox":
        resume_after_startup()
        from wizard.sandbox import serve

        try:
            serve(args.host, args.port, db_path=args.db, faults=args.faults)
        except ValueError as err:
            parser.error(str(err))
        except OSError as err:
            print(f"draft-wizard: {err}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            pass
        return 0

    if command == "serve":
        resume_after_startup()
        from wizard.serve.command import run_serve

        return run_serve(args)

    from wizard.launch import Launcher
    from wizard.settings import load_settings

    settings = load_settings(
        base_url=getattr(args, "base_url", None),
        force_sandbox=getattr(args, "sandbox", False),
        allow_insecure=getattr(args, "allow_insecure_http", False),
    )
    for warning in settings.warnings:
        print(f"draft-wizard: warning: {warning}", file=sys.stderr)
    launcher = Launcher(settings)
    try:
        if command == "fill":
            from wizard.api.errors import InsecureURLError
            from wizard.cli.fill import FillRequest, run_fill, usage_failure

            if args.answers is None and args.from_sandbox is None:
                parser.error("fill needs --answers FILE (only --from-sandbox runs without one)")
            try:
                description = description_from_args(args)
            except DescriptionError as err:
                return usage_failure(args.json, str(err))
            request = FillRequest(
                answers_path=args.answers,
                job_id=args.job_id,
                description=description,
                publish=args.publish,
                as_json=args.json,
                from_sandbox=args.from_sandbox,
            )
            try:
                import asyncio

                return asyncio.run(run_fill(request, launcher))
            except InsecureURLError as err:
                print(f"draft-wizard: {err}", file=sys.stderr)
                return 2
            except KeyboardInterrupt:
                print(
                    "draft-wizard: interrupted; unsent answers stay in the journal.",
                    file=sys.stderr,
                )
                return 130

        if command == "facets":
            resume_after_startup()
            from wizard.cli.facets import run_facets

            return run_facets(args, settings, launcher)

        if _plain_mode(args):
            resume_after_startup()
            from wizard.plain.run import run_plain

            return run_plain(
                launcher,
                description=read_description(args, parser) if command == "new" else None,
                start_new=command == "new",
                job_id=args.job_id if command == "open" else None,
            )

        # The app resumes the collector once its first screen is painted.
        from wizard.bootstrap import make_app
        from wizard.ui.app import run_until_exit

        app = make_app(
            settings,
            launcher=launcher,
            description=read_description(args, parser) if command == "new" else None,
            start_new=command == "new",
            job_id=args.job_id if command == "open" else None,
            offer_tour=command is None,
        )
        return run_until_exit(app)
    finally:
        launcher.stop()
