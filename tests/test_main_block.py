"""Choosing the article's main block, each class on a small hand-written page."""

from __future__ import annotations

import pytest

from portal_scraper.extract import GENERIC, NotAnArticle, extract, parse_html
from tests.test_body_boundaries import BODY, URL, page, para, text

TITLE = "<h1>Một bài viết mẫu</h1>"


def test_a_header_left_open_around_the_article_is_not_dropped_as_a_banner() -> None:
    # Broken markup: two <header> elements never closed, the article and footer inside them;
    # the outer one holds the whole page, the inner one the headline and the article.
    menu = "".join(f"<li><a href='/muc-{i}'>Chuyên mục số {i} của báo</a></li>" for i in range(30))
    html = page(
        f"<header class='site'><nav><ul>{menu}</ul></nav><header class='site'>"
        f"<div class='node'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 5))}"
        "</div></div><section id='end'><p>Liên hệ quảng cáo, đường dây nóng, địa chỉ tòa soạn, "
        "giấy phép, ban biên tập.</p></section>"
    )
    body = text(html)
    assert body.startswith("Đoạn 1 của bài viết") and "Đoạn 4 của bài viết" in body


def test_a_list_of_teasers_does_not_outscore_the_article() -> None:
    teasers = "".join(
        f"<li><a href='/tin-khac-{i}.html'>Tin khác số {i}, một tiêu đề dài của bài khác</a>"
        f"<p>Tóm tắt {i}: một câu giới thiệu bài viết khác trên trang, với vài chi tiết.</p></li>"
        for i in range(10)
    )
    html = page(
        f"<div class='main'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 4))}"
        f"</div></div><div class='list'><ul>{teasers}</ul></div>"
    )
    body = text(html)
    assert body.startswith("Đoạn 1 của bài viết") and "Tin khác" not in body


def test_an_article_in_sections_under_its_headline_keeps_every_section() -> None:
    def section(heading: str, numbers: range) -> str:
        paragraphs = "".join(para(i) for i in numbers)
        return f"<div class='part'><h2>{heading}</h2><div class='text'>{paragraphs}</div></div>"

    html = page(
        f"<div class='content'>{TITLE}{section('Phần một', range(1, 3))}"
        f"{section('Phần hai', range(3, 8))}{section('Phần ba', range(8, 9))}</div>"
        f"<div class='links'><a href='/a-1.html'>Một liên kết khác ở cuối trang</a></div>"
    )
    body = text(html)
    assert body.startswith("Phần một") and "Đoạn 1 của bài viết" in body
    assert "Đoạn 8 của bài viết" in body and "Một liên kết khác" not in body


def test_a_section_after_the_article_built_otherwise_is_not_kept() -> None:
    # The press contact block after the article holds prose, but is not one of its sections.
    html = page(
        f"<div class='content'>{TITLE}<div class='part'>{''.join(para(i) for i in range(1, 5))}"
        "</div><aside-like class='contact'><p>Liên hệ báo chí: văn phòng đại diện, số điện "
        "thoại, địa chỉ thư điện tử, giờ làm việc, người phụ trách.</p></aside-like></div>",
    )
    assert "Liên hệ báo chí" not in text(html, URL)


def _cards(n: int) -> str:
    return "".join(
        f"<div class='card'><a href='/bai-khac-{i}.html'>Bài khác số {i} về một chủ đề</a>"
        f"<p>Tóm tắt bài khác số {i}, đủ dài để trông như một đoạn văn, với vài chi tiết, "
        "vài dấu phẩy, và một dấu chấm ở cuối câu.</p></div>"
        for i in range(n)
    )


def test_a_related_heading_late_in_the_body_ends_the_article() -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 6))}"
        f"<h3>Đọc thêm</h3>{_cards(2)}</div></div>"
    )
    body = text(html)
    assert body.endswith("dấu chấm rõ ràng.") and "Bài khác" not in body


def test_an_inline_read_also_box_does_not_end_the_article() -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 5))}"
        "<div class='box'><h3>Lesen Sie auch</h3><a href='/x-1.html'>Ein anderer Artikel</a></div>"
        f"{para(5)}{para(6)}</div></div>"
    )
    assert "Đoạn 6 của bài viết" in text(html)


def test_an_article_kept_in_noscript_by_a_script_built_page_is_read() -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='post' id='app'></div>"
        f"<noscript><div class='post'>{''.join(para(i) for i in range(1, 5))}</div></noscript>"
        "</div><noscript><img src='/pixel.gif'></noscript>"
    )
    body = text(html)
    assert body.startswith("Đoạn 1 của bài viết") and "Đoạn 4 của bài viết" in body


def test_an_article_named_for_the_share_buttons_inside_it_is_not_chrome() -> None:
    # Two blocks named "share", each under the share of the page that keeps any region.
    blocks = "".join(
        f"<div class='entry share'>{para(2 * i + 1)}{para(2 * i + 2)}{para(2 * i + 7)}"
        "<a href='https://facebook.com/share'>Chia sẻ</a></div>"
        for i in range(3)
    )
    html = page(
        f"<div class='main'>{TITLE}{blocks}</div>"
        "<div class='comments'><p>Một bình luận dài của bạn đọc về bài viết này, có dấu phẩy, "
        "có nhiều ý, và có dấu chấm.</p></div>"
    )
    body = text(html)
    assert body.startswith("Đoạn 1 của bài viết") and "bình luận" not in body


def test_a_closing_sentence_that_starts_like_a_related_heading_stays() -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 5))}"
        "<p>Xem thêm tại trang liên hệ hoặc in trang.</p></div></div>"
    )
    assert text(html).endswith("Xem thêm tại trang liên hệ hoặc in trang.")


def test_a_bem_named_article_body_in_a_sidebar_grid_layout_is_kept() -> None:
    parts = "".join(
        f"<div class='sidebar-grid__container'><div class='sidebar-grid__content article__content'>"
        f"{para(2 * i + 1)}{para(2 * i + 2)}</div></div>"
        for i in range(3)
    )
    body = text(page(f"<div class='main'>{TITLE}{parts}</div>"))
    assert body.startswith("Đoạn 1 của bài viết") and "Đoạn 6 của bài viết" in body


def test_an_aside_holding_most_of_the_pages_prose_is_the_article() -> None:
    html = page(
        f"<div class='top'>{TITLE}</div><aside class='col-md-8 secondary'>"
        f"{''.join(para(i) for i in range(1, 6))}</aside>"
        f"<aside class='sidebar'>{para(9, 'mục khác')}</aside>"
    )
    body = text(html)
    assert body.startswith("Đoạn 1 của bài viết") and "mục khác" not in body


def _lead_page(lead_block: str, after: str = "") -> str:
    return page(
        f"<div class='main'>{TITLE}{lead_block}<div class='text'>"
        f"{''.join(para(i) for i in range(1, 5))}</div>{after}</div>"
    )


LEAD = "Tóm tắt của bài viết mẫu, một câu đủ dài để làm phần mở đầu của bài."


def test_the_lead_right_after_the_headline_is_the_summary() -> None:
    raw = GENERIC.extract(URL, parse_html(_lead_page(f"<p class='sapo'>{LEAD}</p>")))
    assert raw.summary == LEAD and "Tóm tắt" not in (raw.body_text or "")


def test_a_lead_named_box_after_the_body_is_no_summary() -> None:
    bio = "<div class='author-description'>Tác giả là phóng viên lâu năm, chuyên viết về xã hội.</div>"
    teaser = (
        "<div class='teaser'><a href='/bai-khac-1.html'>Một bài khác về chủ đề này, "
        "với tiêu đề dài</a></div>"
    )
    raw = GENERIC.extract(URL, parse_html(_lead_page("", after=bio + teaser)))
    assert raw.summary is None


def test_a_lead_in_a_sidebar_named_article_column_is_the_summary() -> None:
    html = page(
        f"<div class='sidebar-1'>{TITLE}<p class='description'>{LEAD}</p>"
        f"<div class='text'>{''.join(para(i) for i in range(1, 5))}</div></div>"
    )
    assert GENERIC.extract(URL, parse_html(html)).summary == LEAD


def test_a_lead_named_in_another_newsroom_language_is_the_summary() -> None:
    raw = GENERIC.extract(URL, parse_html(_lead_page(f"<div class='dig-vorspann'>{LEAD}</div>")))
    assert raw.summary == LEAD


def test_a_lead_with_a_bem_name_is_the_summary() -> None:
    # "post__lead": the word after "__" is still the word.
    raw = GENERIC.extract(
        URL, parse_html(_lead_page(f"<div class='Post__lead'><h2>{LEAD}</h2></div>"))
    )
    assert raw.summary == LEAD and "Tóm tắt" not in (raw.body_text or "")


def test_a_dangling_related_heading_at_the_end_is_dropped() -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 5))}"
        "<h3>Das könnte Sie auch interessieren</h3></div></div>"
    )
    assert text(html).endswith("dấu chấm rõ ràng.")


def test_the_authors_bio_after_the_article_is_cut() -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 5))}"
        "<h4>Über den Autor</h4><p>Max Muster schreibt seit zwanzig Jahren über Landwirtschaft, "
        "Energie und das Leben auf dem Land.</p></div></div>"
    )
    body = text(html)
    assert body.endswith("dấu chấm rõ ràng.") and "Max Muster" not in body


def test_a_page_root_section_is_no_pager() -> None:
    # Three sections, each under the share of the page that would keep a chrome-named region.
    sections = "".join(
        f"<section class='APageRoot__SectionWrapper'>{para(2 * i + 1)}{para(2 * i + 2)}</section>"
        for i in range(3)
    )
    body = text(page(f"<div class='APageRoot__Wrapper'>{TITLE}{sections}</div>"))
    assert body.startswith("Đoạn 1 của bài viết") and "Đoạn 6 của bài viết" in body


def test_article_blocks_each_in_a_wrapper_are_joined() -> None:
    blocks = "".join(
        f"<div class='ce'><div class='c_element'>{para(2 * i + 1)}{para(2 * i + 2)}</div></div>"
        for i in range(3)
    )
    html = page(f"<div class='col'><h2>Một bài viết mẫu</h2>{blocks}</div>"
                "<div class='side'><a href='/x-1.html'>Một tin khác ở bên cạnh</a></div>")  # fmt: skip
    body = text(html)
    assert "Đoạn 1 của bài viết" in body and "Đoạn 6 của bài viết" in body


def test_a_reading_time_line_is_no_body_text() -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='text'><p>11 minut czytania</p>"
        f"{''.join(para(i) for i in range(1, 5))}</div></div>"
    )
    assert text(html).startswith("Đoạn 1 của bài viết")


@pytest.mark.parametrize(
    "line",
    [
        "<div class='topics'><span>Themen:</span> <span>Ehrenamt</span> <span>Jugend</span></div>",
        "<div class='meta'>Kategorie: <a href='/k/news'>News</a>, <a href='/k/o'>open3</a></div>",
        "<p>Tags: Eigentum, Facebook, Open Source</p>",
        "<a class='button' href='/presse'>Zurück zu allen Meldungen</a>",
        "<a href='/liste'>back to the list</a>",
    ],
)
def test_taxonomy_lines_and_links_back_to_the_list_are_no_body_text(line: str) -> None:
    html = page(
        f"<article class='news'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 5))}"
        f"</div>{line}</article>"
    )
    body = text(html)
    assert body.endswith("một dấu chấm rõ ràng.") and "Đoạn 4 của bài viết" in body


def test_a_link_back_inside_a_sentence_stays() -> None:
    sentence = (
        "<p>Wer mehr wissen will, kann jederzeit <a href='/liste'>zurück zur Übersicht</a> gehen "
        "und dort weitere Berichte, Bilder und Termine der Saison finden, wie immer kostenlos.</p>"
    )
    html = page(
        f"<article class='news'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 4))}"
        f"{sentence}</div></article>"
    )
    assert "jederzeit zurück zur Übersicht gehen" in text(html)


def test_the_paragraph_after_the_headline_in_the_articles_header_is_the_lead() -> None:
    html = page(
        f"<article><header>{TITLE}<p>{LEAD}</p></header><div class='text'>"
        f"{''.join(para(i) for i in range(1, 5))}</div></article>"
    )
    raw = GENERIC.extract(URL, parse_html(html))
    assert raw.summary == LEAD and (raw.body_text or "").startswith("Đoạn 1")


def test_a_layout_table_whose_image_cell_holds_the_article_is_no_caption_table() -> None:
    html = page(
        f"<div class='main'>{TITLE}<table><tr><td><img src='/anh.jpg'>"
        f"{''.join(para(i) for i in range(1, 5))}</td></tr><tr><td>Ảnh minh họa</td></tr>"
        "</table></div>"
    )
    body = text(html)
    assert "Đoạn 1 của bài viết" in body and "Đoạn 4 của bài viết" in body


def test_a_long_block_after_the_last_paragraph_naming_a_web_address_stays() -> None:
    steps = "".join(
        f"<li>Bước {i}: làm theo hướng dẫn chi tiết trong mục này, kiểm tra kỹ kết quả</li>"
        for i in range(1, 8)
    )
    html = page(
        f"<div class='main'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 4))}"
        f"</div><ul>{steps}<li>Tham khảo thêm tại https://vi.example.org/huong-dan</li></ul></div>"
    )
    assert "Bước 7" in text(html)


@pytest.mark.parametrize("credit", ["Foto: dpa", "Photograph by Jane Doe", "Augusta National/Getty Images", "Image: Phando Jikelo/Independent Newspapers"])  # fmt: skip
def test_a_credit_line_in_the_body_is_no_body_text(credit: str) -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='text'>{para(1)}<p>{credit}</p>"
        f"{''.join(para(i) for i in range(2, 5))}</div></div>"
    )
    assert credit not in text(html)


@pytest.mark.parametrize("line", ["weiterlesen", "Lire la suite", "Externer Inhalt"])
def test_read_more_and_embed_placeholder_lines_are_no_body_text(line: str) -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='text'>{para(1)}<p>{line}</p>"
        f"{''.join(para(i) for i in range(2, 5))}</div></div>"
    )
    assert line not in text(html)


def test_an_exclaiming_related_heading_with_teasers_after_it_ends_the_article() -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='text'>{''.join(para(i) for i in range(1, 6))}"
        f"<h3>Das könnte Sie auch interessieren!</h3>{_cards(2)}</div></div>"
    )
    body = text(html)
    assert body.endswith("dấu chấm rõ ràng.") and "Bài khác" not in body


def test_the_authors_bio_closing_the_body_is_dropped() -> None:
    html = page(
        f"<div class='main'>{TITLE}<div class='byline'>Tác giả: Nguyễn Văn An</div>"
        f"<div class='text'>{''.join(para(i) for i in range(1, 5))}"
        "<p>Nguyễn Văn An là phóng viên mảng kinh tế, viết cho báo từ năm 2010.</p></div></div>"
    )
    raw = GENERIC.extract(URL, parse_html(html))
    assert raw.authors == ["Nguyễn Văn An"] and "phóng viên mảng" not in (raw.body_text or "")


def _read_from_bytes(html: str) -> str:
    # The crawl's way: the page's text is at hand, and the second reading parses it again.
    return (
        extract(
            URL, html.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"}, GENERIC
        ).body_text
        or ""
    )


@pytest.mark.parametrize("read", [text, _read_from_bytes], ids=["parsed-tree", "page-bytes"])
def test_an_article_split_over_sections_named_for_their_ads_is_read(read) -> None:
    # Each section is named for the ad slot inside it, and each is a small share of the page:
    # pruned by name, the page would be "no article".
    sections = "".join(
        f"<section class='report__section report__section--ads'><h2>Phần {n}</h2>{para(n)}"
        f"<div class='ad-slot'>Quảng cáo</div></section>"
        for n in range(1, 5)
    )
    menu = "".join(f"<li><a href='/muc-{i}'>Chuyên mục {i}</a></li>" for i in range(12))
    html = page(f"<ul class='menu'>{menu}</ul><article>{TITLE}{sections}</article>")
    body = read(html)
    assert "Đoạn 1 của bài viết" in body and "Đoạn 4 của bài viết" in body


def test_an_article_in_an_aside_with_its_headline_in_a_header_is_read() -> None:
    # Two paragraphs, a fifth of the page: too little for an aside to count as the article on
    # the first reading, which drops asides.
    menu = "".join(f"<li><a href='/muc-{i}'>Chuyên mục số {i} của báo</a></li>" for i in range(40))
    html = page(
        f"<ul class='menu'>{menu}</ul><main><aside class='direct-content'><section>"
        f"<header>{TITLE}</header><div class='text'>{para(1)}{para(11)}</div></section></aside>"
        "</main>"
    )
    body = text(html)
    assert "Đoạn 1 của bài viết" in body and "Đoạn 11 của bài viết" in body


def test_a_list_of_links_with_prose_only_in_the_footer_is_still_no_article() -> None:
    links = "".join(
        f"<li><a href='/tin-{i}.html'>Tin số {i}, một tiêu đề dài</a></li>" for i in range(12)
    )
    footer = "<footer>" + "".join(para(i, "chân trang") for i in range(1, 4)) + "</footer>"
    html = page(f"<h1>Tin tức</h1><ul class='list'>{links}</ul>{footer}", title="Tin tức")
    with pytest.raises(NotAnArticle):
        text(html)


def test_an_article_continued_in_sections_named_for_their_ads_is_read_whole() -> None:
    # The first reading keeps the plainly named opening paragraphs; the sections after them,
    # each named for its ad slot and each a small share of the page, are the rest.
    sections = "".join(
        f"<section class='report__section--ads'>{para(n)}{para(n + 10)}</section>"
        for n in (3, 4, 5)
    )
    html = page(
        f"<div class='story'>{TITLE}<div class='content'>{para(1)}{para(2)}</div>{sections}</div>"
    )
    body = text(html)
    assert "Đoạn 2 của bài viết" in body and "Đoạn 15 của bài viết" in body


def test_teaser_lists_outscoring_an_article_element_without_the_headline_lose_to_it() -> None:
    # The headline sits in a <header> above the <article>; after it, a block of two card lists
    # whose blurbs hold more commas than the article.
    def cards(start: int) -> str:
        blurb = "một câu, với vài ý, vài dấu phẩy, và nhiều chi tiết, nữa, để dài hơn, cho đến hết."
        items = "".join(
            f"<li><a href='/tin-{i}.html'>Tin số {i}</a><p>Tóm tắt {i}, {blurb}</p></li>"
            for i in range(start, start + 8)
        )
        return f"<ul class='timeline'>{items}</ul>"

    html = page(
        f"<header class='article'>{TITLE}</header>"
        f"<article class='detail'><section class='content'>{BODY}</section></article>"
        f"<div>{cards(0)}{cards(8)}</div>"
    )
    body = text(html)
    assert body.startswith("Đoạn 1 của bài viết") and "Tin số" not in body


def test_a_story_told_in_short_sections_built_alike_keeps_every_section() -> None:
    # Each section's one paragraph scores too little to join on its own; built like the best
    # section and free of links, each is another part of the story.
    parts = "".join(
        f"<div class='story-section'><img src='/a{n}.jpg'><div class='story-text'>"
        f"<p>Phần {n}: căn phòng thứ {n}, với cây xanh và đồ cũ, kể lại.</p></div></div>"
        for n in range(1, 6)
    )
    html = page(
        f"<main><div class='story-head'>{TITLE}</div><div class='story'>{parts}</div></main>"
    )
    body = text(html)
    assert "Phần 1: căn phòng" in body and "Phần 5: căn phòng" in body


def test_ruby_readings_are_dropped_unless_the_page_gives_them_parentheses() -> None:
    # Furigana above the characters is no text of its own; with <rp> the page says how text
    # without ruby shows it: in parentheses after the characters.
    bare = "<p><ruby>子<rt>こ</rt></ruby>どもへの<ruby>法律<rt>ほうりつ</rt></ruby>ができて、" * 8
    kept = (
        "<p>大統領は<ruby>尹錫悦<rp>（</rp><rt>ユンソンニョル</rt><rp>）</rp></ruby>と話した、</p>"
    )
    html = page(f"<div class='story'>{TITLE}{bare}</p>{kept * 3}{BODY}</div>")
    body = text(html)
    assert "子どもへの法律ができて、" in body and "ほうりつ" not in body
    assert "尹錫悦（ユンソンニョル）と話した" in body


def test_a_menu_left_open_around_the_article_is_not_dropped_as_navigation() -> None:
    # Broken markup: a sub-menu's <nav> never closed, the article with its headline inside it;
    # a table of results before it has more lines than the article.
    menu = "".join(f"<li><a href='/muc-{i}'>Chuyên mục {i}</a></li>" for i in range(8))
    results = "".join(
        f"<tr><td>Đội {i}, thành phố {i}</td><td>{i}</td><td>:</td><td>{i + 1}</td></tr>"
        for i in range(40)
    )
    html = page(
        f"<div class='scores'><table>{results}</table></div>"
        f"<nav class='menu'><ul>{menu}<li class='sub'><div><main><article>{TITLE}"
        f"<div class='text'>{''.join(para(i) for i in range(1, 5))}</div></article></main>"
    )
    body = text(html)
    assert body.startswith("Đoạn 1 của bài viết") and "Đoạn 4 của bài viết" in body
    assert "Chuyên mục" not in body


def test_a_headline_article_apart_from_its_body_is_read_with_the_body_beside_it() -> None:
    # The <article> element holds only the headline and the lead; the body is the next block
    # in the same column, and the column beside holds links to other stories.
    lead = (
        "<p class='lead'>Một đoạn mở đầu của bài viết mẫu, tóm tắt nội dung chính trong vài câu, "
        "đủ dài để là phần mở đầu của bài, với những chi tiết chính được nêu ra trước, "
        "và một câu nữa về bối cảnh.</p><p class='meta'>Thứ hai, 2/10/2023, 08:00 (GMT+7)</p>"
    )
    others = "".join(
        f"<li><a href='/tin-khac-{i}.html'>Tin khác số {i}: một tiêu đề dài của bài khác</a></li>"
        for i in range(20)
    )
    html = page(
        f"<div class='page'><section class='col'><article class='header'>{TITLE}{lead}</article>"
        f"<div class='content'>{''.join(para(i) for i in range(1, 5))}</div></section>"
        f"<div class='others'><ul>{others}</ul></div></div>"
    )
    body = text(html)
    assert body.startswith("Đoạn 1 của bài viết") and "Đoạn 4 của bài viết" in body
    assert "Tin khác" not in body


def test_a_short_news_brief_beside_longer_teasers_is_the_article() -> None:
    # Two sentences of news, then a box of other stories, each a linked headline and a blurb
    # longer than the brief: the box scores higher, but a list of teasers is no article.
    teaser = (
        "<div class='item'><h3><a href='/tin-khac-{i}.html'>Tin khác số {i} trên trang</a></h3>"
        "<p>Tóm tắt {i}: một câu giới thiệu dài của bài khác, với nhiều chi tiết, nhiều dấu "
        "phẩy, và một kết thúc rõ ràng.</p></div>"
    )
    html = page(
        f"<div class='wrap'><div class='brief'>{TITLE}<div class='text'>"
        "<p>Một người đàn ông bị bắt sau vụ trộm tại cửa hàng vàng trên phố chính tối thứ ba.</p>"
        "<p>Người này sẽ ra tòa vào thứ năm tuần này.</p></div></div>"
        f"<section class='box'><h2>Tin cùng loại</h2>{''.join(teaser.format(i=i) for i in range(3))}"
        "</section></div>"
    )
    body = text(html)
    assert body.startswith("Một người đàn ông bị bắt") and body.endswith("thứ năm tuần này.")


def test_a_post_whose_text_is_a_list_of_linked_stories_keeps_its_list() -> None:
    # A links roundup: the post's own text is teasers of other sites' stories; the side column
    # holds prose too, but apart from the headline, so the list is not dropped as chrome.
    items = "".join(
        f"<div class='item'><h3><a href='https://noi-khac-{i}.example.org/bai-{i}'>Câu chuyện "
        f"thú vị số {i} ở nơi khác</a></h3><p>Vì sao đáng đọc: tóm tắt bài {i}, với nhiều ý, "
        "nhiều dấu phẩy, và một dấu chấm ở cuối câu.</p></div>"
        for i in range(6)
    )
    side = "<div class='side'><p>Bản tin của chúng tôi đến mỗi thứ sáu, với tóm tắt cả tuần, và hơn nữa.</p></div>"
    html = page(
        f"<div class='wrap'><header>{TITLE}</header><div class='content'>{items}</div>{side}</div>"
    )
    assert text(html).startswith("Câu chuyện thú vị số 0")


def test_a_dialog_of_policy_text_is_not_the_article() -> None:
    # A privacy policy in a `div.dialog` the page's scripts open, in one block: it outscores
    # each of the article's sections.
    policy = "".join(
        f"<p>Điều khoản {i}: chúng tôi thu thập, lưu trữ và bảo vệ thông tin của bạn, với các "
        "công cụ phân tích, theo quy định hiện hành về dữ liệu cá nhân của người dùng.</p>"
        for i in range(6)
    )
    links = "".join(
        f"<li><a href='/muc-{i}.html'>Chuyên mục số {i} của trang</a></li>" for i in range(40)
    )
    sections = "".join(f"<div class='text'>{para(i)}{para(i + 1)}</div>" for i in range(1, 9, 2))
    html = page(
        f"<div class='dialog' id='privacy'><div class='dialog__content'>{policy}</div></div>"
        f"<div class='main'>{TITLE}{sections}</div><div class='list'><ul>{links}</ul></div>"
    )
    body = text(html)
    assert body.startswith("Đoạn 1 của bài viết") and "Đoạn 8 của bài viết" in body
    assert "Điều khoản" not in body


def test_a_page_wrapper_named_for_its_dialogs_is_read() -> None:
    # Drupal wraps every page in `dialog-off-canvas-main-canvas`: no dialog itself.
    html = page(
        f"<div class='dialog-off-canvas-main-canvas'><div class='main'>{TITLE}<div class='text'>"
        f"{''.join(para(i) for i in range(1, 4))}</div></div></div>"
    )
    assert text(html).startswith("Đoạn 1 của bài viết")


@pytest.mark.parametrize("overlay", ["class='modal fade' aria-hidden='true'", "class='dialog'",
                                     "id='cookie-consent'"])  # fmt: skip
def test_a_long_policy_in_an_overlay_does_not_replace_a_short_article(overlay: str) -> None:
    # Two paragraphs of news beside a policy many times longer in a modal the page opens.
    policy = "".join(
        f"<p>Điều khoản {i}: chúng tôi thu thập, lưu trữ và bảo vệ thông tin của bạn, với các "
        "công cụ phân tích, theo quy định hiện hành về dữ liệu cá nhân của người dùng.</p>"
        for i in range(15)
    )
    html = page(
        f"<div class='news'>{TITLE}<div class='text'>{para(1)}{para(2)}</div></div>"
        f"<div {overlay}><div class='content'>{policy}</div></div>"
    )
    body = text(html)
    assert body.startswith("Đoạn 1 của bài viết") and "Điều khoản" not in body


def test_a_page_whose_only_text_is_in_an_overlay_is_read_from_it() -> None:
    notice = "".join(para(i, "thông báo") for i in range(1, 5))
    html = page(f"{TITLE}<div class='modal'><div class='text'>{notice}</div></div>")
    assert text(html).startswith("Đoạn 1 của thông báo")


def test_a_side_column_outweighing_a_short_post_is_not_the_post() -> None:
    # A three-line post; the side column's widget holds more of the page's text.
    lines = "".join(f"<p>– Câu thoại ngắn số {i} của bài.</p>" for i in range(1, 4))
    widget = (
        "<div class='widget'><h3>Giới thiệu</h3><p>Một đoạn giới thiệu về trang này, về tác giả, "
        "về những điều trang viết, với nhiều dấu phẩy, nhiều ý, và thêm nhiều chữ nữa.</p></div>"
    )
    html = page(
        f"<div class='post'>{TITLE}<div class='entry'>{lines}</div></div>"
        f"<div id='sidebar'>{widget}</div>"
    )
    body = text(html)
    assert body.startswith("– Câu thoại ngắn số 1") and "Giới thiệu" not in body
