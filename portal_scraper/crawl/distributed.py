"""Distributed mode on scrapy-redis: with `REDIS_URL` set, workers share one request queue and
one duplicate filter in Redis; without it, nothing changes (single process, no Redis)."""

from __future__ import annotations

import os

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
            # FIFO pops can wait: a worker idles this long for others' requests before closing.
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.FifoQueue",
            "SCHEDULER_IDLE_BEFORE_CLOSE": settings.getint("SCHEDULER_IDLE_BEFORE_CLOSE") or 2,
            "SCHEDULER_QUEUE_KEY": f"portal-scraper:{job}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"portal-scraper:{job}:dupefilter",
        }.items():
            settings.set(name, value, priority="addon")
