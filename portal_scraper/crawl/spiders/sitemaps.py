"""Reading the documents a home-page crawl discovers from: sitemaps (plain or `.xml.gz`) and
RSS/Atom feeds, as (URL, day, is a sitemap) triples.

A document that is no sitemap or feed reads as None; one that is a sitemap but cannot be read
whole (corrupt or cut short gzip, XML not closed by its root's end tag) raises `SourceError`
with the reason, so that its loss is reported instead of read as "ok, 0 URLs". A date that cannot
be true (before 1990, or after the day after the fetch: an unset `1970-01-01`, a typo) is
unknown: `since` does not skip by it.
"""

from __future__ import annotations

import re
import zlib
from datetime import date, datetime, timedelta
from urllib.parse import urljoin

import feedparser
from scrapy.utils.sitemap import Sitemap

# Dates before this are no real publication or change date (an unset timestamp is 1970-01-01).
FIRST_PLAUSIBLE_DAY = date(1990, 1, 1)
# A `&` that starts no entity or character reference: invalid XML that makes lxml's recovering
# parser drop the `&amp;`s of the whole document.
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9._-]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)")
# The root's end tag, last in the document (comments and processing instructions may follow).
_CLOSED = re.compile(
    rb"</(?:[\w.-]+:)?(?:urlset|sitemapindex)\s*>(?:\s|<!--.*?-->|<\?.*?\?>)*\Z", re.DOTALL
)

Entry = tuple[str, date | None, bool]


class SourceError(ValueError):
    """A sitemap that cannot be read whole: corrupt, or cut short."""


def read_sitemap(
    body: bytes, url: str, gzipped: bool, max_size: int, fetched: date
) -> list[Entry] | None:
    """(URL, lastmod day, is a sitemap) of a sitemap or sitemap index; None if it is neither."""
    if gzipped:
        body = gunzip_whole(body, max_size)
    if not body:
        return None
    try:
        sitemap = Sitemap(_BARE_AMPERSAND.sub(b"&amp;", body))
        kind = sitemap.type
        entries = list(sitemap) if kind in ("urlset", "sitemapindex") else []
    except Exception:  # lxml gives up on bytes that are no XML at all
        return None
    if kind not in ("urlset", "sitemapindex"):
        return None
    if not _CLOSED.search(body.rstrip()):
        raise SourceError(f"truncated sitemap: the XML is not closed by </{kind}>")
    return [
        (
            urljoin(url, entry["loc"]),
            plausible(_day(entry.get("lastmod")), fetched),
            kind == "sitemapindex",
        )
        for entry in entries
        if entry.get("loc")
    ]


GZIP_MAGIC = b"\x1f\x8b"


def gunzip_whole(data: bytes, max_size: int) -> bytes:
    """The content of a gzip file, every member of it; `SourceError` when it is corrupt, cut
    short or too large."""
    parts: list[bytes] = []
    size = 0
    rest = data
    while rest:
        decompressor = zlib.decompressobj(wbits=31)
        try:
            out = decompressor.decompress(rest, max_size + 1 - size if max_size else 0)
        except zlib.error as error:
            raise SourceError(f"corrupt gzip sitemap: {error}") from error
        size += len(out)
        if max_size and size > max_size:
            raise SourceError(f"gzip sitemap over DOWNLOAD_MAXSIZE ({max_size} bytes) unpacked")
        if not decompressor.eof:
            raise SourceError("truncated gzip sitemap: the compressed data ends early")
        parts.append(out)
        # A gzip file may hold several members one after another (concatenated archives);
        # bytes after the last one that start no member (padding, a stray newline) are not
        # read, as gzip tools do not read them.
        rest = decompressor.unused_data
        if not rest.startswith(GZIP_MAGIC):
            break
    return b"".join(parts)


def read_feed(body: bytes, url: str, fetched: date) -> list[Entry] | None:
    """(entry link, entry day, False) of an RSS or Atom feed; None if it is none."""
    parsed = feedparser.parse(body)
    if not parsed.get("version") and not parsed.entries:
        return None
    found: list[Entry] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        day = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
        found.append((urljoin(url, link), plausible(day, fetched), False))
    return found


def plausible(day: date | None, fetched: date) -> date | None:
    """`day`, or None when it cannot be a real date for a page fetched on `fetched`."""
    if day is None or day < FIRST_PLAUSIBLE_DAY or day > fetched + timedelta(days=1):
        return None
    return day


def fetch_day(stamp: str) -> date:
    """The day of an RFC 3339 fetch time (`2024-06-30T08:00:00Z`)."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10]) if value else None
    except ValueError:
        return None
