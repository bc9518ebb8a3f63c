"""Extract one saved page into a record (`portal-extract PAGE.html --url URL`)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from portal_scraper.extract import (
    PROFILES,
    SiteFileError,
    UnknownSite,
    get_profile,
    profile_for_url,
)
from portal_scraper.normalize.dates import format_rfc3339, utc_now
from portal_scraper.record.model import Reject
from portal_scraper.record.page import Page
from portal_scraper.record.stages import process_page
from portal_scraper.settings import DOWNLOAD_MAXSIZE

EXIT_RECORD, EXIT_REJECT, EXIT_USAGE = 0, 1, 2
# The record's fetched_at: RFC 3339 in UTC, as the schema requires.
_FETCHED_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


class TooLarge(ValueError):
    """The page is larger than a crawl would download (`DOWNLOAD_MAXSIZE`)."""


def _page_url(value: str) -> str:
    """An absolute http(s) URL, as `--url` must be."""
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises on a port that is no number
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a URL: {value!r} ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"not an absolute http(s) URL: {value!r} (like https://example.vn/tin/1.html)"
        )
    return value


def _site(value: str) -> str:
    """A known profile id, or a site file (`.toml`) that loads."""
    try:
        get_profile(value)
    except (UnknownSite, SiteFileError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _fetched_at(value: str) -> str:
    """An RFC 3339 UTC time like 2026-11-20T08:00:00Z."""
    try:
        valid = bool(_FETCHED_AT.match(value)) and bool(datetime.fromisoformat(value))
    except ValueError:
        valid = False
    if not valid:
        raise argparse.ArgumentTypeError(
            f"not an RFC 3339 UTC time: {value!r} (like 2026-11-20T08:00:00Z)"
        )
    return value


def _read_limited(stream: BinaryIO, name: str) -> bytes:
    """At most `DOWNLOAD_MAXSIZE` bytes of `stream`; `TooLarge` when it holds more."""
    body = stream.read(DOWNLOAD_MAXSIZE + 1)
    if len(body) > DOWNLOAD_MAXSIZE:
        raise TooLarge(_too_large(name, None))
    return body


def _too_large(name: str, size: int | None) -> str:
    what = f"{size} bytes" if size is not None else "larger than that"
    return (
        f"{name} is {what}; pages over DOWNLOAD_MAXSIZE ({DOWNLOAD_MAXSIZE} bytes, "
        f"{DOWNLOAD_MAXSIZE // (1024 * 1024)} MB) are refused, as a crawl would drop them"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m portal_scraper.tools.extract_page",
        description=(
            "Run extraction, normalization and validation on a saved page and print its record "
            "as JSON. Exit status: 0 record printed, 1 page rejected (the reject is printed), "
            "2 bad arguments."
        ),
    )
    parser.add_argument("page", help="saved HTML file ('-' reads standard input)")
    parser.add_argument(
        "--url", required=True, type=_page_url, help="the http(s) URL the page was fetched from"
    )
    parser.add_argument(
        "--site",
        type=_site,
        metavar="{" + ",".join(sorted(PROFILES)) + "}|FILE.toml",
        help="site or platform profile, or a site file (default: the site whose host matches "
        "--url, else the platform the page's markup shows, else generic)",
    )
    parser.add_argument(
        "--fetched-at",
        type=_fetched_at,
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
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # bad arguments (usage printed) or --help
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        if args.page == "-":
            body, mtime = _read_limited(sys.stdin.buffer, "standard input"), None
        else:
            path = Path(args.page)
            stat = path.stat()
            # Refused before reading: parsing a page takes many times its size in memory.
            if stat.st_size > DOWNLOAD_MAXSIZE:
                raise TooLarge(_too_large(args.page, stat.st_size))
            with path.open("rb") as stream:  # a FIFO or device has no size to check first
                body, mtime = _read_limited(stream, args.page), stat.st_mtime
        profile = get_profile(args.site) if args.site else profile_for_url(args.url)
    except (OSError, UnknownSite, TooLarge) as exc:
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
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2 if args.pretty else None))
    return EXIT_REJECT if isinstance(result, Reject) else EXIT_RECORD


if __name__ == "__main__":
    sys.exit(main())
