"""The crawl's progress line: on a terminal only, off by a setting, and what it says."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from portal_scraper.contracts.stats import (
    STAT_REJECTS,
    STAT_RESPONSES,
    STAT_SKIPPED_ARCHIVED,
    STAT_WRITTEN,
)
from portal_scraper.report.progress import CLEAR, CrawlProgress, progress_line

PROGRESS_PATH = "portal_scraper.report.progress.CrawlProgress"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class CronLog(io.StringIO):
    def isatty(self) -> bool:
        return False


def progress(monkeypatch, stderr: io.StringIO, **settings: object) -> CrawlProgress:
    monkeypatch.setattr(sys, "stderr", stderr)
    return CrawlProgress.from_crawler(get_crawler(settings_dict=settings))


def test_on_a_terminal_only_and_off_by_setting(monkeypatch) -> None:
    assert isinstance(progress(monkeypatch, Terminal()), CrawlProgress)
    with pytest.raises(NotConfigured):  # why is logged at INFO (the test below)
        progress(monkeypatch, CronLog())
    with pytest.raises(NotConfigured):
        progress(monkeypatch, Terminal(), PORTAL_PROGRESS="False")
    every = progress(monkeypatch, Terminal(), PORTAL_PROGRESS_INTERVAL="0.5")
    assert every.interval == 0.5


@pytest.mark.parametrize(
    ("stderr", "settings", "why"),
    [
        (CronLog(), {}, "stderr is no terminal"),
        (Terminal(), {"PORTAL_PROGRESS": "False"}, "PORTAL_PROGRESS is off"),
    ],
)
def test_off_is_said_at_info_not_as_a_warning_in_every_cron_log(
    monkeypatch, caplog, stderr, settings, why
) -> None:
    from scrapy.extension import ExtensionManager

    monkeypatch.setattr(sys, "stderr", stderr)
    crawler = get_crawler(settings_dict={**settings, "EXTENSIONS": {PROGRESS_PATH: 950}})
    with caplog.at_level(logging.INFO):
        manager = ExtensionManager.from_crawler(crawler)
    assert not any(isinstance(m, CrawlProgress) for m in manager.middlewares)
    said = [(r.levelno, r.getMessage()) for r in caplog.records if "progress" in r.getMessage()]
    assert said and {level for level, _ in said} == {logging.INFO}  # (per manager built)
    assert all(why in message for _, message in said)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_line() -> None:
    stats = {STAT_RESPONSES: 120, STAT_WRITTEN: 95, STAT_REJECTS: 2, STAT_SKIPPED_ARCHIVED: 40}
    assert progress_line(stats, elapsed=50.0, queue=36) == (
        "pages 120 (2.4/s) | written 95 | skipped 40 | rejects 2 | queue 36 ~0:15 | 0:50"
    )
    # No queue known (an engine not started); nothing fetched yet; a run of hours.
    assert progress_line({}, elapsed=0.0, queue=None) == (
        "pages 0 (0.0/s) | written 0 | rejects 0 | 0:00"
    )
    assert progress_line({STAT_RESPONSES: 1}, elapsed=3723.0, queue=0).endswith(
        "| queue 0 | 1:02:03"
    )


def test_drawn_over_itself_cleared_for_a_log_line_and_left_at_the_end(monkeypatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    crawler = get_crawler()
    assert crawler.stats is not None
    now = [100.0]
    shown = CrawlProgress(crawler, 2.0, terminal, clock=lambda: now[0])
    handler = logging.StreamHandler(terminal)
    logging.getLogger().addHandler(handler)
    try:
        shown.started = now[0]
        now[0] = 110.0
        crawler.stats.set_value(STAT_RESPONSES, 20)
        shown.draw()
        assert terminal.getvalue() == CLEAR + "pages 20 (2.0/s) | written 0 | rejects 0 | 0:10"
        handler.addFilter(shown.clear_before_logs)
        logging.getLogger("portal_scraper").warning("a log line")
        assert terminal.getvalue().endswith("0:10" + CLEAR + "a log line\n")
        now[0] = 120.0
        shown.spider_closed()
        assert terminal.getvalue().endswith(
            CLEAR + "pages 20 (1.0/s) | written 0 | rejects 0 | 0:20\n"
        )
        assert shown.clear_before_logs not in handler.filters
    finally:
        logging.getLogger().removeHandler(handler)
