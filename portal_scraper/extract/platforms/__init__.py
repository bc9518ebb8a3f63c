"""Platform profiles: the rules of a portal platform, chosen by the page's markup, not its host.

Each platform class has `detect(doc)`: True when the page is that platform's and shows the
markup its rules read. `detect_platform` asks them in order; the generic profile (`Detecting`)
hands such a page, article or listing, to the platform's rules.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml.html import HtmlElement

from portal_scraper.extract.base import Listing, Profile
from portal_scraper.extract.generic import Generic
from portal_scraper.extract.platforms.base import PlatformProfile
from portal_scraper.extract.platforms.dnn import Dnn
from portal_scraper.extract.platforms.sharepoint2013 import SharePoint2013
from portal_scraper.extract.selectors import Selector

# Platform classes by id, asked in this order by `detect_platform`.
PLATFORM_CLASSES: dict[str, type[PlatformProfile]] = {
    SharePoint2013.id: SharePoint2013,
    Dnn.id: Dnn,
}
# One profile per platform with its own selectors (what a page with no site file gets).
PLATFORMS: dict[str, Profile] = {pid: cls() for pid, cls in PLATFORM_CLASSES.items()}


def detect_platform(doc: HtmlElement, source: str | None = None) -> Profile | None:
    """The profile of the platform whose markup the parsed page (with its `source` text, when
    at hand) shows, or None."""
    for platform_id, cls in PLATFORM_CLASSES.items():
        if source is not None and not cls.may_be(source):
            continue
        if cls.detect(doc):
            return PLATFORMS[platform_id]
    return None


def platform_profile(platform_id: str, overrides: Mapping[str, Selector] | None = None) -> Profile:
    """A profile of platform `platform_id` with a site's selector overrides.

    `KeyError` names an unknown platform id or selector name."""
    return PLATFORM_CLASSES[platform_id](overrides)


def selector_names(platform_id: str) -> tuple[str, ...]:
    """The selector names a site file may override on platform `platform_id`."""
    return tuple(PLATFORM_CLASSES[platform_id].SELECTORS)


class Detecting(Generic):
    """The generic profile: a page whose markup shows a known platform is read by its rules."""

    def for_page(self, url: str, doc: HtmlElement, source: str | None = None) -> Profile:
        """The detected platform's profile, else the generic one."""
        return detect_platform(doc, source) or self

    def parse_listing(self, url: str, doc: HtmlElement) -> Listing:
        """The platform's listing rules when the page shows one, else the generic ones."""
        platform = detect_platform(doc)
        if platform is None:
            return super().parse_listing(url, doc)
        listing = platform.parse_listing(url, doc)
        if not listing.articles:
            # A variant of the platform's markup its rules miss: the generic links, with the
            # paging both found.
            generic = super().parse_listing(url, doc)
            listing.articles = generic.articles
            listing.next_pages += [u for u in generic.next_pages if u not in listing.next_pages]
        return listing
