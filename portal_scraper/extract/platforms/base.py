"""What a platform profile adds to a profile: named selectors and a markup test."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from portal_scraper.extract.base import Profile
from portal_scraper.extract.selectors import Selector, Selectors


class PlatformProfile(Profile):
    """A platform's rules: its selectors by name (a site file may replace any) and `detect`."""

    # The platform's selectors by name, kept apart from the logic that reads them.
    SELECTORS: ClassVar[Mapping[str, Selector]]

    # A site file's `article_paths`: when given, they replace the platform's article URL test
    # (in its listings too).
    article_paths: tuple[str, ...] = ()

    def __init__(self, overrides: Mapping[str, Selector] | None = None) -> None:
        """`overrides`: a site's selectors by name; `KeyError` names one the platform lacks."""
        self.selectors = Selectors(self.SELECTORS, overrides)

    def site_article_url(self, url: str) -> bool | None:
        """Whether `url` is under the site's `article_paths` (any case); None without them."""
        if not self.article_paths:
            return None
        path = urlsplit(url).path.lower()
        return any(path.startswith(p.lower()) for p in self.article_paths)

    @classmethod
    def may_be(cls, source: str) -> bool:
        """False when the page's source text cannot be this platform's (a quick test, before
        `detect` reads the parsed page): the markers `detect` needs are not in it."""
        return True

    @classmethod
    def detect(cls, doc: HtmlElement) -> bool:
        """True when the parsed page is this platform's and shows the markup its rules read."""
        raise NotImplementedError
