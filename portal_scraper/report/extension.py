"""Extension: count what is written, build the run's report at the end, log it and save it."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from twisted.python.failure import Failure

from portal_scraper.contracts.config import config
from portal_scraper.contracts.meta import LISTING, META_ROLE, META_ROUTE, SOURCE_ROLES
from portal_scraper.contracts.signals import item_written, report_built
from portal_scraper.contracts.stats import (
    STAT_EXIT_CODE,
    STAT_REJECTED_LISTINGS,
    STAT_REJECTS,
    STAT_WRITTEN,
    coverage,
    rejects_by_reason,
    rejects_by_stage,
    written_by_route,
    written_by_site,
)
from portal_scraper.crawl.state import state_owner
from portal_scraper.record.model import ArticleRecord, Reject, is_empty
from portal_scraper.report.build import EXIT_FAILED, build_report, format_report

logger = logging.getLogger(__name__)


class RunReport:
    """Extension: count what is written; at the end log the summary, write `PORTAL_REPORT_PATH`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        own = config(crawler)
        self.path = Path(own.report_path) if own.report_path else None
        self.max_reject_rate = own.report_max_reject_rate
        self.max_coverage_drop = own.report_max_coverage_drop

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not config(crawler).run_report_enabled:
            raise NotConfigured("PORTAL_RUN_REPORT_ENABLED is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.item_written, signal=item_written)
        # After spider_closed, when the core stats hold the finish time and reason.
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def item_written(self, item: object, response: Response | None) -> None:
        """Count what is on disk: records per site and the fields each has; rejects by reason."""
        stats = self.crawler.stats
        assert stats is not None
        meta = getattr(getattr(response, "request", None), "meta", None) or {}
        if isinstance(item, Reject):
            stats.inc_value(STAT_REJECTS)
            stats.inc_value(rejects_by_stage(item.stage))
            stats.inc_value(rejects_by_reason(item.stage, item.reason))
            # A listing, sitemap or feed that cannot be read is no article page.
            if meta.get(META_ROLE) in (LISTING, *SOURCE_ROLES):
                stats.inc_value(STAT_REJECTED_LISTINGS)
            return
        if not isinstance(item, ArticleRecord):
            return
        stats.inc_value(STAT_WRITTEN)
        if meta.get(META_ROUTE):
            # A home-page crawl: the route that found the article first (discovery.py).
            stats.inc_value(written_by_route(meta[META_ROUTE]))
        stats.inc_value(written_by_site(item.site))
        for name, value in ItemAdapter(item).items():
            if not is_empty(value):
                stats.inc_value(coverage(item.site, name))

    def engine_stopped(self) -> None:
        """Build the run's report, hand it to the state store's owner, write the report file."""
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        # The owner closes the store on this same signal, after this receiver (EXTENSIONS order).
        owner = state_owner(self.crawler)
        previous = owner.store.last_report() if owner else None
        report = build_report(stats, previous, self.max_reject_rate, self.max_coverage_drop)
        self.crawler.stats.set_value(STAT_EXIT_CODE, report["exit_code"])
        try:
            # Failures come back as results: they are this run's failure, said once, below.
            results = self.crawler.signals.send_catch_log(
                signal=report_built, report=report, dont_log=Exception
            )
            for _receiver, result in results:
                if isinstance(result, Failure):
                    result.raiseException()
            if self.path:
                self.write(report, self.path)
        except Exception as exc:  # a full disk: the run must not look healthy
            message = f"the run report could not be saved: {type(exc).__name__}: {exc}"
            logger.error(message)
            report["failures"].append(message)
            report["exit_code"] = EXIT_FAILED
            self.crawler.stats.set_value(STAT_EXIT_CODE, EXIT_FAILED)
        logger.info("run report:\n%s", format_report(report))

    @staticmethod
    def write(report: dict[str, Any], path: Path) -> None:
        """Write `report` to `path` whole (a temporary file, then a rename), or raise."""
        text = json.dumps(report, ensure_ascii=False, indent=2)
        if path.exists() and not path.is_file():
            # A device or a pipe (/dev/stdout): written into, never replaced by a file.
            with path.open("w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, path)
        except OSError:
            partial.unlink(missing_ok=True)
            raise
