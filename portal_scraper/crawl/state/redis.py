"""The state store in Redis, shared by the workers of a distributed job on any machine."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from portal_scraper.crawl.state.base import RECENT_RUNS, Seen, last_complete

# KEYS: articles hash. ARGV: canonical URL, the new state (JSON). Returns the previous hash.
_REMEMBER = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return false
end
local previous = cjson.decode(old)
local new = cjson.decode(ARGV[2])
new['first_seen'] = previous['first_seen']
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(new))
return previous['content_sha256']
"""
# KEYS: articles hash. ARGV: canonical URL, seen at.
_TOUCH = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
local state = cjson.decode(old)
state['last_seen'] = ARGV[2]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(state))
return 1
"""


class RedisStateStore:
    """The state store in Redis, shared by the workers of a distributed job on any machine.

    Each change is one atomic command or script; bookkeeping
    values and run reports belong to one worker (`worker`), the articles to the whole job.
    """

    shared = True

    def __init__(self, server: Any, prefix: str, worker: str) -> None:
        self.server = server
        self.articles, self.rejects = f"{prefix}:articles", f"{prefix}:rejects"
        self.meta, self.runs = f"{prefix}:meta:{worker}", f"{prefix}:runs:{worker}"
        self._remember = server.register_script(_REMEMBER)
        self._touch = server.register_script(_TOUCH)

    def get(self, canonical_url: str) -> Seen | None:
        """The stored state of the article at `canonical_url`, if it was archived."""
        raw = self.server.hget(self.articles, canonical_url)
        if raw is None:
            return None
        state = json.loads(raw)
        return Seen(canonical_url, state["content_sha256"], state["first_seen"], state["last_seen"])

    def remember(self, record: Mapping[str, Any]) -> tuple[str, str | None]:
        """Store a written record; return ("new" | "updated" | "unchanged", previous hash)."""
        state = {
            "source_id": record.get("source_id"),
            "site": record["site"],
            "content_sha256": record["content_sha256"],
            "first_seen": record["fetched_at"],
            "last_seen": record["fetched_at"],
            "warc_file": record.get("warc_file"),
            "warc_record_id": record.get("warc_record_id"),
        }
        previous = self._remember(
            keys=[self.articles],
            args=[record["canonical_url"], json.dumps(state, ensure_ascii=False)],
        )
        if previous is None:
            return "new", None
        previous = previous.decode()
        return ("unchanged" if previous == record["content_sha256"] else "updated"), previous

    def archived_urls(self) -> list[str]:
        """Canonical URLs of every article the job archived (all workers)."""
        return [url.decode() for url in self.server.hkeys(self.articles)]

    def forget(self, canonical_url: str) -> None:
        """Forget an archived article (its record was lost): the next fetch archives it anew."""
        self.server.hdel(self.articles, canonical_url)

    def remember_reject(self, url: str, stage: str, reason: str, seen_at: str) -> None:
        """Note a page that gave no record (it is not fetched again unless refreshing)."""
        state = {"stage": stage, "reason": reason, "last_seen": seen_at}
        self.server.hset(self.rejects, url, json.dumps(state, ensure_ascii=False))

    def rejected(self, url: str) -> str | None:
        """The reason a page was rejected by an earlier run, if it was."""
        raw = self.server.hget(self.rejects, url)
        return str(json.loads(raw)["reason"]) if raw is not None else None

    def touch(self, canonical_url: str, seen_at: str) -> None:
        """Note that an unchanged article was seen again."""
        self._touch(keys=[self.articles], args=[canonical_url, seen_at])

    def get_meta(self, key: str) -> str | None:
        """A bookkeeping value of this worker (how far an output file is remembered)."""
        raw = self.server.hget(self.meta, key)
        return raw.decode() if raw is not None else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a bookkeeping value of this worker."""
        self.server.hset(self.meta, key, value)

    def count(self) -> int:
        """How many articles the store knows."""
        return int(self.server.hlen(self.articles))

    def save_report(self, report: dict[str, Any]) -> None:
        """Keep this worker's run report, to compare its next run with."""
        self.server.rpush(self.runs, json.dumps(report, ensure_ascii=False))

    def last_report(self) -> dict[str, Any] | None:
        """The report of this worker's last run that did not fail."""
        return last_complete(reversed(self.server.lrange(self.runs, -RECENT_RUNS, -1)))

    def close(self) -> None:
        """Nothing to close: the connection belongs to the crawl."""
