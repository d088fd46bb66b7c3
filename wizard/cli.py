"""The ``draft-wizard`` command line: the TUI, ``fill``, ``sandbox`` (a contract scripts rely on).

Heavy modules (Textual, the sandbox server) are imported only by the command that
needs them, so ``fill`` and ``--help`` start fast.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from wizard import __version__

EPILOG = """\
With no token and no base URL the embedded sandbox is used: nothing you do there is
published. Set OT_API_TOKEN (or log in with OpenTrain's CLI) to work on the real API.

exit codes of fill: 0 ready (published with --publish), 1 API or network error,
2 usage error, 3 questions the answers file does not answer.
"""


def _global_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("global options")
    group.add_argument(
        "--base-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="API origin (default: OT_API_BASE_URL, the CLI's cli.json, or app.opentrain.ai)",
    )
    group.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the embedded sandbox even when a token is configured",
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
        help="open the form of a new draft (TUI)",
        description="Create a draft from a description and open its form.",
    )
    source = new.add_mutually_exclusive_group()
    source.add_argument("--description-file", type=Path, metavar="F")
    source.add_argument("--description", metavar="TEXT")

    open_ = commands.add_parser(
        "open",
        parents=[common],
        help="open an existing draft (TUI)",
        description="Open an existing draft; answers never acknowledged are sent first.",
    )
    open_.add_argument("job_id", metavar="JOB_ID")

    fill = commands.add_parser(
        "fill",
        parents=[common],
        help="the same loop without a UI, answers from a file",
        description="Create (or open) a draft, answer each round from a file, one PATCH per "
        "round, until the server says it is ready.",
        epilog="exit codes: 0 ready (published with --publish), 1 API or network error, "
        "2 usage error, 3 questions the answers file does not answer.",
    )
    target = fill.add_mutually_exclusive_group(required=True)
    target.add_argument("--job-id", metavar="ID", help="an existing draft")
    target.add_argument(
        "--description-file", type=Path, metavar="F", help="create a draft from this text file"
    )
    target.add_argument("--description", metavar="TEXT", help="create a draft from this text")
    fill.add_argument(
        "--answers",
        type=Path,
        required=True,
        metavar="FILE",
        help="JSON (or .toml) object keyed by update key or field; - for stdin",
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
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument(
        "--db", type=Path, metavar="FILE", help="keep drafts in this SQLite file across restarts"
    )
    sandbox.add_argument(
        "--faults",
        metavar="SPEC",
        help="inject faults, e.g. latency=0.1,error_rate=0.1,drop_rate=0.05",
    )
    from wizard.facets_args import add_facets_parser

    add_facets_parser(commands, [common])
    return parser


def _read_description(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str | None:
    if getattr(args, "description_file", None) is not None:
        path: Path = args.description_file
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            parser.error(f"cannot read {path}: {err.strerror or err}")
        if not text.strip():
            parser.error(f"{path} is empty")
        return text
    description = getattr(args, "description", None)
    if description is not None and not description.strip():
        parser.error("--description is empty")
    return description


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command

    if command == "sandbox":
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
            from wizard.fill import FillRequest, run_fill

            request = FillRequest(
                answers_path=args.answers,
                job_id=args.job_id,
                description=_read_description(args, parser),
                publish=args.publish,
                as_json=args.json,
            )
            try:
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
            from wizard.facets_command import run_facets

            return run_facets(args, settings, launcher)

        from wizard.ui.app import run_app

        return run_app(
            settings,
            launcher.connect,
            description=_read_description(args, parser) if command == "new" else None,
            start_new=command == "new",
            job_id=args.job_id if command == "open" else None,
        )
    finally:
        launcher.stop()


if __name__ == "__main__":
    raise SystemExit(main())
