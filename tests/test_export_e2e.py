"""Exports of a real archive of the demo portal (two runs, one article changed in between): one
row per article with its newest version in each format, Parquet equal to the records, the
SQLite search, and Datasette serving the export."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from portal_scraper.dataset.columns import LOCAL_TIME_FIELDS, TIME_FIELDS
from portal_scraper.tools.demo import read_jsonl
from portal_scraper.tools.demo_portal import running
from portal_scraper.tools.export import EXIT_OK, main
from tests.support import FIXTURES_DIR, free_port
from tests.support.archiving import archive

pytestmark = pytest.mark.e2e
CHANGED = 1450


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict], dict[str, dict]]:
    """The job directory, all its lines, and the newest record of each article."""
    job = tmp_path_factory.mktemp("export") / "job"
    with running(FIXTURES_DIR) as (base, demo):
        archive(base, job)
        article = demo.articles[CHANGED]
        original = article.body
        article.body = original.replace(
            "Mỗi liên gia gồm".encode(), "Mỗi liên gia mới gồm".encode()
        )
        try:
            archive(base, job, "-s", "PORTAL_INCREMENTAL_REFRESH=True")
        finally:
            article.body = original
    lines = read_jsonl(job / "articles.jsonl")
    newest = {r["canonical_url"]: r for r in lines}  # appended in time order: the last wins
    assert len(lines) == len(newest) + 1  # the changed article is in the archive twice
    return job, lines, newest


@pytest.fixture(scope="module")
def exports(archived, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    job = archived[0]
    out = tmp_path_factory.mktemp("out")
    paths = {}
    for fmt, name in (
        ("parquet", "a.parquet"),
        ("csv", "a.csv"),
        ("sqlite", "a.db"),
        ("jsonl", "a.jsonl"),
    ):
        paths[fmt] = out / name
        assert main([str(job), "--format", fmt, "-o", str(paths[fmt])]) == EXIT_OK
    return paths


def rows(fmt: str, path: Path) -> list[dict]:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    if fmt == "sqlite":
        con = sqlite3.connect(path)
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute("SELECT * FROM articles")]
    return read_jsonl(path)


@pytest.mark.parametrize("fmt", ["parquet", "csv", "sqlite", "jsonl"])
def test_one_row_per_article_with_its_newest_version(archived, exports, fmt):
    _, _, newest = archived
    got = rows(fmt, exports[fmt])
    assert sorted(r["canonical_url"] for r in got) == sorted(newest)
    changed = next(r for r in got if r["source_id"] == str(CHANGED))
    assert "Mỗi liên gia mới gồm" in changed["body_text"]
    assert changed["content_sha256"] == newest[changed["canonical_url"]]["content_sha256"]
    assert changed["previous_content_sha256"]
    card = exports[fmt].with_name(exports[fmt].name + ".README.md").read_text(encoding="utf-8")
    assert f"{len(newest)} articles" in card and "replaced by a later one: 1." in card


def test_parquet_read_back_equals_the_jsonl_records_field_by_field(archived, exports):
    _, _, newest = archived
    got = rows("parquet", exports["parquet"])
    assert len(got) == len(newest)
    for row in got:
        expected = newest[row["canonical_url"]]
        for name in TIME_FIELDS:
            text = expected[name]
            assert row[name] == (datetime.fromisoformat(text) if text else None), name
            if name in LOCAL_TIME_FIELDS:
                assert row.pop(f"{name}_local") == text
            row[name] = text
        if row["portal"] is not None:
            row["portal"]["fields"] = dict(row["portal"]["fields"])
        assert row == expected
    assert any(r["images"] for r in got) and any(r["attachments"] for r in got)


def test_the_jsonl_export_is_the_newest_lines_unchanged(archived, exports):
    _, _, newest = archived
    assert sorted(rows("jsonl", exports["jsonl"]), key=lambda r: r["canonical_url"]) == [
        newest[k] for k in sorted(newest)
    ]


SEARCH = (
    "SELECT source_id FROM articles WHERE id IN "
    "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) ORDER BY source_id"
)


def test_sqlite_answers_a_search_with_and_without_diacritics(exports):
    con = sqlite3.connect(exports["sqlite"])
    marked = con.execute(SEARCH, ('"Đồng Khởi"',)).fetchall()
    assert marked == [("1452",)]
    assert con.execute(SEARCH, ('"dong khoi"',)).fetchall() == marked
    assert con.execute(SEARCH, ('"liên gia mới"',)).fetchall() == [(str(CHANGED),)]
    assert con.execute(SEARCH, ('"lien gia moi"',)).fetchall() == [(str(CHANGED),)]


@pytest.fixture
def datasette(exports) -> Iterator[str]:
    port = free_port()
    db = exports["sqlite"]
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "-m", f"{db}.metadata.json",
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"datasette did not start: {server.stderr.read().decode()[-2000:]}")
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def test_datasette_serves_the_table_and_a_search(datasette, archived):
    _, _, newest = archived
    page = get(f"{datasette}/a/articles")
    assert f"{len(newest)} rows" in page
    assert "Thành phố Bến Tre" in page
    assert "site" in page and "category" in page  # the facets of the metadata
    for words in ("dong khoi", "Đồng Khởi"):
        query = urllib.parse.urlencode({"_search": words, "_shape": "array", "_col": "source_id"})
        found = json.loads(get(f"{datasette}/a/articles.json?{query}"))
        assert "1452" in [r["source_id"] for r in found], words
    meta = json.loads(get(f"{datasette}/-/metadata.json"))
    assert meta["databases"]["a"]["tables"]["articles"]["fts_table"] == "articles_fts"
