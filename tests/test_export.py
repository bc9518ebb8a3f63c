"""`portal-scraper export` on small hand-made job directories: which version is chosen, filters,
damaged lines, the formats' details, and what is left behind when writing fails."""

from __future__ import annotations

import csv
import errno
import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from portal_scraper.dataset import export as export_module
from portal_scraper.dataset.card import card_path
from portal_scraper.normalize.text import fold
from portal_scraper.record.model import RECORD_FIELDS, Image, Portal
from portal_scraper.tools.export import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from tests.support.records import record

A = "http://127.0.0.1/Lists/TinTuc/DispForm.aspx?ID=1"
B = "http://127.0.0.1/Lists/TinTuc/DispForm.aspx?ID=2"


def line(url: str = A, fetched: str = "2026-11-20T08:00:00Z", **changes: Any) -> str:
    data = record(url=url, canonical_url=url, fetched_at=fetched, **changes).to_dict()
    return json.dumps(data, ensure_ascii=False)


def job(path: Path, *lines: str) -> Path:
    path.mkdir(parents=True)
    (path / "articles.jsonl").write_text("".join(f"{x}\n" for x in lines), encoding="utf-8")
    return path


def exported(tmp_path: Path, jobs: list[Path], *args: str, fmt: str = "jsonl") -> list[dict]:
    out = tmp_path / f"out.{fmt}"
    assert main([*map(str, jobs), "--format", fmt, "-o", str(out), *args]) == EXIT_OK
    return [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]


def test_the_newest_fetched_version_wins_and_a_tie_goes_to_the_later_line(tmp_path, capsys):
    directory = job(
        tmp_path / "job",
        line(A, "2026-11-20T08:00:00Z", title="A old"),
        line(B, "2026-11-20T08:00:00Z", title="B first"),
        line(A, "2026-11-21T08:00:00Z", title="A new"),
        line(A, "2026-11-19T08:00:00Z", title="A older, read late"),
        line(B, "2026-11-20T08:00:00.000Z", title="B same instant, later line"),
    )
    rows = exported(tmp_path, [directory])
    assert [r["title"] for r in rows] == ["A new", "B same instant, later line"]
    assert "exported 2 rows" in capsys.readouterr().err
    assert (
        "older versions replaced by a later one: 3" in card_path(tmp_path / "out.jsonl").read_text()
    )


def test_all_versions_are_numbered_by_fetched_at_across_job_directories(tmp_path):
    first = job(tmp_path / "a", line(A, "2026-11-21T08:00:00Z", title="A v2"), line(B, title="B"))
    second = job(tmp_path / "b", line(A, "2026-11-20T08:00:00Z", title="A v1"))
    rows = exported(tmp_path, [first, second], "--all-versions")
    assert [(r["title"], r["version"]) for r in rows] == [("A v2", 2), ("B", 1), ("A v1", 1)]
    assert [r["title"] for r in exported(tmp_path, [first, second], "--force")] == ["A v2", "B"]


def test_a_damaged_line_is_counted_named_and_the_rest_exported(tmp_path, capsys, caplog):
    directory = job(tmp_path / "job", line(A), "{not json", line(B), '{"title": "no url"}')
    with (directory / "articles.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(line(B)[:50])  # the cut last line of a killed run
    with caplog.at_level(logging.WARNING):
        rows = exported(tmp_path, [directory])
    assert [r["url"] for r in rows] == [A, B]
    named = [r.getMessage() for r in caplog.records]
    path = directory / "articles.jsonl"
    assert [m.split(": ")[0] for m in named] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    assert "3 damaged lines skipped" in capsys.readouterr().err
    card = card_path(tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert "e.g. a line cut by a killed run): 3." in card


def test_date_filters_use_the_portal_day_and_count_undated_articles(tmp_path, capsys):
    c, d = A.replace("1", "3"), A.replace("1", "4")
    directory = job(
        tmp_path / "job",
        line(A, published_at="2020-01-01T00:30:00+07:00"),  # 2019-12-31 in UTC
        line(B, published_at="2019-12-31T23:59:00+07:00"),
        line(c, published_at=None, title="undated"),
        line(d, published_at="2020-02-01T00:00:00+07:00", site="other"),
    )
    rows = exported(tmp_path, [directory], "--since", "2020-01-01")
    assert [r["url"] for r in rows] == [A, d]
    err = capsys.readouterr().err
    assert "2 left out by filters" in err
    card = card_path(tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert "no published_at (or no offset) under a date filter)" in card
    assert "- Left out by the filters: 1 (no published_at" in card
    rows = exported(tmp_path, [directory], "--since", "2020-01-01", "--keep-undated", "--force")
    assert [r["title"] for r in rows][1] == "undated"
    rows = exported(tmp_path, [directory], "--until", "2019-12-31T17:00:00Z", "--force")
    assert [r["url"] for r in rows] == [B]
    rows = exported(tmp_path, [directory], "--site", "generic", "--force")
    assert [r["url"] for r in rows] == [A, B, c]


def test_csv_round_trips_bodies_with_newlines_quotes_and_nested_fields(tmp_path):
    body = "Dòng một, \"trích dẫn\";\n\nDòng hai\r\ncó dấu phẩy, và 'nháy'."
    images = [
        Image(url="http://127.0.0.1/a.jpg", caption="Ảnh, “chú thích”", credit=None, alt=None)
    ]
    directory = job(tmp_path / "job", line(A, body_text=body, images=images, authors=["Lê Văn A"]))
    out = tmp_path / "out.csv"
    assert main([str(directory), "--format", "csv", "-o", str(out)]) == EXIT_OK
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["body_text"] == body
    assert json.loads(row["images"]) == [
        {
            "url": "http://127.0.0.1/a.jpg",
            "caption": "Ảnh, “chú thích”",
            "credit": None,
            "alt": None,
        }
    ]
    assert json.loads(row["authors"]) == ["Lê Văn A"]
    assert list(row)[: len(RECORD_FIELDS)] == list(RECORD_FIELDS)


def test_an_existing_output_is_kept_without_force(tmp_path, capsys):
    directory = job(tmp_path / "job", line(A))
    out = tmp_path / "out.parquet"
    out.write_text("someone's file")
    assert main([str(directory), "--format", "parquet", "-o", str(out)]) == EXIT_USAGE
    assert "output exists" in capsys.readouterr().err
    assert out.read_text() == "someone's file"
    assert main([str(directory), "--format", "parquet", "-o", str(out), "--force"]) == EXIT_OK
    assert out.read_bytes().startswith(b"PAR1")


@pytest.mark.parametrize("case", ["missing", "no-records"])
def test_bad_job_directories_exit_2_with_a_message(tmp_path, capsys, case):
    directory = tmp_path / "job"
    if case == "no-records":
        directory.mkdir()
    assert main([str(directory), "--format", "csv", "-o", str(tmp_path / "o.csv")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert ("no such job directory" if case == "missing" else "no articles.jsonl") in err
    assert list(tmp_path.iterdir()) == ([directory] if case == "no-records" else [])


@pytest.mark.parametrize("fmt", ["jsonl", "sqlite"])
def test_a_full_disk_leaves_no_file_behind_and_exits_1(tmp_path, capsys, monkeypatch, fmt):
    directory = job(tmp_path / "job", line(A), line(B))
    real = export_module._write

    def fill_then_fail(request, path, records):
        real(request, path, list(records)[:1])
        assert path.exists()  # the partial export was on disk, under its temporary name
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "_write", fill_then_fail)
    out = tmp_path / "out" / f"export.{fmt}"
    out.parent.mkdir()
    assert main([str(directory), "--format", fmt, "-o", str(out)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "FAILED, nothing written" in err and "No space left on device" in err
    assert list(out.parent.iterdir()) == []


def test_times_are_utc_instants_and_keep_the_portal_offset_in_parquet(tmp_path, caplog):
    import pyarrow.parquet as pq

    portal = Portal(name="Cổng", agency=None, address=None, editor_in_chief=None, editor_in_chief_title=None,
                    phones=["1"], faxes=[], emails=[], submission_emails=[], fields={"Điện thoại": "1"})  # fmt: skip
    directory = job(
        tmp_path / "job",
        line(A, published_at="2018-08-10T15:00:00+07:00", portal=portal),
        line(B, published_at="2018-08-10T15:00:00", title="no offset"),
    )
    out = tmp_path / "out.parquet"
    with caplog.at_level(logging.WARNING):
        assert main([str(directory), "--format", "parquet", "-o", str(out)]) == EXIT_OK
    table = pq.read_table(out)
    assert str(table.schema.field("published_at").type) == "timestamp[us, tz=UTC]"
    assert (
        str(table.schema.field("images").type.value_type)
        == "struct<url: string, caption: string, credit: string, alt: string>"
    )
    (first,) = table.to_pylist()
    assert first["published_at"].isoformat() == "2018-08-10T08:00:00+00:00"
    assert first["published_at_local"] == "2018-08-10T15:00:00+07:00"
    assert first["portal"]["fields"] == [("Điện thoại", "1")]
    # A time without an offset is no valid record (nor guessed to be UTC): a damaged line.
    (named,) = [r.getMessage() for r in caplog.records]
    assert ":2: not a valid record: published_at must match pattern" in named


def test_sqlite_search_folds_marks_and_the_letter_d_with_stroke(tmp_path):
    directory = job(
        tmp_path / "job",
        line(A, title="Kỷ niệm Đồng Khởi", body_text="Phong trào năm 1960."),
        line(B, title="Đường Đồng Văn", body_text="Không liên quan."),
    )
    out = tmp_path / "out.db"
    assert main([str(directory), "--format", "sqlite", "-o", str(out)]) == EXIT_OK
    con = sqlite3.connect(out)
    query = "SELECT url FROM articles WHERE id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
    for words in ("Đồng Khởi", "dong khoi", "DONG KHOI", "đồng khoi", '"dong khoi"'):
        assert con.execute(query, (words,)).fetchall() == [(A,)], words
    assert con.execute(query, ("dong",)).fetchall() == [(A,), (B,)]
    metadata = json.loads((tmp_path / "out.db.metadata.json").read_text(encoding="utf-8"))
    table = metadata["databases"]["out"]["tables"]["articles"]
    assert (table["fts_table"], table["facets"][:2]) == ("articles_fts", ["site", "category"])
    assert table["columns"]["title"] == "headline"
    assert fold("Đường Đồng Khởi") == "Duong Dong Khoi"


def test_the_card_has_counts_coverage_schema_licence_and_the_command(tmp_path):
    directory = job(
        tmp_path / "job",
        line(A, published_at="2020-01-05T08:00:00+07:00", authors=["X"]),
        line(B, published_at="2020-02-05T08:00:00+07:00"),
    )
    out = tmp_path / "out.jsonl"
    assert main([str(directory), "--format", "jsonl", "-o", str(out)]) == EXIT_OK
    card = card_path(out).read_text(encoding="utf-8")
    assert f"portal-scraper export {directory} --format jsonl -o {out}\n" in card
    assert "| generic | 2 |" in card
    assert "| 2020-01 | 1 |" in card and "| 2020-02 | 1 |" in card
    assert "| authors | 50.0 |" in card and "| title | 100.0 |" in card
    assert "| images | `JSON` | `list[Image]` | An image of the body" in card
    assert "published_at_utc" not in card  # JSON Lines has the record's fields only
    assert "belong to the portals" in card


def test_parquet_row_groups_have_the_asked_size(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from portal_scraper.dataset import formats

    monkeypatch.setattr(formats, "ARROW_BATCH", 2)  # several Arrow batches make one row group
    urls = [A.replace("ID=1", f"ID={n}") for n in range(11)]
    directory = job(tmp_path / "job", *(line(u, title=f"T{n}") for n, u in enumerate(urls)))
    out = tmp_path / "out.parquet"
    assert (
        main([str(directory), "--format", "parquet", "-o", str(out), "--row-group-size", "5"])
        == EXIT_OK
    )
    meta = pq.ParquetFile(out).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [5, 5, 1]
    assert [r["title"] for r in pq.read_table(out).to_pylist()] == [f"T{n}" for n in range(11)]


def test_sqlite_full_database_is_a_write_failure_not_a_traceback(tmp_path, capsys, monkeypatch):
    from portal_scraper.dataset import sqlite as sqlite_export

    connect = sqlite3.connect

    def small(path):  # SQLite says "database or disk is full" past max_page_count, as on ENOSPC
        con = connect(path)
        con.execute("PRAGMA max_page_count = 8")
        return con

    monkeypatch.setattr(sqlite_export.sqlite3, "connect", small)
    directory = job(
        tmp_path / "job",
        *(line(A.replace("ID=1", f"ID={n}"), body_text="Nội dung. " * 500) for n in range(20)),
    )
    out = tmp_path / "out" / "x.db"
    out.parent.mkdir()
    assert main([str(directory), "--format", "sqlite", "-o", str(out)]) == EXIT_FAILED
    assert "database or disk is full" in capsys.readouterr().err
    assert list(out.parent.iterdir()) == []


def test_lines_appended_after_the_export_started_are_not_read(tmp_path, monkeypatch):
    from portal_scraper.dataset import archive

    directory = job(tmp_path / "job", line(A))
    real = archive.scan

    def scan_then_append(*args, **kwargs):
        found = real(*args, **kwargs)
        with (directory / "articles.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(line(B) + "\n" + line(A, "2026-12-01T00:00:00Z", title="later") + "\n")
        return found

    monkeypatch.setattr(export_module, "scan", scan_then_append)
    rows = exported(tmp_path, [directory], "--all-versions")
    assert [(r["url"], r["version"]) for r in rows] == [(A, 1)]


def test_a_missing_output_directory_is_a_usage_error(tmp_path, capsys):
    directory = job(tmp_path / "job", line(A))
    assert (
        main([str(directory), "--format", "csv", "-o", str(tmp_path / "no" / "x.csv")])
        == EXIT_USAGE
    )
    assert "no such directory" in capsys.readouterr().err


def test_the_portal_scraper_command_runs_export(tmp_path, capsys, monkeypatch):
    from portal_scraper.tools import cli

    # Only this branch's command: the report command's module is written elsewhere.
    monkeypatch.setattr(cli, "COMMANDS", {"export": "portal_scraper.tools.export"})
    directory = job(tmp_path / "job", line(A))
    out = tmp_path / "out.jsonl"
    assert cli.main(["export", str(directory), "--format", "jsonl", "-o", str(out)]) == EXIT_OK
    assert "exported 1 rows" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "export    Export job directories" in capsys.readouterr().out


def test_an_export_into_a_job_directory_it_reads_is_refused_even_with_force(tmp_path, capsys):
    directory = job(tmp_path / "job", line(A), line(A, "2026-11-21T08:00:00Z"))
    before = (directory / "articles.jsonl").read_bytes()
    for name, fmt in (("articles.jsonl", "jsonl"), ("state.sqlite", "sqlite")):
        out = directory / name
        assert main([str(directory), "--format", fmt, "-o", str(out), "--force"]) == EXIT_USAGE
    assert "inside a job directory being exported" in capsys.readouterr().err
    assert (directory / "articles.jsonl").read_bytes() == before
    assert not (directory / "state.sqlite").exists()


def test_a_job_directory_named_twice_is_read_once(tmp_path):
    directory = job(tmp_path / "job", line(A), line(B))
    (tmp_path / "link").symlink_to(directory)
    rows = exported(tmp_path, [directory, tmp_path / "link", directory], "--all-versions")
    assert sorted((r["canonical_url"], r["version"]) for r in rows) == [(A, 1), (B, 1)]


def test_a_date_past_the_calendars_edge_is_no_date_not_a_crash(tmp_path):
    far = line(B, published_at="9999-12-31T23:59:59-12:00")
    directory = job(tmp_path / "job", line(A), far)
    for fmt in ("csv", "parquet", "sqlite", "jsonl"):
        out = tmp_path / f"edge.{fmt}"
        assert main([str(directory), "--format", fmt, "-o", str(out)]) == EXIT_OK


PHONE_AS_NUMBER = Portal(name="Cổng", agency=None, address=None, editor_in_chief=None, editor_in_chief_title=None,
                         phones=[], faxes=[], emails=[], submission_emails=[], fields={"Điện thoại": 1})  # fmt: skip
NOT_RECORDS = {
    # JSON, but no record: each once made the export end in a traceback (exit 1).
    "a lone surrogate": ({"title": "\ud800"}, "title"),
    "a view count past 64 bits": ({"view_count": 2**70}, "view_count"),
    "a view count past 64 bits, as a float": ({"view_count": 1e20}, "view_count"),
    "a view count as text": ({"view_count": "1,234"}, "view_count"),
    "a portal field that is no text": ({"portal": PHONE_AS_NUMBER}, "portal"),
}


@pytest.mark.parametrize("fmt", ["parquet", "csv", "sqlite", "jsonl"])
@pytest.mark.parametrize("case", list(NOT_RECORDS))
def test_a_json_line_that_is_no_valid_record_is_a_damaged_line(tmp_path, capsys, caplog, case, fmt):
    changes, reason = NOT_RECORDS[case]
    data = record(url=A, canonical_url=A, fetched_at="2026-11-22T08:00:00Z", **changes).to_dict()
    bad = json.dumps(data)  # ASCII: a lone surrogate stays the escape "\ud800", as JSON allows
    directory = job(tmp_path / "job", line(A, title="A, the last valid version"), bad, line(B))
    out = tmp_path / f"out.{fmt}"
    with caplog.at_level(logging.WARNING):
        assert main([str(directory), "--format", fmt, "-o", str(out)]) == EXIT_OK
    (named,) = [r.getMessage() for r in caplog.records]
    assert (
        named.startswith(f"{directory / 'articles.jsonl'}:2: not a valid record")
        and reason in named
    )
    err = capsys.readouterr().err
    assert "exported 2 rows" in err and "1 damaged lines skipped" in err
    assert "e.g. a line cut by a killed run): 1." in card_path(out).read_text(encoding="utf-8")
    if fmt == "jsonl":  # the damaged line is not there: the article's last valid version is
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert [r["title"] for r in rows] == ["A, the last valid version", "Tin"]


def test_json_nested_too_deep_to_read_is_a_damaged_line(tmp_path, capsys):
    deep = '{"canonical_url": ' + "[" * 100_000 + "]" * 100_000 + "}"
    directory = job(tmp_path / "job", line(A), deep, line(B))
    assert exported(tmp_path, [directory]) and "1 damaged lines skipped" in capsys.readouterr().err


def test_all_versions_counts_versions_and_articles_apart(tmp_path, capsys):
    directory = job(
        tmp_path / "job",
        line(A, "2026-11-20T08:00:00Z", title="A v1"),
        line(B, site="other"),
        line(A, "2026-11-21T08:00:00Z", title="A v2"),
        line(A, "2026-11-22T08:00:00Z", title="A v3"),
    )
    assert len(exported(tmp_path, [directory], "--all-versions")) == 4
    err = capsys.readouterr().err
    assert "exported 4 rows (4 versions of 2 articles) to " in err
    assert "replaced" not in err  # every version is kept: none replaced
    card = card_path(tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert "4 versions of 2 articles from archives" in card
    assert "Lines read: 4; every version kept (--all-versions): 4 versions of 2 articles." in card
    assert "replaced" not in card
    assert "| site | articles | versions |" in card
    assert "| generic | 1 | 3 |" in card and "| other | 1 | 1 |" in card
    # Without --all-versions, the latest of each: the two older versions of A are replaced.
    assert len(exported(tmp_path, [directory], "--force")) == 2
    assert "exported 2 rows to " in capsys.readouterr().err
    card = card_path(tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert "2 articles from archives" in card and "replaced by a later one: 2." in card
    assert "| site | articles |\n" in card


@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("2020-02-01", "2020-01-31"),
        ("2020-02-01T00:00:00Z", "2020-01-31T23:59:59Z"),
        ("2020-02-01T08:00:00+07:00", "2020-01-31T23:00:00Z"),  # compared as instants
        ("2020-02-03", "2020-01-31T00:00:00Z"),  # no offset puts a day and an instant this far
    ],
)
def test_since_after_until_is_a_usage_error(tmp_path, capsys, since, until):
    directory = job(tmp_path / "job", line(A, published_at="2020-01-31T12:00:00+07:00"))
    out = tmp_path / "out.jsonl"
    args = [str(directory), "--format", "jsonl", "-o", str(out), "--since", since, "--until", until]
    assert main(args) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "--since 2020-02-" in err and " is after --until 2020-01-" in err
    assert not out.exists() and not card_path(out).exists()


def test_a_day_and_an_instant_that_an_offset_can_reconcile_are_no_usage_error(tmp_path):
    # 2020-01-01T20:00:00Z is 2 January in Vietnam (+07:00): the range holds that article.
    directory = job(tmp_path / "job", line(A, published_at="2020-01-02T03:00:00+07:00"))
    rows = exported(
        tmp_path, [directory], "--since", "2020-01-02", "--until", "2020-01-01T20:00:00Z"
    )
    assert [r["url"] for r in rows] == [A]


def test_a_site_the_archive_does_not_hold_is_named_with_the_sites_it_holds(tmp_path, capsys):
    directory = job(tmp_path / "job", line(A), line(B, site="bentre-city"))
    out = tmp_path / "out.jsonl"
    args = [str(directory), "--format", "jsonl", "-o", str(out), "--site", "generic"]
    assert main([*args, "--site", "Bentre-City"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "--site Bentre-City: no such site in the archive" in err
    assert "its sites: bentre-city, generic" in err
    assert not out.exists() and not card_path(out).exists()
    assert main(args) == EXIT_OK  # a site it holds


def test_no_row_left_by_the_filters_is_a_warning(tmp_path, capsys):
    directory = job(tmp_path / "job", line(A, published_at="2020-01-31T12:00:00+07:00"))
    assert exported(tmp_path, [directory], "--since", "2021-01-01") == []
    err = capsys.readouterr().err
    assert "warning: no row exported: the filters left out all 1 articles" in err
    assert err.rstrip().splitlines()[-1].startswith("exported 0 rows")  # the summary stays last
    empty = job(tmp_path / "empty")
    assert exported(tmp_path, [empty], "--force") == []
    assert "warning: no row exported: the job directories hold no record" in capsys.readouterr().err


KILLED_MID_WRITE = """
import os, signal, sys
from portal_scraper.dataset import export as export_module
from portal_scraper.tools.export import main

def write_then_die(request, path, records):
    path.write_text("half an export")
    os.kill(os.getpid(), signal.SIGKILL)

export_module._write = write_then_die
main(sys.argv[1:])
"""


def test_a_later_export_removes_the_temporary_files_of_a_killed_one(tmp_path):
    import signal
    import subprocess
    import sys

    directory = job(tmp_path / "job", line(A), line(B))
    out = tmp_path / "out" / "export.db"
    out.parent.mkdir()
    args = [str(directory), "--format", "sqlite", "-o", str(out)]
    killed = subprocess.Popen([sys.executable, "-c", KILLED_MID_WRITE, *args])
    assert killed.wait() == -signal.SIGKILL
    stale = out.parent / f".export.db.{killed.pid}.tmp"
    assert [p.name for p in out.parent.iterdir()] == [stale.name]
    (out.parent / f"{stale.name}-journal").write_text("SQLite's journal beside it")
    # One of this very PID (a killed export's PID used again) is stale too: no SQLite database.
    (out.parent / f".export.db.{os.getpid()}.tmp").write_text("left by a killed export")
    # One of a process still running (pytest's parent) may be another export's: kept.
    running = out.parent / f".export.db.{os.getppid()}.tmp"
    running.write_text("an export being written now")
    (out.parent / ".other.db.1.tmp").write_text("not this output's")
    assert main(args) == EXIT_OK
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        [".other.db.1.tmp", running.name, "export.db", "export.db.README.md",
         "export.db.metadata.json"]
    )  # fmt: skip


def test_a_line_written_before_a_field_was_added_or_with_a_later_key_is_exported(tmp_path, capsys):
    # An archive runs for years: the record gains fields, and a later version may write keys
    # this one does not know. Neither makes a line damaged (the card counts unknown keys).
    old = record(url=A, canonical_url=A).to_dict()
    del old["view_count"], old["summary"]
    new = {**record(url=B, canonical_url=B).to_dict(), "reading_minutes": 3}
    directory = job(tmp_path / "job", json.dumps(old), json.dumps(new))
    rows = exported(tmp_path, [directory])
    assert [r["canonical_url"] for r in rows] == [A, B] and "view_count" not in rows[0]
    assert "0 damaged lines skipped" in capsys.readouterr().err
    card = card_path(tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert "`reading_minutes` (1)" in card


def test_a_line_without_the_fields_an_export_needs_is_a_damaged_line(tmp_path, capsys):
    bad = record(url=A, canonical_url=A).to_dict()
    del bad["site"]
    directory = job(tmp_path / "job", json.dumps(bad), line(B))
    assert [r["canonical_url"] for r in exported(tmp_path, [directory])] == [B]
    assert "1 damaged lines skipped" in capsys.readouterr().err
