"""Distributed mode on scrapy-redis: with `REDIS_URL` set, workers share one request queue and
one duplicate filter in Redis; without it, nothing changes (single process, no Redis).

scrapy-redis pops a request destructively, so a worker killed mid-crawl would lose the requests
it held. Here a pop is a lease instead: one Lua script moves the request from the queue into the
worker's in-flight hash, the lease is released once the request's record is written, and the
in-flight requests of a worker that stopped beating (or of this worker's killed predecessor) go
back to the queue. Workers beat on Redis's clock, so machines' clocks need not agree.

A worker paused past `REDIS_WORKER_TIMEOUT` (SIGSTOP, a suspended VM, a long GC or swap storm)
is taken for dead and its leases are crawled by another; when it resumes, whatever it still had
in hand is fenced off: the reclaim notes the lease ids it took from it ("taken"), and the
worker drops the items and requests of a taken lease instead of writing or queueing them. Each
article written in the run is also registered by canonical URL, and a worker drops an article
another one already wrote (a request crawled twice after a reclaim, a redirect followed twice).
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Self

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, DropItem
from scrapy.http import Request
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from portal_scraper.export.durable import item_written
from portal_scraper.record.model import ArticleRecord

logger = logging.getLogger(__name__)

ENV_URL, ENV_JOB, ENV_WORKER = "REDIS_URL", "REDIS_JOB", "REDIS_WORKER"
SCHEDULER_PATH = "portal_scraper.crawl.distributed.LeasingScheduler"
LEASE_ID_LENGTH = 40  # hex SHA-1 of the request fingerprint, the head of each queue member
# The signals after which a request's lease is released and its article registered as written
# (besides item_dropped/item_error): never item_scraped, so a failed write keeps its lease.
RELEASED_ON: tuple[object, ...] = (item_written,)
# Taken lease ids of a worker that never comes back are kept this long, then forgotten.
TAKEN_TTL = 7 * 24 * 3600
# After every item pipeline of the project; before every spider middleware on the engine side.
FENCE_PIPELINE_ORDER, FENCE_SPIDERMW_ORDER = 10_000, 10

# KEYS: queue, this worker's in-flight hash, idle set, this worker's taken hash. ARGV: worker.
_POP = f"""
local got = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #got == 0 then return false end
local lease = string.sub(got[1], 1, {LEASE_ID_LENGTH})
redis.call('ZREM', KEYS[1], got[1])
redis.call('HSET', KEYS[2], lease, got[2] .. ' ' .. got[1])
redis.call('HDEL', KEYS[4], lease)
redis.call('SREM', KEYS[3], ARGV[1])
return got[1]
"""
# KEYS: queue, this worker's taken hash. ARGV: score, member, lease id.
# A request whose lease was taken from this worker is another worker's now (a retry of a
# download that outlived the lease): queueing it again would crawl it twice.
_PUSH = """
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
return 1
"""
# KEYS: workers, idle set. ARGV: worker, "1" idle / "0" busy / "" unchanged.
# Returns 1 when the worker was not among the workers (its first beat, or it was taken for dead).
_BEAT = """
local t = redis.call('TIME')
local added = redis.call('ZADD', KEYS[1], tonumber(t[1]) + tonumber(t[2]) / 1000000, ARGV[1])
if ARGV[2] == '1' then redis.call('SADD', KEYS[2], ARGV[1])
elseif ARGV[2] == '0' then redis.call('SREM', KEYS[2], ARGV[1]) end
return added
"""
# KEYS: workers, idle set, queue. ARGV: seconds without a beat that mean a worker is gone,
# in-flight key prefix, a worker whose requests go back whatever its beat ("" for none), taken
# key prefix, seconds a taken hash is kept.
# The leases of a silent worker are marked taken in its taken hash: it may only be paused, and
# must not write or queue what it still holds when it resumes. A worker's own leases (its
# restart, its close) are not marked: no process holds them any more.
_RECLAIM = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[1])))
if ARGV[3] ~= '' then table.insert(gone, ARGV[3]) end
local moved = 0
for _, worker in ipairs(gone) do
  local journal = ARGV[2] .. worker
  local taken = ARGV[4] .. worker
  local own = worker == ARGV[3]
  local leases = redis.call('HGETALL', journal)
  for i = 1, #leases, 2 do
    local entry = leases[i + 1]
    local cut = string.find(entry, ' ', 1, true)
    redis.call('ZADD', KEYS[3], string.sub(entry, 1, cut - 1), string.sub(entry, cut + 1))
    if not own then redis.call('HSET', taken, leases[i], '1') end
    moved = moved + 1
  end
  if own then redis.call('DEL', taken)
  elseif #leases > 0 then redis.call('EXPIRE', taken, ARGV[5]) end
  redis.call('DEL', journal)
  redis.call('ZREM', KEYS[1], worker)
  redis.call('SREM', KEYS[2], worker)
end
return moved
"""
# KEYS: this worker's taken hash, the run's written hash. ARGV: lease id, canonical URL or "".
# Returns {"lost" | "written" | "ok", the worker that wrote the article or ""}.
_FENCE = """
if ARGV[1] ~= '' and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {'lost', ''} end
if ARGV[2] ~= '' then
  local by = redis.call('HGET', KEYS[2], ARGV[2])
  if by then return {'written', by} end
end
return {'ok', ''}
"""
# KEYS: this worker's in-flight hash, its taken hash, the run's written hash. ARGV: lease id,
# canonical URL or "", worker. Releases the lease of a written item and registers its article.
# Returns {1 if the lease had been taken from this worker, the worker that wrote it first}.
_WRITTEN = """
local lost = redis.call('HEXISTS', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
local first = ARGV[3]
if ARGV[2] ~= '' and redis.call('HSETNX', KEYS[3], ARGV[2], ARGV[3]) == 0 then
  first = redis.call('HGET', KEYS[3], ARGV[2])
end
return {lost, first}
"""
# KEYS: workers, idle set, queue, this worker's in-flight hash, duplicate filter, this worker's
# taken hash, the run's written hash. ARGV: worker.
# Other workers' taken hashes stay: a paused one may resume after the run ended and must still
# drop what it held.
_FINISH = """
redis.call('DEL', KEYS[4], KEYS[6])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[5], KEYS[7])
  return 1
end
return 0
"""


def worker_name() -> str:
    """A name for a worker process that no other process shares."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


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
        worker = settings.get("REDIS_WORKER") or os.environ.get(ENV_WORKER) or worker_name()
        prefix = f"portal-scraper:{job}"
        for name, value in {
            "REDIS_URL": url,
            "REDIS_WORKER": worker,
            "REDIS_KEY_PREFIX": prefix,
            "SCHEDULER": SCHEDULER_PATH,
            "SCHEDULER_QUEUE_CLASS": "portal_scraper.crawl.distributed.LeasedQueue",
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
    return settings.get("SCHEDULER") == SCHEDULER_PATH


def key_prefix(crawler: Crawler) -> str:
    """The Redis key prefix of the crawl's job, with the spider name filled in."""
    prefix = str(crawler.settings.get("REDIS_KEY_PREFIX"))
    name = crawler.spidercls.name if crawler.spidercls else "portal"
    return prefix % {"spider": name}


class LeasedQueue(Base):
    """Priority queue in a sorted set whose pops are leases held in the worker's in-flight hash.

    Each member is the request's lease id (its fingerprint, hashed to 40 hex digits) followed by
    the serialized request; the in-flight hash maps lease id to "score member".
    """

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        crawler = spider.crawler
        self.fingerprint = crawler.request_fingerprinter.fingerprint
        self.worker = str(crawler.settings.get("REDIS_WORKER") or worker_name())
        base = self.key.rsplit(":", 1)[0]
        self.workers_key, self.idle_key = f"{base}:workers", f"{base}:idle"
        self.inflight_prefix = f"{base}:inflight:"
        self.inflight_key = self.inflight_prefix + self.worker
        self.taken_prefix = f"{base}:taken:"
        self.taken_key = self.taken_prefix + self.worker
        self.written_key = f"{base}:written"
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self._beat = server.register_script(_BEAT)
        self._reclaim = server.register_script(_RECLAIM)
        self._fence = server.register_script(_FENCE)
        self._written = server.register_script(_WRITTEN)
        self._finish = server.register_script(_FINISH)

    def lease_id(self, request: Request) -> str:
        """The id under which `request` is queued and leased."""
        return hashlib.sha1(self.fingerprint(request)).hexdigest()

    def __len__(self) -> int:
        return int(self.server.zcard(self.key))

    def url_lease_id(self, url: str) -> str:
        """The lease id of a GET of `url` ("" when `url` cannot be requested)."""
        try:
            return self.lease_id(Request(url))
        except (TypeError, ValueError):
            return ""

    def push(self, request: Request) -> bool:
        """Queue `request`; False when its lease was taken from this worker (another has it)."""
        lease = self.lease_id(request)
        member = lease.encode() + self._encode_request(request)
        keys = [self.key, self.taken_key]
        return bool(self._push(keys=keys, args=[-request.priority, member, lease]))

    def pop(self, timeout: int = 0) -> Request | None:
        keys = [self.key, self.inflight_key, self.idle_key, self.taken_key]
        member = self._pop(keys=keys, args=[self.worker])
        if not member:
            return None
        request: Request = self._decode_request(member[LEASE_ID_LENGTH:])
        return request

    def ack(self, request: Request) -> None:
        """Release the lease on `request`: its work is done."""
        self.server.hdel(self.inflight_key, self.lease_id(request))

    def taken(self, lease: str) -> bool:
        """Whether another worker took the lease `lease` from this one (it was silent)."""
        return bool(lease) and bool(self.server.hexists(self.taken_key, lease))

    def fence(self, lease: str, canonical_url: str = "") -> tuple[str, str]:
        """May this worker write the item of `lease` (an article at `canonical_url`)?

        ("ok", ""), ("lost", "") when the lease was taken from it, or ("written", worker) when
        `worker` already wrote the article in this run.
        """
        status, by = self._fence(
            keys=[self.taken_key, self.written_key], args=[lease, canonical_url]
        )
        return status.decode(), by.decode()

    def written(self, request: Request, canonical_url: str = "") -> tuple[bool, str]:
        """Release the lease of a written item and register its article as written.

        Returns whether the lease had been taken from this worker meanwhile, and the worker
        that wrote the article first (this one, unless the article is now written twice).
        """
        keys = [self.inflight_key, self.taken_key, self.written_key]
        args = [self.lease_id(request), canonical_url, self.worker]
        lost, first = self._written(keys=keys, args=args)
        return bool(lost), first.decode()

    def in_flight(self) -> int:
        """How many leases this worker holds."""
        return int(self.server.hlen(self.inflight_key))

    def beat(self, idle: bool | None = None) -> bool:
        """Tell the other workers this one is alive (and whether it is idle).

        True when it was not among them: its first beat, or it had been taken for dead.
        """
        state = "" if idle is None else ("1" if idle else "0")
        return bool(self._beat(keys=[self.workers_key, self.idle_key], args=[self.worker, state]))

    def reclaim(self, timeout: float, own: bool = False) -> int:
        """Put back in the queue the leases of workers silent for `timeout` s (and our own)."""
        keys = [self.workers_key, self.idle_key, self.key]
        args = [
            timeout, self.inflight_prefix, self.worker if own else "", self.taken_prefix,
            TAKEN_TTL,
        ]  # fmt: skip
        return int(self._reclaim(keys=keys, args=args))

    def busy_peers(self) -> int:
        """How many other live workers are not idle."""
        pipe = self.server.pipeline(transaction=False)
        pipe.zrange(self.workers_key, 0, -1).smembers(self.idle_key)
        workers, idle = pipe.execute()
        return len(set(workers) - set(idle) - {self.worker.encode()})

    def finish(self, dupefilter_key: str) -> bool:
        """Leave the job after finishing; True when this ended the run (queue and filter reset)."""
        keys = [
            self.workers_key, self.idle_key, self.key, self.inflight_key, dupefilter_key,
            self.taken_key, self.written_key,
        ]  # fmt: skip
        return bool(self._finish(keys=keys, args=[self.worker]))


class LeasingScheduler(Scheduler):
    """scrapy-redis scheduler on a `LeasedQueue`: leases released when a request's item is done,
    a heartbeat, reclaim of stopped workers' requests, and the end of a run decided together.

    An idle worker stays while another worker is busy (it may still add requests) or its own
    idle time is under `REDIS_IDLE_WAIT`; a worker silent for `REDIS_WORKER_TIMEOUT` seconds is
    taken for dead and its requests are crawled by the others. The last worker to finish clears
    the queue and the duplicate filter, so the next run of the same `REDIS_JOB` starts afresh;
    a run left unfinished (a worker killed) is resumed by the next worker to start.
    """

    queue: LeasedQueue
    df: Any

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler: Self = super().from_crawler(crawler)
        settings = crawler.settings
        scheduler.crawler = crawler
        scheduler.idle_wait = settings.getfloat("REDIS_IDLE_WAIT", 10.0)
        scheduler.timeout = settings.getfloat("REDIS_WORKER_TIMEOUT", 60.0)
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
        self._count("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None:
            self._count("scheduler/dequeued/redis")
            self.last_activity = time.monotonic()
        return request

    def _count(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)

    def queue_beat(self) -> None:
        """Heartbeat (every quarter of `REDIS_WORKER_TIMEOUT`)."""
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
                "this worker was silent for over %.0f s (REDIS_WORKER_TIMEOUT) and taken for "
                "dead: the requests it held are crawled by other workers, and what it still "
                "had of them is dropped, not written",
                self.timeout,
            )
            self._count("redis/taken_for_dead")

    def item_written(self, item: Any, response: Any) -> None:
        """Release the lease of an item's request once its line is on disk; register the
        article as written in this run."""
        request = _request_of(response)
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
            self._count("redis/written_twice")
        elif lost:
            logger.warning(
                "%s was written after its lease went to another worker; that worker's copy is "
                "dropped when it comes",
                url or request.url,
            )
            self._count("redis/written_after_lease_lost")

    def item_dropped(self, item: Any, response: Any, exception: BaseException) -> None:
        """Release the lease of a dropped item's request (unless the lease is another's)."""
        if not isinstance(exception, LeaseLost):
            self._release(response)

    def item_error(self, item: Any, response: Any) -> None:
        """Release the lease of an item's request that a pipeline failed on."""
        self._release(response)

    def _release(self, response: Any) -> None:
        request = _request_of(response)
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
            self._count("redis/reclaimed", moved)


STAT_LEASE_LOST, STAT_ALREADY_WRITTEN = "redis/lease_lost", "redis/already_written"


class LeaseLost(DropItem):
    """An item dropped because its request's lease went to another worker (it redoes it)."""

    reason = "lease lost (another worker has it)"


class AlreadyWritten(DropItem):
    """An article dropped because another worker already wrote it in this run."""

    reason = "written by another worker"


def _request_of(response: Any) -> Request | None:
    # A Failure (an errback's output) carries its request too.
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
        queue, request = _leases(self.crawler), _request_of(response)
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
    write itself): a worker paused past `REDIS_WORKER_TIMEOUT` right between them, or between
    the write and the `item_written` release, can still write an article another worker writes
    too. That window is a few function calls (plus the fsync in archive mode); when it happens,
    the release sees it and logs an error (`redis/written_twice`).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
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
