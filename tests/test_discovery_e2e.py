"""Crawls from a home page: every route (sitemaps, feeds, menu listings, postback paging) through
a real Scrapy process over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from portal_scraper.tools import demo_portal_dnn
from portal_scraper.tools.demo import crawl_command, read_jsonl
from portal_scraper.tools.demo_discovery import feed_ids, sitemap_ids
from portal_scraper.tools.demo_portal import DemoPortal, running
from tests.support import FIXTURES_DIR, PROJECT_DIR

pytestmark = pytest.mark.e2e


@dataclass
class Run:
    code: int
    records: list[dict[str, Any]]
    rejects: list[dict[str, Any]]
    report: dict[str, Any]
    log: str


def crawl_home(base_url: str, out: Path, *args: str) -> Run:
    out.mkdir(parents=True, exist_ok=True)
    articles, rejects, report = out / "articles.jsonl", out / "rejects.jsonl", out / "report.json"
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
    command = crawl_command(
        base_url, articles, rejects, "-a", f"start_url={base_url}/",
        "-s", f"PORTAL_REPORT_PATH={report}", "-s", "PORTAL_REPORT_MAX_REJECT_RATE=0.5", *args,
    )  # fmt: skip
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert report.is_file(), result.stderr[-3000:]
    return Run(
        result.returncode,
        read_jsonl(articles),
        read_jsonl(rejects),
        json.loads(report.read_text(encoding="utf-8")),
        result.stderr,
    )


def assert_ledger_balances(run: Run) -> None:
    ledger = run.report["ledger"]
    assert ledger["unaccounted"] == 0, ledger
    assert ledger["discovered"] == ledger["written"] + ledger["rejected"] + ledger["skipped"]


@pytest.fixture(scope="module")
def portal() -> Iterator[tuple[str, DemoPortal]]:
    with running(FIXTURES_DIR) as served:
        yield served


@pytest.fixture(scope="module")
def home_crawl(portal, tmp_path_factory) -> Run:
    return crawl_home(portal[0], tmp_path_factory.mktemp("home"))


def test_home_page_crawl_finds_every_article_once(portal, home_crawl) -> None:
    run = home_crawl
    assert run.code == 0, run.log[-3000:]
    ids = [int(r["source_id"]) for r in run.records]
    assert sorted(ids) == sorted(portal[1].expected_article_ids())
    assert len({r["canonical_url"] for r in run.records}) == len(run.records)
    # The non-article item is listed only on a category listing: rejected with the reason.
    assert [(r["url"].rsplit("=", 1)[1], r["stage"]) for r in run.rejects] == [("1399", "extract")]
    assert_ledger_balances(run)


def test_the_report_says_which_route_found_each_article(portal, home_crawl) -> None:
    routes = home_crawl.report["routes"]
    expected = portal[1].expected_article_ids()
    in_sitemap, in_feed = sitemap_ids(portal[1]), feed_ids(portal[1])
    # The sitemap also lists a static page, which is no article (a counted skip).
    assert routes["sitemap"] == {"found": len(in_sitemap) + 1, "first": len(in_sitemap) + 1,
                                 "written": len(in_sitemap)}  # fmt: skip
    assert routes["feed"] == {"found": len(in_feed), "first": len(in_feed), "written": len(in_feed)}
    listing_only = expected - in_sitemap - in_feed
    assert routes["listing"]["written"] == len(listing_only)
    skipped = home_crawl.report["ledger"]["skipped_by_reason"]
    # and the non-article item, and a link to the real portal's host (SharePoint's listing
    # rules read it; it stays off-site, a counted skip)
    off_site = skipped.get("article: off-site link", 0)
    assert routes["listing"]["first"] == len(listing_only) + 1 + off_site
    assert sum(r["written"] for r in routes.values()) == len(expected)
    assert skipped["article: listed by a sitemap, no article or listing"] == 1
    assert skipped["sitemap: sitemap read"] == 3  # the index, its plain and its gzip child
    assert skipped["feed: feed read"] == 1
    sources = home_crawl.report["discovery"]["sources"]
    assert {s["status"] for s in sources.values() if not s.get("guessed")} == {"ok"}
    assert "routes (articles found / found first / written): sitemap" in home_crawl.log


def test_since_bounds_every_route(portal, tmp_path) -> None:
    since = "2018-08-01"
    run = crawl_home(portal[0], tmp_path, "-a", f"since={since}")
    assert run.code == 0, run.log[-3000:]
    articles = portal[1].articles.values()
    recent = {a.id for a in articles if a.is_article and str(a.listed_on) >= since}
    assert {int(r["source_id"]) for r in run.records} == recent
    old = {a.id for a in articles if str(a.listed_on) < since}
    # Sitemap lastmod and feed dates are read before fetching: old articles listed there are
    # never requested; so are the listing's old ones whose listing shows a date (the SharePoint
    # listing rules read it), the others are fetched and skipped by their own date.
    old_listed = len(old & (sitemap_ids(portal[1]) | feed_ids(portal[1])))
    skipped = run.report["ledger"]["skipped_by_reason"]
    before_fetch = skipped["article: listed before since"]
    assert old_listed and before_fetch >= old_listed
    assert before_fetch + skipped.get("article: published before since", 0) == len(old)
    assert run.report["routes"]["sitemap"]["written"] == len(recent & sitemap_ids(portal[1]))
    assert_ledger_balances(run)


def test_a_broken_sitemap_and_a_missing_feed_are_reported(tmp_path) -> None:
    with running(FIXTURES_DIR, broken=True) as (base, portal):
        run = crawl_home(base, tmp_path)
    assert run.code == 3, run.log[-3000:]  # the report alerts
    assert {int(r["source_id"]) for r in run.records} == portal.expected_article_ids()
    rejects = {r["url"].removeprefix(base): (r["stage"], r["reason"]) for r in run.rejects}
    assert rejects["/sitemaps/broken.xml"] == ("extract", "not a sitemap")
    assert rejects["/rss/missing.xml"] == ("fetch", "HTTP 404")
    alerts = "\n".join(run.report["alerts"])
    assert f"sitemap {base}/sitemaps/broken.xml: not a sitemap" in alerts
    assert f"feed {base}/rss/missing.xml: HTTP 404" in alerts
    # Rejected sources are no article pages: the reject rate counts only the one non-article.
    assert run.report["reject_rate"] < 0.05
    assert_ledger_balances(run)


def test_the_dnn_portal_is_crawled_completely_through_postback_paging(tmp_path) -> None:
    with demo_portal_dnn.running() as (base, portal):
        run = crawl_home(base, tmp_path)
    assert run.code == 0, run.log[-3000:]
    titles = [r["title"] for r in run.records]
    assert sorted(titles) == sorted(portal.expected_titles())
    by_title = {a.title: a for a in portal.articles.values()}
    for record in run.records:
        article = by_title[record["title"]]
        assert record["published_at"] == f"{article.published:%Y-%m-%dT%H:%M}:00+07:00"
        assert record["authors"] == [article.author]
        assert len(record["body_text"]) > 300
    routes = run.report["routes"]
    # Page 1 of each category is a GET (listing route); every later page only by postback.
    pages_after_first = sum(max(0, len(portal.listing(p)) - demo_portal_dnn.PER_PAGE)
                            for p in demo_portal_dnn.CATEGORIES)  # fmt: skip
    assert routes["postback"]["written"] == pages_after_first
    assert routes["listing"]["written"] == len(titles) - pages_after_first
    assert routes["postback"]["pages"] >= 3
    assert routes["sitemap"]["found"] == routes["feed"]["found"] == 0
    skipped = run.report["ledger"]["skipped_by_reason"]
    assert skipped["sitemap: absent at its well-known address"] == 1
    assert run.rejects == []
    assert_ledger_balances(run)
