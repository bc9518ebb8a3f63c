"""End-of-run summary from the crawl stats: records written, rejects, field coverage."""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.spiders import Spider

from portal_scraper.normalize import RECORD_FIELDS

logger = logging.getLogger(__name__)


def format_summary(stats: dict[str, Any], rejects_uri: str | None = None) -> str:
    """A few human lines: written, rejected by stage, and the share of records with each field."""
    written = int(stats.get("records/written", 0))
    rejects = int(stats.get("rejects/count", 0))
    lines = [
        f"articles written: {written}",
        f"rejects: {rejects}"
        + (f" (see {rejects_uri})" if rejects and rejects_uri else "")
        + "".join(
            f", {key.rsplit('/', 1)[-1]}: {value}"
            for key, value in sorted(stats.items())
            if key.startswith("rejects/stage/")
        ),
        f"listing pages: {stats.get('portal/listing_pages', 0)}, "
        f"article pages: {stats.get('pages/article', 0)}",
    ]
    if written:
        coverage = ", ".join(
            f"{name} {100 * int(stats.get(f'coverage/{name}', 0)) / written:.0f}%"
            for name in RECORD_FIELDS
        )
        lines.append(f"field coverage: {coverage}")
    return "\n".join(lines)


class RunSummary:
    """Log `format_summary` when the spider closes (`RUN_SUMMARY_ENABLED` switches it off)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("RUN_SUMMARY_ENABLED", True):
            raise NotConfigured("RUN_SUMMARY_ENABLED is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        summary = format_summary(stats, self.crawler.settings.get("REJECTS_URI"))
        logger.info("run summary (%s):\n%s", reason, summary)
