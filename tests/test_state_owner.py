"""One owner of the state store: opened once, lent to the other components, closed at the end
whatever else is switched off, and the run's report kept in it."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

import portal_scraper.settings as project_settings
from portal_scraper.crawl.incremental import ArchiveState
from portal_scraper.crawl.spiders.portal import PortalSpider
from portal_scraper.crawl.state import SqliteStateStore, StateStoreOwner, state_store
from portal_scraper.report.extension import RunReport


def crawler_for(tmp_path: Path, **settings: Any) -> Crawler:
    """A crawler with the project's settings and its extensions built (no crawl)."""
    project = {name: getattr(project_settings, name) for name in dir(project_settings)}
    return get_crawler(
        PortalSpider,
        {
            **{name: value for name, value in project.items() if name.isupper()},
            "PORTAL_STATE_PATH": str(tmp_path / "state.sqlite"),
            "PORTAL_REPORT_PATH": str(tmp_path / "report.json"),
            "MEMUSAGE_ENABLED": False,  # its engine_stopped needs a started engine
            **settings,
        },
    )


def stop(crawler: Crawler) -> None:
    """The end of a crawl, as the extensions see it."""
    assert crawler.stats is not None
    crawler.stats.set_value("finish_time", datetime.now(UTC))
    crawler.stats.set_value("finish_reason", "finished")
    crawler.signals.send_catch_log(signal=signals.engine_stopped)


def is_closed(store: Any) -> bool:
    try:
        store.count()
    except sqlite3.ProgrammingError:  # "Cannot operate on a closed database."
        return True
    return False


def test_one_store_is_lent_to_every_component(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    owner = crawler.get_extension(StateStoreOwner)
    archive = crawler.get_extension(ArchiveState)
    assert owner is not None and archive is not None
    assert state_store(crawler) is owner.store is archive.store
    assert not owner.store.shared


def test_without_state_path_there_is_no_store(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path, PORTAL_STATE_PATH=None)
    assert crawler.get_extension(StateStoreOwner) is None
    with pytest.raises(NotConfigured):
        state_store(crawler)


def test_the_store_is_closed_at_the_end_without_the_run_report(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path, PORTAL_RUN_REPORT_ENABLED=False)
    assert crawler.get_extension(RunReport) is None
    store = state_store(crawler)
    stop(crawler)
    assert is_closed(store)
    assert not (tmp_path / "report.json").exists()


def test_the_report_is_kept_in_the_store_and_compared_with_the_last_one(tmp_path: Path) -> None:
    before = SqliteStateStore(tmp_path / "state.sqlite")
    before.save_report({"finished_at": "t0", "articles_written": 5, "failures": []})
    before.close()
    crawler = crawler_for(tmp_path)
    store = state_store(crawler)
    stop(crawler)
    assert is_closed(store)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["change"]["articles_written_before"] == 5  # the last run's, read before closing
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        rows = [json.loads(row[0]) for row in db.execute("SELECT report FROM runs ORDER BY id")]
    assert rows[1:] == [report]  # this run's, saved before closing


def test_a_report_the_store_cannot_keep_fails_the_run(tmp_path: Path) -> None:
    crawler = crawler_for(tmp_path)
    store = state_store(crawler)
    assert isinstance(store, SqliteStateStore)

    def refuse(report: dict[str, Any]) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    store.save_report = refuse  # type: ignore[method-assign]
    stop(crawler)
    assert crawler.stats is not None
    assert crawler.stats.get_value("report/exit_code") == 1
    assert is_closed(store)


def test_a_store_another_run_is_creating_is_opened_once_its_write_lock_is_released(
    tmp_path: Path,
) -> None:
    # Two crawls started together on a new store: one holds the write lock of the file (not
    # yet in WAL mode) while the other switches it to WAL, which SQLite refuses at once.
    path = tmp_path / "state.sqlite"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE early (x)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO early VALUES (1)")
    releasing = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    releasing.start()
    try:
        store = SqliteStateStore(path)
    finally:
        releasing.join()
        other.close()
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
