"""URL identity: absolute URLs and the record's `canonical_url`."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only steer navigation (SharePoint return links, views, tabs, campaign tags).
NAVIGATION_PARAMS = frozenset(
    {"source", "contenttypeid", "rootfolder", "initialtabid", "isdlg", "fbclid", "gclid"}
)


def absolute_url(base: str, href: str | None) -> str | None:
    """Resolve `href` against `base`; `None` for empty, fragment-only or script links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "data:")):
        return None
    return urljoin(base, href)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop fragment and navigation-only parameters, sort the query."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (parts.scheme.lower() == "http" and parts.port == 80)
        or (parts.scheme.lower() == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in NAVIGATION_PARAMS and not key.lower().startswith("utm_")
    ]
    query.sort()
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def query_param(url: str, name: str) -> str | None:
    """The first value of query parameter `name` (case-insensitive), or `None`."""
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key.lower() == name.lower() and value:
            return value
    return None
