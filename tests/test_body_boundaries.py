"""Where the article body ends and what it keeps, each class on a small hand-written page."""

from __future__ import annotations

import pytest

from portal_scraper.extract import GENERIC, parse_html
from portal_scraper.record.model import ArticleRecord
from tests.support.records import processed

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


def test_related_cards_inside_the_article_are_dropped() -> None:
    card = (
        "<div class='box'><a href='/bai-khac-{i}.html'><img src='/t{i}.jpg'></a>"
        "<a href='/bai-khac-{i}.html'>Tiêu đề bài liên quan số {i} rất hấp dẫn</a>"
        "<span>Mô tả ngắn của bài liên quan số {i} viết liền sau tiêu đề.</span></div>"
    )
    html = page(
        f"<article><h1>Một bài viết mẫu</h1>{para(1)}{para(2)}"
        f"<div class='inline'><b>Tin liên quan</b>{card.format(i=1)}{card.format(i=2)}</div>"
        f"{para(3)}<div class='one'>{card.format(i=3)}</div>{para(4)}</article>"
    )
    body = text(html)
    assert "Đoạn 4" in body and "Đoạn 3" in body
    for junk in ("Tin liên quan", "liên quan số 1", "liên quan số 2", "liên quan số 3"):
        assert junk not in body


def test_a_box_of_teasers_under_a_related_heading_in_the_article_is_dropped() -> None:
    # Early in the article, no image: each teaser opens with its link, then a line of its own.
    teaser = (
        "<p><a href='/bai-khac-{i}.html'>Chủ đề {i}</a> Một dòng giới thiệu bài khác số {i}, "
        "dài như một câu văn, có dấu phẩy, nhưng là bài khác.</p>"
    )
    box = "".join(teaser.format(i=i) for i in range(1, 4))
    html = page(
        f"<article><h1>Một bài viết mẫu</h1>{para(1)}"
        f"<div class='box'><h6>Đọc thêm</h6>{box}</div>{para(2)}{para(3)}{para(4)}</article>"
    )
    body = text(html)
    assert "Đoạn 1" in body and "Đoạn 4" in body
    assert "Đọc thêm" not in body and "bài khác số" not in body


@pytest.mark.parametrize("line", ["Tin liên quan:", "Mehr zum Thema:", "Zum Weiterlesen",
                                  "Weitere Meldungen"])  # fmt: skip
def test_teasers_with_long_blurbs_after_a_related_line_are_cut(line: str) -> None:
    # Each teaser holds a blurb as long as a paragraph: the card is the blurb, its headline
    # and a "more" link, however long the blurb.
    blurb = "Một đoạn giới thiệu bài khác số {i}, dài như một đoạn văn, có dấu phẩy, " * 5
    card = (
        "<div class='item'><h2><a href='/bai-khac-{i}.html'>Bài khác số {i} rất hấp dẫn</a></h2>"
        f"<p>{blurb}</p><a href='/bai-khac-{{i}}.html'>Đọc tiếp</a></div>"
    )
    html = page(
        f"<div class='content'><h1>Một bài viết mẫu</h1><div class='text'>"
        f"{''.join(para(i) for i in range(1, 16))}</div><div class='box'><p>{line}</p>"
        f"{''.join(card.format(i=i) for i in range(1, 4))}</div></div>"
    )
    body = text(html)
    assert body.endswith("một dấu chấm rõ ràng.") and "Đoạn 15" in body
    assert line not in body and "bài khác số" not in body


def test_next_story_of_an_endless_page_is_cut() -> None:
    # The next story is an <article> of its own inside the article: a headline alone is not.
    html = page(
        f"<article><h1>Một bài viết mẫu</h1>{BODY}"
        "<div class='story-next'><article><h1>Câu chuyện tiếp theo</h1>"
        f"{para(5, 'bài sau')}{para(6, 'bài sau')}</article></div></article>"
    )
    body = text(html)
    assert body.endswith("dấu chấm rõ ràng.") and "Đoạn 4" in body
    assert "bài sau" not in body and "Câu chuyện tiếp theo" not in body


def test_ui_strings_are_not_body() -> None:
    html = page(
        f"<article><h1>Một bài viết mẫu</h1><div>LOADING</div>{BODY}"
        "<p>Remind me tomorrow</p><div>Loading...</div></article>"
    )
    body = text(html)
    assert "LOADING" not in body and "Loading" not in body and "Remind me" not in body


def test_an_article_in_a_subscriber_only_container_is_kept() -> None:
    comments = "".join(
        f"<div class='comment'><p>Bình luận {i} của độc giả rất dài, có nhiều ý kiến, nhiều dấu "
        "phẩy, nhiều câu chữ và nhiều suy nghĩ về bài viết này.</p></div>"
        for i in range(8)
    )
    html = page(
        "<div class='story'><h1>Một bài viết mẫu</h1>"
        f"<div class='wrap subscriber-only'>{BODY}</div></div>"
        f"<div class='reader-notes'>{comments}</div>"
    )
    assert "Đoạn 4 của bài viết" in text(html)


def test_article_element_without_the_headline_beats_a_teaser_list() -> None:
    teasers = "".join(
        f"<li><a href='/tin-{i}.html'>Tin số {i}</a> <span>Tóm tắt tin số {i}, gồm vài ý, vài "
        "dấu phẩy, vài chữ, và một câu kết rõ ràng để trông như đoạn văn.</span></li>"
        for i in range(12)
    )
    html = page(
        "<div class='head'><h1>Một bài viết mẫu</h1></div>"
        f"<article>{BODY}</article><div class='list'><ul>{teasers}</ul></div>"
    )
    body = text(html)
    assert "Đoạn 1 của bài viết" in body and "Tóm tắt tin" not in body


def test_a_section_headline_inside_the_article_is_no_next_story() -> None:
    html = page(
        f"<article><h1>Một bài viết mẫu</h1>{para(1)}{para(2)}"
        f"<h1>Phần hai</h1>{para(3)}{para(4)}</article>"
    )
    assert "Đoạn 4 của bài viết" in text(html)


def test_a_paragraph_with_many_links_before_related_cards_stays() -> None:
    linked = (
        "<p>Năm 2018, trong nhiệm kỳ đầu, ông <a href='/a-1.html'>áp thuế lên thép và nhôm</a>, "
        "khiến bên kia <a href='/a-2.html'>áp thuế đáp trả lên thịt lợn và táo</a>.</p>"
    )
    card = (
        "<div><a href='/khac-9.html'><img src='/k.jpg'></a>"
        "<a href='/khac-9.html'>Một tiêu đề bài khác rất dài và hấp dẫn</a></div>"
    )
    html = page(f"<article><h1>Một bài viết mẫu</h1>{BODY}{linked}{card}</article>")
    body = text(html)
    assert body.endswith("thịt lợn và táo.") and "bài khác" not in body


def test_an_article_split_over_two_columns_keeps_its_last_part() -> None:
    html = page(
        "<div class='main'><h1>Một bài viết mẫu</h1>"
        f"<div class='c1'>{para(1)}{para(2)}{para(3)}</div><div class='c2'>{para(4)}</div>"
        "</div><div class='more'><a href='/x-1.html'>Một tin khác ở cuối trang</a></div>"
    )
    assert text(html).endswith(
        "Đoạn 4 của bài viết, đủ dài để là nội dung chính, có nhiều ý, "
        "nhiều dấu phẩy, và kết thúc bằng một dấu chấm rõ ràng."
    )


def test_a_read_more_continuation_inside_the_body_is_kept() -> None:
    html = page(
        f"<div class='main'><h1>Một bài viết mẫu</h1><div class='article-body'>{para(1)}{para(2)}"
        f"<div class='read-more-content'>{para(3)}{para(4)}</div></div></div>"
        f"<div class='sidebar'>{''.join(para(i, 'mục khác') for i in range(3))}</div>"
    )
    assert "Đoạn 4 của bài viết" in text(html)


def test_a_feedback_form_beside_the_story_is_not_its_body() -> None:
    chapters = "".join(
        f"<li><a href='javascript:;'><strong>0{i}:15</strong> Chương {i}: một tin ngắn đáng nghe"
        "</a></li>"
        for i in range(1, 10)
    )
    form = (
        "<section class='popup-feedback'><div>Đánh giá trải nghiệm của bạn</div>"
        "<p>Bạn thấy trải nghiệm của mình thế nào? Hãy cho chúng tôi biết để cải thiện.</p>"
        "<p>Email sẽ được bảo mật, chúng tôi chỉ dùng để liên lạc khi cần thêm thông tin.</p>"
        "<p>Khi gửi, bạn đồng ý với điều khoản sử dụng, chính sách bảo mật, quy định chung.</p>"
        "<p>Giao diện, tốc độ, nội dung, âm thanh, giọng đọc, độ dài, chủ đề, hay thứ khác?</p>"
        "<textarea></textarea><input type='email'></section>"
    )
    html = page(
        f"<div class='wrap'><h1>Một bài viết mẫu</h1><ul class='chapters'>{chapters}</ul></div>"
        f"{form}"
    )
    body = text(html)
    assert body.startswith("01:15 Chương 1") and body.endswith("Chương 9: một tin ngắn đáng nghe")
    assert "Đánh giá trải nghiệm" not in body and "Email" not in body


def test_a_captioned_lead_photo_before_the_named_body_is_the_articles() -> None:
    text = "".join(
        f"<p>Đoạn văn thứ {n} của bài viết, đủ dài để là một bài báo về thành phố.</p>"
        for n in range(8)
    )
    html = (
        "<html lang='vi'><head><title>Tây Ban Nha vô địch</title></head><body>"
        "<figure class='thumb'><img src='/other.jpg'><figcaption>Ảnh bài khác</figcaption></figure>"
        "<div class='main'><h1>Tây Ban Nha vô địch</h1><div class='share'></div>"
        "<figure class='lead'><img src='/lead.jpg'><figcaption>Torres ghi bàn. (Ảnh: FIFA)</figcaption></figure>"
        f"<div class='ad-slot'></div><div itemprop='articleBody'>{text}</div></div></body></html>"
    )
    record = processed(html, "https://bao.example/tin-1.html")
    assert isinstance(record, ArticleRecord), record
    assert [(i.url, i.caption, i.credit) for i in record.images][:1] == [
        ("https://bao.example/lead.jpg", "Torres ghi bàn.", "FIFA")
    ]
    assert all(i.url != "https://bao.example/other.jpg" for i in record.images)
    assert "Torres ghi bàn" not in record.body_text


@pytest.mark.parametrize(
    "photo",
    [
        # AMP: `<amp-img>`, the caption in a paragraph named as one.
        "<figure class='featured'><amp-img src='/lead.jpg' width='1200' height='675'></amp-img>"
        "<p class='wp-caption-text'>Torres ghi bàn. (Ảnh: FIFA)</p></figure>",
        # `<picture>`, between the header holding the headline and the text's block.
        "<figure class='c-figure'><div class='media'><picture><source srcset='/lead.webp'>"
        "<img src='/lead.jpg'></picture></div><figcaption>Torres ghi bàn. (Ảnh: FIFA)"
        "</figcaption></figure>",
    ],
)
def test_a_lead_photo_in_amp_or_picture_markup_is_the_articles(photo: str) -> None:
    text = "".join(
        f"<p>Đoạn văn thứ {n} của bài viết, đủ dài để là một bài báo về thành phố.</p>"
        for n in range(8)
    )
    html = (
        "<html lang='vi'><head><title>Tây Ban Nha vô địch</title></head><body><article>"
        "<div class='header'><span class='kicker'>Thể thao</span><h1>Tây Ban Nha vô địch</h1>"
        "<p class='lead'>Đội tuyển Tây Ban Nha "
        "lần đầu vô địch thế giới sau trận chung kết căng thẳng, kịch tính.</p></div>"
        f"{photo}<div class='c-article__body'>{text}</div></article></body></html>"
    )
    record = processed(html, "https://bao.example/tin-1.html")
    assert isinstance(record, ArticleRecord), record
    assert [(i.url, i.caption, i.credit) for i in record.images][:1] == [
        ("https://bao.example/lead.jpg", "Torres ghi bàn.", "FIFA")
    ]
    assert "Torres ghi bàn" not in record.body_text


def test_a_photo_in_a_caption_block_between_the_highlights_and_the_text_is_kept() -> None:
    text = "".join(
        f"<p>Đoạn văn thứ {n} của bài viết, đủ dài để là một bài báo về thành phố, có dấu phẩy.</p>"
        for n in range(6)
    )
    html = (
        "<html lang='vi'><head><title>Tây Ban Nha vô địch</title></head><body><div id='content'>"
        "<h1>Tây Ban Nha vô địch</h1><ul class='highlights'><li>Đội tuyển lần đầu vô địch thế "
        "giới sau trận chung kết kéo dài hai hiệp phụ</li><li>Hàng trăm nghìn người xuống đường "
        "ăn mừng ở khắp các thành phố lớn</li></ul><div class='wp-caption alignnone'>"
        "<img src='/lead.jpg'><p class='wp-caption-text'>Torres ghi bàn. © FIFA</p></div>"
        f"<div class='cuerpo'>{text}</div></div></body></html>"
    )
    record = processed(html, "https://bao.example/tin-1.html")
    assert isinstance(record, ArticleRecord), record
    assert [(i.url, i.caption, i.credit) for i in record.images][:1] == [
        ("https://bao.example/lead.jpg", "Torres ghi bàn.", "FIFA")
    ]


def test_an_amp_ad_slot_and_its_fallback_label_are_no_body_text() -> None:
    ad = "<amp-ad width='300' height='250' type='doubleclick'><div fallback>Publicidad</div></amp-ad>"
    html = page(f"<article><h1>Một bài viết mẫu</h1>{para(1)}{ad}{para(2)}{para(3)}</article>")
    body = text(html)
    assert "Publicidad" not in body and "Đoạn 3" in body


def test_a_header_left_open_around_the_whole_page_is_not_dropped_with_it() -> None:
    """Broken markup (an unclosed `<header>`) can hold the whole page: dropping it as chrome
    left "no block of article text" on pages with a clear article."""
    text = "".join(
        f"<p>Đoạn văn thứ {n} của bài viết, đủ dài để là một bài báo về thành phố.</p>"
        for n in range(8)
    )
    for wrapper in ("header",):
        html = (
            f"<html><head><title>Tin mới về thành phố</title></head><body><{wrapper}>"
            f"<div class='logo'>Cổng</div><h1>Tin mới về thành phố</h1>{text}</body></html>"
        )
        record = processed(html, "https://bao.example/tin-2.html")
        assert isinstance(record, ArticleRecord), (wrapper, record)
        assert "thứ 0" in record.body_text and "thứ 7" in record.body_text


def test_an_author_box_after_the_article_is_no_body_text() -> None:
    box = (
        "<div class='author-box-wrap'><img src='/avatar/jm.jpg' alt=''><div class='desc'>"
        "<a href='/author/jm'>Jordan Morris</a><p>Jordan Morris viết về y tế công cộng, bệnh viện "
        "và sở y tế của tỉnh cho tờ báo từ năm 2019, sau nhiều năm làm phóng viên địa phương.</p>"
        "</div></div>"
    )
    html = page(
        f"<div class='post'><h1>Một bài viết mẫu</h1><div class='text'>{BODY}</div>{box}</div>"
    )
    body = text(html)
    assert "Đoạn 4" in body and "y tế công cộng" not in body


def test_a_box_of_one_teaser_under_a_related_label_in_the_article_is_dropped() -> None:
    box = (
        "<div class='encadre'><span class='label'>Đọc thêm</span><a href='/bai-khac-1.html'>"
        "Bài khác số 1 rất hấp dẫn</a><p>Một đoạn giới thiệu bài khác, dài như một câu văn, có "
        "dấu phẩy, nhưng là của bài khác.</p></div>"
    )
    html = page(
        f"<article><h1>Một bài viết mẫu</h1>{para(1)}{para(2)}{box}{para(3)}{para(4)}</article>"
    )
    body = text(html)
    assert "Đoạn 4" in body and "Đoạn 3" in body and "bài khác" not in body
