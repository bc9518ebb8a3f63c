"""The `portal` spider: walks a site's listings and yields each article page, unparsed."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_meta_refresh
from twisted.python.failure import Failure

from portal_scraper.contracts.config import PortalConfig, config
from portal_scraper.contracts.meta import (
    ARTICLE,
    LISTING,
    META_ARTICLE,
    META_FETCHED_AT,
    META_HOME,
    META_KEY,
    META_LISTING_URL,
    META_ROLE,
    META_ROOT,
    META_ROUTE,
    META_SKIP,
    META_START,
    META_UNFINISHED,
    META_WARC,
    SOURCE_ROLES,
)
from portal_scraper.contracts.stats import (
    STAT_ARTICLE_LINKS,
    STAT_ARTICLE_LINKS_OVER_CAP,
    STAT_ARTICLE_LINKS_REPEATED,
    STAT_FETCH_FAILED,
    STAT_REDIRECTS_REFUSED,
    STAT_SKIPPED_ARCHIVED,
    STAT_SKIPPED_REJECTED,
    first_by_route,
    found_by_route,
)
from portal_scraper.crawl.distributed import is_distributed
from portal_scraper.crawl.guard import internal_literal
from portal_scraper.crawl.incremental import SKIP_ARCHIVED, SKIP_REJECTED
from portal_scraper.crawl.ledger import ITEM_KEY, SKIPPED, Ledger, digest
from portal_scraper.crawl.spiders.arguments import parse_arguments
from portal_scraper.crawl.spiders.discovery import Discovery, is_home_url
from portal_scraper.crawl.spiders.listings import (
    REDIRECT_META,
    SKIP_MAX_ITEMS,
    SKIP_OFFSITE,
    ListingPages,
    headers_of,
)
from portal_scraper.crawl.spiders.postbacks import PostbackPaging
from portal_scraper.crawl.state import StateStore, state_store
from portal_scraper.extract.sharepoint import list_page_url
from portal_scraper.normalize.dates import utc_now
from portal_scraper.normalize.urls import url_key
from portal_scraper.record.model import Reject
from portal_scraper.record.page import Page
from portal_scraper.record.stages import extract_stage

ARTICLE_PRIORITY = 10
# Article requests: redirects (HTTP and <meta> refresh) are followed by the spider.
ARTICLE_META = {META_ARTICLE: True, **REDIRECT_META}
SKIP_ROBOTS = "robots.txt"
# Exceptions that mean the body arrived cut short.
_TRUNCATED = ("_DataLoss", "PotentialDataLoss", "DataLoss")


class PortalSpider(Discovery, ListingPages, PostbackPaging, scrapy.Spider):
    """Follow a profile's listing pages and their paging; fetch each article once."""

    name = "portal"

    def __init__(
        self,
        site: str | None = None,
        start_url: str | None = None,
        base_url: str | None = None,
        since: str | None = None,
        max_items: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        arguments = parse_arguments(site, start_url, base_url, since, max_items)
        self.profile = arguments.profile
        self.base_url = arguments.base_url
        self.start_url = arguments.start_url
        self.since = arguments.since
        self.max_items = arguments.max_items
        host = str(urlsplit(self.base_url).hostname)
        # The portal's host, and the same host with or without "www.".
        self.allowed_domains = _same_site(host)
        # The operator pointed the crawl at this host: it may be internal (a local mirror).
        self.local_hosts = tuple(self.allowed_domains) if internal_literal(host) else ()
        self.ledger = Ledger()
        # Per listing the crawl starts from: pages read, article links, and what went wrong.
        self.listings: dict[str, dict[str, Any]] = {}
        self._listing_pages: Counter[str] = Counter()
        # Article keys listing pages showed (digests): a page showing none new ends its paging.
        self._listed: set[bytes] = set()
        self._requested_articles = 0
        self._store: StateStore | None = None
        self.max_listing_pages = PortalConfig.listing_max_pages
        # A crawl from a home page: its sitemaps, feeds and listings (crawl/spiders/discovery.py).
        self.discovery: dict[str, Any] | None = None
        self._route_seen: dict[str, set[bytes]] = {}
        self._phase = ""
        self._pending: dict[str, int] = {}
        self._held: Iterator[scrapy.Request | Reject | Page] | None = None

    async def start(self) -> AsyncIterator[scrapy.Request | Reject]:
        """The start URL, or every listing path of the profile under `base_url`."""
        # Read here, not in from_crawler: the add-ons (distributed mode) apply after it.
        settings = self.crawler.settings
        own = config(self.crawler)
        self.max_listing_pages = own.listing_max_pages
        self.ledger.shared = is_distributed(settings)
        if own.state_path and not own.incremental_refresh:
            # Archived articles are skipped before they are requested, so that `max_items`
            # counts only articles this run fetches and the backlog moves run after run.
            self._store = state_store(self.crawler)
        if self.start_url and is_home_url(self.start_url):
            for request in self.start_discovery(self.start_url):
                yield request
            return
        if self.start_url:
            if self.profile.is_article_url(self.start_url):
                for request in self._article_request(self.start_url, start=True):
                    yield request
            else:
                for listing in self._listing_requests([self.start_url], root=None):
                    yield listing
            return
        urls = [urljoin(self.base_url, path.lstrip("/")) for path in self.profile.listing_paths]
        for listing in self._listing_requests(urls, root=None):
            yield listing

    def parse_article(self, response: Response) -> Iterator[Page | Reject | scrapy.Request]:
        """Hand the fetched article page to the pipelines (following its redirects, if any)."""
        redirect = self._redirect(response)
        if redirect:
            yield from self._follow_redirect(response, *redirect)
            return
        if not response.body.strip():
            # An outage answering "200" with nothing: tried again next run, unlike a page that
            # was read and is no article.
            reason = f"empty response body (HTTP {response.status})"
            yield Reject(url=response.url, stage="fetch", reason=reason, fetched_at=utc_now())
            return
        page = self._page(response)
        if response.meta.get(META_ROUTE) and not response.meta.get(META_START):
            yield from self.judge_discovered(response, page)
            return
        if response.meta.get(META_START) and isinstance(extract_stage(page, self.profile), Reject):
            # The start URL looked like an article and is none: it is read as a listing.
            yield from self.parse_listing(response)
            return
        yield page

    def _page(self, response: Response) -> Page:
        """The fetched page, for the pipelines."""
        warc = response.meta.get(META_WARC) or {}
        return Page(
            url=response.url,
            body=response.body,
            fetched_at=response.meta.get(META_FETCHED_AT) or utc_now(),
            warc_file=warc.get("file"),
            warc_record_id=warc.get("record_id"),
            status=response.status,
            headers=headers_of(response),
        )

    def fetch_failed(self, failure: Failure) -> Iterator[Reject]:
        """Record a page that could not be fetched as a reject (stage "fetch"), or its skip."""
        request = getattr(failure, "request", None)
        meta = request.meta if request is not None else {}
        key = meta.get(META_KEY)
        if meta.get(META_UNFINISHED):
            return  # the crawl is stopping: the URL stays open, the next run fetches it
        if meta.get(META_SKIP):
            self.ledger.settle(key, SKIPPED, meta[META_SKIP])
            return
        if meta.get(META_ROLE) in SOURCE_ROLES:
            yield from self.source_failed(failure, meta)
            return
        error = failure.value
        if isinstance(error, IgnoreRequest) and "robots.txt" in str(error):
            self.ledger.settle(key, SKIPPED, SKIP_ROBOTS)
            self._listing_failed(meta, "refused by robots.txt")
            return
        response = getattr(error, "response", None)
        url = request.url if request is not None else "(unknown)"
        chain = meta.get("redirect_chain")
        if chain:
            # The reject names the URL the crawl found, and where its redirects led.
            url = chain[0]
        if response is not None:
            reason = f"HTTP {response.status}"
        elif any(name in repr(error) for name in _TRUNCATED):
            reason = (
                f"truncated: the connection closed before the whole body ({type(error).__name__})"
            )
        else:
            reason = f"{type(error).__name__}: {failure.getErrorMessage()}"[:300]
        self.crawler.stats.inc_value(STAT_FETCH_FAILED)
        self._listing_failed(meta, reason)
        if chain and request is not None:
            reason = f"{reason} at {request.url} (redirected from {chain[0]})"
        yield Reject(url=url, stage="fetch", reason=reason, fetched_at=utc_now())

    def _follow_redirect(
        self, response: Response, target: str | None, how: str
    ) -> Iterator[Reject | scrapy.Request]:
        """Follow a redirect ourselves, so a loop or an off-site target is a reject with its reason
        instead of a request Scrapy drops without a word."""
        chain = [*response.meta.get("redirect_chain", []), response.url]
        reason = None
        if target is None:
            reason = f"{how} without a Location"
        elif (urlsplit(target).hostname or "").lower() not in self.allowed_domains:
            reason = f"redirected off-site to {target}"
        elif target in chain:
            reason = "redirect loop: " + " -> ".join([*chain, target])
        elif len(chain) > self.crawler.settings.getint("REDIRECT_MAX_TIMES", 5):
            reason = f"more than {len(chain) - 1} redirects"
        if reason:
            self.crawler.stats.inc_value(STAT_REDIRECTS_REFUSED)
            self._listing_failed(response.meta, reason)
            yield Reject(url=chain[0], stage="fetch", reason=reason, fetched_at=utc_now())
            return
        assert target is not None
        listing = response.meta.get(META_ROLE) == LISTING
        yield scrapy.Request(
            target,
            callback=self.parse_listing if listing else self.parse_article,
            errback=self.fetch_failed,
            dont_filter=True,  # deduplicated by the ledger here, not by Scrapy
            meta={
                **(REDIRECT_META if listing else ARTICLE_META),
                **_ledger_meta(response.meta),
                "redirect_chain": chain,
            },
        )

    def _redirect(self, response: Response) -> tuple[str | None, str] | None:
        """(target, how) when the response sends the crawl elsewhere: HTTP or `<meta>` refresh."""
        if 300 <= response.status < 400:
            return _location(response), f"HTTP {response.status}"
        refresh = self._meta_refresh(response)
        return (refresh, "meta refresh") if refresh else None

    def _meta_refresh(self, response: Response) -> str | None:
        """The target of a `<meta http-equiv="refresh">` to another page, if there is one."""
        if not isinstance(response, TextResponse):
            return None
        _interval, url = get_meta_refresh(response)
        if url is None or url == response.url:
            return None  # a page refreshing itself shows its own content
        if self._key(url, LISTING) == self._key(response.url, LISTING):
            return None
        return url

    def _key(self, url: str, role: str = ARTICLE) -> str:
        if role == LISTING:
            url = list_page_url(url)  # a Previous arrow leads to a page already read
        return url_key(self.profile.canonical_url(url))

    def _article_request(
        self, url: str, key: str | None = None, start: bool = False, route: str | None = None
    ) -> Iterator[scrapy.Request | Reject]:
        canonical = self.profile.canonical_url(self._site_scheme(url))
        key = key or url_key(canonical)
        if route:
            self.route_found(key, route)
        if not self.ledger.discover(key, ARTICLE):
            self.crawler.stats.inc_value(STAT_ARTICLE_LINKS_REPEATED)
            return
        if route:
            self.crawler.stats.inc_value(first_by_route(route))
        if not self._on_site(url):
            self.ledger.settle(key, SKIPPED, SKIP_OFFSITE)
            return
        known = self._known_to_store(canonical)
        if known:
            self.ledger.settle(key, SKIPPED, known)
            return
        if self._capped():
            self.crawler.stats.inc_value(STAT_ARTICLE_LINKS_OVER_CAP)
            self.ledger.settle(key, SKIPPED, SKIP_MAX_ITEMS)
            return
        self._requested_articles += 1
        self.crawler.stats.inc_value(STAT_ARTICLE_LINKS)
        if len(canonical) > self._url_limit():
            yield self._too_long(canonical, key)
            return
        yield scrapy.Request(
            canonical,
            callback=self.parse_article,
            errback=self.fetch_failed,
            meta={
                **ARTICLE_META,
                META_KEY: key,
                META_ROLE: ARTICLE,
                **({META_START: True, META_LISTING_URL: url} if start else {}),
                **({META_ROUTE: route} if route else {}),
            },
            # Articles before further listing pages: the queue stays about one listing page deep
            # instead of holding every article link of the portal at once.
            priority=ARTICLE_PRIORITY,
        )

    def route_found(self, key: str, route: str) -> None:
        """Count an article URL `route` listed, once per route (whichever route listed it
        first is credited with it: `first_by_route`)."""
        seen = self._route_seen.setdefault(route, set())
        if digest(key) not in seen:
            seen.add(digest(key))
            self.crawler.stats.inc_value(found_by_route(route))

    def _known_to_store(self, canonical: str) -> str | None:
        """Why an article is not fetched again (archived or rejected by an earlier run)."""
        if self._store is None:
            return None
        if self._store.get(canonical) is not None:
            self.crawler.stats.inc_value(STAT_SKIPPED_ARCHIVED)
            return SKIP_ARCHIVED
        if self._store.rejected(canonical) is not None:
            self.crawler.stats.inc_value(STAT_SKIPPED_REJECTED)
            return SKIP_REJECTED
        return None

    def _site_scheme(self, url: str) -> str:
        """A link to the portal by the other scheme (http/https) goes by the one the crawl was
        pointed at: the same page, and the scheme known to work."""
        parts = urlsplit(url)
        scheme = urlsplit(self.base_url).scheme
        if parts.scheme in ("http", "https") and parts.scheme != scheme and self._on_site(url):
            return urlunsplit(parts._replace(scheme=scheme))
        return url

    def _on_site(self, url: str) -> bool:
        return (urlsplit(url).hostname or "").lower() in self.allowed_domains

    def _url_limit(self) -> int:
        return self.crawler.settings.getint("URLLENGTH_LIMIT", 2083) or 10**9

    def _too_long(self, url: str, key: str) -> Reject:
        """The reject of a URL Scrapy would drop for its length (it is never requested)."""
        reason = f"URL of {len(url)} characters, over URLLENGTH_LIMIT ({self._url_limit()})"
        reject = Reject(url=url, stage="fetch", reason=reason, fetched_at=utc_now())
        setattr(reject, ITEM_KEY, key)
        return reject

    def _capped(self) -> bool:
        return self.max_items is not None and self._requested_articles >= self.max_items


def _ledger_meta(meta: dict[str, Any]) -> dict[str, Any]:
    keys = (META_KEY, META_ROLE, META_ROOT, META_START, META_LISTING_URL, META_ROUTE, META_HOME)
    return {k: meta[k] for k in keys if k in meta}


def _location(response: Response) -> str | None:
    location = response.headers.get(b"Location")
    return urljoin(response.url, location.decode("latin-1")) if location else None


def _same_site(host: str) -> list[str]:
    host = host.lower()
    other = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
    return [host] if internal_literal(host) else [host, other]
