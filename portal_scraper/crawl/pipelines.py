"""Item pipeline: each fetched `Page` through `process_page`, then this run's own checks."""

from __future__ import annotations

import logging
import warnings
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.statscollectors import StatsCollector

from portal_scraper.contracts.stats import (
    STAT_ARTICLE_PAGES,
    STAT_DUPLICATE,
    STAT_ENCODING_CONFLICTS,
)
from portal_scraper.crawl.ledger import Skip, digest
from portal_scraper.extract import Profile
from portal_scraper.record.model import ArticleRecord, Reject
from portal_scraper.record.page import Page
from portal_scraper.record.stages import process_page

logger = logging.getLogger(__name__)


class StagesPipeline:
    """Extract, normalize and validate each page with the spider's profile (as every tool does);
    drop what this run must not write twice or was told to leave out (`since`)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats
        self._seen: set[bytes] = set()  # digests: memory stays small on long crawls

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def profile(self) -> Profile:
        """The spider's site profile (chosen by `-a site` or the start URL)."""
        profile: Profile = self.crawler.spider.profile  # type: ignore[union-attr]
        return profile

    def process_item(self, item: object) -> object:
        if isinstance(item, Page):
            item = self._process(item)
        if isinstance(item, Reject):
            # Counted once its line is on disk (the run report), not here.
            logger.warning("reject (%s) %s: %s", item.stage, item.url, item.reason)
        return item

    def _process(self, page: Page) -> ArticleRecord | Reject:
        self.stats.inc_value(STAT_ARTICLE_PAGES)
        conflicts: list[str] = []
        result = process_page(page, self.profile, conflicts)
        for conflict in conflicts:
            self.stats.inc_value(STAT_ENCODING_CONFLICTS)
            logger.warning("charset evidence disagrees for %s: %s", page.url, conflict)
        return result if isinstance(result, Reject) else self._accept(result)

    def _accept(self, record: ArticleRecord) -> ArticleRecord:
        since = getattr(self.crawler.spider, "since", None)
        published = record.published_at
        if since and published and published[:10] < since.isoformat():
            # Listings without dates cannot be cut by `since`; the article's own date can.
            raise Skip("published before since", f"{published}: {record.canonical_url}")
        # The same URL again, or the same title and text under another URL (a session id or
        # a tracking parameter the canonical form does not know): one record per article.
        keys = (
            digest(record.canonical_url),
            digest(f"{record.title}\0{record.content_sha256}"),
        )
        if any(key in self._seen for key in keys):
            self.stats.inc_value(STAT_DUPLICATE)
            raise Skip("duplicate of an article written in this run", record.canonical_url)
        self._seen.update(keys)
        return record


class ExtractPipeline(StagesPipeline):
    """Deprecated name (the three stages are one pipeline now): runs `StagesPipeline`."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        _renamed("ExtractPipeline", "StagesPipeline")
        return cls(crawler)


class _Merged:
    """Deprecated: a stage `StagesPipeline` runs now; items pass through unchanged."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        _renamed(cls.__name__, "StagesPipeline (which runs every stage)")
        return cls()

    def process_item(self, item: object) -> object:
        return item


class NormalizePipeline(_Merged):
    """Deprecated: normalizing is part of `StagesPipeline`."""


class ValidatePipeline(_Merged):
    """Deprecated: validating is part of `StagesPipeline`."""


def _renamed(old: str, new: str) -> None:
    warnings.warn(
        f"the item pipeline {old} is now {new}; the old name goes in the next release",
        ScrapyDeprecationWarning,
        stacklevel=3,
    )
