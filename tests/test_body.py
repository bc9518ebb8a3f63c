"""Body text, sanitized body HTML and images with captions."""

from lxml import html as lxml_html

from portal_scraper.extract.figures import mark_figures
from portal_scraper.normalize.body import body_html, body_text, images

BASE = "https://h.vn/Lists/TinTuc/DispForm.aspx?ID=1"


def _body(fragment: str):
    return lxml_html.fragment_fromstring(fragment, create_parent="div")


def test_unsafe_markup_is_removed() -> None:
    body = _body(
        '<p onclick="x()" style="color:red">Một <a href="javascript:alert(1)">liên kết</a></p>'
        "<script>alert(1)</script><style>p{}</style><iframe src='https://evil'></iframe>"
        '<form action="/x"><input name="q"></form><p><img src="data:image/png;base64,AAAA"></p>'
        '<p><a href="/trang" onmouseover="y()">tiếp</a></p>'
    )
    out = body_html(body, BASE)
    for banned in ("script", "onclick", "onmouseover", "style", "javascript:", "data:",
                   "iframe", "<form", "<input"):  # fmt: skip
        assert banned not in out
    assert '<a href="https://h.vn/trang">tiếp</a>' in out


def test_allowed_structure_survives_with_absolute_urls() -> None:
    body = _body(
        '<h2>Mục</h2><ul><li>một</li></ul><table><tr><td colspan="2">ô</td></tr></table>'
        '<p><img src="/a.jpg" alt="Ảnh"></p>'
    )
    out = body_html(body, BASE)
    assert "<h2>Mục</h2><ul><li>một</li></ul>" in out
    assert '<td colspan="2">ô</td>' in out
    assert '<img src="https://h.vn/a.jpg" alt="Ảnh">' in out


def test_body_text_paragraphs_and_table_rows() -> None:
    body = _body(
        "<p>Đoạn <b>một</b>\u00a0 có  khoảng trắng.</p>text rời<div><p>Đoạn hai</p></div>"
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>"
        "<figure><img src='/x.jpg'><figcaption>Chú thích</figcaption></figure>"
    )
    assert body_text(body) == "Đoạn một có khoảng trắng.\n\ntext rời\n\nĐoạn hai\n\nA | B\n\n1 | 2"


def test_a_blank_line_of_two_breaks_separates_paragraphs_and_one_break_does_not() -> None:
    # Older editors write paragraphs as runs of text between <br><br>; one <br> is a new line
    # inside a paragraph (a poem, an address).
    body = _body("Đoạn một,<br>dòng hai.<br><br>Đoạn hai.<br> <br>Đoạn ba.")
    assert body_text(body) == "Đoạn một, dòng hai.\n\nĐoạn hai.\n\nĐoạn ba."


def test_empty_body_gives_empty_text_and_html() -> None:
    assert body_text(_body("")) == ""
    assert body_html(_body("<p>\u00a0</p>"), BASE) == ""


def test_caption_after_image_is_tied_to_it() -> None:
    body = _body(
        '<p style="text-align:center;"><img src="/1.jpg" alt="1.jpg"></p>'
        '<p style="text-align:center;"><em>Hội nghị (Ảnh: Minh Trí)</em></p>'
        '<p><img src="/2.jpg" alt="Cầu mới"></p>'
        '<p style="text-align:justify;">Đoạn văn thường sau ảnh, không phải chú thích.</p>'
    )
    mark_figures(body)
    assert images(body, BASE) == [
        {"url": "https://h.vn/1.jpg", "caption": "Hội nghị", "credit": "Minh Trí", "alt": None},
        {"url": "https://h.vn/2.jpg", "caption": None, "credit": None, "alt": "Cầu mới"},
    ]
    assert body_text(body) == "Đoạn văn thường sau ảnh, không phải chú thích."


def test_image_without_src_is_skipped() -> None:
    body = _body('<p><img alt="x"></p><p><img src="/ok.jpg"></p>')
    assert [i["url"] for i in images(body, BASE)] == ["https://h.vn/ok.jpg"]
