"""Site profile: the Ben Tre city e-portal (SharePoint 2013), tpbentre.bentre.gov.vn."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import ClassVar

from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from portal_scraper.extract import sharepoint
from portal_scraper.extract.base import Listing, ListingEntry, NotAnArticle, Profile, RawArticle
from portal_scraper.extract.figures import mark_figures
from portal_scraper.extract.footer import parse_footer
from portal_scraper.normalize.text import clean_or_none, clean_text
from portal_scraper.normalize.urls import absolute_url, document_base

# Article page: the news web part above the SharePoint list form.
NEWS = CSSSelector("div.news-detail")
TITLE = CSSSelector("h1.news-title")
DATE = CSSSelector("div.news-date")
BYLINE = CSSSelector("div.news-info .news-date-author, div.news-info")
SUMMARY = CSSSelector("div.news-summary")
BODY = CSSSelector("div.news-content")
VIEWS = CSSSelector("div.news-views")
CATEGORY = CSSSelector("div.ms-webpart-chrome-title h2.ms-webpart-titleText")
BREADCRUMB = CSSSelector("div.breadcrumb-box a, div.breadcrumb-box span.ms-sitemapdirectional")
CONTENT_TYPE = CSSSelector("td#onetidinfoblock1")
MODIFIED = CSSSelector("td#onetidinfoblock2")
ATTACHMENTS = CSSSelector("table#idAttachmentsTable a[href]")
FOOTER_LINES = CSSSelector("div#footer div.ms-rtestate-field p")
ERROR_MESSAGE = CSSSelector("#ms-error-header h1, #ms-error-body")
# Listing page: the XSLT list view of one category.
LISTING_ITEMS = CSSSelector("table.ms-listviewtable div.news-item")
LISTING_LINK = CSSSelector("h3.news-item-title a[href]")
LISTING_DATE = CSSSelector("span.news-item-date")

ARTICLE_PATH = "/Lists/TinTuc/DispForm.aspx"

_VIEWS_NUMBER = re.compile(r"(\d[\d.,]*)\s*$")
_CONTENT_TYPE_LABEL = re.compile(r"^Content Type\s*:\s*", re.IGNORECASE)
_MODIFIED_AT = re.compile(r"Last modified at\s+(?P<when>.+?)\s+by\b", re.IGNORECASE)
_BYLINE_DATE = re.compile(r"^\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}\s*$")
_AUTHOR_NOISE = re.compile(r"^(?:tác giả|tin|bài|ảnh)\s*[:\-]\s*", re.IGNORECASE)


class BenTreCity(Profile):
    """tpbentre.bentre.gov.vn: news list `TinTuc`, one custom list view per category."""

    id = "bentre-city"
    version = "1"
    hosts = ("tpbentre.bentre.gov.vn",)
    base_url = "https://tpbentre.bentre.gov.vn"
    listing_paths = ("/Lists/TinTuc/ThongTinChung.aspx", "/Lists/TinTuc/TinTucSuKien.aspx")
    # IIS serves `/lists/tintuc/dispform.aspx` too; records keep the portal's own spelling.
    path_spellings = (ARTICLE_PATH, *listing_paths, "/Lists/TinTuc/")
    utc_offset = "+07:00"
    required_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "published_at",
        "body_text",
        "category",
        "source_id",
        "portal",
    )

    def is_article_url(self, url: str) -> bool:
        """Display-form URLs of the news list."""
        return ARTICLE_PATH.lower() in url.lower()

    def extract(self, url: str, doc: HtmlElement) -> RawArticle:
        """Read the news web part, the list form's attachments and content type, and the footer."""
        news = _first(NEWS, doc)
        title_el = _first(TITLE, news) if news is not None else None
        title = clean_text(title_el.text_content()) if title_el is not None else ""
        if not title:
            raise NotAnArticle(_why_not_article(doc))
        assert news is not None
        body = _first(BODY, news)
        if body is None:
            raise NotAnArticle("news web part has a headline but no content field")
        mark_figures(body)
        return RawArticle(
            title=title,
            body=body,
            summary=_text(_first(SUMMARY, news)),
            published_raw=_text(_first(DATE, news)),
            modified_raw=_modified(doc),
            modified_day_first=False,
            authors=_authors(_text(_first(BYLINE, news))),
            category=_text(_first(CATEGORY, doc)),
            breadcrumbs=[t for t in (_text(el) for el in BREADCRUMB(doc)) if t],
            attachments=[
                (a.get("href", ""), clean_text(a.text_content())) for a in ATTACHMENTS(doc)
            ],
            view_count=_view_count(_text(_first(VIEWS, news))),
            content_type=_content_type(_text(_first(CONTENT_TYPE, doc))),
            portal=parse_footer([el.text_content() for el in FOOTER_LINES(doc)]),
            source_id=sharepoint.item_id(url, doc),
            language=_language(doc),
        )

    def parse_listing(self, url: str, doc: HtmlElement) -> Listing:
        """Item links with their listed dates, and the `RefreshPageTo` paging targets."""
        listing = Listing(next_pages=sharepoint.paging_urls(doc, url))
        base = document_base(url, doc)
        for item in LISTING_ITEMS(doc):
            link = _first(LISTING_LINK, item)
            href = absolute_url(base, link.get("href")) if link is not None else None
            if href:
                listed = _listing_date(_text(_first(LISTING_DATE, item)))
                listing.articles.append(ListingEntry(url=href, listed_on=listed))
        return listing


def _first(selector: CSSSelector, root: HtmlElement | None) -> HtmlElement | None:
    if root is None:
        return None
    found = selector(root)
    return found[0] if found else None


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


def _modified(doc: HtmlElement) -> str | None:
    block = _first(MODIFIED, doc)
    match = _MODIFIED_AT.search(_text(block) or "")
    return match.group("when") if match else None


def _language(doc: HtmlElement) -> str | None:
    lang = clean_text(doc.get("lang") or "")
    return lang.split("-")[0].lower() or None


def _listing_date(text: str | None) -> date | None:
    try:
        return datetime.strptime(text or "", "%d/%m/%Y").date()
    except ValueError:
        return None


def _why_not_article(doc: HtmlElement) -> str:
    error = ": ".join(t for t in (_text(el) for el in ERROR_MESSAGE(doc)) if t)
    if error:
        return f"SharePoint error page: {error}"
    if LISTING_ITEMS(doc):
        return "listing page, not an article (no news headline)"
    if doc.xpath("//input[@type='password']"):
        return "login form, not an article"
    return "no news headline (h1.news-title) on the page"
