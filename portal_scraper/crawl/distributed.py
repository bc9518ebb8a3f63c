"""Distributed mode on scrapy-redis: with `REDIS_URL` set, workers share one request queue and
one duplicate filter in Redis; without it, nothing changes (single process, no Redis).

scrapy-redis pops a request destructively, so a worker killed mid-crawl would lose the requests
it held. Here a pop is a lease instead: one Lua script moves the request from the queue into the
worker's in-flight hash, the lease is released once the request's record is written, and the
in-flight requests of a worker that stopped beating (or of this worker's killed predecessor) go
back to the queue. Workers beat on Redis's clock, so machines' clocks need not agree.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
import uuid
from typing import Any, Self

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

logger = logging.getLogger(__name__)

ENV_URL, ENV_JOB, ENV_WORKER = "REDIS_URL", "REDIS_JOB", "REDIS_WORKER"
SCHEDULER_PATH = "portal_scraper.crawl.distributed.LeasingScheduler"
LEASE_ID_LENGTH = 40  # hex SHA-1 of the request fingerprint, the head of each queue member

# KEYS: queue, this worker's in-flight hash, idle set. ARGV: worker.
_POP = f"""
local got = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #got == 0 then return false end
redis.call('ZREM', KEYS[1], got[1])
redis.call('HSET', KEYS[2], string.sub(got[1], 1, {LEASE_ID_LENGTH}), got[2] .. ' ' .. got[1])
redis.call('SREM', KEYS[3], ARGV[1])
return got[1]
"""
# KEYS: workers, idle set. ARGV: worker, "1" idle / "0" busy / "" unchanged.
_BEAT = """
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) + tonumber(t[2]) / 1000000, ARGV[1])
if ARGV[2] == '1' then redis.call('SADD', KEYS[2], ARGV[1])
elseif ARGV[2] == '0' then redis.call('SREM', KEYS[2], ARGV[1]) end
return 1
"""
# KEYS: workers, idle set, queue. ARGV: seconds without a beat that mean a worker is gone,
# in-flight key prefix, a worker whose requests go back whatever its beat ("" for none).
_RECLAIM = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[1])))
if ARGV[3] ~= '' then table.insert(gone, ARGV[3]) end
local moved = 0
for _, worker in ipairs(gone) do
  local journal = ARGV[2] .. worker
  for _, entry in ipairs(redis.call('HVALS', journal)) do
    local cut = string.find(entry, ' ', 1, true)
    redis.call('ZADD', KEYS[3], string.sub(entry, 1, cut - 1), string.sub(entry, cut + 1))
    moved = moved + 1
  end
  redis.call('DEL', journal)
  redis.call('ZREM', KEYS[1], worker)
  redis.call('SREM', KEYS[2], worker)
end
return moved
"""
# KEYS: workers, idle set, queue, this worker's in-flight hash, duplicate filter. ARGV: worker.
_FINISH = """
redis.call('DEL', KEYS[4])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[5])
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
        self._pop = server.register_script(_POP)
        self._beat = server.register_script(_BEAT)
        self._reclaim = server.register_script(_RECLAIM)
        self._finish = server.register_script(_FINISH)

    def lease_id(self, request: Request) -> str:
        """The id under which `request` is queued and leased."""
        return hashlib.sha1(self.fingerprint(request)).hexdigest()

    def __len__(self) -> int:
        return int(self.server.zcard(self.key))

    def push(self, request: Request) -> None:
        member = self.lease_id(request).encode() + self._encode_request(request)
        self.server.execute_command("ZADD", self.key, -request.priority, member)

    def pop(self, timeout: int = 0) -> Request | None:
        member = self._pop(keys=[self.key, self.inflight_key, self.idle_key], args=[self.worker])
        if not member:
            return None
        request: Request = self._decode_request(member[LEASE_ID_LENGTH:])
        return request

    def ack(self, request: Request) -> None:
        """Release the lease on `request`: its work is written."""
        self.server.hdel(self.inflight_key, self.lease_id(request))

    def in_flight(self) -> int:
        """How many leases this worker holds."""
        return int(self.server.hlen(self.inflight_key))

    def beat(self, idle: bool | None = None) -> None:
        """Tell the other workers this one is alive (and whether it is idle)."""
        state = "" if idle is None else ("1" if idle else "0")
        self._beat(keys=[self.workers_key, self.idle_key], args=[self.worker, state])

    def reclaim(self, timeout: float, own: bool = False) -> int:
        """Put back in the queue the leases of workers silent for `timeout` s (and our own)."""
        keys = [self.workers_key, self.idle_key, self.key]
        args = [timeout, self.inflight_prefix, self.worker if own else ""]
        return int(self._reclaim(keys=keys, args=args))

    def busy_peers(self) -> int:
        """How many other live workers are not idle."""
        pipe = self.server.pipeline(transaction=False)
        pipe.zrange(self.workers_key, 0, -1).smembers(self.idle_key)
        workers, idle = pipe.execute()
        return len(set(workers) - set(idle) - {self.worker.encode()})

    def finish(self, dupefilter_key: str) -> bool:
        """Leave the job after finishing; True when this ended the run (queue and filter reset)."""
        keys = [self.workers_key, self.idle_key, self.key, self.inflight_key, dupefilter_key]
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
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(scheduler.item_done, signal=signal)
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
        self.queue.push(request)
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
            self.queue.beat()
        except RedisError as exc:  # a blip must not stop the heartbeats for good
            logger.warning(
                "heartbeat to Redis failed (%s): after %.0f s without one, other workers take "
                "this worker's requests back",
                exc, self.timeout,
            )  # fmt: skip

    def item_done(self, item: Any, response: Any) -> None:
        """Release the lease of the request an item came from, once the item is written."""
        request = getattr(response, "request", None)
        if isinstance(request, Request):
            self.queue.ack(request)
        self.last_activity = time.monotonic()

    def spider_idle(self) -> None:
        self.queue.beat(idle=True)
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
