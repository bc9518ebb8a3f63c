"""The `portal` spider: walks a site's listings and yields each article page, unparsed."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_meta_refresh
from twisted.python.failure import Failure

from portal_scraper.crawl.distributed import is_distributed
from portal_scraper.crawl.guard import internal_literal
from portal_scraper.crawl.incremental import (
    SKIP_ARCHIVED,
    SKIP_REJECTED,
    STAT_SKIPPED_ARCHIVED,
    STAT_SKIPPED_REJECTED,
    Store,
    state_store,
)
from portal_scraper.crawl.ledger import (
    ARTICLE,
    ITEM_KEY,
    LISTING,
    META_KEY,
    META_ROLE,
    META_ROOT,
    META_SKIP,
    META_UNFINISHED,
    SKIPPED,
    Ledger,
)
from portal_scraper.extract import Profile, decode_page, get_profile, parse_html, profile_for_url
from portal_scraper.extract.sharepoint import list_page_url
from portal_scraper.normalize.dates import utc_now
from portal_scraper.normalize.urls import url_key, without_context
from portal_scraper.record.model import Reject
from portal_scraper.record.page import Page
from portal_scraper.record.stages import extract_stage

ARTICLE_PRIORITY = 10
# Article requests: redirects (HTTP and <meta> refresh) are followed by the spider.
# Redirects (HTTP and <meta> refresh) are followed by the spider: a loop or an off-site target
# is then a reject with its reason, not a request Scrapy drops without a word.
REDIRECT_META = {"dont_redirect": True, "handle_httpstatus_list": [301, 302, 303, 307, 308]}
ARTICLE_META = {"article": True, **REDIRECT_META}
USAGE = (
    "scrapy crawl portal -a site=bentre-city [-a base_url=http://127.0.0.1:8765] "
    "[-a since=2018-01-01] [-a max_items=100] -O articles.jsonl; or, for any site, "
    "scrapy crawl portal -a start_url=https://portal.example.vn/tin-tuc -O articles.jsonl"
)
# request.meta: the operator's start URL, read as an article or a listing, whichever it is.
META_START = "start_url"
# Skip reasons in the ledger (and the report).
SKIP_LISTING = "listing page read"
SKIP_BEFORE_SINCE = "listed before since"
SKIP_MAX_ITEMS = "over max_items"
SKIP_OFFSITE = "off-site link"
SKIP_NO_NEW = "paging stopped: the page before brought no new article"
SKIP_ALL_OLD = "paging stopped: the page before was all before since"
SKIP_PAGE_CAP = "paging stopped: over LISTING_MAX_PAGES"
SKIP_ROBOTS = "robots.txt"
LISTING_MAX_PAGES = 10_000
# Exceptions that mean the body arrived cut short.
_TRUNCATED = ("_DataLoss", "PotentialDataLoss", "DataLoss")


@dataclass(frozen=True)
class SpiderArguments:
    """The spider's `-a` arguments, checked."""

    profile: Profile
    base_url: str
    start_url: str | None
    since: date | None
    max_items: int | None


def parse_arguments(
    site: str | None = None,
    start_url: str | None = None,
    base_url: str | None = None,
    since: str | None = None,
    max_items: str | int | None = None,
) -> SpiderArguments:
    """Check the spider's arguments; `ValueError` (or `UnknownSite`) says what is wrong."""
    if not site and not start_url:
        raise ValueError(f"give a site profile or a start URL: {USAGE}")
    for name, value in (("start_url", start_url), ("base_url", base_url)):
        if value is not None and not _http_url(value):
            raise ValueError(f"{name} must be an absolute http(s) URL, got {value!r}")
    profile: Profile = get_profile(site) if site else profile_for_url(str(start_url))
    if not profile.listing_paths and not start_url:
        raise ValueError(f"the {profile.id} profile has no listings: give -a start_url=URL")
    # A start URL on another host than the profile's (a mirror) is crawled where it is.
    origin = _origin(start_url) if start_url else None
    base = (base_url or origin or profile.base_url).rstrip("/") + "/"
    if not _http_url(base):
        raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
    return SpiderArguments(
        profile, base, start_url, _parse_since(since), _parse_max_items(max_items)
    )


class PortalSpider(scrapy.Spider):
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
        self._requested_articles = 0
        self._store: Store | None = None
        self.max_listing_pages = LISTING_MAX_PAGES

    async def start(self) -> AsyncIterator[scrapy.Request | Reject]:
        """The start URL, or every listing path of the profile under `base_url`."""
        # Read here, not in from_crawler: the add-ons (distributed mode) apply after it.
        settings = self.crawler.settings
        self.max_listing_pages = settings.getint("LISTING_MAX_PAGES", LISTING_MAX_PAGES)
        self.ledger.shared = is_distributed(settings)
        if settings.get("STATE_PATH") and not settings.getbool("INCREMENTAL_REFRESH"):
            # Archived articles are skipped before they are requested, so that `max_items`
            # counts only articles this run fetches and the backlog moves run after run.
            self._store = state_store(self.crawler)
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

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request | Reject | Page]:
        """Schedule the articles of a listing page and, while it brings new ones, its next pages."""
        key = response.meta.get(META_KEY)
        root = response.meta.get(META_ROOT) or response.meta.get("listing_url") or response.url
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
        decoded = decode_page(response.body, _headers(response))
        listing = self.profile.parse_listing(response.url, parse_html(decoded.text))
        if response.meta.get(META_START) and not listing.articles:
            page = self._page(response)
            if not isinstance(extract_stage(page, self.profile), Reject):
                yield page  # the start URL is an article after all
                return
        if decoded.conflict:
            self.crawler.stats.inc_value("encoding/conflicts")
            self.logger.warning(
                "charset evidence disagrees for %s: %s", response.url, decoded.conflict
            )
        self.crawler.stats.inc_value("portal/listing_pages")
        seen = self.listings.setdefault(root, {"pages": 0, "article_links": 0, "status": "ok"})
        seen["pages"] += 1
        seen["article_links"] += len(listing.articles)
        self.ledger.settle(key, SKIPPED, SKIP_LISTING)
        fresh = new = 0
        for entry in listing.articles:
            key = url_key(self.profile.canonical_url(without_context(entry.url, response.url)))
            if self.since and entry.listed_on and entry.listed_on < self.since:
                self.crawler.stats.inc_value("portal/articles_before_since")
                if self.ledger.discover(key, ARTICLE):
                    self.ledger.settle(key, SKIPPED, SKIP_BEFORE_SINCE)
                continue
            fresh += 1
            # New to this run (archived ones too: paging goes on past them, to the backlog).
            new += not self.ledger.known(key)
            yield from self._article_request(entry.url, key)
        if not listing.articles:
            self.logger.warning("listing page has no article links: %s", response.url)
            if seen["article_links"] == 0:
                seen["status"] = "no article links"
            elif seen["status"] == "ok":
                # A login page or an empty page half-way: the pages after it are never seen.
                seen["status"] = "a later page has no article links"
        if listing.articles and not fresh:
            # Listings are newest first: later pages are older still.
            self._skip_listings(listing.next_pages, SKIP_ALL_OLD)
        elif not new:
            # A page with nothing new: a paging trap, or the end of the list.
            self._skip_listings(listing.next_pages, SKIP_NO_NEW)
        elif self._capped():
            self._skip_listings(listing.next_pages, SKIP_MAX_ITEMS)
        else:
            yield from self._listing_requests(listing.next_pages, root=root)

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
        if response.meta.get(META_START) and isinstance(extract_stage(page, self.profile), Reject):
            # The start URL looked like an article and is none: it is read as a listing.
            yield from self.parse_listing(response)
            return
        yield page

    def _page(self, response: Response) -> Page:
        """The fetched page, for the pipelines."""
        warc = response.meta.get("warc") or {}
        return Page(
            url=response.url,
            body=response.body,
            fetched_at=response.meta.get("fetched_at") or utc_now(),
            warc_file=warc.get("file"),
            warc_record_id=warc.get("record_id"),
            status=response.status,
            headers=_headers(response),
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
        self.crawler.stats.inc_value("portal/fetch_failed")
        self._listing_failed(meta, reason)
        if chain and request is not None:
            reason = f"{reason} at {request.url} (redirected from {chain[0]})"
        yield Reject(url=url, stage="fetch", reason=reason, fetched_at=utc_now())

    def _listing_failed(self, meta: dict[str, Any], reason: str) -> None:
        """Note the failure of a listing page in the status of the listing it belongs to."""
        if meta.get(META_ROLE) != LISTING:
            return
        if meta.get(META_ROOT) is None:
            url = meta.get("listing_url", "")
            self.listings.setdefault(url, {"pages": 0, "article_links": 0})["status"] = reason
            return
        seen = self.listings.setdefault(meta[META_ROOT], {"pages": 0, "article_links": 0})
        if seen.get("status", "ok") == "ok":
            # Paging ends at a failed page: the rest of the list is not seen this run.
            seen["status"] = f"a later page failed: {reason}"

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
            self.crawler.stats.inc_value("portal/redirects_refused")
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

    def _listing_requests(
        self, urls: list[str], root: str | None
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
                self.crawler.stats.inc_value("portal/listing_pages_over_cap")
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
                "listing_url": url,
                META_START: url == self.start_url,
            }
            yield scrapy.Request(
                url, callback=self.parse_listing, errback=self.fetch_failed, meta=meta
            )

    def _skip_listings(self, urls: list[str], reason: str) -> None:
        for url in urls:
            key = self._key(url, LISTING)
            if self.ledger.discover(key, LISTING):
                self.crawler.stats.inc_value("portal/paging_stopped")
                self.ledger.settle(key, SKIPPED, reason)

    def _article_request(
        self, url: str, key: str | None = None, start: bool = False
    ) -> Iterator[scrapy.Request | Reject]:
        canonical = self.profile.canonical_url(self._site_scheme(url))
        key = key or url_key(canonical)
        if not self.ledger.discover(key, ARTICLE):
            self.crawler.stats.inc_value("portal/article_links_repeated")
            return
        if not self._on_site(url):
            self.ledger.settle(key, SKIPPED, SKIP_OFFSITE)
            return
        known = self._known_to_store(canonical)
        if known:
            self.ledger.settle(key, SKIPPED, known)
            return
        if self._capped():
            self.crawler.stats.inc_value("portal/article_links_over_cap")
            self.ledger.settle(key, SKIPPED, SKIP_MAX_ITEMS)
            return
        self._requested_articles += 1
        self.crawler.stats.inc_value("portal/article_links")
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
                **({META_START: True, "listing_url": url} if start else {}),
            },
            # Articles before further listing pages: the queue stays about one listing page deep
            # instead of holding every article link of the portal at once.
            priority=ARTICLE_PRIORITY,
        )

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
    keys = (META_KEY, META_ROLE, META_ROOT, META_START, "listing_url")
    return {k: meta[k] for k in keys if k in meta}


def _headers(response: Response) -> dict[str, str]:
    return {
        k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()
    }


def _location(response: Response) -> str | None:
    location = response.headers.get(b"Location")
    return urljoin(response.url, location.decode("latin-1")) if location else None


def _http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _same_site(host: str) -> list[str]:
    host = host.lower()
    other = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
    return [host] if internal_literal(host) else [host, other]


def _parse_since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"since must be a date like 2018-01-31, got {value!r}") from None


def _parse_max_items(value: str | int | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"max_items must be a whole number of 1 or more, got {value!r}")
    return number
