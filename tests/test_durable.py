"""Units of "nothing lost": durable exporters, file repair, the ledger, redirects on one site."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings

from portal_scraper.contracts.meta import ARTICLE, LISTING
from portal_scraper.crawl.ledger import REJECTED, SKIPPED, WRITTEN, Ledger
from portal_scraper.crawl.spiders.portal import PortalSpider
from portal_scraper.export.durable import DurableJsonLinesExporter, written_to
from portal_scraper.export.storage import FullWriteFile, drop_bad_lines
from portal_scraper.record.model import Reject
from tests.support.records import record as make_record


def exporter(path: Path, fsync: bool = False) -> tuple[DurableJsonLinesExporter, FullWriteFile]:
    crawler = SimpleNamespace(settings=Settings({"PORTAL_FEED_FSYNC": fsync}))
    handle = FullWriteFile(path, "a")
    return DurableJsonLinesExporter.from_crawler(crawler, handle, encoding="utf-8"), handle


def test_an_item_the_exporter_cannot_encode_is_not_marked_and_leaves_no_bytes(tmp_path) -> None:
    path = tmp_path / "a.jsonl"
    export, handle = exporter(path, fsync=True)
    good = make_record(title="Tin một")
    export.export_item(good)
    bad = make_record(title="lone \ud800 surrogate")
    export.export_item(bad)
    after = make_record(title="Tin hai")
    export.export_item(after)  # the file is broken: nothing more is written or marked
    handle.close()
    assert written_to(good) == [str(path)]
    assert written_to(bad) == [] and written_to(after) == []
    assert [json.loads(line) for line in path.read_bytes().splitlines()] == [
        make_record(title="Tin một").to_dict()
    ]


def test_a_write_cut_short_by_the_file_system_is_cut_back(tmp_path) -> None:
    """RLIMIT_FSIZE makes the kernel write part of a line, then refuse (as a full disk does)."""
    path = tmp_path / "a.jsonl"
    line = json.dumps(make_record(title="0", body_text="x" * 300).to_dict(), ensure_ascii=False)
    limit = 3 * (len(line.encode()) + 1) + len(line) // 2  # three lines and half of a fourth
    script = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {str(Path(__file__).parents[1])!r})
        from tests.test_durable import exporter
        from portal_scraper.export.durable import written_to
        from tests.support.records import record as make_record
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        export, handle = exporter(__import__("pathlib").Path({str(path)!r}))
        items = [make_record(title=str(n), body_text="x" * 300) for n in range(6)]
        for item in items:
            export.export_item(item)
        print(sum(1 for item in items if written_to(item)))
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    marked = int(result.stdout.split()[-1])
    lines = path.read_bytes().splitlines(keepends=True)
    assert marked == len(lines) == 3  # the fourth line did not fit and was cut back off
    assert all(line.endswith(b"\n") and json.loads(line) for line in lines)


def test_lines_that_are_not_json_are_moved_aside(tmp_path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"n": 1}\n{"n": 2, "cut\n{"n": 3}\n\x00\x00\n{"n": 4}\n')
    assert drop_bad_lines(path, start=9) == 2
    assert path.read_bytes() == b'{"n": 1}\n{"n": 3}\n{"n": 4}\n'
    assert (tmp_path / "a.jsonl.damaged").read_bytes() == b'{"n": 2, "cut\n\x00\x00\n'


def test_the_ledger_settles_each_url_once_and_names_the_ones_left() -> None:
    ledger = Ledger()
    assert ledger.discover("l1", LISTING) and ledger.discover("a1", ARTICLE)
    assert ledger.discover("a2", ARTICLE) and ledger.discover("a3", ARTICLE)
    assert not ledger.discover("a1", ARTICLE)  # a repeated link
    ledger.settle("l1", SKIPPED, "listing page read")
    ledger.settle("a1", WRITTEN, "record")
    assert not ledger.settle("a1", REJECTED, "fetch")  # one outcome per URL
    ledger.settle("a2", REJECTED, "fetch")
    summary = ledger.summary(finished=True)
    assert summary["discovered"] == 4
    assert (summary["written"], summary["rejected"], summary["skipped"]) == (1, 1, 1)
    assert summary["unaccounted"] == 1 and summary["unaccounted_urls"] == ["a3"]
    assert ledger.summary(finished=False)["unfinished"] == 1


def test_a_redirect_to_www_of_the_same_host_or_to_the_same_article_is_followed() -> None:
    spider = PortalSpider(site="bentre-city", base_url="https://portal.example.vn")
    spider.crawler = SimpleNamespace(  # type: ignore[assignment]
        settings=Settings({"REDIRECT_MAX_TIMES": 5}),
        stats=SimpleNamespace(inc_value=lambda *a, **k: None),
    )
    url = "https://portal.example.vn/Lists/TinTuc/DispForm.aspx?ID=5"
    for target in (
        "https://www.portal.example.vn/Lists/TinTuc/DispForm.aspx?ID=5",
        url + "&Source=%2F",  # the same canonical URL
    ):
        response = HtmlResponse(url, status=301, headers={"Location": target}, request=Request(url))
        (followed,) = spider.parse_article(response)
        assert isinstance(followed, Request) and followed.url == target
    offsite = HtmlResponse(
        url, status=302, headers={"Location": "https://evil.example/x"}, request=Request(url)
    )
    (reject,) = spider.parse_article(offsite)
    assert isinstance(reject, Reject) and "off-site" in reject.reason


def test_appending_to_a_file_a_killed_run_cut_glues_no_lines(tmp_path) -> None:
    """`scrapy crawl -o` appends: a cut last line is removed before the first new record."""
    from tests.test_no_loss import ENV

    out = tmp_path / "a.jsonl"
    out.write_bytes(b'{"n": 1}\n{"n": 2, "cut by a kil')
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "site=bentre-city",
         "-a", "start_url=http://127.0.0.1:9/Lists/TinTuc/DispForm.aspx?ID=1", "-o", str(out),
         "-s", "RETRY_TIMES=0", "-s", f"PORTAL_REJECTS_URI={tmp_path / 'r.jsonl'}"],
        cwd=Path(__file__).parents[1], env=ENV, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 1  # nothing could be fetched (port 9 is closed)
    assert out.read_bytes() == b'{"n": 1}\n'


def test_a_report_path_that_is_a_device_is_written_into_not_replaced() -> None:
    import stat

    from portal_scraper.report.extension import RunReport

    RunReport.write({"exit_code": 0}, Path("/dev/null"))
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_a_link_by_the_other_scheme_goes_by_the_one_the_crawl_was_pointed_at() -> None:
    spider = PortalSpider(site="bentre-city", base_url="http://portal.example.vn")
    spider.crawler = SimpleNamespace(  # type: ignore[assignment]
        settings=Settings({"URLLENGTH_LIMIT": 2083}),
        stats=SimpleNamespace(inc_value=lambda *a, **k: None),
    )
    (request,) = spider._article_request(
        "https://portal.example.vn/Lists/TinTuc/DispForm.aspx?ID=5"
    )
    assert isinstance(request, Request)
    assert request.url == "http://portal.example.vn/Lists/TinTuc/DispForm.aspx?ID=5"
    # ... and the same article by http is no second request.
    assert list(spider._article_request(request.url)) == []


def test_csv_cells_of_nested_fields_are_json(tmp_path) -> None:
    from portal_scraper.export.durable import DurableCsvExporter
    from portal_scraper.record.model import Image

    crawler = SimpleNamespace(settings=Settings({}))
    path = tmp_path / "a.csv"
    handle = FullWriteFile(path, "a")
    export = DurableCsvExporter.from_crawler(crawler, handle, encoding="utf-8")
    export.start_exporting()
    item = make_record(images=[Image("http://x/a.jpg", "Ảnh", None, None)], authors=["A", "B"])
    export.export_item(item)
    export.finish_exporting()
    handle.close()
    import csv

    with path.open(encoding="utf-8", newline="") as rows:
        (row,) = csv.DictReader(rows)
    assert json.loads(row["images"]) == [
        {"url": "http://x/a.jpg", "caption": "Ảnh", "credit": None, "alt": None}
    ]
    assert row["authors"] == "A,B" and written_to(item) == [str(path)]


def test_xml_elements_of_nested_fields_are_elements(tmp_path) -> None:
    import io

    from portal_scraper.export.durable import DurableXmlExporter
    from portal_scraper.record.model import Image

    crawler = SimpleNamespace(settings=Settings({}))
    out = io.BytesIO()
    export = DurableXmlExporter.from_crawler(crawler, out)
    export.start_exporting()
    export.export_item(make_record(images=[Image("http://x/a.jpg", "Ảnh", None, None)]))
    export.finish_exporting()
    text = out.getvalue().decode()
    assert "<images><value><url>http://x/a.jpg</url><caption>Ảnh</caption>" in text
    assert "Image(" not in text
