"""Distributed mode on scrapy-redis: with `REDIS_URL` set, workers share one request queue and
one duplicate filter in Redis; without it, nothing changes (single process, no Redis).

`addon` switches a crawl over, `queue` leases requests to workers, `scheduler` beats, reclaims
and decides the end of a run together, and `fence` keeps a worker taken for dead from writing
or queueing what it still held.
"""

from portal_scraper.crawl.distributed.addon import (
    RedisScheduling,
    is_distributed,
    key_prefix,
)
from portal_scraper.crawl.distributed.fence import (
    AlreadyWritten,
    LeaseFenceMiddleware,
    LeaseFencePipeline,
    LeaseLost,
)
from portal_scraper.crawl.distributed.queue import LeasedQueue
from portal_scraper.crawl.distributed.scheduler import LeasingScheduler

__all__ = [
    "AlreadyWritten",
    "LeaseFenceMiddleware",
    "LeaseFencePipeline",
    "LeaseLost",
    "LeasedQueue",
    "LeasingScheduler",
    "RedisScheduling",
    "is_distributed",
    "key_prefix",
]
