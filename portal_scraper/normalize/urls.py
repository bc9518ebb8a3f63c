"""URL identity: absolute URLs, the record's `canonical_url` and the crawl's `url_key`."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only steer navigation (SharePoint return links, views, tabs, campaign tags).
NAVIGATION_PARAMS = frozenset(
    {"source", "contenttypeid", "rootfolder", "initialtabid", "isdlg", "fbclid", "gclid"}
)
# Session ids, dropped like navigation: a new value on every visit, one page.
SESSION_PARAMS = frozenset(
    {"jsessionid", "phpsessid", "sessionid", "session_id", "sessid", "cfid", "cftoken"}
)
# Parameters that carry a listing's paging or sort order (not `p`: WordPress's post id).
LISTING_STATE_PARAMS = frozenset(
    {"page", "pg", "pageindex", "pagenum", "trang", "sort", "sortby", "order", "orderby", "dir"}
)
# How a case-insensitive server's parameters are spelled in canonical URLs: SharePoint's own
# spelling of its item id and list view paging (links and fixtures write `ID`, `PageFirstRow`, so
# a canonical URL still works on a server that reads them case-sensitively); others lower-case.
PARAM_SPELLINGS = {
    name.lower(): name
    for name in ("ID", "List", "View", "Paged", "PagedPrev", "PageFirstRow", "PageLastRow", "p_ID")
}

# Paths served by IIS/ASP.NET, where paths and query parameter names are case-insensitive.
_IIS_EXTENSIONS = (".aspx", ".asp", ".ashx", ".asmx")
# SharePoint's list and application folders (`/Lists/TinTuc/`, `/_layouts/15/`); `/pages/` is left
# out as too common on other servers, and SharePoint's `/Pages/*.aspx` match by extension anyway.
_IIS_DIRECTORIES = ("/lists/", "/_layouts/")
# A parameter that names an item by number: `ID`, `id`, `ItemId`, `item_id` (not `paid`, `valid`).
_ID_NAME = re.compile(r"(?:^|[_\-.]|(?<=[a-z0-9]))(?:ID|Id)$|(?:^|[_\-.])id$")
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_SLASHES = re.compile(r"/{2,}")
_SESSION_IN_PATH = re.compile(r";(?:jsessionid|sessionid|phpsessid)=[^/;?]*", re.IGNORECASE)
_PATH_SAFE = "!$&'()*+,;=:@-._~"


def absolute_url(base: str, href: str | None) -> str | None:
    """Resolve `href` against `base`; `None` for empty, fragment-only or script links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "data:")):
        return None
    return urljoin(base, href)


def http_url(base: str, href: str | None) -> str | None:
    """Like `absolute_url`, but `None` unless it resolves to http(s): an image or a file at
    `blob:` or `mailto:` cannot be in a record (its schema wants a fetchable URL)."""
    resolved = absolute_url(base, href)
    return resolved if resolved and resolved.lower().startswith(("http://", "https://")) else None


def document_base(url: str, doc: Any) -> str:
    """The URL a page's relative links resolve against: its `<base href>`, else `url`."""
    for base in doc.iter("base"):
        href = str(base.get("href") or "").strip()
        if href:
            return urljoin(url, href)
    return url


def is_iis_path(path: str) -> bool:
    """True when `path` is one IIS/ASP.NET serves (case-insensitive paths and parameter names)."""
    lowered = path.lower()
    return lowered.endswith(_IIS_EXTENSIONS) or any(d in lowered for d in _IIS_DIRECTORIES)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop fragment, navigation-only and repeated parameters, sort."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (scheme == "http" and parts.port == 80) or (scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    path = _normalized_path(parts.path)
    iis = is_iis_path(path)
    query: set[tuple[str, str]] = set()
    named: set[str] = set()
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        lowered = key.lower()
        if lowered in NAVIGATION_PARAMS or lowered.startswith("utm_") or _session(lowered, value):
            continue
        value = unicodedata.normalize("NFC", value)
        if iis:
            # ASP.NET reads `ID`, `id` and `Id` as one parameter and `int.Parse`s " 01452"
            # as 1452, so these spellings name the same item.
            names_item = bool(_ID_NAME.search(key))
            if names_item and value.strip().isascii() and value.strip().isdigit():
                value = value.strip().lstrip("0") or "0"
            key = PARAM_SPELLINGS.get(lowered, lowered)
            if names_item and key in named:
                continue  # an item id given twice: the first one names the item
            named.add(key)
        query.add((key, value))
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def _session(name: str, value: str) -> bool:
    """A session id: a different value on every visit names the same page."""
    if name in SESSION_PARAMS or name.startswith("aspsessionid"):
        return True
    # `sid` is a session on most sites, a story id on a few: a number is kept.
    return name == "sid" and not value.isdigit()


def _normalized_path(path: str) -> str:
    """One spelling of a path: repeated slashes collapsed, each segment percent-encoded one way
    (upper-case escapes, NFC text, unreserved characters bare); `%2F` stays an escape."""
    # `;jsessionid=...` (Java servlets) rides in the path: a session, not a page.
    path = _SESSION_IN_PATH.sub("", _SLASHES.sub("/", path)) or "/"
    if not _PERCENT_ESCAPE.search(path) and path.isascii():
        return path
    return "/".join(
        quote(unicodedata.normalize("NFC", unquote(segment)), safe=_PATH_SAFE)
        for segment in path.split("/")
    )


def url_key(url: str) -> str:
    """Identity of `url` for "already seen" sets: its canonical URL with http and https as one,
    a trailing slash ignored, and the path case-folded on IIS."""
    parts = urlsplit(canonical_url(url))
    path = parts.path.rstrip("/") or "/"
    if is_iis_path(path):
        path = path.lower()
    return urlunsplit(("http", parts.netloc, path, parts.query, ""))


def without_context(url: str, context_url: str) -> str:
    """`url` without the listing context its query carries: the pairs it shares with the listing
    page `context_url`, and paging or sorting parameters (`page=3&sort=date`). A listing that
    passes its own state on to its article links does not make new articles of them."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    context = set(parse_qsl(urlsplit(context_url).query, keep_blank_values=True))
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [p for p in pairs if p not in context and p[0].lower() not in LISTING_STATE_PARAMS]
    return url if len(kept) == len(pairs) else urlunsplit(parts._replace(query=urlencode(kept)))


def query_param(url: str, name: str) -> str | None:
    """The first value of query parameter `name` (case-insensitive), or `None`."""
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key.lower() == name.lower() and value:
            return value
    return None
