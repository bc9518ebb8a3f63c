"""Conventions shared by SharePoint 2013 portals: list paging, item ids, form chrome."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml.html import HtmlElement

from portal_scraper.normalize.urls import absolute_url, query_param

# Paging arrows are `href="javascript:"` links; the target URL is in their
# onclick="RefreshPageTo(event, "...")", JavaScript-escaped.
_REFRESH_PAGE_TO = re.compile(r"RefreshPageTo\s*\(\s*event\s*,\s*([\"'])(?P<url>.*?)\1")
_JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\(.)")
_PAGE_ITEM_ID = re.compile(r"pageItemId\s*:\s*(\d+)")


def unescape_js(value: str) -> str:
    """Undo JavaScript string escapes (`\\u002f`, `\\u0026`, `\\/`)."""

    def repl(match: re.Match[str]) -> str:
        if match.group(1):
            return chr(int(match.group(1), 16))
        if match.group(2):
            return chr(int(match.group(2), 16))
        return match.group(3)

    return _JS_ESCAPE.sub(repl, value)


def paging_urls(doc: HtmlElement, base_url: str) -> list[str]:
    """Absolute URLs of the list view's paging links (`RefreshPageTo` targets), in page order."""
    urls: list[str] = []
    for el in doc.xpath("//*[@onclick][contains(@onclick, 'RefreshPageTo')]"):
        match = _REFRESH_PAGE_TO.search(el.get("onclick", ""))
        if match:
            url = absolute_url(base_url, unescape_js(match.group("url")))
            if url and url not in urls:
                urls.append(url)
    return urls


def item_id(url: str, doc: HtmlElement | None = None) -> str | None:
    """The list item `ID` from the URL, else from `_spPageContextInfo.pageItemId`."""
    value = query_param(url, "ID")
    if value and value.isascii() and value.isdigit():
        # SharePoint reads `ID=01452` as item 1452, as the canonical URL does.
        return value.lstrip("0") or "0"
    if doc is not None:
        for script in doc.xpath("//script[contains(., 'pageItemId')]/text()"):
            match = _PAGE_ITEM_ID.search(script)
            if match:
                return match.group(1)
    return None


# List view paging cursors: the same page of a list is reached with any of their values.
_PAGING_CURSORS = re.compile(r"^(paged|pagedprev|p_.+|view)$", re.IGNORECASE)


def list_page_url(url: str) -> str:
    """`url` without the list view's paging cursors (`Paged`, `PagedPrev`, `p_ID`, `View`...):
    one URL per page of a list, however a Next or Previous arrow spelled it."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _PAGING_CURSORS.match(key)
        and not (key.lower() == "pagefirstrow" and value.strip() in ("", "1"))
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))
