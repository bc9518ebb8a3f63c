"""Profiles: plain code of (url, html) that turns a page into a `RawArticle`.

A page is read by the profile of its site (a site file in `portal_scraper/sites/`, claimed by
host or named by id), else by the platform profile its markup shows (`extract/platforms/`), else
by the generic profile.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from lxml.html import HtmlElement

from portal_scraper.extract.base import (
    Listing,
    ListingEntry,
    NotAnArticle,
    Postback,
    Profile,
    RawArticle,
)
from portal_scraper.extract.page import decode_html, decode_page, parse_html
from portal_scraper.extract.platforms import PLATFORMS, Detecting, detect_platform
from portal_scraper.extract.sites import (
    SITES_ENV,
    SiteFileError,
    SiteProfile,
    bundled_site_files,
    extra_site_files,
    load_site,
    load_sites,
)

# The generic profile: hands a page of a known platform to that platform's profile.
GENERIC: Profile = Detecting()
# The package's site profiles, asked in order by host; the generic profile answers the rest.
SITE_PROFILES: tuple[SiteProfile, ...] = tuple(load_sites(bundled_site_files()))
PROFILES: dict[str, Profile] = {p.id: p for p in (*SITE_PROFILES, *PLATFORMS.values(), GENERIC)}


class UnknownSite(LookupError):
    """No site profile has the requested id or claims the URL."""


@cache
def _extra_sites(folder: str) -> tuple[SiteProfile, ...]:
    """The site files of `PORTAL_SITES_DIR` (read once per folder)."""
    return tuple(load_sites(extra_site_files({SITES_ENV: folder})))


def site_profiles() -> tuple[SiteProfile, ...]:
    """The site profiles: those of `PORTAL_SITES_DIR` (if set) first, then the package's."""
    folder = os.environ.get(SITES_ENV)
    return (*_extra_sites(folder), *SITE_PROFILES) if folder else SITE_PROFILES


def get_profile(site: str) -> Profile:
    """The profile with id `site` (a site, a platform, or "generic"), or the site file at
    path `site` (ending in `.toml`)."""
    if site.endswith(".toml"):
        return load_site(Path(site))
    for profile in site_profiles():
        if profile.id == site:
            return profile
    try:
        return PROFILES[site]
    except KeyError:
        known = ", ".join(sorted({*PROFILES, *(p.id for p in site_profiles())}))
        raise UnknownSite(f"unknown site {site!r}; known sites: {known}") from None


def profile_for_url(url: str) -> Profile:
    """The site profile whose hosts include `url`'s host, else the generic profile."""
    for profile in site_profiles():
        if profile.matches(url):
            return profile
    return GENERIC


def profile_for_page(url: str, doc: HtmlElement, profile: Profile | None = None) -> Profile:
    """The profile that reads the parsed page: `profile` (default: the site claiming the URL),
    or, when that is the generic profile, the platform the page's markup shows."""
    return (profile or profile_for_url(url)).for_page(url, doc)


def read_page(
    url: str, body: bytes, headers: dict[str, str] | None = None, profile: Profile | None = None
) -> tuple[RawArticle, Profile]:
    """Decode, parse and extract one page; with the profile that read it."""
    decoded = decode_page(body, headers)
    doc = parse_html(decoded.text, decoded.utf8)
    given = profile or profile_for_url(url)
    chosen = given.for_page(url, doc, decoded.text)
    try:
        raw = chosen.extract(url, doc, decoded.text)
    except NotAnArticle:
        if chosen is given:
            raise
        # A platform's rules know its usual markup; a variant they miss may still read as an
        # article by the profile the page was given (extraction changed the tree: parse again).
        try:
            raw, chosen = given.extract(url, parse_html(decoded.text), decoded.text), given
        except NotAnArticle:
            pass
        else:
            raw.encoding_conflict = decoded.conflict
            return raw, chosen
        raise
    raw.encoding_conflict = decoded.conflict
    return raw, chosen


def extract(
    url: str, body: bytes, headers: dict[str, str] | None = None, profile: Profile | None = None
) -> RawArticle:
    """Decode, parse and extract one page with its site's (or platform's) profile."""
    return read_page(url, body, headers, profile)[0]


__all__ = [
    "GENERIC",
    "PLATFORMS",
    "PROFILES",
    "Listing",
    "ListingEntry",
    "NotAnArticle",
    "Postback",
    "Profile",
    "RawArticle",
    "SiteFileError",
    "SiteProfile",
    "UnknownSite",
    "decode_html",
    "decode_page",
    "detect_platform",
    "extract",
    "get_profile",
    "load_site",
    "parse_html",
    "profile_for_page",
    "profile_for_url",
    "read_page",
]
