"""URL identity: one canonical URL and one crawl key per article, however the portal links it."""

from __future__ import annotations

import pytest

from portal_scraper.extract import GENERIC, get_profile
from portal_scraper.extract.sharepoint import item_id
from portal_scraper.normalize.urls import (
    absolute_url,
    canonical_url,
    http_url,
    is_iis_path,
    url_key,
)

ARTICLE = "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1452"


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE,
        "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?id=1452",
        "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?Id=1452",
        "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=01452",
        "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=0001452",
        "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1452&ID=1452",
        "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1452&id=01452",
        "https://TPBENTRE.bentre.gov.vn:443/Lists/TinTuc/DispForm.aspx?Source=%2Fx&ID=1452#c",
    ],
)
def test_sharepoint_id_spellings_give_one_canonical_url(variant: str) -> None:
    assert canonical_url(variant) == ARTICLE
    assert url_key(variant) == url_key(ARTICLE)


@pytest.mark.parametrize(
    "variant",
    [
        "https://tpbentre.bentre.gov.vn/lists/tintuc/dispform.aspx?id=01452",
        "https://tpbentre.bentre.gov.vn/LISTS/TINTUC/DISPFORM.ASPX?ID=1452&ID=1452",
        "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1452",
    ],
)
def test_path_case_on_iis(variant: str) -> None:
    # The spec keeps path case in canonical_url; the profile restores its own spelling and the
    # crawl key folds the case, so each variant is one article.
    assert url_key(variant) == url_key(ARTICLE)
    assert get_profile("bentre-city").canonical_url(variant) == ARTICLE


def test_profile_spells_listing_paths_and_folders_its_way() -> None:
    profile = get_profile("bentre-city")
    assert (
        profile.canonical_url(
            "https://tpbentre.bentre.gov.vn/lists/tintuc/thongtinchung.aspx?paged=TRUE&P_ID=01440"
        )
        == "https://tpbentre.bentre.gov.vn/Lists/TinTuc/ThongTinChung.aspx?Paged=TRUE&p_ID=1440"
    )
    assert (
        profile.canonical_url("https://tpbentre.bentre.gov.vn/LISTS/TINTUC/Attachments/1452/a.pdf")
        == "https://tpbentre.bentre.gov.vn/Lists/TinTuc/Attachments/1452/a.pdf"
    )
    # Unknown paths keep the case they were linked with, as the spec says.
    assert profile.canonical_url("https://tpbentre.bentre.gov.vn/SitePages/Home.aspx") == (
        "https://tpbentre.bentre.gov.vn/SitePages/Home.aspx"
    )
    # A mirror host (the demo portal) gets the profile's spelling too.
    assert profile.canonical_url("http://127.0.0.1:8000/lists/tintuc/DISPFORM.aspx?id=7") == (
        "http://127.0.0.1:8000/Lists/TinTuc/DispForm.aspx?ID=7"
    )
    assert GENERIC.canonical_url("HTTP://H.vn/a?b=1&b=1") == "http://h.vn/a?b=1"


def test_url_key_is_the_canonical_url_off_iis() -> None:
    # Apache, nginx and PHP paths and parameter names are case-sensitive: nothing is folded.
    for url in (
        "http://h.vn/News/Item?ID=1",
        "http://h.vn/news/item?id=01",
        "http://h.vn/tin?Id=1",
    ):
        assert url_key(url) == canonical_url(url) == url
    assert url_key("https://h.vn/News/Item?ID=1") != url_key("https://h.vn/news/item?ID=1")


def test_repeated_pairs_drop_but_different_values_stay() -> None:
    assert canonical_url("https://h.vn/a?x=1&x=1&b=2") == "https://h.vn/a?b=2&x=1"
    assert canonical_url("https://h.vn/a?x=1&x=2&x=1") == "https://h.vn/a?x=1&x=2"
    # On IIS other names take one (lower-case) spelling, so `Page=2&page=2` is one pair.
    assert (
        canonical_url("https://h.vn/Default.aspx?Page=2&page=2")
        == "https://h.vn/Default.aspx?page=2"
    )
    assert canonical_url("https://h.vn/Default.aspx?Page=2&page=3") == (
        "https://h.vn/Default.aspx?page=2&page=3"
    )


def test_leading_zeros_only_on_numeric_ids() -> None:
    got = canonical_url("https://h.vn/a.aspx?ItemId=007&item_id=00&paid=007&code=007&ID=0x1F")
    assert got == "https://h.vn/a.aspx?ID=0x1F&code=007&item_id=0&itemid=7&paid=007"
    # Off IIS, `01` may be a different key than `1`.
    assert canonical_url("https://h.vn/a.php?id=01") == "https://h.vn/a.php?id=01"


def test_percent_escapes_and_idempotence() -> None:
    url = "https://h.vn/Lists/Tin%c3%a1/DispForm.aspx?ID=01&Id=1&q=a%20b"
    once = canonical_url(url)
    assert once == "https://h.vn/Lists/Tin%C3%A1/DispForm.aspx?ID=1&q=a+b"
    assert canonical_url(once) == once
    assert url_key(once) == url_key(url)
    assert url_key(url_key(url)) == url_key(url)


def test_is_iis_path() -> None:
    assert is_iis_path("/Lists/TinTuc/DispForm.aspx")
    assert is_iis_path("/_layouts/15/download.ashx")
    assert is_iis_path("/lists/tintuc/")
    assert not is_iis_path("/playlists/a")
    assert not is_iis_path("/tin-tuc/bai-viet.html")


def test_source_id_ignores_leading_zeros() -> None:
    assert item_id("https://h.vn/Lists/TinTuc/DispForm.aspx?ID=01452") == "1452"
    assert item_id("https://h.vn/Lists/TinTuc/DispForm.aspx?id=1452") == "1452"


def test_sharepoint_paging_parameters_keep_their_spelling() -> None:
    # Servers that read `PageFirstRow` case-sensitively (the demo portal) still page.
    url = "http://127.0.0.1:8000/Lists/TinTuc/ThongTinChung.aspx?Paged=TRUE&PagedPrev=TRUE&p_ID=1&PageFirstRow=31&View=%7BA%7D"
    assert canonical_url(url) == (
        "http://127.0.0.1:8000/Lists/TinTuc/ThongTinChung.aspx"
        "?PageFirstRow=31&Paged=TRUE&PagedPrev=TRUE&View=%7BA%7D&p_ID=1"
    )


def test_spellings_a_lying_listing_uses_for_one_article_give_one_url() -> None:
    one = "http://h.vn/Lists/TinTuc/DispForm.aspx?ID=2001"
    for variant in (
        "http://h.vn//Lists/TinTuc/DispForm.aspx?ID=2001",
        "http://h.vn/Lists/TinTuc/DispForm.aspx?ID=%202001",
        "http://h.vn/Lists/TinTuc/DispForm.aspx?ID=2001%20",
        "http://h.vn/Lists/TinTuc/DispForm.aspx?ID=2001&ID=2002",
    ):
        assert canonical_url(variant) == one, variant
    # NFC and NFD percent-encodings of "bài", and the bare IRI, are one path.
    nfc, nfd = "http://h.vn/tin/b%C3%A0i-1.html", "http://h.vn/tin/ba%CC%80i-1.html"
    assert canonical_url(nfd) == canonical_url("http://h.vn/tin/bài-1.html") == nfc
    assert canonical_url("http://h.vn/a%2Fb/c%7e") == "http://h.vn/a%2Fb/c~"


def test_session_ids_schemes_and_trailing_slashes_name_no_new_page() -> None:
    page = "http://h.vn/tin/1-uy-ban-hop"
    for variant in (
        "http://h.vn/tin/1-uy-ban-hop;jsessionid=A1B2C3",
        "http://h.vn/tin/1-uy-ban-hop?sid=9f8e7d6c5b4a39281706",
        "http://h.vn/tin/1-uy-ban-hop?PHPSESSID=abc123def",
        "https://h.vn/tin/1-uy-ban-hop/",
    ):
        assert url_key(variant) == url_key(page), variant
    assert canonical_url("http://h.vn/tin?sid=123") == "http://h.vn/tin?sid=123"  # a story id


@pytest.mark.parametrize(
    "href", ["blob:https://cdn.example/9f2c", "mailto:toasoan@example.vn", "tel:0275", "ftp://x/y"]
)
def test_an_image_or_file_that_is_not_http_resolves_to_nothing(href: str) -> None:
    """An image at `blob:` once made the whole article a validation reject."""
    assert http_url("https://portal.example/tin/1.html", href) is None
    if not href.startswith("blob:"):  # a mailto: link in the body stays a link
        assert absolute_url("https://portal.example/tin/1.html", href) == href


def test_an_article_with_a_blob_image_is_a_record() -> None:
    from portal_scraper.record.model import ArticleRecord
    from tests.support.records import processed

    text = "".join(
        f"<p>Đoạn văn thứ {n} của bài viết, đủ dài để là một bài báo.</p>" for n in range(8)
    )
    html = (
        "<html lang='vi'><head><title>Tin mới</title></head><body><article><h1>Tin mới</h1>"
        f"{text}<figure><img src='blob:https://cdn.example/9f2c'><figcaption>Ảnh</figcaption>"
        "</figure><img src='/a.jpg'><p>Liên hệ <a href='mailto:toasoan@example.vn'>tòa soạn</a>"
        "</p></article></body></html>"
    )
    record = processed(html, "https://portal.example/tin/1.html")
    assert isinstance(record, ArticleRecord), record
    assert [image.url for image in record.images] == ["https://portal.example/a.jpg"]
    assert '<a href="mailto:toasoan@example.vn">' in record.body_html
