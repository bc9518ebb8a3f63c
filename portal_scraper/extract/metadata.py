"""Structured metadata of a page: JSON-LD, OpenGraph and `<meta>` tags."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from portal_scraper.normalize.text import clean_text, replace_surrogates

ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
        "opinionnewsarticle", "backgroundnewsarticle", "scholarlyarticle", "techarticle",
        "liveblogposting", "report", "socialmediaposting", "posting", "webpage",
        "howto", "recipe", "question", "qapage", "faqpage", "itempage", "aboutpage",
        "videoobject", "podcastepisode", "creativework", "review", "event",
    }
)  # fmt: skip
# Page-like types: they only fill what an article object left empty.
WEAK_TYPES = frozenset({"webpage", "itempage", "aboutpage", "qapage", "faqpage", "creativework"})
PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "dcterms.issued", "sailthru.date", "parsely-pub-date", "article.published",
    "citation_publication_date", "original-publish-date", "created", "dc.date.created",
    "datecreated",
)  # fmt: skip
MODIFIED_KEYS = (
    "article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified",
    "dc.date.modified", "article.updated", "lastmod",
)  # fmt: skip
AUTHOR_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author",
               "citation_author", "byl")  # fmt: skip
PUBLISHER_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title", "copyright",
                  "dc.publisher", "publisher", "twitter:site", "al:android:app_name")  # fmt: skip
# JSON-LD types that name an organisation, not a person ("Organization", "NewsMediaOrganization").
_ORGANISATION = re.compile(r"organi[sz]ation|corporation|newsmedia|website|brand", re.IGNORECASE)
_URL = re.compile(r"^https?://|^www\.", re.IGNORECASE)


@dataclass
class Metadata:
    """What the page says about itself in machine-readable form."""

    meta: dict[str, str] = field(default_factory=dict)
    headline: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    article_body: str | None = None
    breadcrumbs: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)  # site and organisation names

    def is_publisher(self, name: str) -> bool:
        """Whether `name` is the site's or publisher's own ("VnExpress", "Báo VnExpress")."""
        words = _words(name)
        return any(_same_name(words, _words(p)) for p in self.publishers)

    def first(self, keys: tuple[str, ...]) -> str | None:
        """The first non-empty `<meta>` value among `keys`."""
        for key in keys:
            value = self.meta.get(key)
            if value:
                return value
        return None


def read_metadata(doc: HtmlElement) -> Metadata:
    """Collect `<meta>` values and the article object of the page's JSON-LD."""
    found = Metadata(meta=_meta_tags(doc))
    publishers: list[str] = []
    for obj in _json_ld_objects(doc):
        types = {t.lower() for t in _as_list(obj.get("@type")) if isinstance(t, str)}
        if "breadcrumblist" in types:
            found.breadcrumbs = found.breadcrumbs or _breadcrumb_names(obj)
        if not types & ARTICLE_TYPES:
            continue
        weak = types <= WEAK_TYPES  # a WebPage only fills what an article object left empty
        if found.headline is None or not weak:
            found.headline = _text(obj.get("headline") or obj.get("name")) or found.headline
        found.published = found.published or _text(
            obj.get("datePublished") or obj.get("dateCreated")
        )
        found.modified = found.modified or _text(obj.get("dateModified"))
        publishers += _organisation_names(obj.get("publisher"), obj.get("author"))
        if not found.authors:
            found.authors = _person_names(obj.get("author") or obj.get("creator"))
        found.section = found.section or _text(_first_of(obj.get("articleSection")))
        if not weak and isinstance(obj.get("articleBody"), str):
            found.article_body = found.article_body or obj["articleBody"]
    found.published = found.published or found.first(PUBLISHED_KEYS)
    found.modified = found.modified or found.first(MODIFIED_KEYS)
    if not found.authors:
        names = [found.meta[k] for k in AUTHOR_KEYS if found.meta.get(k)]
        found.authors = [n for n in names[:1] if not _URL.match(n)]
    found.publishers = publishers + [found.meta[k].lstrip("@") for k in PUBLISHER_KEYS
                                     if found.meta.get(k)]  # fmt: skip
    found.section = found.section or found.first(("article:section", "section", "category"))
    return found


def _meta_tags(doc: HtmlElement) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in doc.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = meta.get("content")
        if key and content and key not in values:
            values[key] = html.unescape(content.strip())  # some sites escape twice
    for el in _MICRODATA(doc):
        # itemprop="datePublished", or RDFa property="schema:dateCreated" / "dc:date".
        name = el.get("itemprop") or el.get("property") or ""
        key = name.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower() if el.tag != "meta" else ""
        if key and key not in values:
            value = el.get("datetime") or el.get("content") or clean_text(el.text_content())
            if value and len(value) <= _MAX_MICRODATA_CHARS:
                values[key] = value.strip()
    return values


# Elements that name a date with microdata or RDFa; their value is an attribute or their text.
# (Reached through the attributes: libxml2 then tests the predicate on named elements only,
# a third faster than testing every element.)
_MICRODATA = etree.XPath(
    "(//@itemprop | //@property)/parent::*[contains(translate(concat(@itemprop, @property),"
    " 'DATECRMP', 'datecrmp'), 'date') or @datetime]"
)
_MAX_MICRODATA_CHARS = 80
_JSON_LD = etree.XPath("/descendant::script[contains(@type, 'ld+json')]")


def _json_ld_objects(doc: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in _JSON_LD(doc):
        text = script.text or ""
        data = _lenient_json(text)
        if data is None:
            continue
        if _SURROGATE_ESCAPE.search(text):
            # "\ud83d" alone decodes to a lone surrogate, which lxml and UTF-8 files refuse.
            data = _scrubbed(data)
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
                if isinstance(item.get("mainEntity"), dict):
                    stack.append(item["mainEntity"])


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# Applied to the stripped text: leading `\s*\s*` made a run of spaces quadratic (seconds per
# 20,000 spaces in a script that is not strict JSON).
_CDATA = re.compile(r"^(?:<!--)?\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>(?:\s*-->)?$|^<!--|-->$")
_COMMENT = re.compile(r'("(?:[^"\\]|\\.)*")|/\*.*?\*/|(?<![:"\w])//[^\n]*', re.DOTALL)
_TRAILING_COMMA = re.compile(r'("(?:[^"\\]|\\.)*")|,(\s*[}\]])')


def _lenient_json(text: str) -> Any:
    """JSON-LD as pages write it: strict JSON, else without CDATA wrappers, comments and
    trailing commas, and several objects one after the other as a list."""
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    text = _CDATA.sub("", text.strip())
    text = _COMMENT.sub(lambda m: m.group(1) or "", text)
    text = _TRAILING_COMMA.sub(lambda m: m.group(1) or m.group(2), text).strip().rstrip(";")
    decoder = json.JSONDecoder(strict=False)
    items: list[Any] = []
    at = 0
    while at < len(text):
        try:
            item, at = decoder.raw_decode(text, at)
        except ValueError:
            break
        items.append(item)
        while at < len(text) and text[at] in " \t\r\n,;":
            at += 1
    return items or None


def _scrubbed(value: Any) -> Any:
    """`value` (parsed JSON) with lone surrogates in its strings replaced."""
    if isinstance(value, str):
        return replace_surrogates(value)
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items()}
    return value


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _first_of(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _text(value: Any) -> str | None:
    # JSON-LD often carries HTML entities ("&quot;", "&amp;#39;"): unescape them (twice at most).
    if not isinstance(value, str):
        return None
    if "&" in value:
        value = html.unescape(html.unescape(value))
    return clean_text(value) or None


def _is_organisation(item: Any) -> bool:
    types = _as_list(item.get("@type")) if isinstance(item, dict) else []
    return any(isinstance(t, str) and _ORGANISATION.search(t) for t in types)


def _person_names(value: Any) -> list[str]:
    """The names an `author` value gives (organisations too: `publishers` tells them)."""
    names: list[str] = []
    for item in _as_list(value):
        if isinstance(item, list):  # a list nested in the list
            names += [n for n in _person_names(item) if n not in names]
            continue
        name = item.get("name") if isinstance(item, dict) else item
        for each in _as_list(name):  # a list of names is several people
            text = clean_text(each) if isinstance(each, str) else ""
            if text and not _URL.match(text) and text not in names:
                names.append(text)
    return names


def _organisation_names(*values: Any) -> list[str]:
    """The names of the organisations among JSON-LD `publisher` and `author` values."""
    return [
        clean_text(item["name"])
        for value in values
        for item in _as_list(value)
        if _is_organisation(item) and isinstance(item.get("name"), str)
    ]


def _words(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", name.casefold()))


def _same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether one name is the other, give or take one word ("Báo VnExpress", "VnExpress")."""
    short, long = sorted((a, b), key=len)
    if not short or len(long) - len(short) > 1:
        return False
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _breadcrumb_names(obj: dict[str, Any]) -> list[str]:
    items = obj.get("itemListElement")
    names = []
    for item in _as_list(items):
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        if not name and isinstance(item.get("item"), dict):
            name = item["item"].get("name")
        if isinstance(name, str) and clean_text(name):
            names.append(clean_text(name))
    return names
