"""The SQLite export: an `articles` table, an FTS5 index that finds Vietnamese with or without
its marks, and the Datasette metadata that serves it."""

from __future__ import annotations

import errno
import json
import sqlite3
from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import Any

from portal_scraper.dataset.columns import VERSION, description, flat_columns, flat_row
from portal_scraper.normalize.text import fold

TABLE = "articles"
FTS_TABLE = "articles_fts"
SEARCHED = ("title", "summary", "body_text")
FACETS = ("site", "category", "language")
INTEGER_COLUMNS = ("view_count", VERSION)
# unicode61's remove_diacritics folds the tone and vowel marks, but đ/Đ is a letter of its own
# (no decomposition), so "dong khoi" would not find "Đồng Khởi": a folded copy (`fold`) is
# indexed too.


def write_sqlite(
    path: Path, records: Iterable[dict[str, Any]], all_versions: bool, batch: int = 1000
) -> None:
    """The records in `articles` (nested values as JSON text) and their full-text index."""
    columns = flat_columns(all_versions)
    con = sqlite3.connect(path)
    try:
        # The file is temporary until renamed whole, so a journal would protect nothing.
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        typed = ", ".join(f"{c} {'INTEGER' if c in INTEGER_COLUMNS else 'TEXT'}" for c in columns)
        con.execute(f"CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY, {typed})")
        # Contentless: the text is in `articles` already; the index only maps words to rows.
        con.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(SEARCHED)}, folded, "
            "content='', tokenize='unicode61 remove_diacritics 2')"
        )
        marks = ", ".join("?" * (len(columns) + 1))
        insert = f"INSERT INTO {TABLE} (id, {', '.join(columns)}) VALUES ({marks})"
        index = (
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(SEARCHED)}, folded) VALUES (?, ?, ?, ?, ?)"
        )
        rows = iter(records)
        next_id = 1
        while chunk := list(islice(rows, batch)):
            ids = range(next_id, next_id + len(chunk))
            next_id += len(chunk)
            pairs = list(zip(ids, chunk, strict=True))
            con.executemany(insert, [[i, *flat_row(r, columns)] for i, r in pairs])
            con.executemany(
                index, [[i, *(r.get(c) for c in SEARCHED), _folded(r)] for i, r in pairs]
            )
        for column in ("canonical_url", "site", "category", "published_at_utc"):
            con.execute(f"CREATE INDEX {TABLE}_{column} ON {TABLE} ({column})")
        con.commit()
    except sqlite3.OperationalError as error:
        # "database or disk is full" is SQLite's ENOSPC: the caller handles it as any OSError.
        code = errno.ENOSPC if "full" in str(error) else errno.EIO
        raise OSError(code, f"SQLite: {error}") from error
    finally:
        con.close()


def _folded(record: dict[str, Any]) -> str:
    return fold("\n".join(str(record.get(c) or "") for c in SEARCHED))


def datasette_metadata(database: str, title: str, all_versions: bool) -> dict[str, Any]:
    """Metadata for `datasette serve DB -m FILE`: descriptions, facets and the search index."""
    columns = flat_columns(all_versions)
    return {
        "title": title,
        "description": "Articles archived from government and news portals by portal-scraper "
        "(one row per article, its latest version unless exported with --all-versions). "
        "Search finds words with or without Vietnamese marks (dong khoi = Đồng Khởi).",
        "license": "The articles' content belongs to the portals that published it",
        "databases": {
            database: {
                "tables": {
                    TABLE: {
                        "description": "One archived article a row; nested fields as JSON text.",
                        "columns": {c: description(c) for c in columns},
                        "facets": list(FACETS),
                        "fts_table": FTS_TABLE,
                        "fts_pk": "id",
                        "searchmode": "escaped",
                        "sort_desc": "published_at_utc",
                        "label_column": "title",
                    },
                    FTS_TABLE: {"hidden": True},
                }
            }
        },
    }


def write_metadata(path: Path, metadata: dict[str, Any]) -> None:
    """The Datasette metadata as JSON."""
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
