"""Platform profile: ASP.NET portals built on DNN (DotNetNuke).

A DNN page is one ASP.NET form (`<form id="Form">` with `__VIEWSTATE`) holding the skin's panes
(`dnn_ContentPane`, `dnn_FooterPane`...), each holding modules (`div.DnnModule`) whose controls
have ids `dnn_ctr<module id>_<control>_<field>`. A news module shows one article (headline,
"Ngày đăng: 12/03/2024 08:30", author line, body) or a list of them, paged by postback links
`javascript:__doPostBack('dnn$ctr455$ArticleList$pager','Page$2')`; those are `Listing.postbacks`
for the crawl to replay with the page's form. Files are served by `LinkClick.aspx?fileticket=`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from portal_scraper.extract.base import (
    Listing,
    ListingEntry,
    NotAnArticle,
    Postback,
    RawArticle,
)
from portal_scraper.extract.figures import mark_figures
from portal_scraper.extract.footer import parse_footer
from portal_scraper.extract.generic.dates import utc_offset
from portal_scraper.extract.platforms.base import PlatformProfile
from portal_scraper.extract.selectors import Css, Selector, XPath
from portal_scraper.normalize.text import clean_or_none, clean_text
from portal_scraper.normalize.urls import absolute_url, document_base, url_key

_MODULE_CONTROL = "[id^='dnn_ctr']"
# Selectors by name; a site file's `[selectors]` table replaces any of them.
SELECTORS: dict[str, Selector] = {
    # The module that shows content (a news module among the skin's panes).
    "module": Css("div.DnnModule"),
    # Searched in the module holding the headline:
    "title": Css(
        f"h1{_MODULE_CONTROL}, {_MODULE_CONTROL}[id$='_lblTitle'], "
        f"{_MODULE_CONTROL}[id$='_ArticleTitle'], .DNNModuleContent h1"
    ),
    "published": Css(
        f"{_MODULE_CONTROL}[id$='_lblDate'], {_MODULE_CONTROL}[id$='_lblPublishDate'], "
        ".DNNModuleContent .article-date, .DNNModuleContent .news-date"
    ),
    "byline": Css(
        f"{_MODULE_CONTROL}[id$='_lblAuthor'], .DNNModuleContent .article-author, "
        ".DNNModuleContent .news-author"
    ),
    "summary": Css(
        f"{_MODULE_CONTROL}[id$='_lblSummary'], {_MODULE_CONTROL}[id$='_lblDescription'], "
        ".DNNModuleContent .article-summary"
    ),
    "body": Css(
        f"{_MODULE_CONTROL}[id$='_divContent'], {_MODULE_CONTROL}[id$='_lblContent'], "
        ".DNNModuleContent .article-content"
    ),
    "view_count": Css(f"{_MODULE_CONTROL}[id$='_lblViews'], .DNNModuleContent .article-views"),
    # Searched in the page:
    "category": Css(f"{_MODULE_CONTROL}[id$='_dnnTITLE_titleLabel'], span.Head"),
    "breadcrumbs": Css("span[id$='_dnnBreadcrumb_lblBreadCrumb'] a"),
    "attachments": Css("a[href*='LinkClick.aspx?fileticket=']"),
    "footer": XPath(
        "//*[@id='dnn_FooterPane']//p | //*[@id='dnn_FooterPane']//div[not(.//p) and not(.//div)]"
    ),
    "error": Css(".dnnFormMessage.dnnFormWarning, .dnnFormMessage.dnnFormValidationSummary"),
    # Listing page: the article links of the modules in the skin's main pane (DNN names it
    # `ContentPane`; side panes hold "latest news" boxes), and their paging.
    "listing_link": Css("#dnn_ContentPane .DNNModuleContent a[href]"),
    "pager_link": XPath("//a[contains(@href, '__doPostBack') or contains(@href, 'PostBack')]"),
}
# Markup of DNN itself: ids of skin panes and module controls, in an ASP.NET form.
PLATFORM_MARKS = XPath(
    "//*[starts-with(@id, 'dnn_')][1] | //meta[contains(@content, 'DotNetNuke')]"
)
ASPNET_FORM = XPath("//form[.//input[@name='__VIEWSTATE']]")
# DNN article URLs: `/ArticleId/1234/...`, `?ArticleId=1234`, `/ItemID/56`, `newsid=78`.
ARTICLE_URL = re.compile(
    r"(?:^|[/?&;])(?:articleid|itemid|newsid|nid|articleguid)[/=][0-9a-f-]+", re.IGNORECASE
)
_POSTBACK = re.compile(
    r"""(?:__doPostBack|WebForm_PostBackOptions)\(\s*(?P<q>["'])(?P<target>[^"']+)(?P=q)"""
    r"""\s*,\s*(?P<q2>["'])(?P<argument>[^"']*)(?P=q2)"""
)
_PAGING_ARGUMENT = re.compile(r"^Page\$|^\d+$", re.IGNORECASE)
_PAGING_TARGET = re.compile(r"pag(?:er|ing|e)", re.IGNORECASE)
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_NUMBER = re.compile(r"(\d[\d.,]*)\s*$")
# "Tác giả:", "Tin, ảnh:", "Bài và ảnh:" before the names.
_AUTHOR_LABEL = re.compile(
    r"^(?:tác giả|người viết|(?:tin|bài)(?:\s*(?:,|và)\s*ảnh)?)\s*:\s*", re.IGNORECASE
)
LISTING_TITLE_MIN_CHARS = 15
_BLOCKS = frozenset(
    {"div", "p", "table", "ul", "ol", "h1", "h2", "h3", "h4", "blockquote", "figure"}
)


class Dnn(PlatformProfile):
    """DNN portals: a news module's article or list, postback paging, the footer pane."""

    id = "dnn"
    version = "1"
    SELECTORS = SELECTORS

    @classmethod
    def may_be(cls, source: str) -> bool:
        """An ASP.NET view state and a DNN id or generator, written in the page's source."""
        return "__VIEWSTATE" in source and ("dnn_" in source or "DotNetNuke" in source)

    @classmethod
    def detect(cls, doc: HtmlElement) -> bool:
        """True for a page of a DNN skin (ids `dnn_...`) in an ASP.NET form."""
        return bool(PLATFORM_MARKS(doc)) and bool(ASPNET_FORM(doc))

    def is_article_url(self, url: str) -> bool:
        """URLs naming an article id (`/ArticleId/1234/`, `?ArticleId=1234`, `ItemID`...), or
        under the site's article paths."""
        own = self.site_article_url(url)
        if own is not None:
            return own
        parts = urlsplit(url)
        return bool(ARTICLE_URL.search(f"{parts.path}?{parts.query}"))

    def extract(self, url: str, doc: HtmlElement, source: str | None = None) -> RawArticle:
        """The headline's module: its date, author, summary, body; the footer pane."""
        s = self.selectors
        title_el = s.first("title", doc)
        title = clean_text(title_el.text_content()) if title_el is not None else ""
        if title_el is None or not title:
            raise NotAnArticle(self._why_not_article(url, doc))
        module = _module_of(title_el, s["module"](doc))
        if module is None:
            module = doc
        body = s.first("body", module)
        if body is None:
            raise NotAnArticle(
                f"the module has a headline but no article content ({s.describe('body')})"
            )
        _paragraph_divs(body)
        mark_figures(body)
        language = _language(doc)
        return RawArticle(
            title=title,
            body=body,
            summary=s.text("summary", module),
            published_raw=s.text("published", module),
            authors=_authors(s.text("byline", module)),
            category=s.text("category", module) or s.text("category", doc),
            breadcrumbs=[t for t in (_text(el) for el in s.all("breadcrumbs", doc)) if t],
            attachments=[
                (a.get("href", ""), clean_text(a.text_content()))
                for a in s.all("attachments", body)
            ],
            view_count=_view_count(s.text("view_count", module)),
            portal=parse_footer([el.text_content() for el in s.all("footer", doc)]),
            source_id=_article_id(url),
            language=language,
            # A site file's time zone replaces this guess.
            utc_offset=utc_offset(url, language),
        )

    def parse_listing(self, url: str, doc: HtmlElement) -> Listing:
        """Article links of the modules with the date shown beside each, and the paging:
        postbacks (`Listing.postbacks`, with the form's id) and plain paging links."""
        s = self.selectors
        base = document_base(url, doc)
        listing = Listing(postback_form=_form_id(doc))
        host = urlsplit(url).hostname
        found: dict[str, tuple[str, HtmlElement, int]] = {}
        for a in s.all("listing_link", doc):
            href = absolute_url(base, a.get("href"))
            if not href or urlsplit(href).hostname != host or not self.is_article_url(href):
                continue
            key = url_key(href)
            label = max(len(clean_text(a.text_content())), len(clean_text(a.get("title") or "")))
            first_href, first_link, best = found.get(key, (href, a, 0))
            found[key] = (first_href, first_link, max(best, label))
        for key, (href, link, best) in found.items():
            if best >= LISTING_TITLE_MIN_CHARS:
                item = _item_of(link, key, base)
                listing.articles.append(ListingEntry(url=href, listed_on=_listed_on(item)))
        for a in s.all("pager_link", doc):
            _add_paging(listing, a, base)
        return listing

    def _why_not_article(self, url: str, doc: HtmlElement) -> str:
        s = self.selectors
        error = "; ".join(t for t in (_text(el) for el in s.all("error", doc)) if t)
        if error:
            return f"DNN message: {error}"
        if self.parse_listing(url, doc).articles:
            return "listing page, not an article (no headline in a module)"
        if doc.xpath("//input[@type='password']"):
            return "login form, not an article"
        return f"no article headline in a DNN module ({s.describe('title')})"


def _paragraph_divs(body: HtmlElement) -> None:
    """A `<div>` holding only text and inline markup is a paragraph (the editor's lines)."""
    for div in list(body.iter("div")):
        if div is not body and not any(child.tag in _BLOCKS for child in div.iterdescendants()):
            div.tag = "p"


def _module_of(el: HtmlElement, modules: list[HtmlElement]) -> HtmlElement | None:
    """The innermost module holding `el`."""
    holders = set(modules)
    for ancestor in el.iterancestors():
        if ancestor in holders:
            return ancestor
    return None


def _item_of(link: HtmlElement, key: str, base: str) -> HtmlElement:
    """The largest block around `link` that links no other article: the listing item."""
    item = link
    for ancestor in link.iterancestors():
        hrefs = {absolute_url(base, a.get("href")) for a in ancestor.iter("a")}
        if any(h and url_key(h) != key and ARTICLE_URL.search(h) for h in hrefs):
            break
        item = ancestor
    return item


def _listed_on(item: HtmlElement) -> date | None:
    match = _DATE.search(item.text_content())
    if not match:
        return None
    try:
        return datetime(int(match[3]), int(match[2]), int(match[1])).date()
    except ValueError:
        return None


def _add_paging(listing: Listing, a: HtmlElement, base: str) -> None:
    """A pager link as a postback (target, argument) or as a plain URL, each once."""
    match = _POSTBACK.search(a.get("href", "") + " " + (a.get("onclick") or ""))
    if match:
        target, argument = match["target"], match["argument"]
        if _PAGING_ARGUMENT.match(argument) or _PAGING_TARGET.search(target):
            postback = Postback(target, argument)
            if postback not in listing.postbacks:
                listing.postbacks.append(postback)
        return
    href = absolute_url(base, a.get("href"))
    if href and href not in listing.next_pages:
        listing.next_pages.append(href)


def _form_id(doc: HtmlElement) -> str | None:
    forms = ASPNET_FORM(doc)
    return (forms[0].get("id") or forms[0].get("name")) if forms else None


def _article_id(url: str) -> str | None:
    parts = urlsplit(url)
    match = ARTICLE_URL.search(f"{parts.path}?{parts.query}")
    return re.split(r"[/=]", match.group(0))[-1] if match else None


def _authors(byline: str | None) -> list[str]:
    """ "Tác giả: Minh Anh, Thu Hà" -> ["Minh Anh", "Thu Hà"]."""
    text = _AUTHOR_LABEL.sub("", clean_text(byline or ""))
    return [n for n in (clean_text(x) for x in re.split(r"\s*[,;]\s*|\s+-\s+", text)) if n]


def _view_count(text: str | None) -> int | None:
    match = _NUMBER.search(text or "")
    digits = re.sub(r"\D", "", match.group(1)) if match else ""
    return int(digits) if digits else None


def _language(doc: HtmlElement) -> str | None:
    lang = clean_text(doc.get("lang") or "")
    return lang.split("-")[0].lower() or None


def _text(el: HtmlElement | None) -> str | None:
    return clean_or_none(el.text_content()) if el is not None else None
