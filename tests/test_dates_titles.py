"""Titles, structured data and dates in the generic profile, each class on a small page."""

from __future__ import annotations

import pytest

from portal_scraper.normalize.dates import date_text, parse_datetime, parse_offset
from tests.support.records import extracted

URL = "https://news.example.com/world/a-story-about-things-12345.html"
TEXT = "".join(
    f"<p>Paragraph {i} of the story has enough words to count as the article's own text, "
    f"with several clauses, commas, and a full stop at the end.</p>"
    for i in range(1, 5)
)


def record(html: str, url: str = URL) -> dict:
    return extracted(html, url)


def page(head: str = "", top: str = "", h1: str = "<h1>Rivers rise after storm</h1>",
         before: str = "", title: str = "Rivers rise after storm | Example News") -> str:  # fmt: skip
    return (
        f"<html lang='en'><head><title>{title}</title>{head}</head><body>{top}"
        f"<article>{h1}{before}<div class='content'>{TEXT}</div></article></body></html>"
    )


# Titles


@pytest.mark.parametrize(
    "kicker",
    ["<span class='kicker'>Energy</span>", "<a class='cat' href='/sport'>Olympia</a>",
     "<div class='surtitre'>Entretien</div>"],
)  # fmt: skip
def test_the_label_above_the_headline_is_no_body_text(kicker: str) -> None:
    html = page(h1=f"{kicker}<h1>Rivers rise after storm</h1>")
    got = record(html)
    assert got["title"] == "Rivers rise after storm"
    assert got["body_text"].startswith("Paragraph 1 of the story")


def test_a_portal_title_gives_way_to_the_element_the_url_slug_spells() -> None:
    # A government portal: <title> is its own name, the headline a `div`, no <h1>, no og.
    html = (
        "<html lang='vi'><head><title>Cổng thông tin điện tử huyện Châu Thành</title></head><body>"
        "<div class='box'><div class='box-title'>DANH MỤC TIN TỨC</div></div>"
        "<div class='news-title'>Xã Tân Phú ra mắt Tổ công nghệ số cộng đồng</div>"
        f"<div class='content'>{TEXT}</div></body></html>"
    )
    url = "https://chauthanh.example.gov.vn/tin-tuc/xa-tan-phu-ra-mat-to-cong-nghe-so.html"
    assert record(html, url)["title"] == "Xã Tân Phú ra mắt Tổ công nghệ số cộng đồng"
    # A URL of no words names nothing: the <title> stays.
    other = record(html, "https://chauthanh.example.gov.vn/tin-tuc/12345.html")
    assert other["title"] == "Cổng thông tin điện tử huyện Châu Thành"


def test_site_name_h1_in_the_logo_is_not_the_headline() -> None:
    top = "<div class='logo'><h1>Example News</h1></div>"
    assert record(page(top=top))["title"] == "Rivers rise after storm"


def test_site_name_h1_is_not_the_headline_even_without_a_logo_class() -> None:
    head = "<meta property='og:title' content='Rivers rise after storm'>" + (
        "<meta property='og:site_name' content='Example News'>"
    )
    got = record(page(head=head, top="<header><h1>Example News</h1></header>", h1="<h2>x</h2>"))
    assert got["title"] == "Rivers rise after storm"


def test_lone_unconfirmed_h1_loses_to_the_title_tag() -> None:
    top = "<div class='sidebar widget'><h1>About this site</h1><p>We write news.</p></div>"
    got = record(page(top=top, h1=""))
    assert got["title"] == "Rivers rise after storm"


def test_kicker_label_is_not_glued_into_the_headline() -> None:
    h1 = "<h1><span class='kicker'>Exclusive</span> Rivers rise after storm</h1>"
    assert record(page(h1=h1))["title"] == "Rivers rise after storm"
    h1 = "<h1><a href='/world'>Section</a>Rivers rise after storm</h1>"
    assert record(page(h1=h1))["title"] == "Rivers rise after storm"


def test_entities_in_json_ld_headline_are_unescaped() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "headline": "Rivers &amp;quot;rise&amp;quot; &#39;again&#39;"}</script>'
    )
    got = record(page(head=head, h1="", title="Example News"))
    assert got["title"] == "Rivers \"rise\" 'again'"


# Structured data

LENIENT_JSON_LD = [
    '<![CDATA[{"@type": "NewsArticle", "datePublished": "2021-04-05T10:00:00Z"}]]>',
    '{"@type": "NewsArticle", /* c */ "datePublished": "2021-04-05T10:00:00Z",}',
    '{"@type": "Organization", "name": "X"}\n{"@type": "NewsArticle",'
    ' "datePublished": "2021-04-05T10:00:00Z"}',
    '{"@graph": [{"@type": "WebSite"}, {"@type": "HowTo", "datePublished": "2021-04-05T10:00:00Z",'
    ' "dateModified": "2022-01-01"},]}',
    '{"@type": "Question", "dateCreated": "2021-04-05T10:00:00Z"}',
]


@pytest.mark.parametrize("json_ld", LENIENT_JSON_LD)
def test_json_ld_is_read_leniently(json_ld: str) -> None:
    head = f'<script type="application/ld+json">{json_ld}</script>'
    assert record(page(head=head))["published_at"] == "2021-04-05T10:00:00Z"


@pytest.mark.parametrize(
    "markup",
    [
        "<span property='schema:dateCreated' content='2021-04-05T10:00:00Z'>5 April</span>",
        "<span itemprop='datePublished'>2021-04-05T10:00:00Z</span>",
    ],
)
def test_rdfa_and_microdata_dates(markup: str) -> None:
    assert record(page(before=markup))["published_at"] == "2021-04-05T10:00:00Z"


# Dates


def test_utc_stamp_is_written_in_the_page_local_time() -> None:
    head = "<meta property='article:published_time' content='2020-07-02T20:30:00Z'>"
    got = record(page(head=head, before="<p class='date'>03/07/2020 03:30</p>"))
    assert got["published_at"] == "2020-07-03T03:30:00+07:00"


def test_sidebar_time_loses_to_the_article_time() -> None:
    top = "<aside class='sidebar'><time datetime='2019-01-01T08:00:00Z'>Jan 1</time></aside>"
    before = "<time datetime='2020-02-02T09:00:00Z'>Feb 2</time>"
    assert record(page(top=top, before=before))["published_at"] == "2020-02-02T09:00:00Z"


@pytest.mark.parametrize(
    "line",
    ["Last edited: 03/04/2021", "Retrieved 03/04/2021", "Claim date: 03/04/2021",
     "Current time: 03/04/2021 10:00"],
)  # fmt: skip
def test_edit_retrieval_claim_and_clock_dates_are_not_published(line: str) -> None:
    got = record(page(before=f"<div class='date'>{line}</div>"))
    assert got["published_at"] is None


def test_malformed_datetime_attribute_is_refused() -> None:
    before = "<time datetime='{{ date }}'>x</time><time datetime='0001-01-01'>y</time>"
    assert record(page(before=before))["published_at"] is None


def test_date_line_just_above_the_headline() -> None:
    html = page().replace("<h1>", "<p>12 March 2020</p><h1>")
    assert record(html)["published_at"] == "2020-03-12T00:00:00Z"


def test_day_agreed_by_the_page_settles_json_ld_against_meta() -> None:
    head = (
        "<meta property='article:published_time' content='2020-05-06T10:00:00Z'>"
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2019-01-01T00:00:00Z"}</script>'
    )
    got = record(page(head=head, before="<time datetime='2020-05-06T10:00:00Z'>6 May</time>"))
    assert got["published_at"] == "2020-05-06T10:00:00Z"


def test_date_only_json_ld_takes_the_time_of_the_same_day_and_a_script_second() -> None:
    head = (
        "<meta name='pubdate' content='2026-07-20 06:03 + 07:00'>"
        '<script type="application/ld+json">{"@type": "PodcastEpisode",'
        ' "datePublished": "2026-07-20"}</script>'
        "<script>dataLayer.push({'articlePublishDate':'20260720060313'});</script>"
    )
    assert record(page(head=head))["published_at"] == "2026-07-20T06:03:13+07:00"


def test_raw_date_leaves_out_the_author_name() -> None:
    got = record(page(before="<p class='meta'>By Jane Roe | 20-07-2026 - 00:15 AM | World</p>"))
    assert got["published_at_raw"] == "20-07-2026 - 00:15 AM"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020年07月03日", "2020-07-03T00:00:00Z"),
        ("2020年7月3日 10:30", "2020-07-03T10:30:00Z"),
        ("2020/07/13 01:10", "2020-07-13T01:10:00Z"),
        ("2026-07-20 06:03 + 07:00", "2026-07-20T06:03:00+07:00"),
        ("5 de octubre de 2023", "2023-10-05T00:00:00Z"),
        ("5 ottobre 2023, 10:30", "2023-10-05T10:30:00Z"),
        ("12 de março de 2024", "2024-03-12T00:00:00Z"),
        ("3 mei 2022", "2022-05-03T00:00:00Z"),
    ],
)
def test_cjk_and_year_first_formats(text: str, expected: str) -> None:
    found = parse_datetime(text, parse_offset("Z"))
    assert found is not None
    assert found.rfc3339() == expected
    assert date_text(f"Posted {text} by X", parse_offset("Z")) == text


def test_lead_without_the_newspaper_code() -> None:
    lead = (
        "<p class='sapo'>TPO - The board approved an independent audit of its diamonds today.</p>"
    )
    got = record(page(before=lead))
    assert got["summary"] == "The board approved an independent audit of its diamonds today."


def test_utc_stamp_takes_the_offset_of_a_local_time_element() -> None:
    # The page's <time> writes the same instant on its local clock, without an offset.
    head = "<meta property='article:published_time' content='2023-11-09T05:30:59+00:00'>"
    before = "<time datetime='2023-11-08 23:30:59'>November 8, 2023 at 11:30 p.m.</time>"
    got = record(page(head=head, before=before))
    assert got["published_at"] == "2023-11-08T23:30:59-06:00"


def test_utc_stamp_on_a_country_domain_is_shown_in_its_time_zone() -> None:
    head = "<meta property='article:published_time' content='2021-11-04T23:00Z'>"
    got = record(page(head=head), url="https://www.example.de/artikel/ein-bericht-12345.html")
    assert got["published_at"] == "2021-11-05T00:00:00+01:00"  # CET; CEST in summer


def test_utc_stamp_stays_utc_where_the_page_shows_the_utc_day() -> None:
    head = "<meta property='article:published_time' content='2019-12-26T23:07:45+00:00'>"
    before = "<time datetime='2019-12-26T23:07:45+00:00'>26/12/2019</time>"
    got = record(page(head=head, before=before), url="https://www.example.ch/?p=5031")
    assert got["published_at"] == "2019-12-26T23:07:45Z"


def test_utc_stamp_of_the_shown_day_is_given_in_local_time() -> None:
    # The page shows the day the UTC stamp and its local time share: the local time is exact.
    head = "<meta property='article:published_time' content='2024-03-05T10:30:00+00:00'>"
    before = "<time datetime='2024-03-05T10:30:00+00:00'>5 March 2024</time>"
    got = record(page(head=head, before=before), url="https://www.example.ch/?p=5031")
    assert got["published_at"] == "2024-03-05T11:30:00+01:00"


def test_utc_stamp_on_a_vietnamese_page_is_in_vietnam_time_on_any_domain() -> None:
    head = "<meta property='article:published_time' content='2024-03-05T10:30:00+00:00'>"
    html = page(head=head).replace("lang='en'", "lang='vi'")
    assert record(html)["published_at"] == "2024-03-05T17:30:00+07:00"


def test_utc_stamp_takes_the_offset_of_a_time_element_writing_the_same_instant() -> None:
    head = "<meta property='article:published_time' content='2023-11-14T23:45:00Z'>"
    before = "<time datetime='2023-11-14T17:45:00-06:00'>14 de noviembre de 2023</time>"
    got = record(page(head=head, before=before))
    assert got["published_at"] == "2023-11-14T17:45:00-06:00"


def test_a_gmt_stamp_is_utc_too() -> None:
    head = """<script type="application/ld+json">{"@type": "NewsArticle",
        "datePublished": "Wed, 04 May 2022 00:25:56 GMT"}</script>"""
    got = record(page(head=head), url="https://www.example.com.ar/politica/una-nota-1234.html")
    assert got["published_at"] == "2022-05-03T21:25:56-03:00"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Veröffentlicht am 24.10.2023 - 18:42", "2023-10-24T18:42:00+02:00"),  # summer time
        ("Veröffentlicht am 14.11.2023 - 18:42", "2023-11-14T18:42:00+01:00"),
    ],
)
def test_a_time_written_without_offset_is_in_the_zone_of_the_country_domain(
    line: str, expected: str
) -> None:
    # Not UTC: the clock a German page shows is Germany's, summer time on its own day.
    got = record(page(before=f"<p class='date'>{line}</p>"), url="https://www.example.de/a-12345")
    assert got["published_at"] == expected


def test_a_time_written_without_offset_on_a_page_of_no_country_stays_utc() -> None:
    got = record(page(before="<p class='date'>24.10.2023 - 18:42</p>"))
    assert got["published_at"] == "2023-10-24T18:42:00Z"


def test_an_entry_date_marked_updated_too_is_the_publication_date() -> None:
    # hAtom asks themes to mark the post's date "updated": with "entry-date" it is the
    # publication's; a list of other posts below has its own times.
    before = "<time class='entry-date updated' datetime='2024-03-05T10:30:00Z'>5 March 2024</time>"
    after = "<ul class='popular'><li><time datetime='2024-03-04'>4 March</time></li></ul>"
    got = record(page(before=before).replace("</article>", f"</article>{after}"))
    assert got["published_at"] == "2024-03-05T10:30:00Z"


def test_a_site_name_h1_linking_home_gives_way_to_the_entry_title() -> None:
    # A blog theme: the blog's name is the page's <h1> (a link home), the post's headline an
    # <h3> the <title> confirms.
    top = "<div class='header'><h1 class='title'><a href='/'>Eastside Neighbors Blog</a></h1></div>"
    h1 = "<h3 class='post-title entry-title'>Bakery to close after fourteen years</h3>"
    title = "Bakery to close after fourteen years | Eastside Neighbors Blog"
    assert record(page(top=top, h1=h1, title=title))["title"] == (
        "Bakery to close after fourteen years"
    )


def test_a_headline_in_an_h2_keeps_its_dash() -> None:
    # The <title> writes the office and the headline; the headline itself holds " - ".
    h1 = "<h2 class='news_title'>Tuyển sinh lớp 10 năm học 2024 - 2025</h2>"
    title = "Sở Giáo dục và Đào tạo - Tuyển sinh lớp 10 năm học 2024 - 2025"
    assert record(page(h1=h1, title=title))["title"] == "Tuyển sinh lớp 10 năm học 2024 - 2025"


def test_lead_without_its_label() -> None:
    lead = "<div class='news-summary'><b>Tóm tắt:</b> Ngày 25/9, xã Tân Phú ra mắt tổ công nghệ số.</div>"
    got = record(page(before=lead))
    assert got["summary"] == "Ngày 25/9, xã Tân Phú ra mắt tổ công nghệ số."


def test_the_og_headline_is_found_on_the_page_and_kept_out_of_the_body() -> None:
    # The <h1> is the blog's name; og:title gives the headline, which an <h2> shows: that
    # heading is the headline's element (not body text; the body is read from beside it).
    top = "<div class='header'><h1><a href='https://blog.example.com/'>Gnaur</a></h1></div>"
    h1 = "<h2 class='posttitle'><a href='/2013/06/14/a-post/'>Rivers rise after storm</a></h2>"
    head = "<meta property='og:title' content='Rivers rise after storm'>"
    got = record(page(head=head, top=top, h1=h1))
    assert got["title"] == "Rivers rise after storm"
    assert "Rivers rise" not in got["body_text"]
