"""Distributed mode on scrapy-redis: with `REDIS_URL` set, workers share one request queue and
one duplicate filter in Redis; without it, nothing changes (single process, no Redis)."""

from __future__ import annotations

import os
import time
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings

ENV_URL, ENV_JOB = "REDIS_URL", "REDIS_JOB"


class RedisScheduling:
    """Add-on: switch the scheduler and duplicate filter to scrapy-redis when `REDIS_URL` is set.

    `REDIS_URL` comes from the setting or the environment. Keys are namespaced by `REDIS_JOB`
    (default: the spider name) so crawls of different portal sets share one Redis safely.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get("REDIS_URL") or os.environ.get(ENV_URL)
        if not url:
            return
        job = settings.get("REDIS_JOB") or os.environ.get(ENV_JOB) or "%(spider)s"
        for name, value in {
            "REDIS_URL": url,
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            # Several workers share the queue: the first to finish must not clear it.
            "SCHEDULER_PERSIST": True,
            # Pops never block the crawl; an idle worker waits in PeerWait instead.
            "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
            "SCHEDULER_QUEUE_KEY": f"portal-scraper:{job}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"portal-scraper:{job}:dupefilter",
        }.items():
            settings.set(name, value, priority="addon")


class PeerWait:
    """Extension (distributed mode): an idle worker stays `REDIS_IDLE_WAIT` seconds after its
    last activity, checking the shared queue at each engine heartbeat, before it closes.

    The queue pops without blocking, so a busy worker never waits on Redis; an idle one waits
    here instead, for the requests other workers are still adding.
    """

    def __init__(self, wait: float) -> None:
        self.wait = wait
        self.last_activity = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if crawler.settings.get("SCHEDULER") != "scrapy_redis.scheduler.Scheduler":
            raise NotConfigured("not in distributed mode (no REDIS_URL)")
        extension = cls(crawler.settings.getfloat("REDIS_IDLE_WAIT", 10.0))
        for signal in (signals.response_received, signals.item_scraped, signals.request_scheduled):
            crawler.signals.connect(extension.active, signal=signal)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        return extension

    def active(self, *args: Any, **kwargs: Any) -> None:
        self.last_activity = time.monotonic()

    def spider_idle(self) -> None:
        if time.monotonic() - self.last_activity < self.wait:
            raise DontCloseSpider
