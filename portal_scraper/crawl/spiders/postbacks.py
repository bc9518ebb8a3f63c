"""ASP.NET postback paging of the `portal` spider: a listing's pager links replayed as POSTs of
its form, one page after another.

Every postback page has the listing's URL, so a postback page is known in the ledger by the
listing's URL key, the event target and the page number it leads to
(`<url> POST __EVENTTARGET=...&__EVENTARGUMENT=Page$3`). A relative link (`Page$Next`,
`Page$Prev`, `Page$First`) leads to a page that depends on the page it is posted from: it is
known by the page number it leads to from there (a "Next" on page 2 is page 3; a link back to
page 1 is the listing's own URL), else by the page it is posted from. Pages are requested one
after another (the lowest page number after this one; links of unknown number at once), so that
a page all older than `since`, a page with nothing new, or a server answering every postback
with the page it was posted from (it ignores the view state) ends the paging there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from portal_scraper.contracts.meta import (
    LISTING,
    META_KEY,
    META_LISTING_URL,
    META_PAGE_NUMBER,
    META_POSTED_FROM,
    META_ROLE,
    META_ROOT,
    META_ROUTE,
    ROUTE_POSTBACK,
)
from portal_scraper.contracts.stats import (
    STAT_LISTING_PAGES_OVER_CAP,
    STAT_PAGING_STOPPED,
    STAT_POSTBACK_PAGES,
)
from portal_scraper.crawl.ledger import SKIPPED, Ledger, digest
from portal_scraper.crawl.spiders.pagelinks import Postback

if TYPE_CHECKING:
    from twisted.python.failure import Failure

SKIP_NO_FORM = "postback link without a form to post"
SKIP_PAGE_CAP = "paging stopped: over PORTAL_LISTING_MAX_PAGES"
SKIP_SAME_PAGE = "paging stopped: the postback returned the page it was posted from"
# The ASP.NET form: the one holding the view state or the event target.
_POSTBACK_FORM = "//form[.//input[@name='__VIEWSTATE' or @name='__EVENTTARGET']]"
_NUMBERED = re.compile(r"^page\$(\d{1,6})$", re.IGNORECASE)
_STEPS = {"page$next": 1, "page$prev": -1, "page$previous": -1}
# Redirects (HTTP and <meta> refresh) are followed by the spider: a loop or an off-site target
# is then a reject with its reason, not a request Scrapy drops without a word.
REDIRECT_META = {"dont_redirect": True, "handle_httpstatus_list": [301, 302, 303, 307, 308]}


def page_number(postback: Postback, current: int | None) -> int | None:
    """The page number a postback leads to from page `current` (None: unknown)."""
    argument = postback.argument.strip().lower()
    numbered = _NUMBERED.match(argument)
    if numbered:
        return max(1, int(numbered.group(1)))
    if argument == "page$first":
        return 1
    if argument in _STEPS and current is not None:
        return max(1, current + _STEPS[argument])
    return None


def postback_key(page_key: str, postback: Postback) -> str:
    """The ledger key of a postback page: the page's URL key, its event target and argument
    (every postback page has the same URL; its view state is no part of what it is)."""
    return f"{page_key} POST __EVENTTARGET={postback.target}&__EVENTARGUMENT={postback.argument}"


def fingerprint(keys: list[str]) -> str:
    """What a listing page shows: its article keys, in any order."""
    return digest("\n".join(sorted(keys))).hex()


class PostbackCrawl(Protocol):
    """What postback paging needs of the spider it is part of."""

    crawler: Crawler
    ledger: Ledger
    max_listing_pages: int
    _listing_pages: Counter[str]

    def parse_listing(self, response: Response) -> Iterator[Any]: ...

    def fetch_failed(self, failure: Failure) -> Iterator[Any]: ...

    def _key(self, url: str, role: str = ...) -> str: ...

    def _postback_key(self, response: Response, postback: Postback) -> tuple[str, int | None]: ...

    def _postback_request(
        self: PostbackCrawl,
        response: TextResponse,
        postback: Postback,
        key: str,
        number: int | None,
        root: str,
        shown: str,
    ) -> Iterator[scrapy.Request]: ...


class PostbackPaging:
    """Spider mixin: request a listing page's postback pages, or settle them when paging stops."""

    def _postback_key(
        self: PostbackCrawl, response: Response, postback: Postback
    ) -> tuple[str, int | None]:
        """(ledger key, page number) of the page `postback` leads to from `response`."""
        listing_key = self._key(response.url, LISTING)
        current = response.meta.get(META_PAGE_NUMBER, 1)
        number = page_number(postback, current)
        if number == 1:
            return listing_key, 1
        if number is not None:
            return postback_key(listing_key, Postback(postback.target, f"Page${number}")), number
        source = digest(str(response.meta.get(META_KEY))).hex()[:12]
        return f"{postback_key(listing_key, postback)} from {source}", None

    def _postback_requests(
        self: PostbackCrawl, response: Response, postbacks: list[Postback], root: str, shown: str
    ) -> Iterator[scrapy.Request]:
        """Replay the page's next paging postback (and those of unknown page number): its form
        POSTed to the same URL, with the event target and argument of the link (the page's view
        state as it sent it). `shown`: this page's fingerprint."""
        if not isinstance(response, TextResponse):
            return
        current = response.meta.get(META_PAGE_NUMBER, 1)
        numbers = [page_number(p, current) for p in postbacks]
        after = [n for n in numbers if n is not None and current is not None and n > current]
        following = min(after) if after else None
        for postback, number in zip(postbacks, numbers, strict=True):
            later = number is not None and current is not None and number > current
            if later and number != following:
                continue  # entered when the paging gets there
            key, number = self._postback_key(response, postback)
            if not self.ledger.discover(key, LISTING):
                continue
            yield from self._postback_request(response, postback, key, number, root, shown)

    def _postback_request(
        self: PostbackCrawl,
        response: TextResponse,
        postback: Postback,
        key: str,
        number: int | None,
        root: str,
        shown: str,
    ) -> Iterator[scrapy.Request]:
        ledger, stats = self.ledger, self.crawler.stats
        assert stats is not None
        path = urlsplit(response.url).path.lower()
        pages = self._listing_pages
        if pages[path] >= self.max_listing_pages:
            stats.inc_value(STAT_LISTING_PAGES_OVER_CAP)
            ledger.settle(key, SKIPPED, SKIP_PAGE_CAP)
            return
        meta = {
            **REDIRECT_META,
            META_KEY: key,
            META_ROLE: LISTING,
            META_ROOT: root,
            META_LISTING_URL: response.url,
            META_ROUTE: ROUTE_POSTBACK,
            META_PAGE_NUMBER: number,
            META_POSTED_FROM: shown,
        }
        formdata = {"__EVENTTARGET": postback.target, "__EVENTARGUMENT": postback.argument}
        try:
            request = scrapy.FormRequest.from_response(
                response,
                formxpath=_POSTBACK_FORM if response.xpath(_POSTBACK_FORM) else None,
                formdata=formdata,
                dont_click=True,
                callback=self.parse_listing,
                errback=self.fetch_failed,
                dont_filter=True,  # one POST URL, many pages: deduplicated by the ledger
                meta=meta,
            )
        except ValueError:
            ledger.settle(key, SKIPPED, SKIP_NO_FORM)
            return
        pages[path] += 1
        stats.inc_value(STAT_POSTBACK_PAGES)
        yield request

    def _skip_postbacks(
        self: PostbackCrawl, response: Response, postbacks: list[Postback], reason: str
    ) -> None:
        assert self.crawler.stats is not None
        for postback in postbacks:
            key, _number = self._postback_key(response, postback)
            if self.ledger.discover(key, LISTING):
                self.crawler.stats.inc_value(STAT_PAGING_STOPPED)
                self.ledger.settle(key, SKIPPED, reason)
