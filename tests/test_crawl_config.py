"""Spider arguments, the feeds add-on and the pipelines' reject accounting."""

import pytest
from scrapy.settings import Settings

from portal_scraper.crawl.spiders.portal import PortalSpider
from portal_scraper.export.feeds import RecordFeeds, rejects_uri_for
from portal_scraper.extract import UnknownSite
from portal_scraper.record.model import ArticleRecord, Reject


def test_spider_arguments() -> None:
    spider = PortalSpider(
        site="bentre-city", base_url="http://127.0.0.1:8765", since="2018-08-01", max_items="5"
    )
    assert spider.allowed_domains == ["127.0.0.1"]
    assert str(spider.since) == "2018-08-01"
    assert spider.max_items == 5
    assert PortalSpider(site="bentre-city").allowed_domains == [
        "tpbentre.bentre.gov.vn",
        "www.tpbentre.bentre.gov.vn",
    ]
    # A start URL on a mirror is crawled on the mirror, with the site's profile.
    mirror = PortalSpider(site="bentre-city", start_url="https://mirror.example.org/Lists/x.aspx")
    assert mirror.profile.id == "bentre-city"
    assert mirror.allowed_domains[0] == "mirror.example.org"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ValueError, "give a site profile"),
        ({"site": "nowhere"}, UnknownSite, "known sites: bentre-city"),
        ({"site": "bentre-city", "since": "10/08/2018"}, ValueError, "since must be a date"),
        ({"site": "bentre-city", "max_items": "0"}, ValueError, "max_items"),
        ({"site": "bentre-city", "max_items": "many"}, ValueError, "max_items"),
        ({"site": "bentre-city", "base_url": "ftp://x"}, ValueError, "base_url"),
    ],
)
def test_bad_spider_arguments_are_clear(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        PortalSpider(**kwargs)


def test_feeds_addon_splits_records_and_rejects() -> None:
    settings = Settings()
    settings.set(
        "FEEDS", {"out/articles.jsonl": {"format": "jsonlines", "overwrite": True}}, "cmdline"
    )
    RecordFeeds().update_settings(settings)
    feeds = settings.getdict("FEEDS")
    assert feeds["out/articles.jsonl"]["item_classes"] == [ArticleRecord]
    assert feeds["out/articles.rejects.jsonl"]["item_classes"] == [Reject]
    assert feeds["out/articles.rejects.jsonl"]["overwrite"] is True
    assert settings.get("PORTAL_REJECTS_URI") == "out/articles.rejects.jsonl"


def test_explicit_rejects_uri() -> None:
    settings = Settings({"PORTAL_REJECTS_URI": "r.jsonl"})
    RecordFeeds().update_settings(settings)
    assert list(settings.getdict("FEEDS")) == ["r.jsonl"]


def test_rejects_uri_for() -> None:
    assert rejects_uri_for("a/b.jsonl") == "a/b.rejects.jsonl"
    assert rejects_uri_for("s3://bucket/x") == "s3://bucket/x.rejects.jsonl"


def test_gc_tuning_sets_the_thresholds_for_the_crawl_and_restores_them() -> None:
    import gc

    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from portal_scraper.crawl.gc_tuning import GcTuning

    before = gc.get_threshold()
    extension = GcTuning.from_crawler(
        get_crawler(settings_dict={"PORTAL_GC_THRESHOLD": "5000,20,30"})
    )
    extension.engine_started()
    try:
        assert gc.get_threshold() == (5000, 20, 30)
    finally:
        extension.engine_stopped()
    assert gc.get_threshold() == before
    for bad in (None, "", "many", "0", "1,2,3,4"):
        with pytest.raises(NotConfigured):
            GcTuning.from_crawler(get_crawler(settings_dict={"PORTAL_GC_THRESHOLD": bad}))
