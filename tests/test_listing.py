"""Listing pages: article links with dates, and `RefreshPageTo` paging."""

from datetime import date

from portal_scraper.extract import get_profile, parse_html
from portal_scraper.extract.sharepoint import unescape_js
from portal_scraper.tools.fixtures import FIXTURES_DIR

LISTING = FIXTURES_DIR / "bentre-city-listings" / "thong-tin-chung-p1.html"
URL = "https://tpbentre.bentre.gov.vn/Lists/TinTuc/ThongTinChung.aspx"


def test_reference_listing_links_and_paging() -> None:
    profile = get_profile("bentre-city")
    listing = profile.parse_listing(URL, parse_html(LISTING.read_text(encoding="utf-8")))
    assert [e.url.split("?")[1].split("&")[0] for e in listing.articles] == [
        "ID=1452", "ID=1451", "ID=1450", "ID=1449",
    ]  # fmt: skip
    assert listing.articles[0].listed_on == date(2018, 8, 10)
    assert "&Source=" in listing.articles[0].url  # canonicalized by the spider, not here
    assert listing.next_pages == [
        "https://tpbentre.bentre.gov.vn/Lists/TinTuc/ThongTinChung.aspx?Paged=TRUE&p_ID=1449"
        "&PageFirstRow=5&View={9D7A3C2B-5E1F-4B8A-9C6D-2F0E1A3B4C5D}"
    ]


def test_unescape_js() -> None:
    assert unescape_js(r"\u002fLists\u002fA.aspx?a=1\u0026b=2\/c\x41") == "/Lists/A.aspx?a=1&b=2/cA"


def test_listing_is_not_an_article() -> None:
    import pytest

    from portal_scraper.extract import NotAnArticle

    profile = get_profile("bentre-city")
    with pytest.raises(NotAnArticle, match="listing page"):
        profile.extract(URL, parse_html(LISTING.read_text(encoding="utf-8")))
