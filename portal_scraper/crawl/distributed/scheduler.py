"""The scheduler of distributed mode: scrapy-redis's, on the leased queue."""

from __future__ import annotations

import logging
import time
from typing import Any, Self

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from portal_scraper.contracts.config import config
from portal_scraper.contracts.signals import item_written
from portal_scraper.contracts.stats import (
    STAT_DEQUEUED_REDIS,
    STAT_ENQUEUED_REDIS,
    STAT_LEASE_LOST,
    STAT_RECLAIMED,
    STAT_TAKEN_FOR_DEAD,
    STAT_WRITTEN_AFTER_LEASE_LOST,
    STAT_WRITTEN_TWICE,
)
from portal_scraper.crawl.distributed.fence import LeaseLost, request_of
from portal_scraper.crawl.distributed.queue import LeasedQueue
from portal_scraper.record.model import ArticleRecord

logger = logging.getLogger(__name__)
# The signals after which a request's lease is released and its article registered as written
# (besides item_dropped/item_error): never item_scraped, so a failed write keeps its lease.
RELEASED_ON: tuple[object, ...] = (item_written,)


# scrapy-redis is untyped: its base class is Any to mypy.
class LeasingScheduler(Scheduler):  # type: ignore[misc, unused-ignore]
    """scrapy-redis scheduler on a `LeasedQueue`: leases released when a request's item is done,
    a heartbeat, reclaim of stopped workers' requests, and the end of a run decided together.

    An idle worker stays while another worker is busy (it may still add requests) or its own
    idle time is under `PORTAL_REDIS_IDLE_WAIT`; a worker silent for `PORTAL_REDIS_WORKER_TIMEOUT`
    seconds is taken for dead and its requests are crawled by the others. The last worker to
    finish clears the queue and the duplicate filter, so the next run of the same
    `PORTAL_REDIS_JOB` starts afresh; a run left unfinished (a worker killed) is resumed by the
    next worker to start.
    """

    queue: LeasedQueue
    df: Any

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler: Self = super().from_crawler(crawler)
        scheduler.crawler = crawler
        own = config(crawler)
        scheduler.idle_wait = own.redis_idle_wait
        scheduler.timeout = own.redis_worker_timeout
        scheduler.last_activity = time.monotonic()
        scheduler.heartbeat = LoopingCall(scheduler.queue_beat)
        for signal in RELEASED_ON:
            crawler.signals.connect(scheduler.item_written, signal=signal)
        crawler.signals.connect(scheduler.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(scheduler.item_error, signal=signals.item_error)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Any) -> None:
        # As scrapy-redis's open(), without the calls Scrapy 2.13+ deprecates.
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        # A killed run of this same worker (an archive job restarted) left leases: crawl them.
        moved = self.queue.reclaim(self.timeout, own=True)
        self.queue.beat(idle=False)
        self.crawler._portal_leases = self.queue
        self._count_reclaimed(moved)
        logger.info(
            "worker %s joined %s: %d requests queued, %d taken back from stopped workers",
            self.queue.worker, self.queue.key, len(self.queue), moved,
        )  # fmt: skip
        self.heartbeat.start(max(self.timeout / 4, 0.5), now=False)

    def close(self, reason: str) -> None:
        if self.heartbeat.running:
            self.heartbeat.stop()
        if reason == "finished":
            if self.queue.finish(self.df.key):
                logger.info("run of %s complete: queue and duplicate filter reset", self.queue.key)
        else:
            moved = self.queue.reclaim(self.timeout, own=True)
            logger.info("closing (%s): %d leased requests put back in the queue", reason, moved)
        super().close(reason)

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if not self.queue.push(request):
            logger.warning(
                "not queueing %s again: its lease went to another worker meanwhile", request.url
            )
            self._count(STAT_LEASE_LOST)
            return False
        self._count(STAT_ENQUEUED_REDIS)
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None:
            self._count(STAT_DEQUEUED_REDIS)
            self.last_activity = time.monotonic()
        return request

    def _count(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)

    def queue_beat(self) -> None:
        """Heartbeat (every quarter of `PORTAL_REDIS_WORKER_TIMEOUT`)."""
        try:
            self._rejoined(self.queue.beat())
        except RedisError as exc:  # a blip must not stop the heartbeats for good
            logger.warning(
                "heartbeat to Redis failed (%s): after %.0f s without one, other workers take "
                "this worker's requests back",
                exc, self.timeout,
            )  # fmt: skip

    def _rejoined(self, absent: bool) -> None:
        if absent:
            logger.warning(
                "this worker was silent for over %.0f s (PORTAL_REDIS_WORKER_TIMEOUT) and taken "
                "for dead: the requests it held are crawled by other workers, and what it still "
                "had of them is dropped, not written",
                self.timeout,
            )
            self._count(STAT_TAKEN_FOR_DEAD)

    def item_written(self, item: object, response: Response | None) -> None:
        """Release the lease of an item's request once its line is on disk; register the
        article as written in this run."""
        request = request_of(response)
        self.last_activity = time.monotonic()
        if request is None:
            return
        url = item.canonical_url if isinstance(item, ArticleRecord) else ""
        lost, first = self.queue.written(request, url)
        if first != self.queue.worker:
            # The window no fence closes (see LeaseFencePipeline): said loudly, so the
            # duplicate can be removed from one of the outputs.
            logger.error(
                "%s is written twice: %s wrote it too (this worker was paused between its check "
                "and its write, or both fetched it at once)",
                url, first,
            )  # fmt: skip
            self._count(STAT_WRITTEN_TWICE)
        elif lost:
            logger.warning(
                "%s was written after its lease went to another worker; that worker's copy is "
                "dropped when it comes",
                url or request.url,
            )
            self._count(STAT_WRITTEN_AFTER_LEASE_LOST)

    def item_dropped(self, item: Any, response: Any, exception: BaseException) -> None:
        """Release the lease of a dropped item's request (unless the lease is another's)."""
        if not isinstance(exception, LeaseLost):
            self._release(response)

    def item_error(self, item: Any, response: Any) -> None:
        """Release the lease of an item's request that a pipeline failed on."""
        self._release(response)

    def _release(self, response: Any) -> None:
        request = request_of(response)
        if request is not None:
            self.queue.ack(request)
        self.last_activity = time.monotonic()

    def spider_idle(self) -> None:
        self._rejoined(self.queue.beat(idle=True))
        moved = self.queue.reclaim(self.timeout)
        self._count_reclaimed(moved)
        queued, busy = len(self.queue), self.queue.busy_peers()
        idle_for = time.monotonic() - self.last_activity
        logger.debug("idle: %d queued, %d busy workers, idle for %.1f s", queued, busy, idle_for)
        if moved or queued or busy or idle_for < self.idle_wait:
            raise DontCloseSpider

    def _count_reclaimed(self, moved: int) -> None:
        if moved:
            logger.warning("%d requests of stopped workers put back in the queue", moved)
            self._count(STAT_RECLAIMED, moved)
