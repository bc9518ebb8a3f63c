"""The add-on that switches a crawl to distributed mode when `REDIS_URL` is set."""

from __future__ import annotations

import os

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from portal_scraper.contracts.config import (
    ENV_JOB,
    ENV_URL,
    ENV_WORKER,
    config,
    from_environment,
    worker_name,
)
from portal_scraper.crawl.distributed.fence import LeaseFenceMiddleware, LeaseFencePipeline

SCHEDULER_PATH = "portal_scraper.crawl.distributed.scheduler.LeasingScheduler"
QUEUE_PATH = "portal_scraper.crawl.distributed.queue.LeasedQueue"
# After every item pipeline of the project; before every spider middleware on the engine side.
FENCE_PIPELINE_ORDER, FENCE_SPIDERMW_ORDER = 10_000, 10


class RedisScheduling:
    """Add-on: switch the scheduler and duplicate filter to scrapy-redis when `REDIS_URL` is set.

    `REDIS_URL` comes from the setting or the environment. Keys are namespaced by `PORTAL_REDIS_JOB`
    (default: the spider name) so crawls of different portal sets share one Redis safely.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get("REDIS_URL") or os.environ.get(ENV_URL)
        if not url:
            return
        job = settings.get("PORTAL_REDIS_JOB") or from_environment(ENV_JOB) or "%(spider)s"
        worker = (
            settings.get("PORTAL_REDIS_WORKER") or from_environment(ENV_WORKER) or worker_name()
        )
        prefix = f"portal-scraper:{job}"
        for name, value in {
            "REDIS_URL": url,
            "PORTAL_REDIS_WORKER": worker,
            "PORTAL_REDIS_KEY_PREFIX": prefix,
            "SCHEDULER": SCHEDULER_PATH,
            "SCHEDULER_QUEUE_CLASS": QUEUE_PATH,
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            # Several workers share the queue: the first to finish must not clear it.
            "SCHEDULER_PERSIST": True,
            # Pops never block the crawl; an idle worker waits in spider_idle instead.
            "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
            "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        }.items():
            settings.set(name, value, priority="addon")
        settings.set_in_component_priority_dict(
            "ITEM_PIPELINES", LeaseFencePipeline, FENCE_PIPELINE_ORDER
        )
        settings.set_in_component_priority_dict(
            "SPIDER_MIDDLEWARES", LeaseFenceMiddleware, FENCE_SPIDERMW_ORDER
        )


def is_distributed(settings: BaseSettings) -> bool:
    """Whether the crawl runs in distributed mode (the add-on saw `REDIS_URL`)."""
    return bool(settings.get("SCHEDULER") == SCHEDULER_PATH)


def key_prefix(crawler: Crawler) -> str:
    """The Redis key prefix of the crawl's job, with the spider name filled in."""
    prefix = str(config(crawler).redis_key_prefix)
    name = crawler.spidercls.name if crawler.spidercls else "portal"
    return prefix % {"spider": name}
