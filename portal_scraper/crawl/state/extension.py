"""The one owner of a crawl's state store: opens it, lends it out, keeps the report, closes it.

Scrapy builds the spider, then the extensions (in `EXTENSIONS` order), then the middlewares and
pipelines: the owner must come before every extension that reads the store when it is built
(`ArchiveState`), and after the report extension, whose `engine_stopped` must run before the
owner's (receivers of one signal are called in the order they were connected).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any, Self
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from portal_scraper.contracts.config import config
from portal_scraper.contracts.signals import report_built
from portal_scraper.crawl.distributed import is_distributed, key_prefix
from portal_scraper.crawl.state.base import StateStore
from portal_scraper.crawl.state.redis import RedisStateStore
from portal_scraper.crawl.state.sqlite import SqliteStateStore

logger = logging.getLogger(__name__)


# Looked up by crawler, not with `crawler.get_extension`: that works only once every extension
# is built, and `ArchiveState` needs the store while it is built.
_OWNERS: WeakKeyDictionary[Crawler, StateStoreOwner] = WeakKeyDictionary()


def open_store(crawler: Crawler) -> StateStore:
    """Open the crawl's state store: SQLite at `PORTAL_STATE_PATH`, or in distributed mode the job's
    store in Redis, so workers on every machine skip what any of them archived."""
    own = config(crawler)
    path = own.state_path
    if path is None:
        raise NotConfigured("PORTAL_STATE_PATH is not set")
    if is_distributed(crawler.settings):
        from scrapy_redis.connection import from_settings

        prefix = f"{key_prefix(crawler)}:state"
        store = RedisStateStore(from_settings(crawler.settings), prefix, str(own.redis_worker))
        logger.info("state store: Redis %s:* (distributed mode, not %s)", prefix, path)
        return store
    try:
        return SqliteStateStore(path)
    except sqlite3.Error as exc:  # a full or read-only disk, a damaged file
        raise RuntimeError(f"cannot open the state store {path}: {exc}") from exc


class StateStoreOwner:
    """Extension: the crawl's state store (with `PORTAL_STATE_PATH`), open from start to end of the
    crawl whatever else is switched off; the run's report is kept in it (`report_built`)."""

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self.closed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not config(crawler).state_path:
            raise NotConfigured("PORTAL_STATE_PATH is not set")
        owner = cls(open_store(crawler))
        _OWNERS[crawler] = owner
        crawler.signals.connect(owner.report_built, signal=report_built)
        crawler.signals.connect(owner.engine_stopped, signal=signals.engine_stopped)
        return owner

    def report_built(self, report: dict[str, Any]) -> None:
        """Keep the run's report, to compare the next run with (raises when it cannot)."""
        self.store.save_report(report)

    def engine_stopped(self) -> None:
        """Close the store: the crawl is over."""
        if not self.closed:
            self.closed = True
            self.store.close()


def state_owner(crawler: Crawler) -> StateStoreOwner | None:
    """The owner of the crawl's state store, if it has one (`PORTAL_STATE_PATH` set)."""
    if not config(crawler).state_path:
        return None
    owner = _OWNERS.get(crawler)
    if owner is None:
        raise RuntimeError(
            "PORTAL_STATE_PATH is set but the state store is not open: enable the "
            "portal_scraper.crawl.state.StateStoreOwner extension, before the extensions "
            "that use the store"
        )
    return owner


def state_store(crawler: Crawler) -> StateStore:
    """The crawl's state store, for a component that needs it (`NotConfigured` without one)."""
    owner = state_owner(crawler)
    if owner is None:
        raise NotConfigured("PORTAL_STATE_PATH is not set")
    return owner.store
