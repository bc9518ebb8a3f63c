"""Discovery from a home page: sitemaps, then feeds, then listings, each URL credited to the most
trusted route that found it.

A crawl started on a portal's home page (`-a start_url=https://portal/`) reads, in turn:

1. `robots.txt` (its `Sitemap:` lines) and `/sitemap.xml`, sitemap indexes and gzip children
   (Scrapy's `Sitemap` and `sitemap_urls_from_robots`); every `<loc>` is an article candidate;
2. then the home page: its RSS/Atom feeds (`<link rel="alternate">`, read with feedparser);
3. then, once the feeds are read, the home page's own article links and its menu links, read as
   listings with their paging: "next" and numbered links, `RefreshPageTo`, ASP.NET postbacks.

A phase starts when the documents of the one before are all read (not when their articles are
fetched), so an article several routes list is credited to the most trusted one, run after run.
`since` bounds each route: a sitemap's `lastmod`, a feed entry's date, a listing's dates.

Pages found by discovery are judged by the profile's evidence (`judge_discovered`): a page the
profile reads as an article is one; a page it refuses that links at least
`LISTING_EVIDENCE_LINKS` articles is read as a listing (its links followed); any other page a
sitemap lists is skipped as no article (sitemaps list every page of a site); other routes' pages
go to the pipelines, which reject them with the profile's reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.gz import gzip_magic_number
from scrapy.utils.sitemap import sitemap_urls_from_robots

from portal_scraper.contracts.meta import (
    FEED,
    LISTING,
    META_FETCHED_AT,
    META_GUESSED,
    META_HOME,
    META_KEY,
    META_LISTING_URL,
    META_ROLE,
    META_ROOT,
    META_ROUTE,
    ROUTE_FEED,
    ROUTE_SITEMAP,
    SITEMAP,
)
from portal_scraper.contracts.stats import (
    STAT_ARTICLES_BEFORE_SINCE,
    STAT_DISCOVERY,
    STAT_FETCH_FAILED,
)
from portal_scraper.crawl.ledger import SKIPPED
from portal_scraper.crawl.spiders.listings import (
    REDIRECT_META,
    SKIP_BEFORE_SINCE,
    SKIP_OFFSITE,
    ListingCrawl,
)
from portal_scraper.crawl.spiders.pagelinks import feed_links
from portal_scraper.crawl.spiders.sitemaps import (
    Entry,
    SourceError,
    fetch_day,
    read_feed,
    read_sitemap,
)
from portal_scraper.extract import decode_page, parse_html
from portal_scraper.normalize.dates import utc_now
from portal_scraper.normalize.urls import url_key
from portal_scraper.record.model import Reject
from portal_scraper.record.page import Page
from portal_scraper.record.stages import extract_stage

if TYPE_CHECKING:
    from twisted.python.failure import Failure

# A page the profile says is no article, with this many article links, is a listing.
LISTING_EVIDENCE_LINKS = 5
# Sitemaps and feeds before the articles they list.
SOURCE_PRIORITY = 20
SKIP_SOURCE_READ = {SITEMAP: "sitemap read", FEED: "feed read"}
SKIP_ROBOTS_READ = "robots.txt read"
SKIP_ABSENT = "absent at its well-known address"
SKIP_NOT_ARTICLE = "listed by a sitemap, no article or listing"
SKIP_SOURCE_BEFORE_SINCE = "sitemap last changed before since"
SKIP_HOME = "home page read"
# Home pages: the site root, or its default document.
_HOME_PATH = re.compile(r"^/?((default|index|home|trang-?chu|portal)(\.\w+)?/?)?$", re.IGNORECASE)
_PHASES = (SITEMAP, FEED, LISTING)


def is_home_url(url: str) -> bool:
    """True when `url` is a site's home page (its root or default document, no query)."""
    parts = urlsplit(url)
    return not parts.query and bool(_HOME_PATH.match(parts.path))


class DiscoveryCrawl(ListingCrawl, Protocol):
    """What discovery needs of the spider it is part of."""

    _phase: str
    _pending: dict[str, int]
    _held: Iterator[scrapy.Request | Reject | Page] | None

    def parse_source(self, response: Response) -> Iterator[scrapy.Request | Reject]: ...

    def _source_request(
        self, url: str, role: str, guessed: bool = False
    ) -> Iterator[scrapy.Request]: ...

    def _source_done(self, role: str) -> Iterator[scrapy.Request | Reject | Page]: ...

    def _candidate(self, url: str, route: str, day: date | None) -> Iterator[Any]: ...

    def _next_phase(self) -> Iterator[Any]: ...

    def route_found(self, key: str, route: str) -> None: ...


class Discovery:
    """Spider mixin: the home-page crawl's sitemaps and feeds, and its phases."""

    discovery: dict[str, Any] | None
    _held: Iterator[scrapy.Request | Reject | Page] | None

    def start_discovery(self: DiscoveryCrawl, home: str) -> Iterator[scrapy.Request | Reject]:
        """The first requests of a home-page crawl: robots.txt and /sitemap.xml."""
        self.discovery = {"sources": {}, "listings": {}}
        self.crawler.stats.set_value(STAT_DISCOVERY, self.discovery)  # filled in as it goes
        self._pending = {SITEMAP: 0, FEED: 0}
        self._phase = SITEMAP
        self._held = None
        # Entered now: a phase that never ended would leave it open, and the report says so.
        self.ledger.discover(self._key(home, LISTING), LISTING)
        yield from self._source_request(urljoin(home, "/robots.txt"), SITEMAP, guessed=True)
        yield from self._source_request(urljoin(home, "/sitemap.xml"), SITEMAP, guessed=True)
        if not self._pending[SITEMAP]:
            yield from self._next_phase()

    def _source_request(
        self: DiscoveryCrawl, url: str, role: str, guessed: bool = False
    ) -> Iterator[scrapy.Request]:
        url = self._site_scheme(url)
        key = url_key(url)
        if not self.ledger.discover(key, role):
            return
        if not self._on_site(url):
            self.ledger.settle(key, SKIPPED, SKIP_OFFSITE)
            return
        self._pending[role] = self._pending.get(role, 0) + 1
        _sources(self)[url] = {"route": role, "urls": 0, "status": "pending"}
        if guessed:
            _sources(self)[url]["guessed"] = True
        yield scrapy.Request(
            url,
            callback=self.parse_source,
            errback=self.fetch_failed,
            dont_filter=True,  # deduplicated by the ledger
            priority=SOURCE_PRIORITY,
            meta={META_KEY: key, META_ROLE: role, META_GUESSED: guessed},
        )

    def parse_source(self: DiscoveryCrawl, response: Response) -> Iterator[Any]:
        """Read a robots.txt, sitemap or feed: request what it lists, then maybe the next phase."""
        role = response.meta[META_ROLE]
        source = _sources(self).setdefault(
            response.meta.get("redirect_urls", [response.url])[0],
            {"route": role, "urls": 0, "status": "pending"},
        )
        if urlsplit(response.url).path == "/robots.txt":
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                source["urls"] += 1
                yield from self._source_request(url, SITEMAP)
            source["status"] = "ok"
            self.ledger.settle(response.meta[META_KEY], SKIPPED, SKIP_ROBOTS_READ)
        else:
            try:
                read = _read(response, self, role)
            except SourceError as error:
                # A sitemap there, and broken: what only it lists is missed (an alert).
                source.pop("guessed", None)
                source["status"] = str(error)
                yield Reject(
                    url=response.url, stage="extract", reason=str(error), fetched_at=utc_now()
                )
                yield from self._source_done(role)
                return
            if read is None:
                reason = f"not a {'sitemap' if role == SITEMAP else 'RSS or Atom feed'}"
                if response.meta.get(META_GUESSED):
                    source["status"] = f"absent ({reason})"
                    self.ledger.settle(response.meta[META_KEY], SKIPPED, SKIP_ABSENT)
                else:
                    source["status"] = reason
                    yield Reject(
                        url=response.url, stage="extract", reason=reason, fetched_at=utc_now()
                    )
            else:
                source["status"] = "ok"
                self.ledger.settle(response.meta[META_KEY], SKIPPED, SKIP_SOURCE_READ[role])
                for url, day, is_sitemap in read:
                    source["urls"] += 1
                    if is_sitemap:
                        if self.since and day and day < self.since:
                            key = url_key(self._site_scheme(url))
                            if self.ledger.discover(key, SITEMAP):
                                self.ledger.settle(key, SKIPPED, SKIP_SOURCE_BEFORE_SINCE)
                            continue
                        yield from self._source_request(url, SITEMAP)
                    else:
                        yield from self._candidate(
                            url, ROUTE_SITEMAP if role == SITEMAP else ROUTE_FEED, day
                        )
        yield from self._source_done(role)

    def _candidate(
        self: DiscoveryCrawl, url: str, route: str, day: date | None
    ) -> Iterator[scrapy.Request | Reject]:
        """An article URL a sitemap or feed lists, dated `day` (lastmod, entry date)."""
        if self.since and day and day < self.since:
            self.crawler.stats.inc_value(STAT_ARTICLES_BEFORE_SINCE)
            key = self._key(self._site_scheme(url))
            self.route_found(key, route)
            if self.ledger.discover(key, "article"):
                self.ledger.settle(key, SKIPPED, SKIP_BEFORE_SINCE)
            return
        yield from self._article_request(url, route=route)

    def source_failed(
        self: DiscoveryCrawl, failure: Failure, meta: dict[str, Any]
    ) -> Iterator[Any]:
        """A robots.txt, sitemap or feed that could not be fetched: a reject, or a counted skip
        when it was only looked for at its well-known address."""
        role, key = meta[META_ROLE], meta.get(META_KEY)
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "(unknown)"
        error = failure.value
        response = getattr(error, "response", None)
        if response is not None:
            reason = f"HTTP {response.status}"
        else:
            reason = f"{type(error).__name__}: {failure.getErrorMessage()}"[:300]
        source = _sources(self).setdefault(url, {"route": role, "urls": 0})
        if isinstance(error, IgnoreRequest) and "robots.txt" in str(error):
            source["status"] = "refused by robots.txt"
            self.ledger.settle(key, SKIPPED, "robots.txt")
        elif meta.get(META_GUESSED) and response is not None:
            # Only an HTTP answer says it is absent; a timeout or a reset says nothing of it.
            source["status"] = f"absent ({reason})"
            self.ledger.settle(key, SKIPPED, SKIP_ABSENT)
        else:
            source["status"] = reason
            self.crawler.stats.inc_value(STAT_FETCH_FAILED)
            yield Reject(url=url, stage="fetch", reason=reason, fetched_at=utc_now())
        yield from self._source_done(role)

    def _source_done(self: DiscoveryCrawl, role: str) -> Iterator[Any]:
        self._pending[role] -= 1
        if self._pending[role] == 0 and self._phase == role:
            yield from self._next_phase()

    def _next_phase(self: DiscoveryCrawl) -> Iterator[Any]:
        """Sitemaps read: request the home page. Feeds read: its links, held till now."""
        if self._phase == SITEMAP:
            self._phase = FEED
            home = str(self.start_url)
            yield scrapy.Request(
                home,
                callback=self.parse_listing,
                errback=self.fetch_failed,
                dont_filter=True,
                meta={
                    **REDIRECT_META,
                    META_KEY: self._key(home, LISTING),
                    META_ROLE: LISTING,
                    META_ROOT: None,
                    META_LISTING_URL: home,
                    META_HOME: True,
                },
            )
        elif self._phase == FEED:
            self._phase = LISTING
            held, self._held = self._held, None
            if held is not None:
                yield from held

    def hold_home_links(
        self: DiscoveryCrawl, response: Response, doc: Any, rest: Iterator[Any]
    ) -> Iterator[Any]:
        """The home page: request its feeds; its own links wait until they are read."""
        self.ledger.settle(response.meta.get(META_KEY), SKIPPED, SKIP_HOME)
        for url in feed_links(doc, response.url):
            yield from self._source_request(url, FEED)
        if self._pending[FEED]:
            self._held = rest
        else:
            self._phase = LISTING
            yield from rest

    def judge_discovered(self: DiscoveryCrawl, response: Response, page: Page) -> Iterator[Any]:
        """An article candidate a route found: an article, a listing, or (from a sitemap) no
        article at all, by the profile's evidence."""
        route = response.meta.get(META_ROUTE)
        decoded = decode_page(page.body, page.headers)
        links = self.profile.parse_listing(
            response.url, parse_html(decoded.text, decoded.utf8)
        ).articles
        many = len(links) >= LISTING_EVIDENCE_LINKS
        if many or route == ROUTE_SITEMAP:
            verdict = extract_stage(page, self.profile)
            if isinstance(verdict, Reject) and verdict.stage == "extract":
                if many:
                    self.logger.info(
                        "read as a listing (%d article links): %s", len(links), page.url
                    )
                    yield from self.parse_listing(response)
                    return
                self.logger.info("no article (%s): %s", verdict.reason, page.url)
                self.ledger.settle(response.meta.get(META_KEY), SKIPPED, SKIP_NOT_ARTICLE)
                return
        yield page


def _sources(spider: DiscoveryCrawl) -> dict[str, dict[str, Any]]:
    """Each robots.txt, sitemap and feed read, with its route, URLs listed and status."""
    assert spider.discovery is not None
    sources: dict[str, dict[str, Any]] = spider.discovery["sources"]
    return sources


def _read(response: Response, spider: Any, role: str) -> list[Entry] | None:
    """What a sitemap or feed lists; None if it is no sitemap or feed (`SourceError`: one that
    cannot be read whole)."""
    fetched = fetch_day(response.meta.get(META_FETCHED_AT) or utc_now())
    if role != SITEMAP:
        return read_feed(response.body, response.url, fetched)
    max_size = spider.crawler.settings.getint("DOWNLOAD_MAXSIZE")
    return read_sitemap(response.body, response.url, gzip_magic_number(response), max_size, fetched)
