"""The `portal` spider's `-a` arguments, checked before any crawling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from portal_scraper.extract import Profile, get_profile, profile_for_url

USAGE = (
    "scrapy crawl portal -a site=bentre-city [-a base_url=http://127.0.0.1:8765] "
    "[-a since=2018-01-01] [-a max_items=100] -O articles.jsonl; or, for any site, "
    "scrapy crawl portal -a start_url=https://portal.example.vn/tin-tuc -O articles.jsonl"
)


@dataclass(frozen=True)
class SpiderArguments:
    """The spider's `-a` arguments, checked."""

    profile: Profile
    base_url: str
    start_url: str | None
    since: date | None
    max_items: int | None


def parse_arguments(
    site: str | None = None,
    start_url: str | None = None,
    base_url: str | None = None,
    since: str | None = None,
    max_items: str | int | None = None,
) -> SpiderArguments:
    """Check the spider's arguments; `ValueError` (or `UnknownSite`) says what is wrong."""
    if not site and not start_url:
        raise ValueError(f"give a site profile or a start URL: {USAGE}")
    for name, value in (("start_url", start_url), ("base_url", base_url)):
        if value is not None and not _http_url(value):
            raise ValueError(f"{name} must be an absolute http(s) URL, got {value!r}")
    profile: Profile = get_profile(site) if site else profile_for_url(str(start_url))
    if not profile.listing_paths and not start_url:
        raise ValueError(f"the {profile.id} profile has no listings: give -a start_url=URL")
    # A start URL on another host than the profile's (a mirror) is crawled where it is.
    origin = _origin(start_url) if start_url else None
    base = (base_url or origin or profile.base_url).rstrip("/") + "/"
    if not _http_url(base):
        raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
    return SpiderArguments(
        profile, base, start_url, _parse_since(since), _parse_max_items(max_items)
    )


def _http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _parse_since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"since must be a date like 2018-01-31, got {value!r}") from None


def _parse_max_items(value: str | int | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"max_items must be a whole number of 1 or more, got {value!r}")
    return number
