"""Item pipelines: `Page` -> extract -> normalize -> validate -> `ArticleItem` or `Reject`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from portal_scraper.crawl.ledger import Skip, digest
from portal_scraper.extract import Profile, RawArticle
from portal_scraper.items import ArticleItem, Page, Reject
from portal_scraper.process import extract_stage, normalize_stage, validate_stage

logger = logging.getLogger(__name__)


@dataclass
class Extracted:
    """Between the extract and normalize stages: the page and what its profile read."""

    page: Page
    raw: RawArticle


class _Stage:
    """Shared plumbing: the crawler's stats and the spider's site profile."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def profile(self) -> Profile:
        profile: Profile = self.crawler.spider.profile  # type: ignore[union-attr]
        return profile


class ExtractPipeline(_Stage):
    """Run the site profile on each fetched page."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Page):
            return item
        self.stats.inc_value("pages/article")
        raw = extract_stage(item, self.profile)
        if isinstance(raw, Reject):
            return raw
        if raw.encoding_conflict:
            self.stats.inc_value("encoding/conflicts")
            logger.warning("charset evidence disagrees for %s: %s", item.url, raw.encoding_conflict)
        return Extracted(item, raw)


class NormalizePipeline(_Stage):
    """Turn extracted fields into the record (text rules, dates, URLs, sanitized HTML)."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Extracted):
            return item
        record = normalize_stage(item.raw, item.page, self.profile)
        return record if isinstance(record, Reject) else ArticleItem(record)


class ValidatePipeline(_Stage):
    """Check records against the schema; count rejects; drop an article repeated in this run."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._seen: set[bytes] = set()  # digests: memory stays small on long crawls

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ArticleItem):
            reject = validate_stage(item, self.profile)
            if reject is None:
                return self._accept(item)
            item = reject
        if isinstance(item, Reject):
            # Counted once its line is on disk (export.report), not here.
            logger.warning("reject (%s) %s: %s", item.stage, item.url, item.reason)
        return item

    def _accept(self, item: ArticleItem) -> ArticleItem:
        since = getattr(self.crawler.spider, "since", None)
        published = item.get("published_at")
        if since and published and published[:10] < since.isoformat():
            # Listings without dates cannot be cut by `since`; the article's own date can.
            raise Skip("published before since", f"{published}: {item['canonical_url']}")
        # The same URL again, or the same title and text under another URL (a session id or
        # a tracking parameter the canonical form does not know): one record per article.
        keys = (
            digest(item["canonical_url"]),
            digest(f"{item['title']}\0{item['content_sha256']}"),
        )
        if any(key in self._seen for key in keys):
            self.stats.inc_value("records/duplicate")
            raise Skip("duplicate of an article written in this run", item["canonical_url"])
        self._seen.update(keys)
        return item
