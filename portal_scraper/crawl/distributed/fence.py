"""The lease fence of distributed mode.

A worker paused past `PORTAL_REDIS_WORKER_TIMEOUT` (SIGSTOP, a suspended VM, a long GC or swap
storm) is taken for dead and its leases are crawled by another; when it resumes, whatever it
still had in hand is fenced off: the reclaim notes the lease ids it took from it ("taken"), and the
worker drops the items and requests of a taken lease instead of writing or queueing them. Each
article written in the run is also registered by canonical URL, and a worker drops an article
another one already wrote (a request crawled twice after a reclaim, a redirect followed twice).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Self

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import Request

from portal_scraper.contracts.stats import STAT_ALREADY_WRITTEN, STAT_LEASE_LOST
from portal_scraper.crawl.distributed.queue import LeasedQueue
from portal_scraper.record.model import ArticleRecord

logger = logging.getLogger(__name__)


class LeaseLost(DropItem):
    """An item dropped because its request's lease went to another worker (it redoes it)."""

    reason = "lease lost (another worker has it)"


class AlreadyWritten(DropItem):
    """An article dropped because another worker already wrote it in this run."""

    reason = "written by another worker"


def request_of(response: Any) -> Request | None:
    """The request of a response (or of a Failure: an errback's output carries it too)."""
    request = getattr(response, "request", None)
    return request if isinstance(request, Request) else None


def _leases(crawler: Crawler) -> LeasedQueue | None:
    queue = getattr(crawler, "_portal_leases", None)
    return queue if isinstance(queue, LeasedQueue) else None


def _stat(crawler: Crawler, key: str) -> None:
    if crawler.stats is not None:
        crawler.stats.inc_value(key)


class LeaseFenceMiddleware:
    """Spider middleware (distributed mode): what a response yields after its request's lease
    went to another worker is dropped, so a resumed worker neither writes nor queues it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterator[Any]:
        """Pass the spider's output on while the response's lease is this worker's."""
        lease = self._lease(response)
        for output in result:
            if not self._stale(response, lease, output):
                yield output

    async def process_spider_output_async(
        self, response: Any, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """As `process_spider_output`, for asynchronous callbacks."""
        lease = self._lease(response)
        async for output in result:
            if not self._stale(response, lease, output):
                yield output

    def _lease(self, response: Any) -> str:
        queue, request = _leases(self.crawler), request_of(response)
        return queue.lease_id(request) if queue is not None and request is not None else ""

    def _stale(self, response: Any, lease: str, output: Any) -> bool:
        queue = _leases(self.crawler)
        if queue is None or not lease:
            return False
        try:  # checked per output: the worker may be paused while the callback runs
            if not queue.taken(lease):
                return False
        except RedisError as exc:
            logger.warning("cannot check the lease of %s (%s): kept", response.url, exc)
            return False  # a duplicate can be removed; a lost article cannot be found
        _stat(self.crawler, STAT_LEASE_LOST)
        send = self.crawler.signals.send_catch_log
        spider = self.crawler.spider
        if isinstance(output, Request):
            logger.warning(
                "not queueing %s: %s went to another worker while this one was silent",
                output.url, response.url,
            )  # fmt: skip
            send(signal=signals.request_dropped, request=output, spider=spider)
        else:
            exception = LeaseLost(
                f"{response.url} went to another worker while this one was silent"
            )
            logger.warning("dropped the item of %s: %s", response.url, exception.reason)
            send(
                signal=signals.item_dropped, item=output, response=response,
                exception=exception, spider=spider,
            )  # fmt: skip
        return True


class LeaseFencePipeline:
    """Last item pipeline (distributed mode): an item is written only while its request's
    lease is this worker's, and an article only if no worker wrote it in this run.

    The check and the write are two steps (the feed file is local, so Redis cannot fence the
    write itself): a worker paused past `PORTAL_REDIS_WORKER_TIMEOUT` right between them, or between
    the write and the `item_written` release, can still write an article another worker writes
    too. That window is a few function calls (plus the fsync in archive mode); when it happens,
    the release sees it and logs an error (`redis/written_twice`).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: object) -> object:
        """Drop `item` when another worker has its lease or wrote its article."""
        queue = _leases(self.crawler)
        if queue is None:
            return item
        url = getattr(item, "url", None)
        # The item's page URL is its request's (article redirects are requests of their own).
        lease = queue.url_lease_id(url) if isinstance(url, str) else ""
        canonical = item.canonical_url if isinstance(item, ArticleRecord) else ""
        try:
            status, by = queue.fence(lease, canonical)
        except RedisError as exc:
            logger.warning("cannot check the lease of %s (%s): written anyway", url, exc)
            return item  # a duplicate can be removed; a lost article cannot be found
        if status == "lost":
            _stat(self.crawler, STAT_LEASE_LOST)
            logger.warning(
                "dropped %s: its lease went to another worker while this one was silent", url
            )
            raise LeaseLost(f"{url} went to another worker while this one was silent")
        if status == "written":
            _stat(self.crawler, STAT_ALREADY_WRITTEN)
            logger.info("dropped %s: %s wrote it already", canonical, by)
            raise AlreadyWritten(f"{canonical} written by {by} already")
        return item
