"""Crawl the offline demo portal through a real Scrapy process over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal_scraper.extract import get_profile
from portal_scraper.record.schema import validate_record
from portal_scraper.tools.demo import crawl_command, read_jsonl
from portal_scraper.tools.demo_portal import DemoPortal, running
from portal_scraper.tools.fixtures import cases
from tests.support import FIXTURES_DIR, PROJECT_DIR

pytestmark = pytest.mark.e2e
PROFILE = get_profile("bentre-city")
REAL_BASE = "https://tpbentre.bentre.gov.vn"


@pytest.fixture(scope="module")
def portal() -> Iterator[tuple[str, DemoPortal]]:
    with running(FIXTURES_DIR) as served:
        yield served


def crawl(base_url: str, out: Path, *args: str) -> tuple[list[dict], list[dict], str]:
    articles, rejects = out / "articles.jsonl", out / "rejects.jsonl"
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
    # The demo's one non-article is more than 5% of a small crawl: not what these tests check.
    result = subprocess.run(
        crawl_command(base_url, articles, rejects, "-s", "PORTAL_REPORT_MAX_REJECT_RATE=0.5", *args),
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return read_jsonl(articles), read_jsonl(rejects), result.stderr


@pytest.fixture(scope="module")
def full_crawl(portal, tmp_path_factory) -> tuple[list[dict], list[dict], str]:
    return crawl(portal[0], tmp_path_factory.mktemp("full"))


def test_every_article_exactly_once_and_valid(portal, full_crawl) -> None:
    records, _rejects, _log = full_crawl
    ids = [int(r["source_id"]) for r in records]
    assert sorted(ids) == sorted(portal[1].expected_article_ids())
    assert len({r["canonical_url"] for r in records}) == len(records)
    assert len(records) >= 25
    for record in records:
        assert validate_record(record, PROFILE.required_fields) == [], record["url"]


def test_non_article_lands_in_rejects_and_stats(portal, full_crawl) -> None:
    _records, rejects, log = full_crawl
    assert [(r["url"].rsplit("=", 1)[1], r["stage"]) for r in rejects] == [("1399", "extract")]
    assert "Item does not exist" in rejects[0]["reason"]
    assert set(rejects[0]) == {"url", "stage", "reason", "errors", "fetched_at"}
    assert "'rejects/count': 1" in log
    assert f"'records/written': {len(portal[1].expected_article_ids())}" in log
    # The listed link to another portal was not fetched, and the report says so.
    assert "skipped: 1 x article: off-site link" in log


def test_crawled_records_equal_the_offline_extraction(portal, full_crawl) -> None:
    records, _rejects, _log = full_crawl
    by_id = {r["source_id"]: r for r in records}
    compared = 0
    for case in cases(FIXTURES_DIR):
        expected = case.expected()
        if case.site != "bentre-city" or "stage" in expected:
            continue
        crawled = json.loads(json.dumps(by_id[expected["source_id"]]).replace(portal[0], REAL_BASE))
        crawled["url"], crawled["fetched_at"] = expected["url"], expected["fetched_at"]
        assert crawled == expected
        compared += 1
    assert compared >= 12


def test_since_and_item_cap(portal, tmp_path) -> None:
    records, rejects, _ = crawl(portal[0], tmp_path / "since", "-a", "since=2018-08-01")
    listed = {a.id for a in portal[1].articles.values() if str(a.listed_on) >= "2018-08-01"}
    got = {int(r["source_id"]) for r in records} | {
        int(r["url"].rsplit("=", 1)[1]) for r in rejects
    }
    assert got == listed
    records, rejects, _ = crawl(portal[0], tmp_path / "cap", "-a", "max_items=3")
    assert len(records) + len(rejects) == 3


def test_generic_profile_crawls_the_portal_without_its_profile(portal, tmp_path) -> None:
    start = f"{portal[0]}/Lists/TinTuc/ThongTinChung.aspx"
    records, rejects, _ = crawl(portal[0], tmp_path / "generic", "-a", f"start_url={start}")
    listed = {
        a.id for a in portal[1].listing_entries("/Lists/TinTuc/ThongTinChung.aspx") if a.is_article
    }
    assert {int(r["source_id"]) for r in records} == listed
    # No site file claims the host: the pages' markup is SharePoint 2013's, read by its rules.
    assert {r["site"] for r in records} == {"sharepoint2013"}
    assert [r["url"].rsplit("=", 1)[1] for r in rejects] == ["1399"]
    by_id = {r["source_id"]: r for r in records}
    for case in cases(FIXTURES_DIR):
        expected = case.expected()
        if case.site != "bentre-city" or "stage" in expected:
            continue
        got = by_id[expected["source_id"]]
        for field in (
            "title", "published_at", "modified_at", "authors", "body_text", "summary",
            "category", "breadcrumbs", "view_count", "content_type", "portal", "language",
        ):  # fmt: skip
            assert got[field] == expected[field], (case.name, field)
