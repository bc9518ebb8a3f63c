"""Nothing lost: every discovered URL ends as a record, a reject or a counted skip, and what
cannot be done ends the run with a non-zero status and the reason (real crawls on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal_scraper.tools.demo import FAST_SETTINGS, read_jsonl
from tests.support import FIXTURES_DIR, PROJECT_DIR
from tests.support.fault_portal import Fault, running

pytestmark = pytest.mark.e2e
NEWS = "/Lists/TinTuc/ThongTinChung.aspx"
EVENTS = "/Lists/TinTuc/TinTucSuKien.aspx"
ARTICLE = "/Lists/TinTuc/DispForm.aspx?ID={}"
ENV = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}


@dataclass
class Run:
    code: int
    records: list[dict]
    rejects: list[dict]
    report: dict
    log: str


def crawl(base: str, out: Path, *args: str, command: str = "crawl") -> Run:
    """One `scrapy crawl` (or `scrapy archive` into `out`) of the portal at `base`."""
    out.mkdir(parents=True, exist_ok=True)
    if command == "archive":
        line = ["archive", "portal", "--job-dir", str(out)]
        articles, rejects, report = (
            out / "articles.jsonl",
            out / "rejects.jsonl",
            out / "report.json",
        )
    else:
        articles, rejects, report = out / "a.jsonl", out / "r.jsonl", out / "report.json"
        line = ["crawl", "portal", "-O", str(articles), "-s", f"PORTAL_REJECTS_URI={rejects}",
                "-s", f"PORTAL_REPORT_PATH={report}"]  # fmt: skip
    if not any(a.startswith(("site=", "start_url=")) for a in args):
        args = ("-a", "site=bentre-city", "-a", f"base_url={base}", *args)
    for setting in FAST_SETTINGS:
        line += ["-s", setting]
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", *line, *args],
        cwd=PROJECT_DIR, env=ENV, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    loaded = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return Run(result.returncode, read_jsonl(articles), read_jsonl(rejects), loaded, result.stderr)


def ids(records: list[dict]) -> list[int]:
    return sorted(int(r["source_id"]) for r in records)


def assert_ledger_balances(run: Run) -> None:
    """discovered = written + rejected + skipped, and the counts match the files."""
    ledger = run.report["ledger"]
    assert ledger["unaccounted"] == 0, ledger["unaccounted_urls"]
    assert ledger["discovered"] == ledger["written"] + ledger["rejected"] + ledger["skipped"]
    assert ledger["written"] == len(run.records) == run.report["articles_written"]
    assert ledger["rejected"] == len(run.rejects) == run.report["rejects"]
    assert sum(ledger["skipped_by_reason"].values()) == ledger["skipped"]


def test_the_ledger_balances_through_a_fixed_fault_mix(tmp_path: Path) -> None:
    faults = {
        ARTICLE.format(1400): Fault("503", times=2),
        ARTICLE.format(1403): Fault("500"),
        ARTICLE.format(1404): Fault("404"),
        ARTICLE.format(1406): Fault("reset", times=1),
        ARTICLE.format(1408): Fault("truncated"),
        ARTICLE.format(1409): Fault("redirect-loop"),
        ARTICLE.format(1410): Fault("redirect-offsite"),
        ARTICLE.format(1411): Fault("redirect-variant"),
        ARTICLE.format(1415): Fault("binary"),
        NEWS + "*": Fault("url-variants"),
        EVENTS: Fault("long-url"),
    }
    with running(faults) as (base, _):
        run = crawl(base, tmp_path, "-s", "PORTAL_REPORT_MAX_REJECT_RATE=1", "-s", "RETRY_TIMES=2",
                    "-s", "PORTAL_RETRY_BACKOFF_BASE=0.05")  # fmt: skip
    assert run.code == 0, run.log[-3000:]
    assert_ledger_balances(run)
    written = ids(run.records)
    assert len(written) == len(set(written))  # URL variants gave no second record ...
    skipped = run.report["ledger"]["skipped_by_reason"]
    assert not any("duplicate" in reason for reason in skipped)  # ... nor a second request
    assert 1411 in written  # a redirect to the same canonical URL is followed, not a loop
    reasons = {r["url"].split("ID=")[1][:4]: r["reason"] for r in run.rejects if "ID=" in r["url"]}
    assert reasons["1408"].startswith("truncated")
    assert "over URLLENGTH_LIMIT" in next(r["reason"] for r in run.rejects if "q=xxx" in r["url"])
    assert {"1403", "1404", "1409", "1410", "1415"} <= set(reasons)


def test_a_paging_trap_ends_and_is_reported(tmp_path: Path) -> None:
    with running({NEWS + "*": Fault("paging-trap")}) as (base, faulty):
        run = crawl(base, tmp_path / "trap")
        capped = crawl(base, tmp_path / "cap", "-s", "PORTAL_LISTING_MAX_PAGES=2")
    assert run.code == 0, run.log[-3000:]
    assert_ledger_balances(run)
    skipped = run.report["ledger"]["skipped_by_reason"]
    assert skipped["listing: paging stopped: the page before brought no new article"] == 1
    assert run.report["listing_pages"] <= 6  # 3 real pages, one repeat, the other listing
    assert len(run.records) == 35
    assert_ledger_balances(capped)
    assert (
        capped.report["ledger"]["skipped_by_reason"][
            "listing: paging stopped: over PORTAL_LISTING_MAX_PAGES"
        ]
        == 1
    )
    assert faulty.served["paging-trap"] >= 4


def test_a_self_pointing_meta_refresh_does_not_hide_a_listing(tmp_path: Path) -> None:
    with running({NEWS: Fault("meta-refresh-self")}) as (base, _):
        run = crawl(base, tmp_path)
    assert run.code == 0, run.log[-3000:]
    assert len(run.records) == 35
    assert_ledger_balances(run)


def test_a_stray_byte_is_replaced_not_read_as_another_charset(tmp_path: Path) -> None:
    with running({ARTICLE.format(1402): Fault("stray-byte")}) as (base, _):
        run = crawl(base, tmp_path, "-a", f"start_url={base}{ARTICLE.format(1402)}",
                    "-a", "site=bentre-city")  # fmt: skip
    assert run.code == 0, run.log[-3000:]
    (record,) = run.records
    assert "Tin hoạt động số 1402" in record["title"]
    assert record["body_text"].count("\ufffd") == 1
    assert "Ä" not in record["body_text"] and "á»" not in record["body_text"]  # no mojibake
    assert run.report["encoding_conflicts"] == 1


def test_a_generic_listing_with_thumbnail_links_first_loses_no_article(tmp_path: Path) -> None:
    with running({NEWS: Fault("thumbnail-listing")}) as (base, faulty):
        run = crawl(base, tmp_path, "-a", f"start_url={base}{NEWS}", "-s",
                    "PORTAL_REPORT_MAX_REJECT_RATE=1")  # fmt: skip
        listed = {a.id for a in faulty.portal.listing_entries(NEWS) if a.is_article}
    assert run.code == 0, run.log[-3000:]
    assert set(ids(run.records)) == listed
    assert_ledger_balances(run)


def test_a_mirror_start_url_is_crawled_with_the_site_profile(tmp_path: Path) -> None:
    with running({}) as (base, _):
        run = crawl(base, tmp_path, "-a", "site=bentre-city", "-a", f"start_url={base}{EVENTS}")
    assert run.code == 0, run.log[-3000:]
    assert {r["site"] for r in run.records} == {"bentre-city"}
    assert len(run.records) >= 6
    assert all(r["url"].startswith(base) for r in run.records)


def test_a_crawl_that_fetches_nothing_fails_with_the_reason(tmp_path: Path) -> None:
    with running({}) as (base, _):
        refused = crawl(base, tmp_path / "robots", "-a", "site=bentre-city",
                        "-a", f"start_url={base}/_layouts/15/start.aspx")  # fmt: skip
    assert refused.code == 1
    assert "robots.txt" in " ".join(refused.report["failures"])
    # A server that is not there.
    with running({}) as (gone, _):
        pass
    down = crawl(gone, tmp_path / "down", "-s", "RETRY_TIMES=0")
    assert down.code == 1
    assert "no page was fetched" in down.log


def test_a_listing_turned_login_page_alerts_and_a_permanent_404_alerts_once(tmp_path: Path) -> None:
    job = tmp_path / "job"
    with running({}) as (base, _):
        first = crawl(base, job, command="archive")
    assert first.code == 0, first.log[-3000:]
    with running({EVENTS: Fault("login")}) as (base, _):
        login = crawl(base, job, command="archive")
    assert login.code == 3
    assert any(EVENTS in alert and "no article links" in alert for alert in login.report["alerts"])
    with running({EVENTS: Fault("404")}) as (base, _):
        gone = crawl(base, job, command="archive")
        still_gone = crawl(base, job, command="archive")
    assert gone.code == 3
    assert any("HTTP 404" in alert for alert in gone.report["alerts"])
    assert still_gone.code == 0, still_gone.report["alerts"]
    assert still_gone.report["listings"][f"{base}{EVENTS}"]["status"] == "HTTP 404"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-a", "max_items=abc"), "max_items must be a whole number"),
        (("-a", "site=nowhere"), "unknown site"),
        (("-a", "start_url=not a url"), "start_url must be an absolute http(s) URL"),
    ],
)
def test_bad_arguments_are_a_usage_error(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    line = [sys.executable, "-m", "scrapy", "crawl", "portal", "-O", str(tmp_path / "a.jsonl")]
    if "site=nowhere" not in args and not any(a.startswith("start_url") for a in args):
        line += ["-a", "site=bentre-city"]
    result = subprocess.run(
        [*line, *args], cwd=PROJECT_DIR, env=ENV, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_rejects_by_stage_add_up(tmp_path: Path) -> None:
    with running({ARTICLE.format(1404): Fault("404")}) as (base, _):
        run = crawl(base, tmp_path, "-s", "PORTAL_REPORT_MAX_REJECT_RATE=1")
    stages = Counter(r["stage"] for r in run.rejects)
    assert run.report["ledger"]["rejected_by_stage"] == {
        f"article: {stage}": n for stage, n in stages.items()
    }


@pytest.mark.parametrize("kind", ["500", "login"])
def test_a_later_listing_page_that_fails_or_turns_login_alerts(tmp_path: Path, kind: str) -> None:
    job = tmp_path / "job"
    with running({}) as (base, _):
        first = crawl(base, job, command="archive")
    assert first.code == 0, first.log[-3000:]
    with running({f"{NEWS}*PageFirstRow=11": Fault(kind)}) as (base, _):
        broken = crawl(base, job, command="archive")
    assert broken.code == 3, broken.log[-3000:]
    status = broken.report["listings"][f"{base}{NEWS}"]["status"]
    assert status.startswith("a later page")
    assert any(NEWS in alert for alert in broken.report["alerts"])


def test_a_redirect_reject_names_the_url_the_crawl_found(tmp_path: Path) -> None:
    # 1400 redirects to a variant whose page is gone: the reject names 1400 and says where.
    faults = {
        ARTICLE.format(1400): Fault("redirect-variant"),
        ARTICLE.format(1400) + "&Source=%2F": Fault("404"),
        EVENTS: Fault("redirect-loop"),
    }
    with running(faults) as (base, _):
        run = crawl(base, tmp_path, "-s", "PORTAL_REPORT_MAX_REJECT_RATE=1")
    assert_ledger_balances(run)
    (gone,) = [r for r in run.rejects if "1400" in r["url"]]
    assert gone["url"] == f"{base}{ARTICLE.format(1400)}"
    assert gone["reason"].startswith("HTTP 404 at ") and "redirected from" in gone["reason"]
    (loop,) = [r for r in run.rejects if EVENTS in r["url"]]
    assert loop["reason"].startswith("redirect loop")
    assert run.code == 3  # the listing could not be read


def test_max_items_moves_through_the_backlog_run_after_run(tmp_path: Path) -> None:
    job = tmp_path / "job"
    with running({}) as (base, demo):
        runs = [crawl(base, job, "-a", "max_items=15", command="archive") for _ in range(3)]
    written = [run.report["articles_written"] for run in runs]
    # 15 fetched a run (one of them the demo's non-article), none fetched twice.
    assert written[0] >= 14 and written[1] >= 14
    assert sum(written) == len(demo.portal.expected_article_ids())


def test_damaged_or_cut_records_are_fetched_again_and_reported(tmp_path: Path) -> None:
    job = tmp_path / "job"
    with running({}) as (base, faulty):
        first = crawl(base, job, command="archive")
        assert first.code == 0, first.log[-3000:]
        lines = (job / "articles.jsonl").read_bytes().splitlines(keepends=True)
        lines[10] = lines[10][:50] + b"\n"  # a line cut short inside the file
        lines[20] = lines[20][:30] + b"\x00" + lines[20][31:]  # a byte flipped
        (job / "articles.jsonl").write_bytes(b"".join(lines))
        second = crawl(base, job, command="archive")
        expected = faulty.portal.expected_article_ids()
    assert second.code == 3  # an alert: the archive was damaged
    assert second.report["articles_forgotten_damaged"] == 2
    assert second.report["articles_written"] == 2
    ids = sorted(int(r["source_id"]) for r in lines_of(job / "articles.jsonl"))
    assert ids == sorted(expected)
    assert len((job / "articles.jsonl.damaged").read_bytes().splitlines()) == 2


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_an_empty_answer_is_fetched_again_next_run(tmp_path: Path) -> None:
    job = tmp_path / "job"
    with running({ARTICLE.format(1402): Fault("empty", times=1)}) as (base, _):
        outage = crawl(base, job, "-s", "PORTAL_REPORT_MAX_REJECT_RATE=1", command="archive")
        after = crawl(base, job, command="archive")
    (empty,) = [r for r in outage.rejects if "ID=1402" in r["url"]]
    assert (empty["stage"], empty["reason"]) == ("fetch", "empty response body (HTTP 200)")
    assert after.report["articles_written"] == 1
    assert after.records[-1]["source_id"] == "1402"


def test_a_forced_shutdown_is_no_success(tmp_path: Path) -> None:
    """A second Ctrl-C stops Scrapy before the run report: the status must still say so."""
    import signal
    import time

    from portal_scraper.tools.demo_portal import running as slow_portal

    with slow_portal(FIXTURES_DIR, article_delay=0.3) as (base, _):
        line = [sys.executable, "-m", "scrapy", "archive", "portal", "--job-dir",
                str(tmp_path / "job"), "-a", "site=bentre-city", "-a", f"base_url={base}",
                *[a for s in FAST_SETTINGS for a in ("-s", s)]]  # fmt: skip
        process = subprocess.Popen(
            line, cwd=PROJECT_DIR, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        records = tmp_path / "job" / "articles.jsonl"
        while not (records.exists() and records.stat().st_size):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert b"FAILED" in stderr


def test_a_generic_listing_that_lies_gives_each_article_once(tmp_path: Path) -> None:
    """UTF-8 sent as windows-1258, a <base href>, and page/sort passed on to article links."""
    with running({NEWS + "*": Fault("generic-listing-lies")}) as (base, _):
        run = crawl(base, tmp_path, "-a", f"start_url={base}{NEWS}", "-s",
                    "PORTAL_LISTING_MAX_PAGES=50")  # fmt: skip
    assert run.code == 0, run.log[-3000:]
    assert_ledger_balances(run)
    ids = [int(r["source_id"]) for r in run.records]
    assert len(ids) == 5 and len(set(ids)) == 5  # each article once, whatever page linked it
    assert all("t=b%C3%A0i" in r["url"] for r in run.records)  # read as UTF-8, not mojibake
    assert run.report["listing_pages"] <= 3  # page 2 brought nothing new: paging stopped
    assert run.report["encoding_conflicts"] >= 1


def test_since_cuts_an_undated_listing_by_the_articles_own_dates(tmp_path: Path) -> None:
    with running({NEWS: Fault("thumbnail-listing")}) as (base, _):
        run = crawl(base, tmp_path, "-a", f"start_url={base}{NEWS}", "-a", "since=2030-01-01")
    assert run.records == []
    assert_ledger_balances(run)
    assert run.report["ledger"]["skipped_by_reason"]["article: published before since"] >= 10


def test_a_start_url_that_looks_like_an_article_but_lists_them_is_read_as_a_listing(
    tmp_path: Path,
) -> None:
    with running({NEWS + "*": Fault("generic-listing-lies")}) as (base, _):
        start = f"{base}{NEWS}?page=2024&sort=new"  # "2024" makes it look like an article
        run = crawl(base, tmp_path, "-a", f"start_url={start}")
    assert run.code == 0, run.log[-3000:]
    assert len({r["source_id"] for r in run.records}) == len(run.records) == 5
    assert_ledger_balances(run)
