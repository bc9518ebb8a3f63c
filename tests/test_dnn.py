"""The DNN platform profile: detection, listing entries with dates, postback paging."""

from __future__ import annotations

from datetime import date

import pytest

from portal_scraper.extract import (
    GENERIC,
    PLATFORMS,
    Postback,
    detect_platform,
    get_profile,
    parse_html,
)
from portal_scraper.record.stages import process_page
from portal_scraper.tools.fixtures import cases
from tests.support import FIXTURES_DIR

LISTING = FIXTURES_DIR / "dnn-listings" / "tin-tuc-su-kien-p1.html"
LISTING_URL = "https://sokhcn.example.gov.vn/tin-tuc-su-kien"
DNN_CASES = [c for c in cases(FIXTURES_DIR) if c.site == "dnn"]
ARTICLE = "https://sokhcn.example.gov.vn/tin-tuc-su-kien/ArticleId/{}/"


def listing_doc():
    return parse_html(LISTING.read_text(encoding="utf-8"))


def test_dnn_fixture_set() -> None:
    records = [c for c in DNN_CASES if "stage" not in c.expected()]
    assert len(records) >= 4
    assert any("stage" in c.expected() for c in DNN_CASES)
    for case in records:
        record = case.expected()
        assert record["title"] and record["published_at"] and record["body_text"], case.name
        assert record["portal"]["agency"] == "Sở Khoa học và Công nghệ tỉnh Ví Dụ", case.name


@pytest.mark.parametrize("case", DNN_CASES, ids=lambda c: c.name)
def test_dnn_pages_are_detected_without_naming_the_platform(case) -> None:
    assert detect_platform(parse_html(case.page().body.decode("utf-8"))) is PLATFORMS["dnn"]
    assert process_page(case.page()).to_dict() == case.expected()  # generic -> dnn


def test_listing_entries_dates_and_postbacks() -> None:
    listing = get_profile("dnn").parse_listing(LISTING_URL, listing_doc())
    assert [(e.url.split("/")[5], e.listed_on) for e in listing.articles] == [
        ("1237", date(2024, 4, 1)),
        ("1236", date(2024, 2, 2)),
        ("1234", date(2024, 3, 12)),
        ("1235", date(2024, 1, 5)),
    ]  # not the "Tin mới" box of the side pane
    assert listing.postbacks == [
        Postback("dnn$ctr455$ArticleList$pager", "Page$2"),
        Postback("dnn$ctr455$ArticleList$pager", "Page$3"),
        Postback("dnn$ctr455$ArticleList$lnkLast", "Page$Last"),
    ]
    assert listing.postbacks[0] == ("dnn$ctr455$ArticleList$pager", "Page$2")  # a plain pair too
    assert listing.postback_form == "Form"
    assert listing.next_pages == []


def test_generic_profile_reads_a_dnn_listing_with_the_platform_rules() -> None:
    listing = GENERIC.parse_listing(LISTING_URL, listing_doc())
    assert listing.postbacks and listing.articles[0].listed_on == date(2024, 4, 1)


def test_article_urls() -> None:
    dnn = get_profile("dnn")
    assert dnn.is_article_url(ARTICLE.format(1234) + "ten-bai")
    assert dnn.is_article_url("https://x.gov.vn/Default.aspx?tabid=55&ArticleId=1236")
    assert dnn.is_article_url("https://x.gov.vn/tin-tuc/ctl/Detail/mid/455/ItemID/78")
    assert not dnn.is_article_url("https://x.gov.vn/tin-tuc/tabid/55/Default.aspx")
    assert not dnn.is_article_url("https://x.gov.vn/tin-tuc/ctl/Detail/mid/455")


def test_postback_links_that_do_not_page_are_not_paging() -> None:
    html = LISTING.read_text(encoding="utf-8").replace(
        "</form>",
        "<a href=\"javascript:__doPostBack('dnn$ctr456$NewsDetail$lnkSendMail','')\">Gửi</a></form>",
    )
    listing = get_profile("dnn").parse_listing(LISTING_URL, parse_html(html))
    assert all("lnkSendMail" not in p.target for p in listing.postbacks)


def test_not_dnn_without_an_aspnet_form() -> None:
    html = "<html><body><div id='dnn_ContentPane'><h1>Tin</h1></div></body></html>"
    assert detect_platform(parse_html(html)) is None


_VARIANT = (
    "<html lang='vi'><head><title>{title} - Cổng thông tin</title></head><body>"
    "<form method='post' id='Form'><input type='hidden' name='__VIEWSTATE' value='x'>"
    "<div id='dnn_ContentPane'><div id='dnn_ctr7_View'>{inner}</div></div></form></body></html>"
)


def test_a_dnn_variant_its_rules_miss_is_read_by_the_generic_profile() -> None:
    from portal_scraper.extract import GENERIC, read_page

    paragraphs = "".join(
        f"<p>Đoạn {i} của bài viết trên cổng thông tin, đủ dài, có nhiều ý, nhiều dấu phẩy, "
        "và kết thúc bằng dấu chấm.</p>"
        for i in range(4)
    )
    title = "Hội nghị tổng kết công tác năm của huyện"
    html = _VARIANT.format(title=title, inner=f"<h1>{title}</h1>{paragraphs}")
    raw, profile = read_page("http://portal.example.gov.vn/tin/bai-2001.aspx", html.encode(),
                             profile=GENERIC)  # fmt: skip
    assert profile is GENERIC and raw.title == title and "Đoạn 3" in (raw.body_text or "")


def test_a_dnn_listing_variant_its_rules_miss_gives_the_generic_links() -> None:
    from portal_scraper.extract import GENERIC, parse_html

    items = "".join(
        f"<h3><a href='/tin-tuc/chi-tiet/bai-viet-{i}.aspx'>Tin số {i} về một hoạt động của tỉnh</a>"
        "</h3>"
        for i in range(2001, 2006)
    )
    pager = "<a href=\"javascript:__doPostBack('dnn$ctr7$pager','Page$2')\">2</a>"
    doc = parse_html(_VARIANT.format(title="Tin tức", inner=items + pager))
    listing = GENERIC.parse_listing("http://portal.example.gov.vn/tin-tuc.aspx", doc)
    assert len(listing.articles) == 5
    assert [(p.target, p.argument) for p in listing.postbacks] == [("dnn$ctr7$pager", "Page$2")]
