"""The pages `scrapy newsite` drafts a site file from: fetched politely from a portal's home page
(robots.txt, the home page, the listings its menus link, a few articles), or read from a folder
of saved pages. Each page is read by the project's own code: the decoder, platform detection,
`process_page`, the profiles' listing rules and the home-page crawl's menu links."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from portal_scraper.crawl.spiders.discovery import is_home_url
from portal_scraper.crawl.spiders.pagelinks import menu_links
from portal_scraper.extract import GENERIC, decode_page, detect_platform, parse_html
from portal_scraper.extract.base import ListingEntry, Profile
from portal_scraper.extract.generic import Generic
from portal_scraper.normalize.dates import format_rfc3339, utc_now
from portal_scraper.normalize.urls import absolute_url, document_base, url_key
from portal_scraper.record.model import ArticleRecord, Reject
from portal_scraper.record.page import Page
from portal_scraper.record.stages import process_page

# A page the profile reads as no article, with this many article links, is a listing.
LISTING_MIN_LINKS = 3
# Menu pages tried as listings at most.
MAX_LISTINGS = 10
MAX_BYTES = 16 * 1024 * 1024
PAGE_SUFFIXES = (".html", ".htm")
USER_AGENT = "portal-scraper (new-site draft)"
# A transient failure (HTTP 5xx, a timeout, a connection error) is tried this many more times,
# BACKOFF seconds after the last try (doubling; never sooner than --delay).
RETRIES = 2
BACKOFF = 0.5
# The generic profile without platform detection: link reading for any markup.
_GENERIC_LINKS = Generic()


class DraftError(Exception):
    """Why no draft can be made; `status` is the exit status (2 bad input, 1 failure)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Seen:
    """One page and what the project's code makes of it."""

    page: Page
    doc: HtmlElement
    platform: str | None
    result: ArticleRecord | Reject
    links: list[str] = field(default_factory=list)
    # Set when the platform's listing rules missed the links the generic ones read: the id of
    # the element holding them, for a `listing_link` selector.
    links_in: str | None = None

    @property
    def is_article(self) -> bool:
        return isinstance(self.result, ArticleRecord)

    @property
    def is_listing(self) -> bool:
        return not self.is_article and len(self.links) >= LISTING_MIN_LINKS


@dataclass
class Survey:
    """What was seen of a portal: its home page, listings and sample articles."""

    home_url: str
    home: Seen | None
    listings: list[Seen]
    articles: list[Seen]
    requests: int = 0
    problems: list[str] = field(default_factory=list)
    # Menu pages that could not be read (URL, why): they may be listings; the draft keeps them.
    unread: list[tuple[str, str]] = field(default_factory=list)
    # The menu's page links in menu order (read or not).
    menu: list[str] = field(default_factory=list)


def read(page: Page) -> Seen:
    """Decode and parse `page`, detect its platform, and read it as an article or a listing."""
    doc = parse_html(decode_page(page.body, page.headers).text)
    platform = detect_platform(doc)
    profile = platform or GENERIC
    result = process_page(page, profile)
    links: list[str] = []
    links_in = None
    if not isinstance(result, ArticleRecord):
        host = urlsplit(page.url).netloc.lower()
        entries = _listing_entries(profile, page.url, doc)
        if platform is not None and len(entries) < LISTING_MIN_LINKS:
            # The platform's listing rules miss this portal's markup: the generic ones read it
            # (the review says a `listing_link` selector is wanted).
            entries = _listing_entries(_GENERIC_LINKS, page.url, doc)
            links_in = _holder_id(doc, page.url, [e.url for e in entries])
        for entry in entries:
            if urlsplit(entry.url).netloc.lower() == host and entry.url not in links:
                links.append(entry.url)
    return Seen(page, doc, platform.id if platform else None, result, links, links_in)


def _holder_id(doc: HtmlElement, url: str, links: list[str]) -> str | None:
    """The id of the innermost element holding every one of `links`."""
    if len(links) < LISTING_MIN_LINKS:
        return None
    base = document_base(url, doc)
    wanted = {url_key(u) for u in links}
    anchors = [
        a for a in doc.iter("a") if url_key(absolute_url(base, a.get("href")) or "") in wanted
    ]
    if not anchors:
        return None
    for holder in anchors[0].iterancestors():
        ident = holder.get("id")
        if ident and all(holder in a.iterancestors() for a in anchors):
            return str(ident)
    return None


def _listing_entries(profile: Profile, url: str, doc: HtmlElement) -> list[ListingEntry]:
    try:
        return profile.parse_listing(url, doc).articles
    except Exception:  # a profile bug on an odd page: it is no listing
        return []


class Fetcher:
    """GET pages of one host: at most `max_requests`, `delay` seconds apart, robots.txt obeyed;
    a transient failure (HTTP 5xx, a timeout, a connection error) is tried `retries` more times,
    `backoff` seconds (doubling, never less than `delay`) after the last try."""

    def __init__(
        self, start_url: str, max_requests: int = 30, delay: float = 1.0, timeout: float = 30.0,
        user_agent: str = USER_AGENT, retries: int | None = None, backoff: float | None = None,
    ) -> None:  # fmt: skip
        self.netloc = urlsplit(start_url).netloc.lower()
        self.max_requests = max_requests
        self.delay = delay
        self.timeout = timeout
        self.user_agent = user_agent
        self.retries = RETRIES if retries is None else retries
        self.backoff = BACKOFF if backoff is None else backoff
        self.requests = 0
        self.problems: list[str] = []
        # Why the last `get` of a URL gave no page.
        self.failures: dict[str, str] = {}
        self._last: float | None = None
        self._robots: urllib.robotparser.RobotFileParser | None = None

    def read_robots(self, start_url: str) -> None:
        """Fetch robots.txt once; its rules apply to every later request."""
        parts = urlsplit(start_url)
        page = self._get(f"{parts.scheme}://{parts.netloc}/robots.txt", quiet=True)
        if page is not None and page.status == 200:
            robots = urllib.robotparser.RobotFileParser()
            robots.parse(page.body.decode("utf-8", "replace").splitlines())
            self._robots = robots

    def get(self, url: str) -> Page | None:
        """The page at `url`, or None (off the host, over the cap, refused, or failed: why is
        in `failures[url]`)."""
        if urlsplit(url).netloc.lower() != self.netloc:
            return None
        if self._robots is not None and not self._robots.can_fetch(self.user_agent, url):
            self._fail(url, "refused by robots.txt")
            return None
        return self._get(url)

    def _fail(self, url: str, why: str, quiet: bool = False) -> None:
        self.failures[url] = why
        if not quiet:
            self.problems.append(f"{url}: {why}")

    def _get(self, url: str, quiet: bool = False) -> Page | None:
        tries = 0
        while True:
            if self.requests >= self.max_requests:
                why = f"not fetched: --max-requests {self.max_requests} reached"
                self._fail(url, why + (f" (after {tries} tries)" if tries else ""), quiet)
                return None
            wait = self.delay if tries == 0 else max(self.delay, self.backoff * 2 ** (tries - 1))
            if self._last is not None:
                time.sleep(max(0.0, self._last + wait - time.monotonic()))
            tries += 1
            outcome = self._fetch(url)
            if isinstance(outcome, Page):
                return self._checked(url, outcome)
            why, transient = outcome
            if not transient or tries > self.retries:
                tries_said = f" ({tries} tries)" if tries > 1 else ""
                self._fail(url, why + tries_said, quiet)
                return None

    def _fetch(self, url: str) -> Page | tuple[str, bool]:
        """One request: the page, or (why not, whether trying again may help)."""
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_BYTES + 1)
                final, status = response.geturl(), response.status
                headers = {k: v for k, v in response.headers.items()}
        except urllib.error.HTTPError as exc:
            return f"HTTP {exc.code}", exc.code >= 500
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            # A bad URL will not mend; a timeout, a reset or a cut answer may.
            return str(getattr(exc, "reason", exc)) or type(exc).__name__, not isinstance(
                exc, ValueError
            )
        finally:
            self._last = time.monotonic()
        return Page(url=final, body=body, fetched_at=utc_now(), status=status, headers=headers)

    def _checked(self, url: str, page: Page) -> Page | None:
        if urlsplit(page.url).netloc.lower() != self.netloc:
            self._fail(url, f"redirected off the portal to {page.url}")
            return None
        if len(page.body) > MAX_BYTES:
            self._fail(url, f"larger than {MAX_BYTES} bytes")
            return None
        return page


def survey_portal(fetcher: Fetcher, home_url: str, samples: int) -> Survey:
    """Fetch the home page, the listings its menus link and up to `samples` articles."""
    fetcher.read_robots(home_url)
    page = fetcher.get(home_url)
    if page is None:
        why = fetcher.problems[-1] if fetcher.problems else home_url
        raise DraftError(f"cannot fetch the home page: {why}")
    home = read(page)
    listings: list[Seen] = []
    unread: list[tuple[str, str]] = []
    menu = menu_links(home.doc, page.url)
    if len(menu) > MAX_LISTINGS:
        fetcher.problems.append(
            f"the menus link {len(menu)} pages: only the first {MAX_LISTINGS} were tried as "
            "listings; add the others' paths to listing_paths by hand"
        )
    for url in menu[:MAX_LISTINGS]:
        fetched = fetcher.get(url)
        if fetched is None:
            why = fetcher.failures.get(url, "not fetched")
            if why != "refused by robots.txt":
                unread.append((url, why))
        elif (seen := read(fetched)).is_listing:
            listings.append(seen)
    if home.is_listing and not listings:
        listings.append(home)
    articles: list[Seen] = []
    for url in _round_robin(listings or [home]):
        if len(articles) >= samples:
            break
        fetched = fetcher.get(url)
        if fetched is not None and (seen := read(fetched)).is_article:
            articles.append(seen)
    return Survey(
        home_url, home, listings, articles, fetcher.requests, fetcher.problems, unread, menu
    )


def _round_robin(listings: list[Seen]) -> Iterator[str]:
    """Article links taking one from each listing in turn, each URL once."""
    seen: set[str] = set()
    for row in range(max((len(s.links) for s in listings), default=0)):
        for listing in listings:
            if row < len(listing.links) and url_key(listing.links[row]) not in seen:
                seen.add(url_key(listing.links[row]))
                yield listing.links[row]


def survey_folder(folder: Path, base_url: str | None, samples: int) -> Survey:
    """Read every saved page (`*.html`, `*.htm`) of `folder`, offline."""
    if not folder.is_dir():
        raise DraftError(f"--pages {folder}: not a folder", status=2)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in PAGE_SUFFIXES)
    if not files:
        raise DraftError(f"--pages {folder}: no saved pages (*.html, *.htm) in it", status=2)
    seen: list[Seen] = []
    for file in files:
        body = file.read_bytes()
        url = _page_url(file, folder, body, base_url)
        mtime = datetime.fromtimestamp(file.stat().st_mtime, UTC).replace(microsecond=0)
        seen.append(read(Page(url=url, body=body, fetched_at=format_rfc3339(mtime))))
    homes = [s for s in seen if is_home_url(s.page.url)]
    home = homes[0] if homes else None
    first = urlsplit(seen[0].page.url)
    home_url = home.page.url if home else f"{first.scheme}://{first.netloc}/"
    listings = [s for s in seen if s.is_listing and s is not home] or (
        [home] if home and home.is_listing else []
    )
    articles = [s for s in seen if s.is_article][:samples]
    return Survey(home_url, home, listings, articles)


def _page_url(file: Path, folder: Path, body: bytes, base_url: str | None) -> str:
    """The page's `<link rel="canonical">`, else `--base-url` joined with its file name."""
    doc = parse_html(decode_page(body).text)
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = absolute_url(document_base(base_url or "", doc), link.get("href"))
            if href and urlsplit(href).scheme in ("http", "https"):
                return href
    if not base_url:
        raise DraftError(
            f"{file}: no <link rel=canonical> with an absolute URL: give --base-url URL "
            "(file names are read as paths under it)",
            status=2,
        )
    return base_url.rstrip("/") + "/" + file.relative_to(folder).as_posix()
