"""`portal-scraper report JOB_DIR`: the HTML report of an archive job, read from its state store and
records file, opened in a real headless Chromium."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from portal_scraper.contracts.stats import (
    STAT_ARTICLE_PAGES,
    STAT_ELAPSED,
    STAT_FINISH_REASON,
    STAT_FINISH_TIME,
    STAT_LISTING_PAGES,
    STAT_REJECTS,
    STAT_RESPONSES,
    STAT_START_TIME,
    STAT_WRITTEN,
    coverage,
    rejects_by_reason,
    written_by_site,
)
from portal_scraper.crawl.state.sqlite import SqliteStateStore
from portal_scraper.report.build import build_report
from portal_scraper.report.history import count_articles, read_history
from portal_scraper.tools.html_report import main as report_main
from tests.support.records import record as valid_record
from tests.support.report_demo import CHROMIUM, archive_history, open_report

START = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> & </div>"


def run_stats(night: int, written: int, rejects: dict[str, int], finish: str = "finished") -> dict:
    """Crawl stats of one nightly run as the extensions count them."""
    started = START + timedelta(days=night)
    stats: dict[str, Any] = {
        STAT_START_TIME: started,
        STAT_FINISH_TIME: started + timedelta(seconds=40 + night),
        STAT_ELAPSED: 40.0 + night,
        STAT_FINISH_REASON: finish,
        STAT_RESPONSES: written + sum(rejects.values()) + 2,
        STAT_LISTING_PAGES: 2,
        STAT_ARTICLE_PAGES: written + sum(rejects.values()),
        STAT_WRITTEN: written,
        STAT_REJECTS: sum(rejects.values()),
    }
    if written:
        stats[written_by_site("demo")] = written
        for name in ("title", "body_text", "published_at"):
            stats[coverage("demo", name)] = written
        stats[coverage("demo", "authors")] = written // (night + 1)
    for reason, n in rejects.items():
        stats[rejects_by_reason("extract", reason)] = n
    return stats


def job_with_runs(job: Path, nights: list[dict]) -> None:
    """A job directory whose state store holds the real report builder's report of each run."""
    store = SqliteStateStore(job / "state.sqlite")
    previous = None
    for stats in nights:
        previous = build_report(stats, previous, 0.05, 20.0)
        store.save_report(previous)
    store.close()


def record(url: str, published: str | None, fetched: str = "2024-03-02T00:00:00Z") -> str:
    changes = {"url": url, "canonical_url": url, "published_at": published, "fetched_at": fetched}
    return json.dumps(valid_record(**changes).to_dict())


def render(job: Path, *extra: str) -> str:
    assert report_main([str(job), "-o", str(job / "out.html"), *extra]) == 0
    return (job / "out.html").read_text(encoding="utf-8")


def test_articles_count_the_latest_version_once_and_bad_lines_are_counted(tmp_path):
    lines = [
        record("http://p/1", "2024-03-01T08:00:00+07:00"),
        record("http://p/2", "2024-03-01T23:30:00+07:00"),  # the portal's day, not UTC's
        "{not json",
        # updated (fetched later): replaces the first line
        record("http://p/1", "2024-02-28T08:00:00+07:00", "2024-03-05T00:00:00Z"),
        "[1, 2]",
        record("http://p/3", None),
        "",
        '{"title": "no url"',  # a last line cut by a kill
        json.dumps({"canonical_url": "http://p/4", "title": "no fetch time"}),
        record("http://p/5", "2024-03-01T08:00:00+07:00").replace(
            '"view_count": null', '"view_count": "1,234"'
        ),
    ]
    (tmp_path / "articles.jsonl").write_text("\n".join(lines), encoding="utf-8")
    counted = count_articles(tmp_path / "articles.jsonl")
    assert dict(counted.by_day) == {"2024-02-28": 1, "2024-03-01": 1, "no date": 1}
    # A line of JSON that is no valid record (view_count as text, line 10) is a bad line too.
    assert (counted.total, counted.bad_lines) == (3, 5)
    assert counted.bad_line_numbers == [3, 5, 8, 9, 10]
    page = render(tmp_path)
    assert "5 lines of articles.jsonl are not JSON records" in page
    assert "(line 3, 5, 8, 9, 10;" in page
    assert "1 without a published date" in page


def test_runs_read_while_the_store_is_open_and_the_latest_details(tmp_path):
    job_with_runs(
        tmp_path,
        [
            run_stats(0, 30, {"not an article": 1}),
            run_stats(1, 25, {"not an article": 1, HOSTILE: 4}),
            run_stats(2, 3, {HOSTILE: 2}, finish="shutdown"),
        ],
    )
    running_job = SqliteStateStore(tmp_path / "state.sqlite")  # a job holding the store open
    try:
        history = read_history(tmp_path)
        page = render(tmp_path)
    finally:
        running_job.close()
    assert [run.number for run in history.runs] == [1, 2, 3]
    assert [run.report["exit_code"] for run in history.runs] == [0, 3, 1]
    assert "The latest run: #3, " in page and 'class="status-failed">failed' in page
    assert "FAILED: the crawl did not finish: shutdown" in page
    # Portal text is escaped in the tables and cannot end the script elements of the specs.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/div&gt;" in page
    assert HOSTILE not in page
    assert "\\u003cscript\\u003ealert(1)" in page
    for chart in ("rejects", "coverage", "duration"):
        assert f'data-chart="job-0-{chart}"' in page
    # The demo job has no fetch error: said in words instead of an empty chart.
    assert "no HTTP or network error in these runs" in page
    assert "https://" not in page.split("<script>", 1)[0]  # no CDN, nothing fetched


def test_last_runs_only(tmp_path):
    job_with_runs(tmp_path, [run_stats(n, 20, {}) for n in range(5)])
    assert [r.number for r in read_history(tmp_path, last_runs=2).runs] == [4, 5]
    assert "2 runs shown" in render(tmp_path, "--runs", "2")


def test_a_job_directory_with_no_run_yet_gives_a_report_that_says_so(tmp_path):
    page = render(tmp_path)
    assert "no run has finished in this job directory yet" in page
    assert "no article has been written yet" in page
    assert "vegaEmbed" not in page  # no chart, no script


def test_a_missing_directory_is_a_usage_error(tmp_path, capsys):
    assert report_main([str(tmp_path / "nope")]) == 2
    assert "is no directory" in capsys.readouterr().err
    assert not (tmp_path / "nope").exists()


def test_a_jobs_root_gives_a_section_per_portal(tmp_path):
    for name, written in (("bentre-city", 30), ("portal.example.gov.vn", 0)):
        (tmp_path / name).mkdir()
        job_with_runs(tmp_path / name, [run_stats(0, written, {})])
    page = render(tmp_path)
    assert "<h2>Portals</h2>" in page
    assert "<h2>bentre-city</h2>" in page and "<h2>portal.example.gov.vn</h2>" in page
    assert 'data-chart="job-1-duration"' in page
    assert 'data-chart="job-1-coverage"' not in page  # the portal wrote nothing


def need_chromium() -> None:
    """CI must have Debian's Chromium (scripts/test.sh installs it); elsewhere the test skips."""
    if CHROMIUM.exists():
        return
    message = f"no {CHROMIUM}: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.mark.e2e
def test_the_report_of_real_runs_opens_in_chromium_with_every_chart_drawn(tmp_path):
    need_chromium()
    job = tmp_path / "bentre-city"
    # All articles; a refresh with an update, a 404 and a new reject; a failed run; incremental.
    assert archive_history(job) == [0, 3, 1, 0]
    with (job / "articles.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"canonical_url": "http://cut')  # a line being written right now
    page = job / "report.html"
    assert report_main([str(job)]) == 0

    opened = open_report(page, screenshot=tmp_path / "report.png")

    assert opened.console_errors == []
    assert opened.page_errors == []
    assert opened.requests_refused == []  # works offline: nothing but the file is loaded
    keys = ("per-day", "per-month", "rejects", "coverage", "errors", "duration")
    assert sorted(opened.charts) == sorted(f"job-0-{key}" for key in keys)
    for key, (rendered, marks) in opened.charts.items():
        assert rendered == "yes" and marks > 0, key
    assert (
        "#3" in opened.axis_text["job-0-rejects"] and "failed" in opened.axis_text["job-0-rejects"]
    )
    assert "HTTP 404" in opened.axis_text["job-0-errors"]
    text = page.read_text(encoding="utf-8")
    assert "1 lines of articles.jsonl are not JSON records" in text
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_a_state_store_that_cannot_be_read_fails_the_report_and_the_page_says_so(tmp_path, capsys):
    (tmp_path / "state.sqlite").write_bytes(b"not a database, a damaged disk block\n" * 200)
    out = tmp_path / "out.html"
    assert report_main([str(tmp_path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "state.sqlite could not be read" in err and "file is not a database" in err
    page = out.read_text(encoding="utf-8")  # still written: the articles can be shown
    assert "The run history could not be read" in page and "file is not a database" in page
    assert "no run has finished" not in page and "no run yet" not in page


def test_a_state_store_in_a_read_only_directory_fails_the_report(tmp_path, capsys, monkeypatch):
    import sqlite3

    from portal_scraper.report import history

    job_with_runs(tmp_path, [run_stats(0, 20, {})])

    def read_only(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        # What SQLite says opening a WAL store read-only in a directory it cannot write (its
        # -shm file cannot be made). Simulated: as root, a read-only directory stops nothing.
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(history.sqlite3, "connect", read_only)
    out = tmp_path / "out.html"
    assert report_main([str(tmp_path), "-o", str(out)]) == 1
    assert "attempt to write a readonly database" in capsys.readouterr().err
    assert "The run history could not be read" in out.read_text(encoding="utf-8")
