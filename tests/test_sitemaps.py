"""Reading sitemaps and feeds: broken ones say so, raw ampersands and impossible dates."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from portal_scraper.crawl.spiders.sitemaps import (
    SourceError,
    fetch_day,
    plausible,
    read_feed,
    read_sitemap,
)

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FETCHED = date(2024, 6, 30)


def urlset(inner: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{NS}">{inner}</urlset>'.encode()


def read(body: bytes, gzipped: bool = False):  # type: ignore[no-untyped-def]
    return read_sitemap(body, "http://p/sitemap.xml", gzipped, 16 << 20, FETCHED)


def test_a_raw_ampersand_does_not_mangle_the_escaped_ones() -> None:
    body = urlset(
        "<url><loc>http://p/x.aspx?t=1&l=vi</loc></url>"
        "<url><loc>http://p/D.aspx?View=%7B1%7D&amp;ID=6</loc></url>"
        "<url><loc>http://p/E.aspx?a=&#38;b&amp;c=&#x26;</loc></url>"
    )
    assert [url for url, _day, _index in read(body) or []] == [
        "http://p/x.aspx?t=1&l=vi",
        "http://p/D.aspx?View=%7B1%7D&ID=6",
        "http://p/E.aspx?a=&b&c=&",
    ]


def test_corrupt_and_truncated_gzip_sitemaps_raise_with_the_reason() -> None:
    whole = gzip.compress(urlset("<url><loc>http://p/a</loc></url>" * 50), mtime=0)
    assert read(whole, gzipped=True) == [("http://p/a", None, False)] * 50
    with pytest.raises(SourceError, match="corrupt gzip sitemap"):
        read(whole[:10] + b"\x00garbage" + whole[18:], gzipped=True)
    with pytest.raises(SourceError, match="truncated gzip sitemap"):
        read(whole[: len(whole) // 2], gzipped=True)
    with pytest.raises(SourceError, match="over DOWNLOAD_MAXSIZE"):
        read_sitemap(whole, "http://p/s.xml.gz", True, 100, FETCHED)


def test_a_sitemap_cut_short_is_no_empty_sitemap() -> None:
    body = urlset("<url><loc>http://p/a</loc></url>" * 5)
    assert len(read(body + b"\n<!-- served in 3 ms -->\n") or []) == 5
    with pytest.raises(SourceError, match="not closed by </urlset>"):
        read(body[:-40])
    assert read(b"<html><body>Not found</body></html>") is None  # no sitemap at all


def test_implausible_dates_are_unknown() -> None:
    body = urlset(
        "<url><loc>http://p/a</loc><lastmod>1970-01-01</lastmod></url>"
        "<url><loc>http://p/b</loc><lastmod>1989-12-31</lastmod></url>"
        "<url><loc>http://p/c</loc><lastmod>2024-07-02</lastmod></url>"
        "<url><loc>http://p/d</loc><lastmod>2024-07-01T10:00:00+07:00</lastmod></url>"
        "<url><loc>http://p/e</loc><lastmod>1990-01-01</lastmod></url>"
    )
    assert [day for _url, day, _index in read(body) or []] == [
        None,
        None,
        None,  # after the day after the fetch
        date(2024, 7, 1),
        date(1990, 1, 1),
    ]
    assert plausible(date(2024, 6, 29), FETCHED) == date(2024, 6, 29)
    assert fetch_day("2024-06-30T23:59:59Z") == FETCHED
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><link>http://p/a</link><pubDate>Thu, 01 Jan 1970 00:00:00 +0000</pubDate></item>"
        b"<item><link>http://p/b</link><pubDate>Sat, 29 Jun 2024 09:00:00 +0700</pubDate></item>"
        b"</channel></rss>"
    )
    assert read_feed(feed, "http://p/rss", FETCHED) == [
        ("http://p/a", None, False),
        ("http://p/b", date(2024, 6, 29), False),
    ]


def test_every_member_of_a_multi_member_gzip_sitemap_is_read() -> None:
    import gzip

    from portal_scraper.crawl.spiders.sitemaps import gunzip_whole

    first, second = b"<urlset><url><loc>/a</loc></url>", b"<url><loc>/b</loc></url></urlset>"
    assert gunzip_whole(gzip.compress(first) + gzip.compress(second), 0) == first + second


def test_bytes_after_the_last_gzip_member_do_not_reject_the_sitemap() -> None:
    import gzip

    from portal_scraper.crawl.spiders.sitemaps import gunzip_whole

    body = b"<urlset><url><loc>/a</loc></url></urlset>"
    for extra in (b"\n", b"\0\0", b"garbage"):
        assert gunzip_whole(gzip.compress(body) + extra, 0) == body
