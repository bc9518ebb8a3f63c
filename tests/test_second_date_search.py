"""When the rules find no publication date, htmldate's search may; a copyright year is no date."""

from __future__ import annotations

from portal_scraper.record.model import ArticleRecord
from tests.support.records import processed

TEXT = "".join(
    f"<p>Đoạn văn thứ {n} của bài viết, đủ dài để là một bài báo về thành phố.</p>"
    for n in range(6)
)


def record_of(head: str, body: str = "") -> ArticleRecord:
    html = (
        f"<html lang='vi'><head><title>Tin mới về thành phố</title>{head}</head><body>{body}"
        f"<article><h1>Tin mới về thành phố</h1>{TEXT}</article></body></html>"
    )
    record = processed(html, "https://portal.example/tin/abc.html")
    assert isinstance(record, ArticleRecord), record
    return record


def test_a_date_only_the_second_search_reads_is_the_publication_day() -> None:
    record = record_of("<meta name='pubdate' content='20240305'>")
    assert record.published_at == "2024-03-05T00:00:00+07:00"
    assert record.published_at_raw == "2024-03-05"


def test_a_copyright_year_alone_gives_no_date() -> None:
    record = record_of("", "<footer>© 2024 Cổng thông tin</footer>")
    assert record.published_at is None


def test_a_date_the_rules_read_keeps_its_time_and_text() -> None:
    record = record_of(
        "<meta property='article:published_time' content='2024-03-05T09:30:00+07:00'>"
    )
    assert record.published_at == "2024-03-05T09:30:00+07:00"
