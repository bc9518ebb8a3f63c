"""Records that count as written only once they are on disk.

Scrapy's feed export logs a failed write and goes on, and every `item_scraped` handler after it
still counts the item. Here each exporter marks an item once its line is in the file whole
(every byte written, fsynced when `PORTAL_FEED_FSYNC` is on); a line cut by a failed write is cut
off again at once, so no half line stays in the file. `WriteLedger` (an extension after the feed
export) then sends `item_written` for items every feed took, and stops the crawl at the first one
a feed did not take: nothing downstream (counts, the state store, distributed leases) ever sees
an item that is not on disk.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

from itemadapter import ItemAdapter, is_item
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exporters import (
    BaseItemExporter,
    CsvItemExporter,
    JsonItemExporter,
    JsonLinesItemExporter,
    XmlItemExporter,
)
from scrapy.extensions.feedexport import FeedExporter
from scrapy.spiders import Spider
from scrapy.utils.defer import deferred_from_coro

from portal_scraper.contracts.config import config
from portal_scraper.contracts.signals import WRITE_FAILED, item_written
from portal_scraper.contracts.stats import STAT_FAILED, STAT_NOT_WRITTEN
from portal_scraper.export.storage import repair_tail
from portal_scraper.record.model import ArticleRecord, Reject

logger = logging.getLogger(__name__)


WRITTEN_ATTR = "_portal_written_to"


def written_to(item: Any) -> list[str]:
    """The feeds an item was written to in this run."""
    return list(getattr(item, WRITTEN_ATTR, ()))


class _Durable:
    """Mixin for item exporters: mark an item only once its bytes are in the file."""

    file: Any
    _crawler: Crawler
    _fsync: bool
    _failed: str | None

    def _setup(self, crawler: Crawler) -> None:
        self._crawler = crawler
        self._fsync = config(crawler).feed_fsync
        self._failed = None

    def _durable_export(self, item: Any, export: Callable[[Any], None]) -> None:
        if self._failed:
            return  # the file is broken: the ledger stops the crawl and counts the item
        target = getattr(self, "file", None) or getattr(self, "stream", None)
        fd = _fileno(target)
        size = os.fstat(fd).st_size if fd is not None else None
        try:
            export(item)
            flush = getattr(target, "flush", None)
            if flush is not None:
                flush()
            if self._fsync and fd is not None:
                os.fsync(fd)
        except Exception as exc:
            self._failed = f"{type(exc).__name__}: {exc}"
            if fd is not None and size is not None:
                _cut_back(fd, size)
            logger.error("could not write to %s: %s", getattr(target, "name", "?"), exc)
            return
        written = getattr(item, WRITTEN_ATTR, None)
        if written is None:
            written = []
            setattr(item, WRITTEN_ATTR, written)
        written.append(str(getattr(target, "name", "")))


def _fileno(file: Any) -> int | None:
    try:
        return int(file.fileno())
    except (AttributeError, OSError, ValueError):
        return None  # not a local file (a temporary file for a remote feed, a wrapper)


def _cut_back(fd: int, size: int) -> None:
    """Cut the file back to `size`: a write that failed half-way leaves no half line."""
    try:
        os.ftruncate(fd, size)
    except OSError as exc:
        # The next run's start cuts an unterminated last line (storage.repair_tail).
        logger.error("could not cut the failed write back off the file: %s", exc)


def _durable(base: type[BaseItemExporter]) -> type[BaseItemExporter]:
    class Exporter(_Durable, base):  # type: ignore[valid-type,misc]
        @classmethod
        def from_crawler(cls, crawler: Crawler, file: Any, *args: Any, **kwargs: Any) -> Any:
            exporter = cls(file, *args, **kwargs)
            exporter._setup(crawler)
            return exporter

        def export_item(self, item: Any) -> Any:
            self._durable_export(item, super().export_item)

    Exporter.__name__ = Exporter.__qualname__ = f"Durable{base.__name__}"
    Exporter.__doc__ = f"`{base.__name__}` that marks an item only once it is on disk."
    return Exporter


DurableJsonLinesExporter = _durable(JsonLinesItemExporter)
DurableJsonExporter = _durable(JsonItemExporter)


def _plain(value: Any) -> Any:
    """`value` with the record's nested dataclasses (images, the portal) as dicts."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return ItemAdapter(value).asdict() if is_item(value) else value


def _nested(value: Any) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and any(
        isinstance(v, dict) for v in value))  # fmt: skip


class _CsvCellsAsJson(CsvItemExporter):
    """CSV cells of nested values (images, attachments, the portal) as JSON text, not repr."""

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        value = _plain(value)
        if _nested(value):
            return json.dumps(value, ensure_ascii=False)
        return super().serialize_field(field, name, value)


class _XmlNested(XmlItemExporter):
    """XML elements of nested values (images, attachments, the portal), not their repr."""

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        return super().serialize_field(field, name, _plain(value))


DurableCsvExporter = _durable(_CsvCellsAsJson)
DurableCsvExporter.__name__ = DurableCsvExporter.__qualname__ = "DurableCsvExporter"
DurableXmlExporter = _durable(_XmlNested)
DurableXmlExporter.__name__ = DurableXmlExporter.__qualname__ = "DurableXmlExporter"


class WriteLedger:
    """Extension: `item_written` for items every feed took; the first one missed stops the crawl.

    Its `item_scraped` handler runs after the feed export's (extensions connect in order), so it
    sees what the exporters wrote for the item.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.failure: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def _feeds(self) -> FeedExporter | None:
        assert self.crawler.extensions is not None
        for extension in self.crawler.extensions.middlewares:
            if isinstance(extension, FeedExporter):
                return extension
        return None

    def spider_opened(self, spider: Spider) -> None:
        """Stop at once when a local output file cannot be opened for writing."""
        for name, options in self.crawler.settings.getdict("FEEDS").items():
            uri = str(name)
            if "://" in uri and not uri.startswith("file://"):
                continue
            path = Path(uri.removeprefix("file://"))
            if "%(" in str(path):
                continue  # a templated name: known only when the feed opens
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("ab"):
                    pass
                # Appending after a line an earlier, killed run cut would glue two lines.
                appending = not (options or {}).get("overwrite") and path.is_file()
                if appending and repair_tail(path):
                    logger.warning("removed a line cut by an earlier run's end: %s", path)
            except OSError as exc:
                self._fail(f"cannot open the output file {path}: {exc}")
                return

    def item_scraped(self, item: Any, response: Any, spider: Spider) -> None:
        if not isinstance(item, ArticleRecord | Reject):
            return
        feeds = self._feeds()
        taking = [s for s in feeds.slots if s.filter.accepts(item)] if feeds else []
        if taking and len(written_to(item)) >= len(taking):
            self.crawler.signals.send_catch_log(
                item_written, item=item, response=response, spider=spider
            )
            return
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(STAT_NOT_WRITTEN)
        if not taking:
            self._fail(f"no output feed takes {type(item).__name__} items (give -O FILE)")
        else:
            errors = [getattr(s.exporter, "_failed", None) for s in taking]
            detail = next((e for e in errors if e), "the feed file could not be opened")
            self._fail(f"could not write to the output: {detail}")

    def _fail(self, message: str) -> None:
        if self.failure is not None:
            return
        self.failure = message
        stats = self.crawler.stats
        assert stats is not None and self.crawler.engine is not None
        stats.set_value(STAT_FAILED, message)
        logger.error(
            "%s; stopping the crawl: nothing more is written, and what was not written is "
            "fetched again by the next run",
            message,
        )
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=WRITE_FAILED))
