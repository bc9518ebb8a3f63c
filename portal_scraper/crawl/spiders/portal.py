"""The `portal` spider: walks a site's listings and yields each article page, unparsed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from portal_scraper.crawl.guard import internal_literal
from portal_scraper.extract import Profile, get_profile, parse_html, profile_for_url
from portal_scraper.items import Page, Reject
from portal_scraper.normalize.dates import utc_now
from portal_scraper.normalize.urls import canonical_url

ARTICLE_PRIORITY = 10
# Article requests: marked for the incremental store; redirects handled by the spider.
ARTICLE_META = {
    "article": True,
    "dont_redirect": True,
    "handle_httpstatus_list": [301, 302, 303, 307, 308],
}
USAGE = (
    "scrapy crawl portal -a site=bentre-city [-a base_url=http://127.0.0.1:8765] "
    "[-a since=2018-01-01] [-a max_items=100] -O articles.jsonl; or, for any site, "
    "scrapy crawl portal -a start_url=https://portal.example.vn/tin-tuc -O articles.jsonl"
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
        if not site and not start_url:
            raise ValueError(f"give a site profile or a start URL: {USAGE}")
        self.profile: Profile = get_profile(site) if site else profile_for_url(str(start_url))
        if not self.profile.listing_paths and not start_url:
            raise ValueError(
                f"the {self.profile.id} profile has no listings: give -a start_url=URL"
            )
        self.base_url = (base_url or self.profile.base_url or str(start_url)).rstrip("/") + "/"
        host = urlsplit(self.base_url).hostname
        if not host or urlsplit(self.base_url).scheme not in ("http", "https"):
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        self.allowed_domains = [host]
        # The operator pointed the crawl at this host: it may be internal (a local mirror).
        self.local_hosts = (host,) if internal_literal(host) else ()
        self.start_url = start_url
        self.since = _parse_since(since)
        self.max_items = _parse_max_items(max_items)
        self._scheduled: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The start URL, or every listing path of the profile under `base_url`."""
        if self.start_url:
            if self.profile.is_article_url(self.start_url):
                for request in self._article_request(self.start_url):
                    yield request
            else:
                yield self._listing_request(self.start_url)
            return
        for path in self.profile.listing_paths:
            yield self._listing_request(urljoin(self.base_url, path.lstrip("/")))

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Schedule the articles of a listing page and, unless all are too old, its next pages."""
        self.crawler.stats.inc_value("portal/listing_pages")
        listing = self.profile.parse_listing(response.url, parse_html(response.text))
        fresh = 0
        for entry in listing.articles:
            if self.since and entry.listed_on and entry.listed_on < self.since:
                self.crawler.stats.inc_value("portal/articles_before_since")
                continue
            fresh += 1
            yield from self._article_request(entry.url)
        if not listing.articles:
            self.logger.warning("listing page has no article links: %s", response.url)
        if listing.articles and not fresh:
            return  # listings are newest first: later pages are older still
        if self._capped():
            return
        for url in listing.next_pages:
            yield self._listing_request(url)

    def parse_article(self, response: Response) -> Iterator[Page | Reject | scrapy.Request]:
        """Hand the fetched article page to the pipelines (following its redirects, if any)."""
        if 300 <= response.status < 400:
            yield from self._follow_redirect(response)
            return
        warc = response.meta.get("warc") or {}
        yield Page(
            url=response.url,
            body=response.body,
            fetched_at=response.meta.get("fetched_at") or utc_now(),
            warc_file=warc.get("file"),
            warc_record_id=warc.get("record_id"),
            status=response.status,
            headers={
                k.decode("latin-1"): b", ".join(v).decode("latin-1")
                for k, v in response.headers.items()
            },
        )

    def fetch_failed(self, failure: Failure) -> Iterator[Reject]:
        """Record a page that could not be fetched as a reject (stage "fetch")."""
        request = getattr(failure, "request", None)
        if request is not None and request.meta.get("skipped_archived"):
            return  # archived by an earlier run: not a failure
        response = getattr(failure.value, "response", None)
        url = request.url if request is not None else "(unknown)"
        if response is not None:
            reason = f"HTTP {response.status}"
        else:
            reason = f"{type(failure.value).__name__}: {failure.getErrorMessage()}"[:300]
        self.crawler.stats.inc_value("portal/fetch_failed")
        yield Reject(url=url, stage="fetch", reason=reason, fetched_at=utc_now())

    def _follow_redirect(self, response: Response) -> Iterator[Reject | scrapy.Request]:
        """Follow an article's redirect ourselves, so a loop or an off-site target is a reject
        with its reason instead of a request Scrapy drops without a word."""
        chain = [*response.meta.get("redirect_chain", []), response.url]
        location = response.headers.get(b"Location")
        target = urljoin(response.url, location.decode("latin-1")) if location else None
        seen = {canonical_url(u) for u in chain}
        reason = None
        if target is None:
            reason = f"HTTP {response.status} without a Location"
        elif (urlsplit(target).hostname or "") not in self.allowed_domains:
            reason = f"redirected off-site to {target}"
        elif canonical_url(target) in seen:
            reason = "redirect loop: " + " -> ".join([*chain, target])
        elif len(chain) > self.crawler.settings.getint("REDIRECT_MAX_TIMES", 5):
            reason = f"more than {len(chain) - 1} redirects"
        if reason:
            self.crawler.stats.inc_value("portal/redirects_refused")
            yield Reject(url=chain[0], stage="fetch", reason=reason, fetched_at=utc_now())
            return
        assert target is not None
        yield scrapy.Request(
            target,
            callback=self.parse_article,
            errback=self.fetch_failed,
            dont_filter=True,  # articles are deduplicated by canonical URL here, not by Scrapy
            meta={**ARTICLE_META, "redirect_chain": chain},
        )

    def _listing_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_listing, errback=self.fetch_failed)

    def _article_request(self, url: str) -> Iterator[scrapy.Request]:
        canonical = canonical_url(url)
        if canonical in self._scheduled:
            self.crawler.stats.inc_value("portal/article_links_repeated")
            return
        if self._capped():
            self.crawler.stats.inc_value("portal/article_links_over_cap")
            return
        self._scheduled.add(canonical)
        self.crawler.stats.inc_value("portal/article_links")
        yield scrapy.Request(
            canonical,
            callback=self.parse_article,
            errback=self.fetch_failed,
            meta=ARTICLE_META,
            # Articles before further listing pages: the queue stays about one listing page deep
            # instead of holding every article link of the portal at once.
            priority=ARTICLE_PRIORITY,
        )

    def _capped(self) -> bool:
        return self.max_items is not None and len(self._scheduled) >= self.max_items


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
