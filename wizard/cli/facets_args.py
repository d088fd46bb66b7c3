"""The facets command line, without importing the client (cheap)."""

from __future__ import annotations

import argparse

# The filter names only (the module imports nothing but the standard library).
from wizard.api.recruitsome.filters import ARRAY_FILTERS, SCALAR_FILTERS

OPENTRAIN = "opentrain"
RECRUITSOME = "recruitsome"
SOURCES: tuple[str, ...] = (OPENTRAIN, RECRUITSOME)

DESCRIPTION = """\
Print the values the pick lists offer, with counts: OpenTrain's marketplace facets
(categories, languages, countries, pay types; no token needed) and, with
RECRUITSOME_API_KEY set (or in sandbox mode), your Recruitsome vacancy facets
(locations, work sites, departments, experience levels, job types, education levels,
tags with sub-tags, languages). Recruitsome counts honour the --filter values."""

EPILOG = f"""\
filters (Recruitsome only; repeat --filter, or separate ids with commas):
  {", ".join(SCALAR_FILTERS)}: text, e.g. language=en, search=engineer
  {", ".join(ARRAY_FILTERS)}: ids, e.g. tags=1,5

examples:
  draft-wizard facets
  draft-wizard facets --source recruitsome --filter language=en --filter location_id=1
  draft-wizard facets --json | jq '.opentrain.languages'

Each answer says where it comes from (the built-in sandbox, or the API's origin) and when
its source generated it; with --json under "sources", and on stderr.

exit codes: 0 done, 1 a source failed (invalid filter, a filter value the source does not
know, rejected key, network), 2 usage error (a malformed --filter, no Recruitsome key for
--source recruitsome).
Cached answers are reused for DRAFT_WIZARD_FACETS_TTL seconds (default 600)."""


def add_facets_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    """Add the ``facets`` command to the CLI's subparsers."""
    parser = subparsers.add_parser(
        "facets",
        parents=parents,
        help="print the facet values (with counts) the pick lists offer",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--source",
        choices=SOURCES,
        default=None,
        help="only this source (default: OpenTrain, and Recruitsome when a key is configured)",
    )
    parser.add_argument(
        "--filter",
        dest="filters",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Recruitsome filter; repeatable (see below)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON document on stdout (notes on stderr)"
    )
    parser.add_argument(
        "--refresh", action="store_true", help="ask the servers even when a cached answer is fresh"
    )
