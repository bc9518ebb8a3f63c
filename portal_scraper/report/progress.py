"""Extension: a crawl's progress on a terminal, one line redrawn on stderr; quiet in cron."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, Self, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from portal_scraper.contracts.config import config
from portal_scraper.contracts.stats import (
    STAT_REJECTS,
    STAT_RESPONSES,
    STAT_SKIPPED_ARCHIVED,
    STAT_UNCHANGED,
    STAT_WRITTEN,
)

# Return to the line's start and clear it (ANSI): the next line is drawn over the last one.
CLEAR = "\r\x1b[K"
log = logging.getLogger(__name__)


def progress_line(stats: Mapping[str, Any], elapsed: float, queue: int | None) -> str:
    """`pages 120 (2.4/s) | written 95 | unchanged 3 | skipped 40 | rejects 2 | queue 36 ~0:15`:
    the time left is the queue at the rate so far (listings may still add to the queue)."""
    pages = int(stats.get(STAT_RESPONSES, 0))
    rate = pages / elapsed if elapsed > 0 else 0.0
    parts = [f"pages {pages} ({rate:.1f}/s)", f"written {int(stats.get(STAT_WRITTEN, 0))}"]
    for label, key in (("unchanged", STAT_UNCHANGED), ("skipped", STAT_SKIPPED_ARCHIVED)):
        if stats.get(key):
            parts.append(f"{label} {int(stats[key])}")
    parts.append(f"rejects {int(stats.get(STAT_REJECTS, 0))}")
    if queue is not None:
        left = f" ~{_clock(queue / rate)}" if queue and rate > 0 else ""
        parts.append(f"queue {queue}{left}")
    parts.append(_clock(elapsed))
    return " | ".join(parts)


def _clock(seconds: float) -> str:
    """`0:07`, `1:02:03`."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class CrawlProgress:
    """Extension: every `PORTAL_PROGRESS_INTERVAL` seconds, redraw the progress line on stderr
    when it is a terminal; off with `PORTAL_PROGRESS=False`, and in cron (stderr no terminal)."""

    def __init__(
        self,
        crawler: Crawler,
        interval: float,
        stream: TextIO,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.clock = clock
        self.started: float | None = None
        self.shown = False
        self.task: LoopingCall | None = None
        self.clear_before_logs = _ClearLine(self)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        own = config(crawler)
        why = None
        if not own.progress:
            why = "PORTAL_PROGRESS is off"
        elif not sys.stderr.isatty():
            why = "stderr is no terminal (cron, a log file)"
        if why is not None:
            # Said here at INFO: Scrapy logs a NotConfigured with a message at WARNING, which
            # would put a warning in every cron log. Without a message it says nothing.
            log.info("no progress line: %s", why, extra={"crawler": crawler})
            raise NotConfigured
        extension = cls(crawler, own.progress_interval, sys.stderr)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        """Start the clock and the periodic redraw; log lines clear the progress line first."""
        self.started = self.clock()
        for handler in _stderr_handlers(self.stream):
            handler.addFilter(self.clear_before_logs)
        self.task = LoopingCall(self.draw)
        self.task.start(self.interval, now=False)

    def spider_closed(self) -> None:
        """Stop redrawing; leave the last line on the terminal."""
        if self.task is not None and self.task.running:
            self.task.stop()
        self.draw()
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False
        for handler in _stderr_handlers(self.stream):
            handler.removeFilter(self.clear_before_logs)

    def draw(self) -> None:
        """Draw the line now, over the last one."""
        assert self.crawler.stats is not None
        elapsed = self.clock() - (self.started if self.started is not None else self.clock())
        line = progress_line(self.crawler.stats.get_stats(), elapsed, self.queue())
        self.stream.write(CLEAR + line)
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Take the line off the terminal (a log line is about to be written)."""
        if self.shown:
            self.stream.write(CLEAR)
            self.stream.flush()
            self.shown = False

    def queue(self) -> int | None:
        """Requests scheduled or downloading, when the engine says (None: not known)."""
        try:
            engine = self.crawler.engine
        except RuntimeError:  # Scrapy 2.19: not set before the crawl starts
            return None
        scheduler = getattr(engine, "scheduler", None)
        downloader = getattr(engine, "downloader", None)
        try:
            return len(scheduler) + len(getattr(downloader, "active", ()))  # type: ignore[arg-type]
        except TypeError:  # no scheduler yet, or one without a length
            return None


class _ClearLine(logging.Filter):
    """On a handler writing to the terminal: clears the progress line before each log record."""

    def __init__(self, progress: CrawlProgress) -> None:
        super().__init__()
        self.progress = progress

    def filter(self, record: logging.LogRecord) -> bool:
        self.progress.clear()
        return True


def _stderr_handlers(stream: TextIO) -> list[logging.Handler]:
    return [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler) and handler.stream is stream
    ]
