"""Extract one saved page into a record: python -m portal_scraper.extract PAGE.html --url URL."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from portal_scraper.extract import PROFILES, UnknownSite, get_profile, profile_for_url
from portal_scraper.items import Page, Reject
from portal_scraper.normalize.dates import format_rfc3339, utc_now
from portal_scraper.process import process_page

EXIT_RECORD, EXIT_REJECT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m portal_scraper.extract",
        description=(
            "Run extraction, normalization and validation on a saved page and print its record "
            "as JSON. Exit status: 0 record printed, 1 page rejected (the reject is printed), "
            "2 bad arguments."
        ),
    )
    parser.add_argument("page", help="saved HTML file ('-' reads standard input)")
    parser.add_argument("--url", required=True, help="the URL the page was fetched from")
    parser.add_argument(
        "--site",
        choices=sorted(PROFILES),
        help="site profile (default: the profile whose host matches --url)",
    )
    parser.add_argument(
        "--fetched-at",
        help="RFC 3339 UTC fetch time (default: the file's modification time)",
    )
    parser.add_argument(
        "--content-type",
        help="the HTTP Content-Type header, if known (decides the encoding before <meta>)",
    )
    parser.add_argument("--pretty", action="store_true", help="indent the JSON output")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.page == "-":
            body, mtime = sys.stdin.buffer.read(), None
        else:
            path = Path(args.page)
            body, mtime = path.read_bytes(), path.stat().st_mtime
        profile = get_profile(args.site) if args.site else profile_for_url(args.url)
    except (OSError, UnknownSite) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    saved = datetime.fromtimestamp(int(mtime), UTC) if mtime is not None else None
    fetched_at = args.fetched_at or (format_rfc3339(saved) if saved else utc_now())
    page = Page(
        url=args.url,
        body=body,
        fetched_at=fetched_at,
        headers={"Content-Type": args.content_type} if args.content_type else {},
    )
    result = process_page(page, profile)
    if isinstance(result, Reject):
        print(f"rejected at {result.stage}: {result.reason}", file=sys.stderr)
        output: dict[str, object] = {
            "url": result.url,
            "stage": result.stage,
            "reason": result.reason,
            "errors": result.errors,
            "fetched_at": result.fetched_at,
        }
    else:
        output = result
    print(json.dumps(output, ensure_ascii=False, indent=2 if args.pretty else None))
    return EXIT_REJECT if isinstance(result, Reject) else EXIT_RECORD


if __name__ == "__main__":
    sys.exit(main())
