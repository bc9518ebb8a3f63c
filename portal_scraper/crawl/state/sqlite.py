"""The state store in SQLite: what each article looked like when it was last archived.

WAL mode: each write is one transaction, so a crash mid-write leaves the previous
state, and several runs (or workers) on one file wait for each other instead of corrupting it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from portal_scraper.crawl.state.base import RECENT_RUNS, Seen, last_complete

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    source_id TEXT,
    site TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    warc_file TEXT,
    warc_record_id TEXT
);
CREATE INDEX IF NOT EXISTS articles_source ON articles (site, source_id);
CREATE TABLE IF NOT EXISTS rejects (
    url TEXT PRIMARY KEY,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    finished_at TEXT NOT NULL,
    report TEXT NOT NULL
);
"""
BUSY_TIMEOUT_MS = 60_000
WAL_RETRY_SECONDS = 0.05


class SqliteStateStore:
    """Per-article hashes and first/last seen times, plus each run's report, in one file."""

    shared = False

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._to_wal()
        self._db.execute("PRAGMA synchronous = NORMAL")
        with self._transaction():
            for statement in filter(None, (s.strip() for s in SCHEMA.split(";"))):
                self._db.execute(statement)

    def _to_wal(self) -> None:
        """Switch the file to WAL, waiting for another run that holds its write lock: SQLite
        answers "database is locked" to this switch at once, without waiting the busy timeout
        (two crawls started together on a new store)."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(WAL_RETRY_SECONDS)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def get(self, canonical_url: str) -> Seen | None:
        """The stored state of the article at `canonical_url`, if it was archived."""
        row = self._db.execute(
            "SELECT canonical_url, content_sha256, first_seen, last_seen FROM articles "
            "WHERE canonical_url = ?",
            (canonical_url,),
        ).fetchone()
        return Seen(*row) if row else None

    def remember(self, record: Mapping[str, Any]) -> tuple[str, str | None]:
        """Store a written record; return ("new" | "updated" | "unchanged", previous hash)."""
        with self._transaction():
            previous = self.get(record["canonical_url"])
            if previous is None:
                self._db.execute(
                    "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        record["canonical_url"],
                        record.get("source_id"),
                        record["site"],
                        record["content_sha256"],
                        record["fetched_at"],
                        record["fetched_at"],
                        record.get("warc_file"),
                        record.get("warc_record_id"),
                    ),
                )
                return "new", None
            self._db.execute(
                "UPDATE articles SET content_sha256 = ?, last_seen = ?, warc_file = ?, "
                "warc_record_id = ? WHERE canonical_url = ?",
                (
                    record["content_sha256"],
                    record["fetched_at"],
                    record.get("warc_file"),
                    record.get("warc_record_id"),
                    record["canonical_url"],
                ),
            )
            changed = previous.content_sha256 != record["content_sha256"]
            return ("updated" if changed else "unchanged"), previous.content_sha256

    def archived_urls(self) -> list[str]:
        """Canonical URLs of every archived article."""
        return [row[0] for row in self._db.execute("SELECT canonical_url FROM articles")]

    def forget(self, canonical_url: str) -> None:
        """Forget an archived article (its record was lost): the next fetch archives it anew."""
        with self._transaction():
            self._db.execute("DELETE FROM articles WHERE canonical_url = ?", (canonical_url,))

    def remember_reject(self, url: str, stage: str, reason: str, seen_at: str) -> None:
        """Note a page that gave no record (it is not fetched again unless refreshing)."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO rejects VALUES (?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "stage = excluded.stage, reason = excluded.reason, last_seen = excluded.last_seen",
                (url, stage, reason, seen_at),
            )

    def rejected(self, url: str) -> str | None:
        """The reason a page was rejected by an earlier run, if it was."""
        row = self._db.execute("SELECT reason FROM rejects WHERE url = ?", (url,)).fetchone()
        return str(row[0]) if row else None

    def touch(self, canonical_url: str, seen_at: str) -> None:
        """Note that an unchanged article was seen again."""
        with self._transaction():
            self._db.execute(
                "UPDATE articles SET last_seen = ? WHERE canonical_url = ?",
                (seen_at, canonical_url),
            )

    def get_meta(self, key: str) -> str | None:
        """A bookkeeping value (how far an output file is remembered)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a bookkeeping value."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO meta VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def count(self) -> int:
        """How many articles the store knows."""
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def save_report(self, report: dict[str, Any]) -> None:
        """Keep a run's report, to compare the next run with."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO runs (finished_at, report) VALUES (?, ?)",
                (report.get("finished_at", ""), json.dumps(report, ensure_ascii=False)),
            )

    def last_report(self) -> dict[str, Any] | None:
        """The report of the last run on this store that did not fail (the baseline to compare
        with: a run stopped by a full disk covers only part of the portal)."""
        rows = self._db.execute(f"SELECT report FROM runs ORDER BY id DESC LIMIT {RECENT_RUNS}")
        return last_complete(row[0] for row in rows)

    def close(self) -> None:
        """Close the database."""
        self._db.close()


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on error (takes the write lock up front)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
