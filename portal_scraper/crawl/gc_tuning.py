"""Fewer cyclic garbage collections during a crawl (`PORTAL_GC_THRESHOLD`).

A crawl allocates many short-lived objects (element proxies, dicts, Deferreds) that reference
counting frees; with Python's default threshold (700) the cyclic collector still runs about
twice per page on real-size pages. A higher first threshold cuts those passes without keeping
garbage: cycles are still collected, just less often.
"""

from __future__ import annotations

import gc
import logging
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from portal_scraper.contracts.config import config

logger = logging.getLogger(__name__)


class GcTuning:
    """Extension: set the collector's thresholds at engine start, restore them at its stop."""

    def __init__(self, thresholds: tuple[int, ...]) -> None:
        self.thresholds = thresholds
        self.previous = gc.get_threshold()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        value = config(crawler).gc_threshold
        if not value:
            raise NotConfigured("PORTAL_GC_THRESHOLD is not set")
        try:
            thresholds = tuple(int(v) for v in value)
        except ValueError:
            raise NotConfigured(f"PORTAL_GC_THRESHOLD must be integers, got {value!r}") from None
        if not 1 <= len(thresholds) <= 3 or min(thresholds) < 1:
            raise NotConfigured(
                f"PORTAL_GC_THRESHOLD takes 1 to 3 positive integers, got {value!r}"
            )
        extension = cls(thresholds)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        # Objects alive at start (modules, settings, the engine) stay: stop scanning them.
        gc.freeze()
        gc.set_threshold(*self.thresholds)
        logger.debug("GC thresholds %s (were %s)", self.thresholds, self.previous)

    def engine_stopped(self) -> None:
        gc.set_threshold(*self.previous)
        gc.unfreeze()
