"""No record string holds a lone surrogate (UTF-8 files cannot), wherever the page put one."""

from __future__ import annotations

import json

from portal_scraper.extract import GENERIC, extract
from portal_scraper.normalize.text import clean_text, replace_surrogates
from portal_scraper.record.build import to_record
from portal_scraper.record.schema import validate_record

URL = "https://news.example.vn/tin-tuc/bai-viet-mau-12345.html"
PARAGRAPHS = "".join(
    f"<p>Đoạn văn số {i} của bài viết, có đủ chữ để được tính là nội dung chính của trang, "
    f"gồm nhiều ý, nhiều dấu phẩy, và kết thúc bằng dấu chấm.</p>"
    for i in range(1, 5)
)


def page_with_json_ld(article: dict[str, object]) -> bytes:
    # json.dumps writes a lone surrogate as the escape "\ud83d", as a careless CMS does.
    ld = json.dumps({"@type": "NewsArticle", **article}, ensure_ascii=True)
    return (
        "<html lang='vi'><head><title>Trang tin</title>"
        f"<script type='application/ld+json'>{ld}</script></head><body>"
        f"<div class='content'>{PARAGRAPHS}</div></body></html>"
    ).encode()


def record_of(body: bytes) -> dict:
    raw = extract(URL, body, {"Content-Type": "text/html; charset=utf-8"}, GENERIC)
    return to_record(raw, url=URL, fetched_at="2026-11-20T08:00:00Z", profile=GENERIC).to_dict()


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def test_json_ld_lone_surrogates_are_replaced_in_the_record() -> None:
    body = page_with_json_ld(
        {
            "headline": "Tin \ud83d mới về thành phố Bến Tre",
            "description": "Mô tả \ud83d ngắn",
            "author": {"name": "Phương \udc00Thảo"},
            "articleSection": "Xã hội \ud83d",
        }
    )
    record = record_of(body)
    assert record["title"] == "Tin \ufffd mới về thành phố Bến Tre"
    assert "\ufffd" in " ".join(strings(record))
    for text in strings(record):
        text.encode("utf-8")  # raises on any surrogate left
    json.dumps(record, ensure_ascii=False).encode("utf-8")
    assert validate_record(record) == []


EMPTY_PORTAL = {
    "name": None, "agency": None, "address": None, "editor_in_chief": None,
    "editor_in_chief_title": None, "phones": [], "faxes": [], "emails": [],
    "submission_emails": [], "fields": {},
}  # fmt: skip


def test_fields_passed_through_uncleaned_are_scrubbed_too() -> None:
    raw = extract(URL, page_with_json_ld({"headline": "Tin mới về thành phố Bến Tre"}))
    raw.source_id = "12\ud83d"
    raw.portal = {**EMPTY_PORTAL, "name": "Cổng \ud83d", "fields": {"Giấy phép": "số \udfff"},
                  "phones": ["\ud800"]}  # fmt: skip
    record = to_record(raw, url=URL, fetched_at="2026-11-20T08:00:00Z", profile=GENERIC).to_dict()
    assert record["source_id"] == "12\ufffd"
    assert record["portal"]["name"] == "Cổng \ufffd"
    assert record["portal"]["fields"] == {"Giấy phép": "số \ufffd"}
    assert record["portal"]["phones"] == ["\ufffd"]


def test_replace_surrogates_joins_pairs_and_replaces_lone_ones() -> None:
    assert replace_surrogates("a\ud83d\ude00b") == "a😀b"
    assert replace_surrogates("\ude00\ud83d") == "\ufffd\ufffd"
    assert replace_surrogates("x\ud83d") == "x\ufffd"
    assert replace_surrogates("plain ascii") == "plain ascii"
    assert clean_text(" Tin \ud83d  mới ") == "Tin \ufffd mới"


def test_a_lone_surrogate_in_a_json_ld_article_body_is_no_reject() -> None:
    """A page rendered by scripts: its text is only in JSON-LD, with a bad escape in it."""
    ld = json.dumps(
        {"@type": "NewsArticle", "headline": "Tin mới", "articleBody": PARAGRAPHS + "x \ud800 y"},
        ensure_ascii=True,
    )
    body = (
        "<html lang='vi'><head><title>Tin mới</title>"
        f"<script type='application/ld+json'>{ld}</script></head><body><h1>Tin mới</h1>"
        "</body></html>"
    ).encode()
    record = record_of(body)
    assert "x \ufffd y" in record["body_text"]
    assert validate_record(record) == []
