"""The generic profile's heuristics, each on a small hand-written page."""

from __future__ import annotations

import pytest

from portal_scraper.extract import GENERIC, NotAnArticle, parse_html, profile_for_url
from tests.support.records import extracted

URL = "https://news.example.vn/tin-tuc/bai-viet-mau-12345.html"
PARAGRAPHS = "".join(
    f"<p>Đoạn văn số {i} của bài viết, có đủ chữ để được tính là nội dung chính của trang, "
    f"gồm nhiều ý, nhiều dấu phẩy, và kết thúc bằng dấu chấm.</p>"
    for i in range(1, 5)
)


def record(html: str, url: str = URL) -> dict:
    return extracted(html, url)


def page(head: str = "", before: str = "", body: str = PARAGRAPHS, after: str = "") -> str:
    return (
        f"<html lang='vi'><head><title>Bài viết mẫu - Báo Ví Dụ</title>{head}</head><body>"
        "<nav><a href='/'>Trang chủ</a> <a href='/tin-tuc'>Tin tức</a></nav>"
        f"<div class='main'><h1>Bài viết mẫu</h1>{before}<div class='content'>{body}</div>{after}"
        "</div><footer><p>Bản quyền thuộc Báo Ví Dụ</p></footer></body></html>"
    )


def test_unknown_hosts_get_the_generic_profile() -> None:
    assert profile_for_url(URL) is GENERIC
    assert profile_for_url("https://tpbentre.bentre.gov.vn/x").id == "bentre-city"


def test_title_is_the_h1_the_title_tag_confirms() -> None:
    assert record(page())["title"] == "Bài viết mẫu"


def test_title_falls_back_to_og_title_then_title_tag() -> None:
    html = page(head="<meta property='og:title' content='Tiêu đề OG'>").replace(
        "<h1>Bài viết mẫu</h1>", ""
    )
    assert record(html)["title"] == "Tiêu đề OG"
    html = page().replace("<h1>Bài viết mẫu</h1>", "")
    assert record(html)["title"] == "Bài viết mẫu"  # site name after " - " dropped


def test_json_ld_gives_date_and_authors() -> None:
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":'
        '"NewsArticle","headline":"Bài viết mẫu","datePublished":"2024-03-05T14:30:00+07:00",'
        '"dateModified":"2024-03-06T08:00:00+07:00","author":[{"@type":"Person","name":"Lê Phương"},'
        '{"@type":"Person","name":"Minh Trí"}]}]}</script>'
    )
    got = record(page(head=ld))
    assert got["published_at"] == "2024-03-05T14:30:00+07:00"
    assert got["modified_at"] == "2024-03-06T08:00:00+07:00"
    assert got["authors"] == ["Lê Phương", "Minh Trí"]


def test_opengraph_and_time_element() -> None:
    og = "<meta property='article:published_time' content='2023-01-02T03:04:05Z'>"
    # The same instant, written in the time of the country whose domain the page is on.
    assert record(page(head=og))["published_at"] == "2023-01-02T10:04:05+07:00"
    time = "<time datetime='2022-12-31T23:00:00+07:00'>31/12/2022</time>"
    assert record(page(before=time))["published_at"] == "2022-12-31T23:00:00+07:00"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Thứ 6, Ngày 10/08/2018, 15:00", "2018-08-10T15:00:00+07:00"),
        ("Ngày đăng: 05/03/2024 14:30", "2024-03-05T14:30:00+07:00"),
        ("Hà Nội, ngày 5 tháng 3 năm 2024", "2024-03-05T00:00:00+07:00"),
        ("05/03/2024 02:30 CH", "2024-03-05T14:30:00+07:00"),
    ],
)
def test_visible_vietnamese_date_lines(line: str, expected: str) -> None:
    got = record(page(before=f"<div class='post-date'>{line}</div>"))
    assert got["published_at"] == expected
    assert got["published_at_raw"] == line
    assert line not in got["body_text"]


def test_date_from_url_as_last_resort() -> None:
    got = record(page(), url="https://example.com/2019/11/19/story-about-things/")
    assert got["published_at"] == "2019-11-19T00:00:00+07:00"  # a Vietnamese page: Vietnam time
    english = page().replace("lang='vi'", "lang='en'")
    got = record(english, url="https://example.com/2019/11/19/story-about-things/")
    assert got["published_at"] == "2019-11-19T00:00:00Z"


def test_byline_at_top_without_dates_or_roles() -> None:
    got = record(page(before="<div class='author'>Bài và ảnh: Phương Thảo | 10/08/2018</div>"))
    assert got["authors"] == ["Phương Thảo"]
    assert "Phương Thảo" not in got["body_text"]


def test_signature_at_the_end_of_the_body() -> None:
    got = record(
        page(body=PARAGRAPHS + "<p style='text-align:right'><strong>Minh Trí</strong></p>")
    )
    assert got["authors"] == ["Minh Trí"]
    assert not got["body_text"].endswith("Minh Trí")


def test_source_line_is_not_an_author() -> None:
    got = record(page(before="<div class='author'>Theo Báo Đồng Khởi</div>"))
    assert got["authors"] == []


def test_chrome_stays_out_of_the_body() -> None:
    after = (
        "<div class='share-bar'><a href='#'>Chia sẻ Facebook</a></div>"
        "<div class='related-news'><h3>Tin liên quan</h3><ul>"
        + "".join(
            f"<li><a href='/tin-{i}'>Một bài khác số {i} rất đáng đọc</a></li>" for i in range(5)
        )
        + "</ul></div><div id='comments'><p>Bình luận của bạn đọc rất dài, có dấu phẩy, nhưng không phải bài.</p></div>"
    )
    got = record(page(after=after))
    assert got["body_text"].count("Đoạn văn số") == 4
    for chrome in ("Chia sẻ", "Một bài khác", "Bình luận", "Bản quyền", "Trang chủ"):
        assert chrome not in got["body_text"]


def test_lead_is_summary_not_body() -> None:
    lead = (
        "<p class='sapo'>Đây là phần tóm tắt của bài, nằm ngoài thân bài và đủ dài để nhận ra.</p>"
    )
    got = record(page(before=lead))
    assert got["summary"].startswith("Đây là phần tóm tắt")
    assert "tóm tắt" not in got["body_text"]


def test_captions_figure_paragraph_and_table() -> None:
    body = (
        PARAGRAPHS
        + "<figure><img src='/a.jpg'><figcaption>Hình một (Ảnh: An)</figcaption></figure>"
        + "<p style='text-align:center'><img src='/b.jpg'></p><p style='text-align:center'><em>Hình hai</em></p>"
        + "<table class='tplCaption'><tr><td><img src='/c.jpg'></td></tr>"
        + "<tr><td><p class='Image'>Hình ba. Ảnh: Bệnh viện cung cấp</p></td></tr></table>"
        + "<p>Đoạn cuối của bài viết, vẫn là nội dung chính, có dấu phẩy, và dấu chấm.</p>"
    )
    got = record(page(body=body))
    assert [(i["url"].rsplit("/", 1)[1], i["caption"], i["credit"]) for i in got["images"]] == [
        ("a.jpg", "Hình một", "An"),
        ("b.jpg", "Hình hai", None),
        ("c.jpg", "Hình ba.", "Bệnh viện cung cấp"),
    ]
    for caption in ("Hình một", "Hình hai", "Hình ba"):
        assert caption not in got["body_text"]
    assert got["body_text"].endswith("và dấu chấm.")


def test_labelled_footer_becomes_portal() -> None:
    html = page().replace(
        "<footer><p>Bản quyền thuộc Báo Ví Dụ</p></footer>",
        "<div id='footer'><p>CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN X</p><p>Cơ quan chủ quản: UBND huyện X</p>"
        "<p>Địa chỉ: 1 Đường Y</p><p>Điện thoại: 0275 123 456 | Email: ubnd@x.gov.vn</p></div>",
    )
    portal = record(html)["portal"]
    assert portal["agency"] == "UBND huyện X"
    assert portal["emails"] == ["ubnd@x.gov.vn"]
    assert record(page())["portal"] is None  # a copyright line alone is no portal footer


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (page().replace("Bài viết mẫu</h1>", "404 Not Found</h1>"), "error page"),
        (page(body="<p>Ngắn.</p>"), "article"),
        ("<html><body></body></html>", "article"),
    ],
)
def test_not_an_article(html: str, reason: str) -> None:
    with pytest.raises(NotAnArticle, match=reason):
        GENERIC.extract(URL, parse_html(html))


def test_generic_listing_links() -> None:
    html = (
        "<html><body><a href='/tin-tuc/mot-bai-viet-dai-123.html'>Một bài viết có tiêu đề dài</a>"
        "<a href='/lien-he'>Liên hệ</a><a href='https://other.vn/bai-khac-456.html'>Bài ở trang khác dài</a>"
        "<a href='/tin-tuc?page=2'>Trang sau</a></body></html>"
    )
    listing = GENERIC.parse_listing("https://news.example.vn/tin-tuc", parse_html(html))
    assert [e.url for e in listing.articles] == [
        "https://news.example.vn/tin-tuc/mot-bai-viet-dai-123.html"
    ]
    assert listing.next_pages == ["https://news.example.vn/tin-tuc?page=2"]


def test_structured_article_body_when_the_page_renders_text_with_scripts() -> None:
    ld = (
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Bài viết mẫu",'
        '"articleBody":"Đoạn một của bài viết được đưa vào dữ liệu có cấu trúc.\\nĐoạn hai, cũng '
        'trong dữ liệu có cấu trúc, đủ dài để là thân bài."}</script>'
    )
    got = record(page(head=ld, body="<div id='app'></div>"))
    assert got["body_text"] == (
        "Đoạn một của bài viết được đưa vào dữ liệu có cấu trúc.\n\n"
        "Đoạn hai, cũng trong dữ liệu có cấu trúc, đủ dài để là thân bài."
    )
