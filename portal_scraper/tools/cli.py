"""`portal-scraper`: the commands that turn job directories into data and reports."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Subcommand -> module with `add_arguments(parser)`, `run(args) -> int` and a docstring whose first
# line is the command's summary. These modules import their heavy libraries (pyarrow, altair)
# inside `run`, so `--help` stays fast.
COMMANDS = {
    "export": "portal_scraper.tools.export",
    "report": "portal_scraper.tools.html_report",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal-scraper",
        description=(
            "Turn archive job directories (scrapy archive --job-dir) into data and reports."
        ),
        epilog="Crawling itself is `scrapy crawl portal` and `scrapy archive`; see the README.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        summary = (module.__doc__ or "").strip().splitlines()[0]
        command = sub.add_parser(name, help=summary, description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; its exit status is the return value."""
    args = _parser().parse_args(argv)
    return int(args.module.run(args))


if __name__ == "__main__":
    sys.exit(main())
