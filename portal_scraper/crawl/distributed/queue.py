"""The leased request queue of distributed mode, in Redis.

scrapy-redis pops a request destructively, so a worker killed mid-crawl would lose the requests
it held. Here a pop is a lease instead: one Lua script moves the request from the queue into the
worker's in-flight hash, the lease is released once the request's record is written, and the
in-flight requests of a worker that stopped beating (or of this worker's killed predecessor) go
back to the queue. Workers beat on Redis's clock, so machines' clocks need not agree.
"""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy.http import Request
from scrapy_redis.queue import Base

from portal_scraper.contracts.config import config, worker_name

LEASE_ID_LENGTH = 40  # hex SHA-1 of the request fingerprint, the head of each queue member
# Taken lease ids of a worker that never comes back are kept this long, then forgotten.
TAKEN_TTL = 7 * 24 * 3600

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


# scrapy-redis is untyped: its base class is Any to mypy.
class LeasedQueue(Base):  # type: ignore[misc, unused-ignore]
    """Priority queue in a sorted set whose pops are leases held in the worker's in-flight hash.

    Each member is the request's lease id (its fingerprint, hashed to 40 hex digits) followed by
    the serialized request; the in-flight hash maps lease id to "score member".
    """

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        crawler = spider.crawler
        self.fingerprint = crawler.request_fingerprinter.fingerprint
        self.worker = config(crawler).redis_worker or worker_name()
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
