"""Platform profile: SharePoint 2013 portals with the news web part of Vietnamese e-portals.

The news list (`Lists/<list>/DispForm.aspx?ID=n`) shows one item in a news web part
(`div.news-detail`) above SharePoint's list form (content type, "Last modified at", attachments);
the master page's footer holds the portal's contact lines; list views page with `RefreshPageTo`.
Detected by markup (`detect`), so a portal on any host gets these rules; a site file adds the
portal's hosts, listings and time zone, and may replace any selector below by name.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from portal_scraper.extract import sharepoint
from portal_scraper.extract.base import Listing, ListingEntry, NotAnArticle, RawArticle
from portal_scraper.extract.figures import mark_figures
from portal_scraper.extract.footer import parse_footer
from portal_scraper.extract.generic.dates import utc_offset
from portal_scraper.extract.platforms.base import PlatformProfile
from portal_scraper.extract.selectors import Css, Selector, XPath
from portal_scraper.normalize.text import clean_or_none, clean_text
from portal_scraper.normalize.urls import absolute_url, document_base

# Selectors by name; a site file's `[selectors]` table replaces any of them.
SELECTORS: dict[str, Selector] = {
    # Article page: the news web part above the SharePoint list form.
    "article": Css("div.news-detail"),
    # Searched in the article:
    "title": Css("h1.news-title"),
    "published": Css("div.news-date"),
    "byline": Css("div.news-info .news-date-author, div.news-info"),
    "summary": Css("div.news-summary"),
    "body": Css("div.news-content"),
    "view_count": Css("div.news-views"),
    # Searched in the page:
    "category": Css("div.ms-webpart-chrome-title h2.ms-webpart-titleText"),
    "breadcrumbs": Css("div.breadcrumb-box a, div.breadcrumb-box span.ms-sitemapdirectional"),
    "content_type": Css("td#onetidinfoblock1"),
    "modified": Css("td#onetidinfoblock2"),
    "attachments": Css("table#idAttachmentsTable a[href]"),
    "footer": Css("div#footer div.ms-rtestate-field p"),
    "error": Css("#ms-error-header h1, #ms-error-body"),
    # Listing page: the XSLT list view of one category.
    "listing_item": Css("table.ms-listviewtable div.news-item"),
    "listing_link": Css("h3.news-item-title a[href]"),
    "listing_date": Css("span.news-item-date"),
}
# Markup of SharePoint 2013 itself: the generator tag, the page context script, the 15 hive.
# The words in the page's source that any of those marks needs (a generator naming SharePoint,
# its page context script, its web part zones, its layout files).
SOURCE_MARKS = ("SharePoint", "_spPageContextInfo", "ms-webpart-zone", "/_layouts/15/")
PLATFORM_MARKS = XPath(
    "//meta[translate(@name, 'GENRATO', 'genrato')='generator']"
    "[contains(@content, 'SharePoint')]"
    " | //script[contains(., '_spPageContextInfo')]"
    " | //*[contains(@class, 'ms-webpart-zone')]"
    " | //link[contains(@href, '/_layouts/15/')] | //script[contains(@src, '/_layouts/15/')]"
)
# The news list's display form (a site file names its own list's).
ARTICLE_PAGE = "/dispform.aspx"

_VIEWS_NUMBER = re.compile(r"(\d[\d.,]*)\s*$")
_CONTENT_TYPE_LABEL = re.compile(r"^Content Type\s*:\s*", re.IGNORECASE)
_MODIFIED_AT = re.compile(r"Last modified at\s+(?P<when>.+?)\s+by\b", re.IGNORECASE)
_BYLINE_DATE = re.compile(r"^\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}\s*$")
_AUTHOR_NOISE = re.compile(r"^(?:tác giả|tin|bài|ảnh)\s*[:\-]\s*", re.IGNORECASE)


class SharePoint2013(PlatformProfile):
    """SharePoint 2013 news lists: the news web part, the list form, the footer, list views."""

    id = "sharepoint2013"
    version = "1"
    SELECTORS = SELECTORS

    @classmethod
    def may_be(cls, source: str) -> bool:
        """Every mark `PLATFORM_MARKS` reads is written in the page's source."""
        return any(mark in source for mark in SOURCE_MARKS)

    @classmethod
    def detect(cls, doc: HtmlElement) -> bool:
        """True for a SharePoint 2013 page that shows the markup these rules read: the news web
        part, SharePoint's error page, or a news list view."""
        if not PLATFORM_MARKS(doc):
            return False
        return any(SELECTORS[name](doc) for name in ("article", "error", "listing_item"))

    def is_article_url(self, url: str) -> bool:
        """Display forms of a list (or the site's article paths)."""
        own = self.site_article_url(url)
        if own is not None:
            return own
        return urlsplit(url).path.lower().endswith(ARTICLE_PAGE)

    def extract(self, url: str, doc: HtmlElement, source: str | None = None) -> RawArticle:
        """Read the news web part, the list form's attachments and content type, and the footer."""
        s = self.selectors
        news = s.first("article", doc)
        title = s.text("title", news) or ""
        if not title:
            raise NotAnArticle(self._why_not_article(doc))
        assert news is not None
        body = s.first("body", news)
        if body is None:
            raise NotAnArticle(
                f"news web part has a headline but no content field ({s.describe('body')})"
            )
        mark_figures(body)
        language = _language(doc)
        return RawArticle(
            title=title,
            body=body,
            summary=s.text("summary", news),
            published_raw=s.text("published", news),
            modified_raw=_modified(s.text("modified", doc)),
            modified_day_first=False,
            authors=_authors(s.text("byline", news)),
            category=s.text("category", doc),
            breadcrumbs=[t for t in (_text(el) for el in s.all("breadcrumbs", doc)) if t],
            attachments=[
                (a.get("href", ""), clean_text(a.text_content())) for a in s.all("attachments", doc)
            ],
            view_count=_view_count(s.text("view_count", news)),
            content_type=_content_type(s.text("content_type", doc)),
            portal=parse_footer([el.text_content() for el in s.all("footer", doc)]),
            source_id=sharepoint.item_id(url, doc),
            language=language,
            # A site file's time zone replaces this guess.
            utc_offset=utc_offset(url, language),
        )

    def parse_listing(self, url: str, doc: HtmlElement) -> Listing:
        """Item links with their listed dates, and the `RefreshPageTo` paging targets."""
        s = self.selectors
        listing = Listing(next_pages=sharepoint.paging_urls(doc, url))
        base = document_base(url, doc)
        for item in s.all("listing_item", doc):
            link = s.first("listing_link", item)
            href = absolute_url(base, link.get("href")) if link is not None else None
            if href:
                listed = _listing_date(s.text("listing_date", item))
                listing.articles.append(ListingEntry(url=href, listed_on=listed))
        return listing

    def _why_not_article(self, doc: HtmlElement) -> str:
        s = self.selectors
        error = ": ".join(t for t in (_text(el) for el in s.all("error", doc)) if t)
        if error:
            return f"SharePoint error page: {error}"
        if s.all("listing_item", doc):
            return "listing page, not an article (no news headline)"
        if doc.xpath("//input[@type='password']"):
            return "login form, not an article"
        return f"no news headline ({s.describe('title')} in {s.describe('article')}) on the page"


def _text(el: HtmlElement | None) -> str | None:
    return clean_or_none(el.text_content()) if el is not None else None


def _authors(byline: str | None) -> list[str]:
    """ "10/08/2018 | Phương Thảo" -> ["Phương Thảo"]; a date alone has no author."""
    if not byline:
        return []
    names: list[str] = []
    for part in byline.split("|"):
        part = _AUTHOR_NOISE.sub("", clean_text(part))
        if part and not _BYLINE_DATE.match(part):
            names.extend(n for n in (clean_text(x) for x in re.split(r"\s*[,;]\s*", part)) if n)
    return names


def _view_count(text: str | None) -> int | None:
    match = _VIEWS_NUMBER.search(text or "")
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return int(digits) if digits else None


def _content_type(text: str | None) -> str | None:
    return clean_or_none(_CONTENT_TYPE_LABEL.sub("", text)) if text else None


def _modified(block: str | None) -> str | None:
    match = _MODIFIED_AT.search(block or "")
    return match.group("when") if match else None


def _language(doc: HtmlElement) -> str | None:
    lang = clean_text(doc.get("lang") or "")
    return lang.split("-")[0].lower() or None


def _listing_date(text: str | None) -> date | None:
    try:
        return datetime.strptime(text or "", "%d/%m/%Y").date()
    except ValueError:
        return None
