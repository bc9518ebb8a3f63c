"""Export job directories to Parquet, CSV, SQLite or JSON Lines: the latest version of each article.

Reads each JOB_DIR's articles.jsonl (written by `scrapy archive --job-dir`), keeps the newest
version of each article (by canonical_url; the latest fetched_at wins, the later line on a tie)
and writes it with a dataset card, PATH.README.md (and PATH.metadata.json for datasette with
--format sqlite). A damaged line (not JSON, e.g. cut by a killed run, or JSON that is not a
valid record) is skipped, named in a warning with the reason and counted in the summary and the
card. Exit status: 0 written (with no row, a warning says why), 1 could not write (a full disk:
nothing is left behind), 2 bad arguments (--since after --until; a --site no record of the
archive has: the message lists those it has), a missing job directory or an existing output
without --force.
"""

from __future__ import annotations

import argparse
import logging
import shlex
import sys
from pathlib import Path

from portal_scraper.dataset.times import bound

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
FORMATS = ("parquet", "csv", "sqlite", "jsonl")


def _bound(text: str) -> object:
    try:
        return bound(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The export command's arguments."""
    parser.add_argument(
        "job_dirs",
        nargs="+",
        type=Path,
        metavar="JOB_DIR",
        help="archive job directories (scrapy archive --job-dir)",
    )
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="PATH",
        help="the export file; its card is written beside it as PATH.README.md",
    )
    parser.add_argument(
        "--all-versions",
        action="store_true",
        help="keep every archived version of an article, numbered in a "
        "`version` column (1 = first archived)",
    )
    parser.add_argument(
        "--since",
        type=_bound,
        metavar="DATE",
        help="only articles published on or after DATE: YYYY-MM-DD (the day in "
        "the portal's own time zone) or an RFC 3339 time with an offset",
    )
    parser.add_argument(
        "--until",
        type=_bound,
        metavar="DATE",
        help="only articles published on or before DATE (same forms as --since)",
    )
    parser.add_argument(
        "--keep-undated",
        action="store_true",
        help="with --since/--until, keep articles that have no published_at "
        "(by default they are left out, and counted in the summary and card)",
    )
    parser.add_argument(
        "--site", action="append", default=[], metavar="ID", help="only this site id (repeatable)"
    )
    parser.add_argument(
        "--row-group-size",
        type=_positive,
        default=5000,
        metavar="ROWS",
        help="Parquet rows per row group (default 5000; a row group is held in memory "
        "as Arrow data until written)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an existing export (and its card)"
    )


def command_line(args: argparse.Namespace) -> str:
    """The command, as it can be run again, from the parsed arguments."""
    words = [
        "portal-scraper",
        "export",
        *map(str, args.job_dirs),
        "--format",
        args.format,
        "-o",
        str(args.output),
    ]
    if args.all_versions:
        words.append("--all-versions")
    for name in ("since", "until"):
        if getattr(args, name) is not None:
            words += [f"--{name}", getattr(args, name).isoformat()]
    if args.keep_undated:
        words.append("--keep-undated")
    for site in args.site:
        words += ["--site", site]
    if args.format == "parquet" and args.row_group_size != 5000:
        words += ["--row-group-size", str(args.row_group_size)]
    if args.force:
        words.append("--force")
    return shlex.join(words)


def run(args: argparse.Namespace) -> int:
    """Export; print the summary line (and a message on failure) to standard error."""
    from portal_scraper.dataset.archive import ArchiveError, Filters
    from portal_scraper.dataset.export import (
        ExportRequest,
        NoOutputDirectory,
        OutputExists,
        OutputInJob,
        UnknownSites,
        export,
    )

    logging.basicConfig(level=logging.WARNING, format="portal-scraper export: %(message)s")
    filters = Filters(frozenset(args.site), args.since, args.until, args.keep_undated)
    contradiction = filters.contradiction()
    if contradiction is not None:
        print(
            f"portal-scraper export: {contradiction}: no article can be in that range",
            file=sys.stderr,
        )
        return EXIT_USAGE
    request = ExportRequest(
        job_dirs=args.job_dirs,
        format=args.format,
        output=args.output,
        filters=filters,
        all_versions=args.all_versions,
        row_group_size=args.row_group_size,
        force=args.force,
        command=command_line(args),
        progress=sys.stderr.isatty(),
    )
    try:
        result = export(request)
    except (ArchiveError, NoOutputDirectory, OutputInJob, UnknownSites) as error:
        print(f"portal-scraper export: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OutputExists as error:
        print(
            f"portal-scraper export: output exists: {error} (--force replaces it)", file=sys.stderr
        )
        return EXIT_USAGE
    except OSError as error:
        print(
            f"portal-scraper export: FAILED, nothing written to {args.output}: {error}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if result.rows == 0:
        left = sum(result.left_out.values())
        why = (
            f"the filters left out all {left} articles"
            if left
            else "the job directories hold no record"
        )
        print(f"portal-scraper export: warning: no row exported: {why}", file=sys.stderr)
    print(result.summary(), file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """`python -m portal_scraper.tools.export`: the same command on its own."""
    parser = argparse.ArgumentParser(prog="portal-scraper export", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
