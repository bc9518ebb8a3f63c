"""The generic profile: any page of a site without a profile of its own.

Structured data (JSON-LD, OpenGraph, `<meta>`, `<time>`) comes first; then the page's own text:
the headline, a visible date line, the byline, and the block of paragraphs that carries the
article, found by scoring text density after the page's navigation, share bars, related lists,
comments and footers are removed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timezone
from functools import lru_cache
from typing import Any, ClassVar
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from portal_scraper.extract import sharepoint
from portal_scraper.extract.base import Listing, ListingEntry, NotAnArticle, Profile, RawArticle
from portal_scraper.extract.figures import mark_figures
from portal_scraper.extract.footer import parse_footer
from portal_scraper.extract.metadata import Metadata, read_metadata
from portal_scraper.normalize.body import body_text
from portal_scraper.normalize.dates import parse_datetime, parse_offset
from portal_scraper.normalize.text import clean_or_none, clean_text
from portal_scraper.normalize.urls import absolute_url, document_base, url_key

# Elements that never hold article text.
DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed",
    "button", "input", "select", "textarea", "nav", "aside", "link", "meta", "map", "dialog",
)  # fmt: skip
# The name hints below match lowercased class/id names (a case-blind regex is ~3x slower).
# Regions whose class or id says they are not the article.
BOILERPLATE = re.compile(
    r"comment|share|sharing|social|related|sidebar|side-bar|breadcrumb|menu|navbar"
    r"|\bnav\b|footer|masthead|promo(?!ted)|advert|\bads?\b|\bad-|-ad\b|sponsor|newsletter|subscri"
    r"|signup|sign-up|cookie|consent|popup|modal|banner|\btags?\b|toolbar|pagination|pager"
    r"|rating|recommend|more-stories|read-?more|outbrain|taboola|disqus|author-?bio|login"
    r"|trending|most-?read|most-?popular|lien-?quan|tin-?khac|xem-?them"
    r"|binh-?luan|print|tooltip|skip"
    # Hidden by a utility class (not "hidden-xs": that shows on large screens).
    r"|(?:^|\s)(?:hidden|is-hidden|d-none|visually-hidden|sr-only|screen-reader-text)(?:\s|$)"
)
# Classes a CMS puts on the article itself to name its taxonomy ("tag-honda", "category-news").
TAXONOMY_CLASSES = re.compile(
    r"(?:^|\s)(?:tag|tags|category|post|format|status|type|has|postid)[-_]\S*"
)
# Class/id names that mark the article body itself.
BODY_NAMES = re.compile(
    r"articlebody|article-?body|article__body|article-?content|story-?body|story-?content"
    r"|post-?content|post-?body|entry-?content|main-?content|news-?content|content-?detail"
    r"|detail-?content|fck_detail|body-?text|article-?text|text-?content|noi-?dung"
)
BODY_SELECTOR = CSSSelector("[itemprop='articleBody'], article")
SUMMARY_HINT = re.compile(
    r"sapo|summary|\blead\b|standfirst|description|excerpt|chapeau|\bintro|teaser|\bdeck\b"
    r"|subtitle|sub-?head|tom-?tat"
)
DATE_HINT = re.compile(r"date|time|publish|posted|ngay|dateline|byline|meta|info")
AUTHOR_SELECTOR = CSSSelector(
    "[rel='author'], [itemprop='author'], [class*='author'], [class*='byline']"
)
FOOTER_LABEL = re.compile(
    r"cơ quan chủ quản|địa chỉ|trụ sở|điện thoại|fax|e-?mail|chịu trách nhiệm|biên tập", re.I
)
TIME_SELECTOR = CSSSelector("time[datetime]")
MICROFORMAT_DATES = CSSSelector(
    ".published[title], .updated[title], .entry-date[title], .dtstamp[title]"
)
# Years a web page's publication date can plausibly have.
MIN_YEAR, MAX_YEAR = 1995, 2035
# A line that is only such a phrase ("Xem thêm:", "Advertisement") is chrome, a sentence is not.
MAX_JUNK_LINE_CHARS = 30
JUNK_LINE = re.compile(
    r"^(advertisement|anzeige|publicité|werbung|share( this)?( article)?|read more|xem thêm"
    r"|tin liên quan|bài liên quan|continue reading|sign up|subscribe|follow us|related"
    r"|click here|bấm vào đây|in bài|print|email|facebook|twitter)\b",
    re.IGNORECASE,
)
AUTHOR_PREFIX = re.compile(
    r"^(?:bài và ảnh|tin và ảnh|tin, ảnh|post author by|posted by|written by|published by"
    r"|eingestellt von|veröffentlicht von|geschrieben von|verfasst von|publié par|écrit par"
    r"|publicado por|escrito por|pubblicato da|scritto da|tác giả|người viết|by|bởi|von|vom"
    r"|par|por|di|da|door|text|autor|autorin|author|auteur|reporter|bài|tin)"
    # "Veröffentlicht vonChris Jung": a capitalized name may follow without a space.
    r"\s*[:\-–]?(?:\s+|(?=(?-i:[A-ZÀ-ÝĐ])))",
    re.IGNORECASE,
)
# Labels and words a byline element holds that are not a name.
NOT_A_NAME = re.compile(
    r"^(?:by|von|par|posted on|published|publiziert am|veröffentlicht am|auteurs?|autor(?:in|en)?"
    r"|authors?|redaktion|admin|wordpressadmin|staff|unknown|anonymous"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$",
    re.IGNORECASE,
)
NOT_AUTHOR = re.compile(r"^(theo|nguồn|source|quelle|ảnh|photo|foto)\b", re.IGNORECASE)
VIEWS_TEXT = etree.XPath(
    ".//text()[contains(., 'ượt') or contains(., 'ƯỢT') or contains(., 'views') "
    "or contains(., 'Views') or contains(., 'VIEWS')]"
)
VIEWS = re.compile(
    r"(?:lượt người xem|lượt xem|số lượt xem|lượt đọc|views?)\s*:?\s*([\d.,]+)", re.I
)
# What every VIEWS match ends with, composed or not (the page text is not NFC yet).
VIEWS_ANYWHERE = re.compile(r"(?:xem|đ(?:ọ|o\u0323)c|views?)\s*:?\s*\d")
FILE_LINK = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|zip|rar|7z|odt|ods)(?:$|\?)", re.IGNORECASE)
ARTICLE_LINK = re.compile(r"\d{4,}|[\w]+-[\w]+-[\w]+|dispform\.aspx\?id=\d+", re.IGNORECASE)
NEXT_PAGE = re.compile(r"^(next|tiếp|trang sau|sau|»|›|>|weiter|suivant)\b", re.IGNORECASE)
WORD = re.compile(r"\w+")
HAS_TIME = re.compile(r"\d{1,2}[:hg]\d{2}")
SHAREPOINT_ITEM = re.compile(r"/(?:DispForm|ViewForm)\.aspx\?", re.IGNORECASE)
URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·]\s+|\s+::\s+")
# Paragraph-like elements whose text counts toward their ancestors' scores.
PARAGRAPH_TAGS = ("p", "pre", "blockquote", "td", "li", "div", "section", "font", "span")
MIN_PARAGRAPH_CHARS = 25
# Inline runs count as paragraphs only when long (some editors write a paragraph as one <span>).
MIN_INLINE_PARAGRAPH_CHARS = 80
# Containers whose own text (not their children's) is what counts.
DIRECT_TEXT_TAGS = ("div", "section", "td", "font", "span")
MIN_BODY_CHARS = 80
# Use JSON-LD articleBody when the page's own text is less than this share of it.
STRUCTURED_BODY_SHARE = 0.5
# Widen the region until it holds this share of the page's paragraphs of this length.
SPREAD_SHARE = 0.4
SPREAD_PARAGRAPH_CHARS = 150
MAX_DATE_LINE_CHARS = 80
CAPTION_NAMES = re.compile(r"caption|credit|copyright|photo-?desc|image-?desc|getty")
ERROR_TITLE = re.compile(
    r"^(404|403|500|error|not found|page not found|sorry, something went wrong|access denied"
    r"|không tìm thấy|trang không tồn tại|lỗi|seite nicht gefunden|page introuvable)\b",
    re.IGNORECASE,
)
ERROR_SELECTOR = CSSSelector("#ms-error-body, .ms-pageErrorBody")
# A field element (headline, date line, byline, lead) longer than this may hold body text too.
MAX_FIELD_CHARS = 300
# Elements with a class or id; and those that may also be hidden.
# Elements a page names (class, id, rel, itemprop): where every hint below is looked for.
NAMED_PREDICATE = "@class or @id or @rel or @itemprop"
NAMED = etree.XPath(f".//*[{NAMED_PREDICATE}]")
NAMED_BEFORE = etree.XPath(
    f"count(preceding::*[{NAMED_PREDICATE}]) + count(ancestor::*[{NAMED_PREDICATE}])"
)
MARKED = etree.XPath(".//*[@class or @id or @style or @hidden or @aria-hidden]")


# Elements a page names, each with its "class id" string.
Named = list[tuple[HtmlElement, str]]


class Generic(Profile):
    """Any site: used when no site profile claims the page."""

    id = "generic"
    version = "1"
    base_url = ""
    required_fields: ClassVar[tuple[str, ...]] = ("title", "body_text")

    def matches(self, url: str) -> bool:
        """The generic profile takes any URL (it is only asked when no other does)."""
        return True

    def is_article_url(self, url: str) -> bool:
        """Article-like URLs: long slugs or numeric ids."""
        parts = urlsplit(url)
        last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
        return bool(ARTICLE_LINK.search(last + ("?" + parts.query if parts.query else "")))

    def extract(self, url: str, doc: HtmlElement) -> RawArticle:
        """Read the page's metadata, then find and clean its article body."""
        meta = read_metadata(doc)
        root = doc.find("body")
        if root is None:
            root = doc
        title, title_el = _title(doc, meta)
        # Each named element with its "class id" string, built once for every hint below.
        named = [(el, f"{el.get('class', '')} {el.get('id', '')}") for el in NAMED(doc)]
        title_place = int(NAMED_BEFORE(title_el)) if title_el is not None else 0
        published_raw, date_lines = _published(doc, named, title_place, meta, url, title_el)
        authors, bylines = _authors(named, meta)
        summary, lead = _summary(named, title_place, title_el)
        not_body = _not_body([title_el, *date_lines, *bylines, lead])
        portal = _footer(named)
        breadcrumbs = meta.breadcrumbs or _breadcrumbs(named)
        view_count = _view_count(root)
        attachments = _attachments(root, url)
        _prune(root, title_el, not_body)
        error = _error_page(doc, title)
        if error:
            raise NotAnArticle(error)
        main = _main_content(root, title_el, not_body)
        if main is not None:
            trailing_author = _strip_fields_and_chrome(main, not_body)
            if not authors and trailing_author:
                authors = [trailing_author]
            mark_figures(main)
            _drop_loose_captions(main)
        text = body_text(main) if main is not None else ""
        structured = _structured_body(meta.article_body)
        if structured is not None and len(text) < STRUCTURED_BODY_SHARE * len(
            body_text(structured)
        ):
            # The page renders its text with scripts; its structured data still carries it.
            main, text = structured, body_text(structured)
        if main is None:
            raise NotAnArticle("no block of article text on the page")
        if not title:
            raise NotAnArticle("no headline on the page")
        if len(text) < MIN_BODY_CHARS:
            raise NotAnArticle(f"too little text for an article ({len(text)} characters)")
        language = _language(doc, meta)
        return RawArticle(
            title=title,
            body=main,
            summary=summary,
            published_raw=published_raw,
            modified_raw=meta.modified,
            authors=authors,
            category=clean_or_none(meta.section) or _category(breadcrumbs, title),
            breadcrumbs=breadcrumbs,
            attachments=attachments,
            view_count=view_count,
            portal=portal,
            source_id=sharepoint.item_id(url) if SHAREPOINT_ITEM.search(url) else None,
            language=language,
            utc_offset=_utc_offset(url, language),
            body_text=text,
        )

    def parse_listing(self, url: str, doc: HtmlElement) -> Listing:
        """Same-host article-like links, each once, and "next page" links."""
        host = urlsplit(url).hostname
        # SharePoint portals page their lists through RefreshPageTo(...) links.
        listing = Listing(next_pages=sharepoint.paging_urls(doc, url))
        # Per article (by url_key): the first href linking it and its longest label. A listing
        # entry often links its thumbnail (no text) before its title, so the first link is no
        # judge of whether the URL is an article.
        articles: dict[str, tuple[str, int]] = {}
        paging = {url_key(u) for u in listing.next_pages}
        base = document_base(url, doc)
        for a in doc.iter("a"):
            href = absolute_url(base, a.get("href"))
            if not href or urlsplit(href).hostname != host:
                continue
            key = url_key(href)
            label = clean_text(a.text_content())
            # A headline that starts "Sau ..." or "Tiếp tục ..." is no "next" arrow.
            is_next = "next" in (a.get("rel") or "").lower().split() or (
                len(label) < LISTING_TITLE_MIN_CHARS and NEXT_PAGE.match(label)
            )
            if is_next:
                if key not in paging:
                    paging.add(key)
                    listing.next_pages.append(href)
            elif key in articles or self.is_article_url(href):
                first_href, best = articles.get(key, (href, 0))
                if best < LISTING_TITLE_MIN_CHARS:
                    best = max(best, _link_label_chars(a, label))
                articles[key] = (first_href, best)
        listing.articles.extend(
            ListingEntry(url=href)
            for key, (href, best) in articles.items()
            if best >= LISTING_TITLE_MIN_CHARS and key not in paging
        )
        return listing


# A link label shorter than this is no headline ("Xem thêm", "»", a date).
LISTING_TITLE_MIN_CHARS = 15


def _link_label_chars(a: HtmlElement, text: str) -> int:
    """Length of the longest label of link `a`: its text, its title, or an image's alt/title."""
    labels = [text, a.get("title"), a.get("aria-label")]
    for img in a.iter("img"):
        labels += [img.get("alt"), img.get("title")]
    return max(len(clean_text(label)) for label in labels)


def _structured_body(article_body: str | None) -> HtmlElement | None:
    """JSON-LD `articleBody` as paragraphs (it may be plain text or HTML)."""
    if not article_body or len(article_body) < MIN_BODY_CHARS:
        return None
    if "<" in article_body and ">" in article_body:
        container = lxml_html.fragment_fromstring(article_body, create_parent="div")
        for el in list(container.iter(*DROP_TAGS)):
            el.drop_tree()
        return container
    container = lxml_html.fragment_fromstring("<div></div>")
    for line in article_body.splitlines():
        if line.strip():
            paragraph = container.makeelement("p", {})
            paragraph.text = line.strip()
            container.append(paragraph)
    return container


def _error_page(doc: HtmlElement, title: str | None) -> str | None:
    """Why the page is an error page (SharePoint's, or a "not found" headline), if it is one."""
    message = " ".join(clean_text(el.text_content()) for el in ERROR_SELECTOR(doc))
    if message:
        return f"error page: {message}"
    if title and ERROR_TITLE.match(title):
        return f"error page: {title}"
    return None


# Class names repeat across a page and across a site's pages: match each distinct one once.
@lru_cache(maxsize=65536)
def _is_chrome_name(names: str) -> bool:
    return bool(BOILERPLATE.search(TAXONOMY_CLASSES.sub(" ", names.lower())))


@lru_cache(maxsize=65536)
def _is_body_name(names: str) -> bool:
    return bool(BODY_NAMES.search(names.lower()))


@lru_cache(maxsize=65536)
def _is_summary_name(names: str) -> bool:
    return bool(SUMMARY_HINT.search(names.lower()))


@lru_cache(maxsize=65536)
def _mentions(names: str, word: str) -> bool:
    return word in names.lower()


@lru_cache(maxsize=65536)
def _is_hiding_style(style: str) -> bool:
    squeezed = style.replace(" ", "").lower()
    return "display:none" in squeezed or "visibility:hidden" in squeezed


@lru_cache(maxsize=65536)
def _is_caption_name(names: str) -> bool:
    return bool(CAPTION_NAMES.search(names.lower()))


@lru_cache(maxsize=65536)
def _is_author_name(names: str) -> bool:
    lowered = names.lower()
    return "author" in lowered or "byline" in lowered


@lru_cache(maxsize=65536)
def _is_date_name(names: str) -> bool:
    return bool(DATE_HINT.search(names.lower()))


def _squash(text: str) -> str:
    """White space collapsed: enough to measure and score text (no Unicode normalization)."""
    return " ".join(text.split())


def _text_len(el: HtmlElement) -> int:
    return len(_squash(el.text_content()))


def _not_body(fields: list[HtmlElement | None]) -> frozenset[HtmlElement]:
    """The field elements short enough to hold nothing but their field: never body text."""
    return frozenset(
        el for el in fields if el is not None and len(_squash(el.text_content())) <= MAX_FIELD_CHARS
    )


def _title(doc: HtmlElement, meta: Metadata) -> tuple[str | None, HtmlElement | None]:
    """The headline: an `<h1>` the `<title>` or og:title confirms, else structured data."""
    title_tag = clean_text(doc.findtext(".//title"))
    og = clean_text(meta.meta.get("og:title") or meta.meta.get("twitter:title"))
    known = set(WORD.findall(" ".join((title_tag, og, meta.headline or "")).casefold()))
    h1s = [(h, clean_text(h.text_content())) for h in doc.iter("h1")]
    h1s = [(h, t) for h, t in h1s if 3 <= len(t) <= 300]
    for h1, text in h1s:
        words = WORD.findall(text.casefold())
        # Confirmed when the <title> or og:title has its words (they add the site name).
        if words and sum(w in known for w in words) >= 0.8 * len(words):
            return text, h1
    if meta.headline:
        return meta.headline, None
    if og:
        return og, None
    if len(h1s) == 1:
        return h1s[0][1], h1s[0][0]
    parts = [p for p in TITLE_SEPARATORS.split(title_tag) if p]
    return (max(parts, key=len) if parts else None), None


def _published(
    doc: HtmlElement,
    named: Named,
    title_place: int,
    meta: Metadata,
    url: str,
    title_el: HtmlElement | None,
) -> tuple[str | None, list[HtmlElement]]:
    """The publication date as written (structured data, `<time>`, a date line, the URL).

    Also returns the page's date lines: never body text, whichever date wins.
    """
    utc = parse_offset("+00:00")
    visible = None
    date_lines = []
    for el, text in _near_title(named, title_place):
        text = _squash(text)
        if len(text) <= MAX_DATE_LINE_CHARS and parse_datetime(text, utc):
            date_lines.append(el)
            visible = visible or text
    return _publication_date(doc, meta, url, title_el, visible, utc), date_lines


def _publication_date(
    doc: HtmlElement,
    meta: Metadata,
    url: str,
    title_el: HtmlElement | None,
    visible: str | None,
    utc: timezone,
) -> str | None:
    """The first date found: structured data, `<time>`, the visible date line, the URL."""
    if meta.published and parse_datetime(meta.published, utc):
        return meta.published
    times = TIME_SELECTOR(doc)
    for el in sorted(
        times, key=lambda t: "publish" not in (t.get("itemprop", "") + t.get("class", "")).lower()
    ):
        if parse_datetime(el.get("datetime"), utc):
            return el.get("datetime")
    for el in MICROFORMAT_DATES(doc):  # hAtom: <abbr class="published" title="2013-04-04T...">
        if parse_datetime(el.get("title"), utc):
            return el.get("title")
    if visible:
        return visible
    match = URL_DATE.search(urlsplit(url).path)
    if match:
        return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
    return _first_date_line(doc, title_el, utc)


def _first_date_line(doc: HtmlElement, title_el: HtmlElement | None, utc: timezone) -> str | None:
    """Last resort: the first short line after the headline that is a plausible date."""
    after = title_el is None
    for el in doc.iter():
        if el is title_el:
            after = True
        if not after or not isinstance(el.tag, str) or el.tag in ("script", "style", "title"):
            continue
        for text in (el.text, el.tail):
            line = _squash(text or "")
            if 8 <= len(line) <= MAX_DATE_LINE_CHARS and any(c.isdigit() for c in line):
                found = parse_datetime(line, utc)
                if found and MIN_YEAR <= found.value.year <= MAX_YEAR:
                    return line
    return None


def _near_title(named: Named, title_place: int) -> list[tuple[HtmlElement, str]]:
    """Elements hinted as dates, with their text, those around the headline first."""
    hinted = [
        (i, el, el.text_content())
        for i, (el, names) in enumerate(named)
        if _is_date_name(names) and el.tag not in ("html", "body", "head", "script", "style")
    ]

    def rank(item: tuple[int, HtmlElement, str]) -> tuple[int, bool]:
        # Nearby first; among near ones, a line with a time of day is the more exact date.
        distance = abs(item[0] - title_place)
        return distance // 4, not HAS_TIME.search(item[2][:200])

    return [(el, text) for _, el, text in sorted(hinted, key=rank)]


def _authors(named: Named, meta: Metadata) -> tuple[list[str], list[HtmlElement]]:
    """People named by structured data, else by a byline element; and the byline elements."""
    names = [n for a in meta.authors for n in _split_authors(a)]
    bylines = [
        el
        for el, _ in named
        if el.get("rel") == "author"
        or el.get("itemprop") == "author"
        or _is_author_name(el.get("class", ""))
    ]
    found_in = []
    for el in bylines:
        text = clean_text(el.text_content())
        if not text or len(text) > 120 or _is_chrome_name(el.get("class", "")):
            continue
        found = _split_authors(text)
        if found or AUTHOR_PREFIX.match(text + " "):
            found_in.append(el)  # a byline is never body text, whoever is named
            names = names or found
    return names, found_in


def _split_authors(text: str) -> list[str]:
    names: list[str] = []
    for segment in re.split(r"\s*[|;/]\s*", text):
        segment = AUTHOR_PREFIX.sub(
            "", clean_text(segment)
        )  # "Bài và ảnh:" before splitting on "và"
        for part in re.split(r"\s*,\s*|\s+(?:and|und|et|og|e|y|và|&)\s+", segment):
            name = _clean_author(part)
            if name and name not in names:
                names.append(name)
    return names


def _clean_author(text: str) -> str | None:
    """A person's name from a byline fragment, or `None` for dates, roles and sources."""
    text = AUTHOR_PREFIX.sub("", clean_text(text))
    text = re.sub(r"\s*\([^()]*\)$", "", text).strip(" -–|:,.")  # "Elena Oberholzer (obe)"
    if not text or NOT_AUTHOR.match(text) or NOT_A_NAME.match(text):
        return None
    if re.search(r"\d|@|https?:|www\.|\.(?:de|com|net|org|vn)\b", text):
        return None
    if len(text) > 60 or len(text.split()) > 6:
        return None
    return text


def _summary(
    named: Named, title_place: int, title_el: HtmlElement | None
) -> tuple[str | None, HtmlElement | None]:
    """A lead paragraph (sapo, standfirst...) after the headline, and its element."""
    for el, names in named[title_place:]:
        if el.tag in ("meta", "html", "body") or el is title_el:
            continue
        if not _is_summary_name(names) or _is_chrome_name(names):
            continue
        text = _squash(el.text_content())
        if 40 <= len(text) <= 700 and len(el.findall(".//p")) <= 1:
            return text, el
    return None, None


def _footer(named: Named) -> dict[str, Any] | None:
    """The portal footer, when it has labelled lines the `portal` object knows."""
    footers = [el for el, names in named if el.tag == "footer" or _mentions(names, "footer")]
    if not footers:
        return None
    footer = max(footers, key=_text_len)
    if not FOOTER_LABEL.search(footer.text_content()):
        return None
    lines: list[str] = []
    for block in footer.iter("p", "div", "li", "span", "td"):
        if block.find(".//p") is None and block.find(".//div") is None:
            text = _squash(block.text_content())
            if text and text not in lines:
                lines.append(text)
    portal = parse_footer(lines[:40])
    known = ("agency", "address", "editor_in_chief", "phones", "faxes", "emails")
    if portal is None or sum(bool(portal[k]) for k in known) < 2:
        return None
    return portal


def _breadcrumbs(named: Named) -> list[str]:
    trails = [el for el, names in named if _mentions(names, "breadcrumb")]
    for trail in trails:
        items = [clean_text(e.text_content()) for e in trail.iter("a", "li", "span")
                 if e.find(".//a") is None and e.find(".//li") is None]  # fmt: skip
        crumbs = [t for t in items if t and t not in (">", "/", "»", "›", "|", "-")]
        deduped = [t for i, t in enumerate(crumbs) if t not in crumbs[:i]]
        if deduped:
            return deduped
    return []


def _category(breadcrumbs: list[str], title: str | None) -> str | None:
    trail = [b for b in breadcrumbs if b != title]
    return trail[-1] if len(trail) > 1 else None


def _view_count(root: HtmlElement) -> int | None:
    """A "Lượt xem: 1.234" / "Views: 1234" counter."""
    # One pass over the page's text rules out most pages before the per-text-node search.
    if not VIEWS_ANYWHERE.search(etree.tostring(root, method="text", encoding=str).lower()):
        return None
    for node in VIEWS_TEXT(root):
        holder = node.getparent()
        text = clean_text(holder.text_content()) if holder is not None else ""
        match = VIEWS.search(text) if len(text) < 60 else None
        digits = re.sub(r"\D", "", match.group(1)) if match else ""
        if digits:
            return int(digits)
    return None


def _attachments(root: HtmlElement, url: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for a in root.iter("a"):
        href = a.get("href") or ""
        if FILE_LINK.search(href):
            absolute = urljoin(url, href)
            if absolute not in (f[0] for f in found):
                found.append((absolute, clean_text(a.text_content())))
    return found


def _language(doc: HtmlElement, meta: Metadata) -> str | None:
    lang = doc.get("lang") or meta.meta.get("og:locale") or meta.meta.get("content-language")
    tag = clean_text(lang or "").replace("_", "-").split("-")[0].lower()
    return tag if re.fullmatch(r"[a-z]{2,3}", tag) else None


def _utc_offset(url: str, language: str | None) -> str:
    """The offset for dates written without one: Vietnam time for Vietnamese pages."""
    host = urlsplit(url).hostname or ""
    return "+07:00" if language == "vi" or host.endswith(".vn") else "+00:00"


def _prune(
    root: HtmlElement, title_el: HtmlElement | None, not_body: frozenset[HtmlElement]
) -> None:
    """Remove elements that never hold article text: scripts, navigation, hidden and chrome.

    A region holding the headline or a named article body is kept whatever its class says
    (articles sit in "banner placeholders" and "sidebar" layouts).
    """
    for el in list(root.iter(*DROP_TAGS, "header", "footer", "form-nav")):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.drop_tree()
    total = max(_text_len(root), 1)
    doomed = []
    anchors = [] if title_el is None else [title_el]
    for el in MARKED(root):
        get = el.get
        style = get("style")
        hidden = (
            (style is not None and _is_hiding_style(style))
            or get("hidden") is not None
            or get("aria-hidden") == "true"
        )
        names = f"{get('class', '')} {get('id', '')}"
        body_named = _is_body_name(names) or get("itemprop") == "articleBody"
        if body_named and not hidden:
            anchors.append(el)
        elif (hidden or _is_chrome_name(names)) and el not in not_body:
            doomed.append(el)
    protected = {id(a) for anchor in anchors for a in anchor.iterancestors()}
    limit = 0.4 * total
    for el in doomed:
        if el.getparent() is None or id(el) in protected:
            continue
        # A region holding most of the page's text is the page, whatever its class says.
        # (Collapsing white space only shortens a text: a short raw text needs no collapsing.)
        raw = el.text_content()
        if len(raw) < limit or len(_squash(raw)) < limit:
            el.drop_tree()


def _direct_text(el: HtmlElement) -> str:
    parts = [el.text or ""] + [child.tail or "" for child in el]
    return _squash(" ".join(parts))


def _link_density(el: HtmlElement, total: int | None = None) -> float:
    """Share of the text (`total` characters, if known) inside links."""
    total = _text_len(el) if total is None else total
    if not total:
        return 0.0
    linked = sum(len(_squash(a.text_content())) for a in el.iter("a"))
    return min(1.0, linked / total)


def _contains(el: HtmlElement, inner: HtmlElement | None) -> bool:
    return inner is not None and any(a is el for a in inner.iterancestors())


def _main_content(
    root: HtmlElement, title_el: HtmlElement | None, not_body: frozenset[HtmlElement]
) -> HtmlElement | None:
    """The article's paragraphs gathered into one `<div>` (moved out of the page)."""
    scores: dict[HtmlElement, float] = defaultdict(float)
    mass: dict[HtmlElement, int] = defaultdict(int)  # paragraph text held, at any depth
    for el in root.iter(*PARAGRAPH_TAGS):
        parent = el.getparent()
        if el in not_body or parent in not_body:
            continue  # headline, date line, byline, lead: known not to be body
        inline = el.tag in ("span", "font")
        text = _direct_text(el) if el.tag in DIRECT_TEXT_TAGS else _squash(el.text_content())
        if len(text) < (MIN_INLINE_PARAGRAPH_CHARS if inline else MIN_PARAGRAPH_CHARS):
            continue
        score = 1 + text.count(",") + text.count("،") + min(len(text) / 100, 3)
        holder = el if el.tag in ("div", "section", "td") else el.getparent()
        for depth, node in enumerate((holder, holder.getparent() if holder is not None else None)):
            if node is not None and node is not root.getparent():
                scores[node] += score / (depth + 1)
        if len(text) >= SPREAD_PARAGRAPH_CHARS:
            for node in el.iterancestors():
                mass[node] += len(text)
                if node is root:
                    break
    if not scores:
        return None
    for node in list(scores):
        names = f"{node.get('class', '')} {node.get('id', '')}"
        weight = 1.25 if _is_body_name(names) else 1.0
        scores[node] *= weight * (1 - _link_density(node))
    best = _spread(max(scores, key=lambda n: scores[n]), root, mass, scores)
    explicit = [el for el in BODY_SELECTOR(root) if _text_len(el) >= 200]
    if explicit:
        # The article element holding the headline, else the one with the most text.
        chosen = max(explicit, key=lambda el: (_contains(el, title_el), _text_len(el)))
        inside = any(a is chosen for a in best.iterancestors())
        if (
            best is chosen
            or inside
            or (_contains(chosen, title_el) and not _contains(best, chosen))
            or (
                any(a is best for a in chosen.iterancestors())
                and _text_len(chosen) >= 0.6 * _text_len(best)
            )
        ):
            return _wrap([chosen])
    return _wrap(_with_siblings(best, scores))


def _spread(
    best: HtmlElement,
    root: HtmlElement,
    mass: dict[HtmlElement, int],
    scores: dict[HtmlElement, float],
) -> HtmlElement:
    """Widen to an ancestor when the best block holds little of the page's long paragraphs.

    Landing pages, recipes and guides spread their text over many modules; an article is one
    block. Widening stops once the region holds most of that text.
    """
    total = mass[root]
    node = best
    while total and mass[node] < SPREAD_SHARE * total:
        parent = node.getparent()
        if parent is None or parent is root:
            break
        node = parent
    if node is not best:
        scores[node] = max(scores.get(node, 0.0), scores[best])
    return node


def _with_siblings(best: HtmlElement, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    """The best node and the siblings that continue it (more paragraphs of the same text)."""
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, scores[best] * 0.2)
    kept = []
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        if sibling is best or scores.get(sibling, 0.0) >= threshold:
            kept.append(sibling)
        elif sibling.tag in ("p", "h2", "h3", "h4", "blockquote", "ul", "ol", "figure", "table"):
            text = _squash(sibling.text_content())
            density = _link_density(sibling, len(text))
            if (
                (len(text) > 80 and density < 0.25)
                or (0 < len(text) <= 80 and density == 0 and re.search(r"[.!?:…”\"]$", text))
                or sibling.tag == "figure"
                or (sibling.find(".//img") is not None and not text)
            ):
                kept.append(sibling)
    return kept


def _wrap(nodes: list[HtmlElement]) -> HtmlElement:
    container = nodes[0].makeelement("div", {})
    for node in nodes:
        tail, node.tail = node.tail, None
        container.append(node)
        node.tail = tail
    return container


def _strip_fields_and_chrome(main: HtmlElement, not_body: frozenset[HtmlElement]) -> str | None:
    """Remove headline, lead, date and byline copies and link lists from the body.

    Returns a trailing byline (a short name paragraph closing the article), removed too.
    """
    for el in list(main.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el in not_body or el.tag == "h1":
            el.drop_tree()
    for el in list(main.iter("p", "div", "ul", "ol", "table", "section", "span", "li")):
        if el.getparent() is None or next(el.iterancestors("figure"), None) is not None:
            continue
        text = _squash(el.text_content())
        if el.find(".//img") is not None and len(text) < 20:
            continue
        if not text:
            continue
        if (len(text) < 300 and _link_density(el, len(text)) > _max_link_density(el)) or (
            len(text) <= MAX_JUNK_LINE_CHARS and JUNK_LINE.match(text)
        ):
            el.drop_tree()
    return _trailing_byline(main)


def _drop_loose_captions(main: HtmlElement) -> None:
    """Caption and photo-credit blocks not tied to an image are not body text."""
    for el in list(NAMED(main)):
        if el.getparent() is None or next(el.iterancestors("figure"), None) is not None:
            continue
        names = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag != "figure" and _is_caption_name(names) and _text_len(el) < 400:
            el.drop_tree()


def _max_link_density(el: HtmlElement) -> float:
    """A sentence may link half its words; a block of mostly links is a link list."""
    return 0.8 if el.tag in ("p", "li", "span") else 0.5


def _trailing_byline(main: HtmlElement) -> str | None:
    """A last paragraph that is only a short name ("Phương Thảo"), as Vietnamese portals sign."""
    paragraphs = [p for p in main.iter("p", "div") if _squash(p.text_content())]
    if not paragraphs:
        return None
    last = paragraphs[-1]
    text = _squash(last.text_content())
    words = text.split()
    looks_signed = (
        last.find(".//strong") is not None
        or last.find(".//b") is not None
        or "right" in last.get("style", "") + last.get("align", "")
    )
    if 2 <= len(words) <= 5 and looks_signed and all(w[:1].isupper() for w in words):
        name = _clean_author(text)
        if name:
            last.drop_tree()
            return name
    return None
