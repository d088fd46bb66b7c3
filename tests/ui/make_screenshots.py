"""Render the key screens to PNG: ``python -m tests.ui.make_screenshots screenshots [NAME...]``.

Drives the same scenarios as the snapshot tests (``tests/ui/scenarios.py``) on the
embedded sandbox, exports each screen as SVG with ``App.export_screenshot()`` and converts
it to PNG with ``rsvg-convert`` (Debian/Ubuntu: ``apt-get install librsvg2-bin``; macOS:
``brew install librsvg``). Without names, every scenario is rendered.

Textual's SVG asks for the Fira Code font; without it installed (Debian/Ubuntu:
``apt-get install fonts-firacode``) the PNGs fall back to another monospace font whose
block characters leave gaps in borders. The script says so, and still renders.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .scenarios import SCENARIOS, Scenario, deterministic

INSTALL_HINT = (
    "rsvg-convert was not found; it turns the SVG screenshots into PNG.\n"
    "Install it with:\n"
    "  Debian/Ubuntu:  sudo apt-get install librsvg2-bin\n"
    "  Fedora:         sudo dnf install librsvg2-tools\n"
    "  macOS:          brew install librsvg\n"
)
FONT_HINT = (
    "note: the Fira Code font is not installed, so borders in the PNGs may show gaps.\n"
    "  Debian/Ubuntu:  sudo apt-get install fonts-firacode\n"
    "  macOS:          brew install --cask font-fira-code\n"
)
ZOOM = "1.0"
"""rsvg-convert's scale factor: Textual's SVG is already about 12 px per column."""


async def capture(scenario: Scenario) -> str:
    """Run one scenario on a fresh sandbox and return the screen as SVG."""
    app = scenario.build()
    # Toasts on, as in the snapshots (``run_test`` hides them by default).
    async with app.run_test(size=scenario.size, notifications=True) as pilot:
        await scenario.run_before(pilot)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        return app.export_screenshot(title=f"draft-wizard · {scenario.name}")


def render(scenario: Scenario, svg_dir: Path) -> Path:
    """Capture one scenario into ``svg_dir``; returns the SVG's path."""
    with tempfile.TemporaryDirectory(prefix="wizard-shot-") as home, deterministic(Path(home)):
        svg = asyncio.run(capture(scenario))
    path = svg_dir / f"{scenario.name}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


def has_fira_code() -> bool:
    """Whether fontconfig knows Fira Code (unknown without fc-list: assume it does)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    found = subprocess.run([fc_list, "Fira Code"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def to_png(svg: Path, png: Path, converter: str) -> None:
    """Convert one SVG to PNG (raises CalledProcessError with rsvg's message).

    Rich's SVG writes each run of text with ``&#160;`` spaces; librsvg drops the
    leading ones unless told to preserve white space, which would glue an option's
    label to its count ("Englishused in 118 open jobs"). A converted copy says so.
    """
    text = svg.read_text(encoding="utf-8").replace("<svg ", '<svg xml:space="preserve" ', 1)
    source = svg.with_suffix(".rsvg.svg")
    source.write_text(text, encoding="utf-8")
    subprocess.run(
        [converter, "--zoom", ZOOM, "--background-color", "black", "-o", str(png), str(source)],
        check=True,
        capture_output=True,
        text=True,
    )
    source.unlink()


def main(argv: list[str] | None = None) -> int:
    """Render the chosen scenarios (all by default) into PNGs in the output folder."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.ui.make_screenshots",
        description="Render the wizard's key screens on the sandbox to PNG (via rsvg-convert).",
    )
    parser.add_argument("out", type=Path, help="folder for the PNGs (e.g. screenshots)")
    parser.add_argument(
        "names", nargs="*", help=f"scenarios (default: all): {', '.join(SCENARIOS)}"
    )
    parser.add_argument(
        "--keep-svg", action="store_true", help="also keep the SVGs next to the PNGs"
    )
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    converter = shutil.which("rsvg-convert")
    if converter is None:
        sys.stderr.write(INSTALL_HINT)
        return 2
    if not has_fira_code():
        sys.stderr.write(FONT_HINT)
    args.out.mkdir(parents=True, exist_ok=True)
    chosen = [SCENARIOS[n] for n in args.names] if args.names else list(SCENARIOS.values())
    with tempfile.TemporaryDirectory(prefix="wizard-svg-") as scratch:
        svg_dir = args.out if args.keep_svg else Path(scratch)
        for scenario in chosen:
            svg = render(scenario, svg_dir)
            png = args.out / f"{scenario.name}.png"
            try:
                to_png(svg, png, converter)
            except subprocess.CalledProcessError as err:
                sys.stderr.write(f"{scenario.name}: rsvg-convert failed: {err.stderr.strip()}\n")
                return 1
            sys.stderr.write(f"wrote {png}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
