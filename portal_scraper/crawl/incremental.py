"""Incremental crawling on the state store (`PORTAL_STATE_PATH`): skip archived articles, flag
changes."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import deferred_from_coro

from portal_scraper.contracts.config import config
from portal_scraper.contracts.meta import META_ARTICLE, META_SKIP
from portal_scraper.contracts.signals import WRITE_FAILED, item_written
from portal_scraper.contracts.stats import (
    STAT_FAILED,
    STAT_FORGOTTEN,
    STAT_NEW,
    STAT_SKIPPED_ARCHIVED,
    STAT_SKIPPED_REJECTED,
    STAT_STATE_LOST,
    STAT_UNCHANGED,
    STAT_UPDATED,
)
from portal_scraper.crawl.ledger import Skip
from portal_scraper.crawl.state import StateStore, state_store
from portal_scraper.export.storage import drop_bad_lines, repair_tail
from portal_scraper.normalize.urls import canonical_url
from portal_scraper.record.model import ArticleRecord, Reject

logger = logging.getLogger(__name__)
SYNC_KEY = "synced-bytes"
SKIP_ARCHIVED = "archived by an earlier run"
SKIP_REJECTED = "rejected by an earlier run"


def _stats(crawler: Crawler) -> StatsCollector:
    assert crawler.stats is not None
    return crawler.stats


class IncrementalMiddleware:
    """Downloader middleware: an article already archived is not fetched again.

    `PORTAL_INCREMENTAL_REFRESH = True` fetches them anyway (to find changed articles). Listing
    pages are always read: only requests the spider marks `META_ARTICLE` are skipped.
    """

    def __init__(self, store: StateStore, refresh: bool, stats: StatsCollector) -> None:
        self.store = store
        self.refresh = refresh
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(
            state_store(crawler),
            config(crawler).incremental_refresh,
            _stats(crawler),
        )

    def process_request(self, request: Request) -> None:
        if self.refresh or not request.meta.get(META_ARTICLE):
            return
        url = canonical_url(request.url)
        if self.store.get(url) is not None:
            # The spider skips what it finds archived; this is a redirect's target, say.
            self.stats.inc_value(STAT_SKIPPED_ARCHIVED)
            request.meta[META_SKIP] = "archived already"
            raise IgnoreRequest("already archived (PORTAL_INCREMENTAL_REFRESH to fetch again)")
        if self.store.rejected(url) is not None:
            self.stats.inc_value(STAT_SKIPPED_REJECTED)
            request.meta[META_SKIP] = "rejected already"
            raise IgnoreRequest(
                "rejected by an earlier run (PORTAL_INCREMENTAL_REFRESH to try again)"
            )


class IncrementalPipeline:
    """Drop an article whose body did not change; record the previous hash of one that did."""

    def __init__(self, store: StateStore, stats: StatsCollector) -> None:
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(state_store(crawler), _stats(crawler))

    def process_item(self, item: object) -> object:
        if not isinstance(item, ArticleRecord):
            return item
        previous = self.store.get(item.canonical_url)
        if previous is None:
            return item  # counted as new once written (ArchiveState)
        if previous.content_sha256 == item.content_sha256:
            self.stats.inc_value(STAT_UNCHANGED)
            self.store.touch(item.canonical_url, item.fetched_at)
            raise Skip("unchanged since archived", f"{previous.last_seen}: {item.canonical_url}")
        item.previous_content_sha256 = previous.content_sha256
        return item


class ArchiveState:
    """Extension: remember each article once its line is on disk (`item_written`), never before.

    At start it also reconciles a killed run: a cut last line is removed from the output files,
    any line that is not JSON is moved aside, and records written after the last remembered one
    are remembered, so a resumed job writes each article exactly once. When the store itself
    cannot be written (a full disk), the crawl stops: the next run catches the store up.
    """

    def __init__(self, crawler: Crawler, store: StateStore, outputs: list[Path]) -> None:
        self.crawler = crawler
        self.store = store
        self.outputs = outputs
        self.failed = False
        self.articles = next((p for p, _ in _local_feeds(crawler, ArticleRecord)), None)
        damaged = False
        for path in outputs:
            removed = repair_tail(path)
            if removed:
                logger.warning("removed a line cut by an earlier run's end: %s", path)
            synced = int(store.get_meta(f"{SYNC_KEY}:{path}") or 0) if path == self.articles else 0
            size = path.stat().st_size if path.exists() else 0
            shrunk = synced > size
            # A weekly refresh checks the whole file; other runs what was written since.
            start = 0 if shrunk or config(crawler).incremental_refresh else synced
            moved = drop_bad_lines(path, start)
            if moved:
                logger.warning(
                    "moved %d lines that are not JSON from %s to %s.damaged", moved, path, path.name
                )
            if path == self.articles:
                damaged = bool(moved or shrunk)
        if self.articles is not None:
            self._check_shared_state(self.articles)
            self._catch_up(self.articles)
            if damaged:
                self._forget_missing(self.articles)

    def _check_shared_state(self, path: Path) -> None:
        """Alert when the shared store knows nothing of records this job directory holds: Redis
        lost its data (restarted without persistence), and what other workers wrote may be
        written again. The store is rebuilt from this file (`_catch_up`)."""
        if not self.store.shared or not path.exists() or not path.stat().st_size:
            return
        if self.store.get_meta(f"{SYNC_KEY}:{path}") is None:
            assert self.crawler.stats is not None
            self.crawler.stats.set_value(STAT_STATE_LOST, str(path))
            logger.error(
                "the shared state store has no record of %s: was Redis restarted without "
                "persistence? Rebuilding it from this file",
                path,
            )

    def _forget_missing(self, path: Path) -> None:
        """Forget archived articles whose record is no longer in the file (damaged, cut): this
        run fetches them again instead of skipping them for ever."""
        if self.store.shared:
            return  # the shared store of many workers' files: one file does not tell
        present = set()
        if path.exists():
            with path.open("rb") as handle:
                for line in handle:
                    if line.strip():
                        present.add(json.loads(line).get("canonical_url"))
        missing = [url for url in self.store.archived_urls() if url not in present]
        for url in missing:
            self.store.forget(url)
        if missing:
            assert self.crawler.stats is not None
            self.crawler.stats.set_value(STAT_FORGOTTEN, len(missing))
            logger.warning(
                "%d archived articles are no longer in %s: forgotten, to be fetched again",
                len(missing),
                path,
            )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        store = state_store(crawler)
        outputs = [path for path, _ in _local_feeds(crawler, None)]
        extension = cls(crawler, store, outputs)
        crawler.signals.connect(extension.item_written, signal=item_written)
        return extension

    def item_written(self, item: object) -> None:
        if self.failed:
            return
        try:
            self._remember(item)
        except Exception as exc:  # sqlite3 or Redis: the store cannot follow the output
            self.failed = True
            message = f"the state store could not be written: {type(exc).__name__}: {exc}"
            assert self.crawler.stats is not None and self.crawler.engine is not None
            self.crawler.stats.set_value(STAT_FAILED, message)
            logger.error("%s; stopping the crawl (the next run catches the store up)", message)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=WRITE_FAILED))

    def _remember(self, item: object) -> None:
        if isinstance(item, Reject) and item.stage != "fetch":
            # Fetch failures are tried again next run; a page that was read and refused is not.
            self.store.remember_reject(
                canonical_url(item.url), item.stage, item.reason, item.fetched_at or ""
            )
            return
        if not isinstance(item, ArticleRecord):
            return
        change, _ = self.store.remember(ItemAdapter(item))
        assert self.crawler.stats is not None
        if change in ("new", "updated"):
            self.crawler.stats.inc_value(STAT_NEW if change == "new" else STAT_UPDATED)
        if self.articles is not None and self.articles.exists():
            self.store.set_meta(f"{SYNC_KEY}:{self.articles}", str(self.articles.stat().st_size))

    def _catch_up(self, path: Path) -> None:
        if not path.exists():
            return
        synced = int(self.store.get_meta(f"{SYNC_KEY}:{path}") or 0)
        size = path.stat().st_size
        if synced > size:
            synced = 0  # the file was replaced: read it all
        caught = 0
        with path.open("rb") as handle:
            handle.seek(synced)
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    if self.store.remember(record)[0] != "unchanged":
                        caught += 1
        self.store.set_meta(f"{SYNC_KEY}:{path}", str(size))
        if caught:
            logger.warning("remembered %d records an interrupted run wrote: %s", caught, path)


def _local_feeds(crawler: Crawler, item_class: type | None) -> list[tuple[Path, dict[str, Any]]]:
    """Local files among the feeds, those exporting `item_class` (or all)."""
    feeds = []
    for uri, options in crawler.settings.getdict("FEEDS").items():
        uri = str(uri)
        if "://" in uri and not uri.startswith("file://"):
            continue
        classes = options.get("item_classes") or []
        if item_class is None or any(c is item_class or str(c).endswith(item_class.__name__)
                                     for c in classes):  # fmt: skip
            feeds.append((Path(uri.removeprefix("file://")), options))
    return feeds
