"""Platforms are told by markup, not host: the Ben Tre pages on another host get the same records."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from portal_scraper.extract import (
    GENERIC,
    PLATFORMS,
    detect_platform,
    get_profile,
    parse_html,
    profile_for_page,
    profile_for_url,
)
from portal_scraper.record.stages import process_page
from portal_scraper.tools.fixtures import cases
from tests.support import FIXTURES_DIR

BENTRE_HOST = "tpbentre.bentre.gov.vn"
OTHER_HOST = "portal.example.gov.vn"
BENTRE_CASES = [c for c in cases(FIXTURES_DIR) if c.site == "bentre-city"]
LISTING = FIXTURES_DIR / "bentre-city-listings" / "thong-tin-chung-p1.html"
# What a record takes from its profile rather than from the page.
PROFILE_FIELDS = ("site", "extractor")


def on_other_host(text: str) -> str:
    return text.replace(BENTRE_HOST, OTHER_HOST)


@pytest.mark.parametrize("case", BENTRE_CASES, ids=lambda c: c.name)
def test_bentre_markup_on_another_host_gives_the_bentre_record(case) -> None:
    page = case.page()
    moved = replace(page, url=on_other_host(page.url))
    assert profile_for_url(moved.url) is GENERIC  # no site file claims the host
    result = process_page(moved).to_dict()
    expected = case.expected()
    if "stage" in expected:  # a reject: the same stage and reason
        assert {**result, "url": page.url} == expected
        return
    assert (result["site"], result["extractor"]) == ("sharepoint2013", "sharepoint2013/1")
    # URLs (the page's, its images', attachments') are on the other host; all else is equal.
    back = json.loads(json.dumps(result, ensure_ascii=False).replace(OTHER_HOST, BENTRE_HOST))
    for name in PROFILE_FIELDS:
        back[name] = expected[name]
    assert back == expected
    assert result["portal"] is not None and result["portal"]["agency"]  # the footer too


def test_bentre_listing_on_another_host_gives_the_same_entries() -> None:
    doc_text = LISTING.read_text(encoding="utf-8")
    url = f"https://{BENTRE_HOST}/Lists/TinTuc/ThongTinChung.aspx"
    site = get_profile("bentre-city").parse_listing(url, parse_html(doc_text))
    other = GENERIC.parse_listing(on_other_host(url), parse_html(on_other_host(doc_text)))
    assert [(on_other_host(e.url), e.listed_on) for e in site.articles] == [
        (e.url, e.listed_on) for e in other.articles
    ]
    assert [on_other_host(u) for u in site.next_pages] == other.next_pages
    assert other.articles[0].listed_on is not None  # the platform's rules, not the generic ones


def test_detection_is_by_markup() -> None:
    seed = (FIXTURES_DIR / "bentre-city" / "seed-1452" / "page.html").read_bytes()
    doc = parse_html(seed.decode("utf-8"))
    assert detect_platform(doc) is PLATFORMS["sharepoint2013"]
    assert profile_for_page("https://anywhere.example/x", doc) is PLATFORMS["sharepoint2013"]
    # A site's profile is kept: detection only replaces the generic profile.
    site = get_profile("bentre-city")
    assert profile_for_page("https://anywhere.example/x", doc, site) is site
    plain = parse_html("<html><body><h1>Tin</h1><p>Nội dung</p></body></html>")
    assert detect_platform(plain) is None
    assert profile_for_page("https://anywhere.example/x", plain) is GENERIC


def test_sharepoint_marks_alone_are_not_enough() -> None:
    """A SharePoint page without the news web part, an error or a list view: generic rules."""
    html = (
        "<html><head><meta name='GENERATOR' content='Microsoft SharePoint'></head><body>"
        "<div class='ms-webpart-zone'><article><h1>Tiêu đề</h1><p>Nội dung</p></article></div>"
        "</body></html>"
    )
    assert detect_platform(parse_html(html)) is None


def test_a_page_whose_source_lacks_every_mark_is_ruled_out_before_parsing_rules() -> None:
    from portal_scraper.extract import decode_html
    from portal_scraper.extract.platforms import PLATFORM_CLASSES
    from portal_scraper.extract.platforms.dnn import PLATFORM_MARKS as dnn_marks
    from portal_scraper.extract.platforms.sharepoint2013 import PLATFORM_MARKS as sharepoint_marks

    for cls in PLATFORM_CLASSES.values():
        assert not cls.may_be("<html><body><h1>Plain page</h1><p>Text.</p></body></html>")
    # Each mark the SharePoint rules' XPath reads, alone, keeps the platform possible.
    for mark in (
        "<meta name='GENERATOR' content='Microsoft SharePoint'>",
        "<script>var _spPageContextInfo = {};</script>",
        "<div class='ms-webpart-zone'></div>",
        "<link rel='stylesheet' href='/_layouts/15/1033/styles/corev15.css'>",
    ):
        source = f"<html><head>{mark}</head><body></body></html>"
        assert PLATFORM_CLASSES["sharepoint2013"].may_be(source)
        assert bool(sharepoint_marks(parse_html(source))) and not bool(
            dnn_marks(parse_html(source))
        )
    sharepoint = (FIXTURES_DIR / "bentre-city").glob("*/page.html")
    for page in sharepoint:
        source = decode_html(page.read_bytes())[0]  # some cases are not UTF-8
        assert PLATFORM_CLASSES["sharepoint2013"].may_be(source)
