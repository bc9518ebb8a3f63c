"""The listing side of the `portal` spider: listing pages, their paging, how each listing fared."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import scrapy
from lxml.html import HtmlElement
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from portal_scraper.contracts.meta import (
    ARTICLE,
    FEED,
    LISTING,
    META_HOME,
    META_KEY,
    META_LISTING_URL,
    META_POSTED_FROM,
    META_ROLE,
    META_ROOT,
    META_ROUTE,
    META_START,
    ROUTE_FEED,
    ROUTE_LISTING,
    ROUTE_SITEMAP,
    STATUS_POSTBACK_SAME_PAGE,
)
from portal_scraper.contracts.stats import (
    STAT_ARTICLES_BEFORE_SINCE,
    STAT_ENCODING_CONFLICTS,
    STAT_LISTING_PAGES,
    STAT_LISTING_PAGES_OVER_CAP,
    STAT_PAGING_STOPPED,
)
from portal_scraper.crawl.ledger import SKIPPED, Ledger, digest
from portal_scraper.crawl.spiders.pagelinks import (
    Postback,
    feed_links,
    menu_links,
    numbered_pages,
    postback_pages,
)
from portal_scraper.crawl.spiders.postbacks import (
    REDIRECT_META,
    SKIP_PAGE_CAP,
    SKIP_SAME_PAGE,
    fingerprint,
)
from portal_scraper.extract import Listing, Profile, decode_page
from portal_scraper.extract.page import parse_html
from portal_scraper.normalize.dates import utc_now
from portal_scraper.normalize.urls import url_key, without_context
from portal_scraper.record.model import Reject
from portal_scraper.record.page import Page
from portal_scraper.record.stages import extract_stage

if TYPE_CHECKING:
    from scrapy.utils.log import SpiderLoggerAdapter
    from twisted.python.failure import Failure

# request.meta: the operator's start URL, read as an article or a listing, whichever it is.
# Skip reasons in the ledger (and the report).
SKIP_LISTING = "listing page read"
SKIP_BEFORE_SINCE = "listed before since"
SKIP_MAX_ITEMS = "over max_items"
SKIP_OFFSITE = "off-site link"
SKIP_NO_NEW = "paging stopped: the page before brought no new article"
SKIP_ALL_OLD = "paging stopped: the page before was all before since"


class ListingCrawl(Protocol):
    """What the listing side needs of the spider it is part of."""

    crawler: Crawler
    profile: Profile
    start_url: str | None
    since: date | None
    ledger: Ledger
    listings: dict[str, dict[str, Any]]
    max_listing_pages: int
    _listing_pages: Counter[str]
    _listed: set[bytes]
    discovery: dict[str, Any] | None

    @property
    def logger(self) -> SpiderLoggerAdapter: ...

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request | Reject | Page]: ...

    def fetch_failed(self, failure: Failure) -> Iterator[Reject]: ...

    def _redirect(self, response: Response) -> tuple[str | None, str] | None: ...

    def _follow_redirect(
        self, response: Response, target: str | None, how: str
    ) -> Iterator[Reject | scrapy.Request]: ...

    def _page(self, response: Response) -> Page: ...

    def _article_request(
        self, url: str, key: str | None = None, start: bool = False, route: str | None = None
    ) -> Iterator[scrapy.Request | Reject]: ...

    def _listing_requests(
        self, urls: list[str], root: str | None, route: str | None = None
    ) -> Iterator[scrapy.Request | Reject]: ...

    def _read_listing(
        self, response: Response, doc: HtmlElement, listing: Listing, root: str
    ) -> Iterator[scrapy.Request | Reject | Page]: ...

    def _postback_requests(
        self, response: Response, postbacks: list[Postback], root: str, shown: str
    ) -> Iterator[scrapy.Request]: ...

    def _skip_postbacks(
        self, response: Response, postbacks: list[Postback], reason: str
    ) -> None: ...

    def _source_request(
        self, url: str, role: str, guessed: bool = False
    ) -> Iterator[scrapy.Request]: ...

    def hold_home_links(
        self, response: Response, doc: HtmlElement, rest: Iterator[Any]
    ) -> Iterator[Any]: ...

    def _skip_listings(self, urls: list[str], reason: str) -> None: ...

    def _key(self, url: str, role: str = ARTICLE) -> str: ...

    def _site_scheme(self, url: str) -> str: ...

    def _on_site(self, url: str) -> bool: ...

    def _url_limit(self) -> int: ...

    def _too_long(self, url: str, key: str) -> Reject: ...

    def _capped(self) -> bool: ...


__all__ = ["REDIRECT_META", "SKIP_PAGE_CAP"]


class ListingPages:
    """Spider mixin: read listing pages, schedule their articles and, while they bring new
    ones, their next pages; keep per listing the crawl starts from what went wrong."""

    def parse_listing(
        self: ListingCrawl, response: Response
    ) -> Iterator[scrapy.Request | Reject | Page]:
        """Schedule the articles of a listing page and, while it brings new ones, its next pages."""
        root = response.meta.get(META_ROOT) or response.meta.get(META_LISTING_URL) or response.url
        redirect = self._redirect(response)
        if redirect:
            yield from self._follow_redirect(response, *redirect)
            return
        if not isinstance(response, TextResponse):
            seen = self.listings.setdefault(root, {"pages": 0, "article_links": 0})
            reason = f"listing page is not HTML ({response.headers.get(b'Content-Type')!r})"
            if not seen["pages"]:
                seen["status"] = "not HTML"
            yield Reject(url=response.url, stage="extract", reason=reason, fetched_at=utc_now())
            return
        # Decoded by the page's evidence like an article: a listing that says windows-1258 but
        # is UTF-8 must not turn its links into mojibake.
        decoded = decode_page(response.body, headers_of(response))
        doc = parse_html(decoded.text, decoded.utf8)
        listing = self.profile.parse_listing(response.url, doc)
        if response.meta.get(META_START) and not listing.articles:
            page = self._page(response)
            if not isinstance(extract_stage(page, self.profile), Reject):
                yield page  # the start URL is an article after all
                return
        if decoded.conflict:
            self.crawler.stats.inc_value(STAT_ENCODING_CONFLICTS)
            self.logger.warning(
                "charset evidence disagrees for %s: %s", response.url, decoded.conflict
            )
        rest = self._read_listing(response, doc, listing, root)
        if response.meta.get(META_HOME):
            yield from self.hold_home_links(response, doc, rest)
        else:
            yield from rest

    def _read_listing(
        self: ListingCrawl, response: Response, doc: HtmlElement, listing: Listing, root: str
    ) -> Iterator[scrapy.Request | Reject | Page]:
        """Schedule the article links and, while they bring new ones, the next pages."""
        key = response.meta.get(META_KEY)
        discovering = self.discovery is not None
        route = listing_route(response.meta) if discovering else None
        # Listings a home-page crawl found in menus are reported with discovery, not alerted on.
        book = self.discovery["listings"] if self.discovery is not None else self.listings
        self.crawler.stats.inc_value(STAT_LISTING_PAGES)
        seen = book.setdefault(root, {"pages": 0, "article_links": 0, "status": "ok"})
        seen["pages"] += 1
        seen["article_links"] += len(listing.articles)
        self.ledger.settle(key, SKIPPED, SKIP_LISTING)
        # The profile's postback paging (a DNN site file's listings), and a home-page crawl's own.
        postbacks = [Postback(p.target, p.argument) for p in listing.postbacks]
        if discovering:
            for url in feed_links(doc, response.url):
                yield from self._source_request(url, FEED)
            if response.meta.get(META_HOME):
                yield from self._listing_requests(menu_links(doc, response.url), None, route)
            listing.next_pages += [
                url for url in numbered_pages(doc, response.url) if url not in listing.next_pages
            ]
            postbacks += [p for p in postback_pages(doc) if p not in postbacks]
        fresh = new = 0
        keys = []
        for entry in listing.articles:
            key = url_key(self.profile.canonical_url(without_context(entry.url, response.url)))
            keys.append(key)
            if self.since and entry.listed_on and entry.listed_on < self.since:
                self.crawler.stats.inc_value(STAT_ARTICLES_BEFORE_SINCE)
                if self.ledger.discover(key, ARTICLE):
                    self.ledger.settle(key, SKIPPED, SKIP_BEFORE_SINCE)
                continue
            fresh += 1
            # New to this run's listing pages (archived ones too: paging goes on past them, to
            # the backlog; those a sitemap or feed listed too: they list only the newest).
            new += digest(key) not in self._listed
            self._listed.add(digest(key))
            yield from self._article_request(entry.url, key, route=route)
        if not listing.articles:
            self.logger.warning("listing page has no article links: %s", response.url)
            if seen["article_links"] == 0:
                seen["status"] = "no article links"
            elif seen["status"] == "ok":
                # A login page or an empty page half-way: the pages after it are never seen.
                seen["status"] = "a later page has no article links"
        stop = None
        shown = fingerprint(keys)
        if listing.articles and response.meta.get(META_POSTED_FROM) == shown:
            # The server answered the page posted from (it ignores the view state): no paging.
            stop = SKIP_SAME_PAGE
            seen["status"] = STATUS_POSTBACK_SAME_PAGE
        elif listing.articles and not fresh:
            # Listings are newest first: later pages are older still.
            stop = SKIP_ALL_OLD
        elif not new and not response.meta.get(META_HOME):
            # A page with nothing new: a paging trap, or the end of the list.
            stop = SKIP_NO_NEW
        elif self._capped():
            stop = SKIP_MAX_ITEMS
        if stop:
            self._skip_listings(listing.next_pages, stop)
            self._skip_postbacks(response, postbacks, stop)
        else:
            yield from self._listing_requests(listing.next_pages, root, route)
            yield from self._postback_requests(response, postbacks, root, shown)

    def _listing_requests(
        self: ListingCrawl, urls: list[str], root: str | None, route: str | None = None
    ) -> Iterator[scrapy.Request | Reject]:
        for url in map(self._site_scheme, urls):
            key = self._key(url, LISTING)
            if not self.ledger.discover(key, LISTING):
                continue
            if not self._on_site(url):
                self.ledger.settle(key, SKIPPED, SKIP_OFFSITE)
                continue
            path = urlsplit(url).path.lower()
            if self._listing_pages[path] >= self.max_listing_pages:
                self.crawler.stats.inc_value(STAT_LISTING_PAGES_OVER_CAP)
                self.ledger.settle(key, SKIPPED, SKIP_PAGE_CAP)
                continue
            self._listing_pages[path] += 1
            if len(url) > self._url_limit():
                yield self._too_long(url, key)
                continue
            meta = {
                **REDIRECT_META,
                META_KEY: key,
                META_ROLE: LISTING,
                META_ROOT: root,
                META_LISTING_URL: url,
                META_START: url == self.start_url,
                **({META_ROUTE: route} if route else {}),
            }
            yield scrapy.Request(
                url, callback=self.parse_listing, errback=self.fetch_failed, meta=meta
            )

    def _skip_listings(self: ListingCrawl, urls: list[str], reason: str) -> None:
        for url in urls:
            key = self._key(url, LISTING)
            if self.ledger.discover(key, LISTING):
                self.crawler.stats.inc_value(STAT_PAGING_STOPPED)
                self.ledger.settle(key, SKIPPED, reason)

    def _listing_failed(self: ListingCrawl, meta: dict[str, Any], reason: str) -> None:
        """Note the failure of a listing page in the status of the listing it belongs to."""
        if meta.get(META_ROLE) != LISTING:
            return
        # A listing a home-page crawl found in a menu is reported with discovery.
        book = self.listings
        if meta.get(META_ROUTE) and self.discovery is not None:
            book = self.discovery["listings"]
        if meta.get(META_ROOT) is None:
            url = meta.get(META_LISTING_URL, "")
            book.setdefault(url, {"pages": 0, "article_links": 0})["status"] = reason
            return
        seen = book.setdefault(meta[META_ROOT], {"pages": 0, "article_links": 0})
        if seen.get("status", "ok") == "ok":
            # Paging ends at a failed page: the rest of the list is not seen this run.
            seen["status"] = f"a later page failed: {reason}"


def listing_route(meta: dict[str, Any]) -> str:
    """The route credited with the article links of a listing page: postback pages keep theirs;
    any other (a menu listing, a sitemap or feed page read as a listing) is the listing route."""
    route = meta.get(META_ROUTE)
    return route if route not in (None, ROUTE_SITEMAP, ROUTE_FEED) else ROUTE_LISTING


def headers_of(response: Response) -> dict[str, str]:
    """The response's headers as text."""
    return {
        k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()
    }
