"""Listing pages: article links with dates, and `RefreshPageTo` paging."""

from datetime import date

from portal_scraper.extract import get_profile, parse_html
from portal_scraper.extract.sharepoint import unescape_js
from tests.support import FIXTURES_DIR

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


GENERIC_LISTING = "https://news.example.vn/tin-tuc"


def generic_listing(entries: str) -> list[str]:
    from portal_scraper.extract import GENERIC

    html = f"<html><body><div class='list'>{entries}</div></body></html>"
    return [e.url for e in GENERIC.parse_listing(GENERIC_LISTING, parse_html(html)).articles]


def test_generic_listing_thumbnail_link_before_title_link() -> None:
    entries = "".join(
        f"<div class='item'><a href='/tin-tuc/bai-viet-so-{i}-{1000 + i}.html'>"
        f"<img src='/anh/{i}.jpg'></a>"
        f"<h3><a href='/tin-tuc/bai-viet-so-{i}-{1000 + i}.html'>Bài viết số {i} có tiêu đề dài</a></h3>"
        f"<a href='/tin-tuc/bai-viet-so-{i}-{1000 + i}.html'>Xem thêm</a></div>"
        for i in (1, 2)
    )
    assert generic_listing(entries) == [
        "https://news.example.vn/tin-tuc/bai-viet-so-1-1001.html",
        "https://news.example.vn/tin-tuc/bai-viet-so-2-1002.html",
    ]


def test_generic_listing_image_alt_is_a_label_and_each_article_is_listed_once() -> None:
    entries = (
        # Only a thumbnail, but its alt text is the headline.
        "<a href='/tin-tuc/chi-co-anh-2001.html'><img alt='Hội nghị tổng kết năm 2025 của thành phố'></a>"
        # The same article linked again with a fragment and a tracking tag: one entry.
        "<a href='/tin-tuc/bai-viet-dai-2002.html'>Một bài viết có tiêu đề dài</a>"
        "<a href='/tin-tuc/bai-viet-dai-2002.html#binh-luan'>Bình luận về bài viết dài này</a>"
        "<a href='/tin-tuc/bai-viet-dai-2002.html?utm_source=home'>Một bài viết có tiêu đề dài</a>"
        # A title attribute names a link with a short text.
        "<a href='/tin-tuc/co-title-2003.html' title='Tiêu đề đầy đủ của bài thứ ba'>Ảnh</a>"
        # Short labels only: not an article link.
        "<a href='/tin-tuc/ngan-2004.html'>12/08</a><a href='/tin-tuc/ngan-2004.html'><img alt=''></a>"
    )
    assert generic_listing(entries) == [
        "https://news.example.vn/tin-tuc/chi-co-anh-2001.html",
        "https://news.example.vn/tin-tuc/bai-viet-dai-2002.html",
        "https://news.example.vn/tin-tuc/co-title-2003.html",
    ]


def test_generic_listing_headline_starting_with_a_paging_word_is_an_article() -> None:
    from portal_scraper.extract import GENERIC

    html = (
        "<html><body><a href='/tin-tuc/sau-10-nam-3001.html'>Sau 10 năm xây dựng nông thôn mới</a>"
        "<a href='/tin-tuc/tiep-tuc-3002.html'>Tiếp tục triển khai chuyển đổi số</a>"
        "<a href='/tin-tuc?page=2'>Trang sau »</a><a rel='nofollow next' href='/tin-tuc?page=2#x'>»</a>"
        "</body></html>"
    )
    listing = GENERIC.parse_listing(GENERIC_LISTING, parse_html(html))
    assert [e.url for e in listing.articles] == [
        "https://news.example.vn/tin-tuc/sau-10-nam-3001.html",
        "https://news.example.vn/tin-tuc/tiep-tuc-3002.html",
    ]
    assert listing.next_pages == ["https://news.example.vn/tin-tuc?page=2"]
