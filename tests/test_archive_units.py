"""Pieces of the archiving job, one at a time: WARC rotation and repair, line repair, the state
store, and the report's thresholds."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request

from portal_scraper.crawl.state import SqliteStateStore
from portal_scraper.crawl.warc import OPEN_SUFFIX, WarcFiles, close_leftover, read_responses
from portal_scraper.export.storage import repair_tail
from portal_scraper.report.build import build_report

URL = "http://127.0.0.1:8765/Lists/TinTuc/DispForm.aspx?ID=1452"


def exchange(body: bytes = b"<html><body><p>xin ch\xc3\xa0o</p></body></html>"):
    request = Request(URL, headers={"User-Agent": "test"})
    response = HtmlResponse(URL, status=200, body=body, request=request,
                            headers={"Content-Type": "text/html; charset=utf-8"})  # fmt: skip
    return request, response


def test_warc_files_rotate_by_size_and_read_back(tmp_path: Path) -> None:
    files = WarcFiles(tmp_path, "test", max_bytes=1)  # every exchange fills a file
    names = [files.write(*exchange(), "2026-11-20T08:00:00Z")[0] for _ in range(3)]
    files.close()
    assert len(set(names)) == 3
    paths = sorted(tmp_path.glob("*.warc.gz"))
    assert [p.name for p in paths] == sorted(names)
    responses = list(read_responses(paths))
    assert [r.url for r in responses] == [URL] * 3
    assert responses[0].body.decode() == "<html><body><p>xin chào</p></body></html>"
    assert responses[0].fetched_at == "2026-11-20T08:00:00Z"


def test_a_file_left_open_by_a_kill_is_cut_after_its_last_whole_record(tmp_path: Path) -> None:
    files = WarcFiles(tmp_path, "test", max_bytes=10**9)
    files.write(*exchange(), "2026-11-20T08:00:00Z")
    files.write(*exchange(), "2026-11-20T08:00:01Z")
    assert files._file is not None
    files._file.close()  # the process dies: the file keeps its ".open" name
    (path,) = tmp_path.glob(f"*{OPEN_SUFFIX}")
    whole = path.stat().st_size
    with path.open("ab") as handle:
        handle.write(b"\x1f\x8b\x08\x00garbage of a record cut short")
    close_leftover(path)
    (closed,) = tmp_path.glob("*.warc.gz")
    assert closed.stat().st_size == whole
    assert len(list(read_responses([closed]))) == 2


def test_repair_tail_removes_only_a_cut_last_line(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert repair_tail(path) == len(b'{"c": ')
    assert path.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert repair_tail(path) == 0
    assert repair_tail(tmp_path / "missing.jsonl") == 0


def test_state_store_tells_new_updated_unchanged(tmp_path: Path) -> None:
    store = SqliteStateStore(tmp_path / "state.sqlite")
    record = {"canonical_url": URL, "site": "s", "content_sha256": "a" * 64,
              "fetched_at": "2026-11-20T08:00:00Z", "source_id": "1452"}  # fmt: skip
    assert store.remember(record) == ("new", None)
    assert store.remember(record) == ("unchanged", "a" * 64)
    assert store.remember({**record, "content_sha256": "b" * 64}) == ("updated", "a" * 64)
    seen = store.get(URL)
    assert seen is not None and seen.first_seen == "2026-11-20T08:00:00Z"
    store.close()
    again = SqliteStateStore(tmp_path / "state.sqlite")  # survives reopening
    assert again.count() == 1
    again.close()


def test_report_alerts_on_a_coverage_drop_and_a_reject_rate() -> None:
    stats = {
        "records/written": 20, "records/written/s": 20, "coverage/s/title": 20,
        "coverage/s/authors": 10, "rejects/count": 2, "rejects/reason/extract: x": 2,
        "portal/listing_pages": 1, "pages/article": 22,
    }  # fmt: skip
    previous = {"articles_written": 22, "coverage": {"s": {"title": 1.0, "authors": 0.9}}}
    report = build_report(stats, previous, max_reject_rate=0.05, max_coverage_drop=20.0)
    assert report["change"]["articles_written_change"] == -2
    assert report["change"]["coverage_drops"] == {"s/authors": 40.0}
    assert report["reject_rate"] == round(2 / 22, 4)
    assert len(report["alerts"]) == 2 and report["exit_code"] == 3
    # A quiet night's handful of records is no sample to compare coverage on.
    few = {**stats, "records/written": 5, "records/written/s": 5, "coverage/s/authors": 0}
    assert build_report(few, previous, 1.0, 20.0)["change"]["coverage_drops"] == {}
    calm = build_report(stats, previous, max_reject_rate=0.5, max_coverage_drop=50.0)
    assert calm["alerts"] == [] and calm["exit_code"] == 0
