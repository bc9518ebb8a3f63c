"""Links a home-page crawl reads off a page besides its article links: feeds, menus, numbered
paging and ASP.NET postback paging (plain lxml, no Scrapy)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import NEXT_PAGE
from portal_scraper.normalize.text import clean_text
from portal_scraper.normalize.urls import absolute_url, document_base, url_key

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})
# Menus: the elements a home page keeps its category links in.
_MENU = re.compile(r"menu|nav", re.IGNORECASE)
_NOT_PAGE = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|zip|rar|jpe?g|png|gif|svg|mp[34]|avi|css|js|xml|rss)$",
    re.IGNORECASE,
)
MAX_MENU_LINKS = 60
# `javascript:__doPostBack('dnn$ctr123$ArticleList$pager','Page$2')`, in an href or an onclick.
_POSTBACK = re.compile(
    r"__doPostBack\(\s*(['\"])(?P<target>[^'\"]*)\1\s*,\s*(['\"])(?P<arg>[^'\"]*)\3\s*\)"
)
# GridView, DataPager and DNN pagers: "Page$2", "Page$Next", "Page$Last".
_PAGE_ARG = re.compile(r"^page\$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^\d{1,4}$")


@dataclass(frozen=True)
class Postback:
    """An ASP.NET postback: the form posted with this event target and argument."""

    target: str
    argument: str


def feed_links(doc: HtmlElement, url: str) -> list[str]:
    """RSS and Atom feeds the page links with `<link rel="alternate" type="...">`, in order."""
    base = document_base(url, doc)
    found: list[str] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").strip().lower()
        if "alternate" in rel and kind in FEED_TYPES:
            href = absolute_url(base, link.get("href"))
            if href and href not in found:
                found.append(href)
    return found


def menu_links(doc: HtmlElement, url: str) -> list[str]:
    """Same-host page links inside the page's menus (`<nav>`, or an element whose id or class
    says menu or nav), each once, in page order; not the page itself, files or scripts."""
    base = document_base(url, doc)
    host = urlsplit(url).hostname
    own = url_key(url)
    seen: set[str] = {own}
    found: list[str] = []
    for a in doc.iter("a"):
        if not _in_menu(a):
            continue
        href = absolute_url(base, a.get("href"))
        if not href or urlsplit(href).hostname != host:
            continue
        path = urlsplit(href).path
        key = url_key(href.split("#", 1)[0])
        if key in seen or _NOT_PAGE.search(path):
            continue
        seen.add(key)
        found.append(href.split("#", 1)[0])
        if len(found) >= MAX_MENU_LINKS:
            break
    return found


def numbered_pages(doc: HtmlElement, url: str) -> list[str]:
    """Same-host links labeled with a bare page number ("2", "3"...): numbered paging."""
    base = document_base(url, doc)
    host = urlsplit(url).hostname
    found: list[str] = []
    for a in doc.iter("a"):
        if not _PAGE_NUMBER.match(clean_text(a.text_content())):
            continue
        href = absolute_url(base, a.get("href"))
        if href and urlsplit(href).hostname == host and href not in found and href != url:
            found.append(href)
    return found


def postback_pages(doc: HtmlElement) -> list[Postback]:
    """Postback links that page a list: a pager argument (`Page$2`), or a label that is a page
    number or a "next" arrow; each (target, argument) once, in page order."""
    found: list[Postback] = []
    for a in doc.iter("a"):
        match = _POSTBACK.search(a.get("href") or "") or _POSTBACK.search(a.get("onclick") or "")
        if match is None:
            continue
        label = clean_text(a.text_content())
        paging = (
            _PAGE_ARG.match(match.group("arg"))
            or _PAGE_NUMBER.match(label)
            or NEXT_PAGE.match(label)
        )
        postback = Postback(match.group("target"), match.group("arg"))
        if paging and postback not in found:
            found.append(postback)
    return found


def _in_menu(a: HtmlElement) -> bool:
    for el in a.iterancestors():
        if el.tag == "nav":
            return True
        if _MENU.search(f"{el.get('id') or ''} {el.get('class') or ''}"):
            return True
    return False
