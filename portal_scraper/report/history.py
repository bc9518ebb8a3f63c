"""A job directory read back for its report: every run's report, and articles by published day."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal_scraper.contracts.jobdir import ARTICLES_FILE, REPORT_FILE, STATE_FILE
from portal_scraper.dataset.archive import Filters, chosen_records, scan

NO_DATE = "no date"
# How many bad lines are named by number (all are counted).
BAD_LINES_SHOWN = 5
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Run:
    """One run of the job: its number in the state store and its report (report/build.py)."""

    number: int
    report: dict[str, Any]

    @property
    def finished_at(self) -> str:
        """When the run finished (else started), as the report says; empty when it says neither."""
        return str(self.report.get("finished_at") or self.report.get("started_at") or "")


@dataclass
class Articles:
    """The latest version of each article, counted by the day it was published."""

    by_day: Counter[str] = field(default_factory=Counter)
    lines: int = 0
    bad_lines: int = 0
    bad_line_numbers: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Articles counted (each canonical URL once)."""
        return sum(self.by_day.values())


@dataclass
class JobHistory:
    """What the report of one job directory is drawn from, and what could not be read."""

    job_dir: Path
    runs: list[Run] = field(default_factory=list)
    articles: Articles = field(default_factory=Articles)
    notices: list[str] = field(default_factory=list)
    # Why the runs could not be read (a damaged state store, one SQLite cannot open): the page
    # says so instead of "no run yet", and the command fails.
    unreadable: list[str] = field(default_factory=list)


def is_job_dir(path: Path) -> bool:
    """Whether `path` holds any file a `scrapy archive` job leaves."""
    return any((path / name).exists() for name in (ARTICLES_FILE, STATE_FILE, REPORT_FILE))


def job_dirs_under(root: Path) -> list[Path]:
    """The job directories right under a portal list's jobs root (`--jobs-root`), by name."""
    return sorted(p for p in root.iterdir() if p.is_dir() and is_job_dir(p))


def read_history(job_dir: Path, last_runs: int | None = None) -> JobHistory:
    """The runs (the last `last_runs` of them, else all) and articles of `job_dir`."""
    history = JobHistory(job_dir)
    state = job_dir / STATE_FILE
    if state.is_file():
        try:
            history.runs, bad = read_runs(state, last_runs)
        except sqlite3.Error as exc:
            hint = ""
            if "readonly" in str(exc) or "unable to open" in str(exc):
                # SQLite opens a WAL-mode store, even read-only, by making its -shm file beside it.
                hint = " (a WAL-mode store in a directory this user cannot write?)"
            history.unreadable.append(f"{state} could not be read: {exc}{hint}")
        else:
            if bad:
                history.notices.append(f"{bad} run reports in {STATE_FILE} are not JSON")
    elif (job_dir / REPORT_FILE).is_file():
        # The state store lives elsewhere (PORTAL_STATE_PATH, Redis): the last run only.
        try:
            report = json.loads((job_dir / REPORT_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            history.unreadable.append(f"{job_dir / REPORT_FILE} could not be read: {exc}")
        else:
            history.runs = [Run(1, report)] if isinstance(report, dict) else []
            history.notices.append(f"no {STATE_FILE}: only the last run ({REPORT_FILE}) is shown")
    if not history.runs and not history.unreadable:
        history.notices.append("no run has finished in this job directory yet")
    articles = job_dir / ARTICLES_FILE
    if articles.is_file():
        history.articles = count_articles(articles)
        counted = history.articles
        if counted.bad_lines:
            numbers = ", ".join(str(n) for n in counted.bad_line_numbers)
            more = ", ..." if counted.bad_lines > len(counted.bad_line_numbers) else ""
            history.notices.append(
                f"{counted.bad_lines} lines of {ARTICLES_FILE} are not JSON records and were not "
                f"counted (line {numbers}{more}; a last line cut short is a run still writing)"
            )
    else:
        history.notices.append(f"no {ARTICLES_FILE}: no article has been written yet")
    return history


def read_runs(state: Path, last_runs: int | None = None) -> tuple[list[Run], int]:
    """The runs in a state store, oldest first, and how many reports were not JSON objects.

    The store is opened read-only, so a job running now is never disturbed."""
    db = sqlite3.connect(f"{state.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        query = "SELECT id, report FROM runs ORDER BY id DESC"
        rows = db.execute(query + (f" LIMIT {int(last_runs)}" if last_runs else "")).fetchall()
    finally:
        db.close()
    runs, bad = [], 0
    for number, text in reversed(rows):
        try:
            report = json.loads(text)
        except ValueError:
            report = None
        if isinstance(report, dict):
            runs.append(Run(int(number), report))
        else:
            bad += 1
    return runs, bad


def count_articles(path: Path) -> Articles:
    """Articles of a records file by published day: the version an export keeps of each
    (dataset/archive.py); a line that is not a JSON record is counted as bad."""
    result = scan([path], Filters(), all_versions=False)
    articles = Articles(
        lines=result.lines,
        bad_lines=result.damaged,
        bad_line_numbers=[number for _, number in result.damaged_at[:BAD_LINES_SHOWN]],
    )
    for record in chosen_records(result, all_versions=False):
        published = record.get("published_at")
        matched = _DAY.match(published) if isinstance(published, str) else None
        # The date as the portal gave it (its local day), not converted to UTC.
        articles.by_day[matched.group(0) if matched else NO_DATE] += 1
    return articles
