"""Site profiles: plain code of (url, html) that turns a page into a `RawArticle`."""

from __future__ import annotations

from portal_scraper.extract.base import (
    Listing,
    ListingEntry,
    NotAnArticle,
    Profile,
    RawArticle,
)
from portal_scraper.extract.bentre_city import BenTreCity
from portal_scraper.extract.generic import Generic
from portal_scraper.extract.page import decode_html, decode_page, parse_html

GENERIC = Generic()
# Site profiles, asked in order; the generic profile answers for every other page.
SITE_PROFILES: tuple[Profile, ...] = (BenTreCity(),)
PROFILES: dict[str, Profile] = {p.id: p for p in (*SITE_PROFILES, GENERIC)}


class UnknownSite(LookupError):
    """No site profile has the requested id or claims the URL."""


def get_profile(site_id: str) -> Profile:
    """The profile with id `site_id`."""
    try:
        return PROFILES[site_id]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise UnknownSite(f"unknown site {site_id!r}; known sites: {known}") from None


def profile_for_url(url: str) -> Profile:
    """The site profile whose hosts include `url`'s host, else the generic profile."""
    for profile in SITE_PROFILES:
        if profile.matches(url):
            return profile
    return GENERIC


def extract(
    url: str, body: bytes, headers: dict[str, str] | None = None, profile: Profile | None = None
) -> RawArticle:
    """Decode, parse and extract one page with its site's profile."""
    profile = profile or profile_for_url(url)
    decoded = decode_page(body, headers)
    raw = profile.extract(url, parse_html(decoded.text))
    raw.encoding_conflict = decoded.conflict
    return raw


__all__ = [
    "GENERIC",
    "PROFILES",
    "Listing",
    "ListingEntry",
    "NotAnArticle",
    "Profile",
    "RawArticle",
    "UnknownSite",
    "decode_html",
    "decode_page",
    "extract",
    "get_profile",
    "parse_html",
    "profile_for_url",
]
