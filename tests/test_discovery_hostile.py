"""Home-page crawls of hostile portals: routes that list only the newest articles, relative and
broken postback pagers, broken sitemaps, an unreachable robots.txt (real Scrapy processes over
HTTP on 127.0.0.1)."""

from __future__ import annotations

import pytest

from portal_scraper.tools import demo_portal_dnn
from portal_scraper.tools.demo_discovery import CORRUPT_GZ, CUT_GZ, sitemap_ids
from portal_scraper.tools.demo_portal import running
from tests.support import FIXTURES_DIR
from tests.support.fault_portal import Fault
from tests.support.fault_portal import running as running_faulty
from tests.test_discovery_e2e import assert_ledger_balances, crawl_home

pytestmark = pytest.mark.e2e


def test_a_sitemap_and_feed_of_the_newest_page_do_not_stop_listing_paging(tmp_path) -> None:
    # The sitemap and the feed list the listing's page 1: its later pages hold articles only
    # the listing shows, and page 1 "bringing nothing new" to the ledger is no paging trap.
    with running(FIXTURES_DIR, routes="newest") as (base, portal):
        run = crawl_home(base, tmp_path)
    assert run.code == 0, run.log[-3000:]
    assert sorted(int(r["source_id"]) for r in run.records) == sorted(portal.expected_article_ids())
    # (and the static page the gzip child lists, no article)
    assert run.report["routes"]["sitemap"]["first"] == len(sitemap_ids(portal)) + 1
    listings = run.report["discovery"]["listings"]
    assert listings[f"{base}/Lists/TinTuc/ThongTinChung.aspx"]["pages"] >= 3
    assert_ledger_balances(run)


def test_broken_sitemaps_are_reported_and_the_others_read(tmp_path) -> None:
    # A corrupt and a cut-short .xml.gz child, a raw '&' beside '&amp;'s, lastmods of 1970 and
    # 2999: every article is still written, each broken sitemap is a reject and an alert.
    since = "2018-07-01"
    with running(FIXTURES_DIR, routes="hostile-sitemaps") as (base, portal):
        run = crawl_home(base, tmp_path, "-a", f"since={since}")
    assert run.code == 3, run.log[-3000:]
    recent = {a.id for a in portal.articles.values() if a.is_article and str(a.listed_on) >= since}
    assert {int(r["source_id"]) for r in run.records} == recent
    # The sitemap's &amp; URLs are read whole (not "...View=%7B1%7DID%3D1400", a 404): the
    # sitemap route is credited with them, and its implausible lastmods skip none.
    assert run.report["routes"]["sitemap"]["written"] == len(recent & sitemap_ids(portal))
    rejects = {r["url"].removeprefix(base): r["reason"] for r in run.rejects}
    assert rejects[CORRUPT_GZ].startswith("corrupt gzip sitemap")
    assert rejects[CUT_GZ] == "truncated gzip sitemap: the compressed data ends early"
    alerts = "\n".join(run.report["alerts"])
    assert f"sitemap {base}{CORRUPT_GZ}: corrupt gzip sitemap" in alerts
    assert f"sitemap {base}{CUT_GZ}: truncated gzip sitemap" in alerts
    skipped = run.report["ledger"]["skipped_by_reason"]
    # The static page and its raw-'&' variant: no articles.
    assert skipped["article: listed by a sitemap, no article or listing"] == 2
    assert_ledger_balances(run)


def test_a_robots_txt_that_cannot_be_fetched_is_a_fetch_failure_not_absence(tmp_path) -> None:
    with running_faulty({"/robots.txt": Fault("reset")}) as (base, faulty):
        run = crawl_home(base, tmp_path, "-s", "RETRY_TIMES=0")
    assert run.code == 0, run.log[-3000:]
    assert {int(r["source_id"]) for r in run.records} == faulty.portal.expected_article_ids()
    skipped = run.report["ledger"]["skipped_by_reason"]
    assert skipped["sitemap: absent at its well-known address"] == 1  # /sitemap.xml: a 404
    [robots] = [r for r in run.rejects if r["url"].endswith("/robots.txt")]
    assert robots["stage"] == "fetch", robots
    assert run.report["discovery"]["sources"][f"{base}/robots.txt"]["status"] == robots["reason"]
    assert_ledger_balances(run)


def test_a_next_only_postback_pager_is_followed_to_the_end(tmp_path) -> None:
    # 'Page$Next' is the same link on every page; where it leads depends on the page.
    with demo_portal_dnn.running(pager="next", news_count=63, per_page=10) as (base, portal):
        run = crawl_home(base, tmp_path)
    assert run.code == 0, run.log[-3000:]
    assert sorted(r["title"] for r in run.records) == sorted(portal.expected_titles())
    assert run.report["discovery"]["listings"][f"{base}/tin-tuc.aspx"]["pages"] == 7
    assert_ledger_balances(run)


def test_a_server_ignoring_the_view_state_stops_paging_and_alerts(tmp_path) -> None:
    variant = {"pager": "ignore-view-state", "news_count": 63, "per_page": 10}
    with demo_portal_dnn.running(**variant) as (base, _portal):
        run = crawl_home(base, tmp_path)
    assert run.code == 3, run.log[-3000:]
    # One postback, answered with page 1 again (the other category has one page).
    assert run.report["routes"]["postback"]["pages"] == 1
    listing = run.report["discovery"]["listings"][f"{base}/tin-tuc.aspx"]
    assert listing["status"].startswith("postback paging returned the same page")
    alerts = "\n".join(run.report["alerts"])
    assert f"listing {base}/tin-tuc.aspx: postback paging returned the same page" in alerts
    skipped = run.report["ledger"]["skipped_by_reason"]
    assert any("postback returned the page it was posted from" in r for r in skipped), skipped
    assert_ledger_balances(run)


def test_since_bounds_postback_paging(tmp_path) -> None:
    # In DNN modules: the platform's rules read each listing entry's date.
    variant = {"pager": "numbers", "news_count": 63, "per_page": 10, "modules": True}
    with demo_portal_dnn.running(**variant) as (base, portal):
        # The news list is 2 days an article apart from 2024-03-12: since 2024-02-20 keeps
        # the first 11 (two pages); page 3 is all older and ends the paging.
        run = crawl_home(base, tmp_path, "-a", "since=2024-02-20")
    assert run.code == 0, run.log[-3000:]
    recent = {
        a.title for a in portal.articles.values() if a.published.date().isoformat() >= "2024-02-20"
    }
    assert {r["title"] for r in run.records} == recent
    # Pages 2 and 3 (3 is all older; the other category has one page), not all 7.
    assert run.report["routes"]["postback"]["pages"] == 2
    skipped = run.report["ledger"]["skipped_by_reason"]
    assert skipped["listing: paging stopped: the page before was all before since"] >= 1
    assert_ledger_balances(run)
