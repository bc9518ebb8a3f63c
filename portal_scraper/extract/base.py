"""What every site profile returns, and the one error extraction may raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

from lxml.html import HtmlElement

from portal_scraper.normalize import urls


class NotAnArticle(Exception):
    """The page is not an article (error page, listing, login form...); the message says why."""


@dataclass
class RawArticle:
    """Fields as found on the page, before normalization; `body` marks images as `<figure>`."""

    title: str
    body: HtmlElement
    summary: str | None = None
    published_raw: str | None = None
    modified_raw: str | None = None
    # SharePoint's list form writes "Last modified at" in US order (month first).
    modified_day_first: bool = True
    authors: list[str] = field(default_factory=list)
    category: str | None = None
    breadcrumbs: list[str] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)
    view_count: int | None = None
    content_type: str | None = None
    portal: dict[str, Any] | None = None
    source_id: str | None = None
    language: str | None = None
    # The offset ("+07:00") or time zone ("Europe/Berlin") of dates written without an offset,
    # when the profile cannot fix it for the site.
    utc_offset: str | None = None
    # Why the page's charset evidence disagreed, when it did (the text was read by the best one).
    encoding_conflict: str | None = None
    # `body_text(body)`, when the profile already computed it (the body is not changed after).
    body_text: str | None = None


@dataclass(frozen=True)
class ListingEntry:
    """One article link on a listing page, with the date the listing shows for it."""

    url: str
    listed_on: date | None = None


class Postback(NamedTuple):
    """One ASP.NET postback paging link: the form fields `__doPostBack(target, argument)` sets.

    Replayed by posting the page's form with `__EVENTTARGET=target`, `__EVENTARGUMENT=argument`
    (and the form's other fields, `__VIEWSTATE` among them, as the page has them).
    """

    target: str
    argument: str


@dataclass
class Listing:
    """Article links and further listing pages found on one listing page."""

    articles: list[ListingEntry] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    # Further listing pages reached by posting the page's form back (ASP.NET), in page order.
    postbacks: list[Postback] = field(default_factory=list)
    # The `id` of the form the postbacks submit (`Form` on DNN), when the page names one.
    postback_form: str | None = None


class Profile:
    """A site profile: where the site's listings are and how its pages become `RawArticle`s."""

    # Class attributes of platform profiles; a site file sets them on its instance.
    id: str
    name: str = ""
    version: str = "1"
    hosts: tuple[str, ...] = ()
    base_url: str = ""
    # Pages a crawl of the whole portal starts from besides its listings (its home page).
    start_urls: tuple[str, ...] = ()
    listing_paths: tuple[str, ...] = ()
    utc_offset: str = "+00:00"
    # Record fields this site always has; a record missing one is rejected.
    required_fields: tuple[str, ...] = ("title", "body_text")
    # How this site spells its own paths, for servers that ignore path case (IIS): a path equal
    # to one of these but for case is written this way; one ending in "/" is a folder prefix.
    path_spellings: tuple[str, ...] = ()

    def matches(self, url: str) -> bool:
        """True when `url` belongs to this site."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def canonical_url(self, url: str) -> str:
        """The record's `canonical_url` of `url`, with this site's spelling of its known paths."""
        canonical = urls.canonical_url(url)
        if not self.path_spellings:
            return canonical
        parts = urlsplit(canonical)
        lowered = parts.path.lower()
        for spelling in self.path_spellings:
            known = spelling.lower()
            if lowered == known or (known.endswith("/") and lowered.startswith(known)):
                path = spelling + parts.path[len(spelling) :]
                return urlunsplit(parts._replace(path=path))
        return canonical

    def is_article_url(self, url: str) -> bool:
        """True when `url` looks like one of this site's article pages."""
        raise NotImplementedError

    def for_page(self, url: str, doc: HtmlElement, source: str | None = None) -> Profile:
        """The profile that reads this page: this one; the generic profile hands a page whose
        markup shows a known platform to that platform's profile (`source`, the page's text
        if at hand, lets it rule platforms out cheaply)."""
        return self

    def extract(self, url: str, doc: HtmlElement, source: str | None = None) -> RawArticle:
        """Read the article fields of a parsed page; raise `NotAnArticle` when it is none.

        `source`, the text `doc` was parsed from (when at hand), lets a profile read the page
        a second time without keeping a copy of the tree.
        """
        raise NotImplementedError

    def parse_listing(self, url: str, doc: HtmlElement) -> Listing:
        """Article links and paging links of a listing page."""
        raise NotImplementedError

    @property
    def extractor(self) -> str:
        """`<profile>/<version>`, written into every record."""
        return f"{self.id}/{self.version}"
