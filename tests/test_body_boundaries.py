"""Where the article body ends and what it keeps, each class on a small hand-written page."""

from __future__ import annotations

from portal_scraper.extract import GENERIC, parse_html

URL = "https://tin.example.vn/thoi-su/mot-bai-viet-mau-98765.html"


def para(i: int, words: str = "bài viết") -> str:
    return (
        f"<p>Đoạn {i} của {words}, đủ dài để là nội dung chính, có nhiều ý, nhiều dấu phẩy, "
        f"và kết thúc bằng một dấu chấm rõ ràng.</p>"
    )


BODY = "".join(para(i) for i in range(1, 5))


def text(html: str, url: str = URL) -> str:
    return GENERIC.extract(url, parse_html(html)).body_text or ""


def page(article: str, title: str = "Một bài viết mẫu") -> str:
    return (
        f"<html><head><title>{title} - Báo Mẫu</title></head><body>"
        f"{article}<div class='copyright'><p>Bản quyền Báo Mẫu</p></div></body></html>"
    )


def test_share_bar_source_link_and_hotline_after_the_last_paragraph_are_dropped() -> None:
    html = page(
        "<article><h1>Một bài viết mẫu</h1><div class='wrap'>"
        f"<div class='text'>{BODY}<p>Câu kết của bài.</p></div>"
        "<div class='gg'><a href='https://news.google.com/x'>Thêm Báo Mẫu trên Google</a>"
        "<span>Chọn Báo Mẫu làm nguồn ưu tiên.</span></div>"
        "<div class='src'><span>Theo bao-khac.vn</span> <a href='#'>Copy link</a>"
        " <span>Link bài gốc</span> https://bao-khac.vn/bai-goc-12345.html</div></div>"
        "<div class='contact'><p>Đường dây nóng: 0943 113 999</p></div></article>"
    )
    body = text(html)
    assert body.endswith("Câu kết của bài.")
    for junk in ("Google", "Copy link", "Link bài gốc", "Đường dây nóng", "bao-khac.vn"):
        assert junk not in body


def test_agency_tag_in_brackets_closing_the_article_is_dropped() -> None:
    body = text(page(f"<article><h1>Một bài viết mẫu</h1>{BODY}<p>(TTXVN)</p></article>"))
    assert body.endswith("dấu chấm rõ ràng.")


def test_closing_short_lines_and_a_list_after_the_last_paragraph_stay() -> None:
    html = page(
        f"<article><h1>Một bài viết mẫu</h1><div class='text'>{BODY}"
        "<p>Chúc mừng đội tuyển!</p><ul><li>Giải nhất: Hà Nội</li><li>Giải nhì: Huế</li></ul>"
        "</div></article>"
    )
    body = text(html)
    assert body.endswith("Giải nhì: Huế")
    assert "Chúc mừng đội tuyển!" in body
