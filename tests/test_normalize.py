"""Text rules, dates, captions and URL identity."""

import unicodedata

import pytest

from portal_scraper.normalize.captions import split_credit
from portal_scraper.normalize.dates import format_rfc3339, parse_datetime, parse_offset
from portal_scraper.normalize.text import clean_or_none, clean_text
from portal_scraper.normalize.urls import absolute_url, canonical_url, query_param

VN = parse_offset("+07:00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thứ 6, Ngày 10/08/2018, 15:00", "2018-08-10T15:00:00+07:00"),
        ("Chủ nhật, Ngày 5/8/2018, 9:05", "2018-08-05T09:05:00+07:00"),
        ("Thứ 2, Ngày 06/08/2018", "2018-08-06T00:00:00+07:00"),
        ("Ngày đăng: 01/02/2024 14:30", "2024-02-01T14:30:00+07:00"),
        ("01/02/2024 02:30 CH", "2024-02-01T14:30:00+07:00"),
        ("01/02/2024 12:10 SA", "2024-02-01T00:10:00+07:00"),
        ("cập nhật 3-4-2019 lúc 7h05", "2019-04-03T07:05:00+07:00"),
        ("Hà Nội, ngày 5 tháng 3 năm 2024", "2024-03-05T00:00:00+07:00"),
        ("2019-11-19T08:00:00-05:00", "2019-11-19T08:00:00-05:00"),
        ("2019-11-19T13:00:00.000Z", "2019-11-19T13:00:00Z"),
        ("2019-11-19", "2019-11-19T00:00:00+07:00"),
        ("Updated Nov. 19, 2019 8:00 am ET", "2019-11-19T08:00:00+07:00"),
        ("19. November 2019, 14:30 Uhr", "2019-11-19T14:30:00+07:00"),
        ("Publié le 3 février 2020", "2020-02-03T00:00:00+07:00"),
    ],
)
def test_vietnamese_dates_are_day_first_with_offset(text: str, expected: str) -> None:
    parsed = parse_datetime(text, VN)
    assert parsed is not None
    assert parsed.rfc3339() == expected
    assert parsed.raw == clean_text(text)


def test_month_first_stamps() -> None:
    parsed = parse_datetime("Last modified at 7/20/2018 9:30 AM", VN, day_first=False)
    assert parsed is not None
    assert parsed.rfc3339() == "2018-07-20T09:30:00+07:00"
    assert parse_datetime("7/20/2018", VN) is None  # no 20th month day-first


@pytest.mark.parametrize("text", [None, "", "không có ngày", "31/02/2018", "10/13/2018"])
def test_missing_or_impossible_dates_are_none(text: str | None) -> None:
    assert parse_datetime(text, VN) is None


def test_offsets_and_utc() -> None:
    from datetime import datetime

    assert format_rfc3339(datetime(2018, 8, 10, 8, tzinfo=parse_offset("+00:00"))) == (
        "2018-08-10T08:00:00Z"
    )
    with pytest.raises(ValueError, match="offset"):
        parse_offset("ICT")
    with pytest.raises(ValueError, match="naive"):
        format_rfc3339(datetime(2018, 8, 10))


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Người dân tích cực (Ảnh: Phương Thảo)", ("Người dân tích cực", "Phương Thảo")),
        ("Người dân tích cực (Ảnh:Phương Thảo)", ("Người dân tích cực", "Phương Thảo")),
        ("Cây cầu mới. Ảnh: Ngọc Lan", ("Cây cầu mới.", "Ngọc Lan")),
        ("Quang cảnh hội nghị", ("Quang cảnh hội nghị", None)),
        ("(Ảnh: Minh Trí)", (None, "Minh Trí")),
        ("Lễ ra mắt - Nguồn ảnh: Báo Đồng Khởi", ("Lễ ra mắt", "Báo Đồng Khởi")),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_split_credit(caption: str | None, expected: tuple[str | None, str | None]) -> None:
    assert split_credit(caption) == expected


def test_clean_text_nfc_nbsp_and_spaces() -> None:
    nfd = unicodedata.normalize("NFD", "Bến Tre")
    assert clean_text(f"  {nfd}\u00a0\u00a0 thành\n\tphố\u200b ") == "Bến Tre thành phố"
    assert unicodedata.is_normalized("NFC", clean_text(nfd))
    assert clean_text("“Dân vận khéo”") == "“Dân vận khéo”"  # curly quotes stay curly
    assert clean_or_none(" \u00a0 ") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://TPBenTre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?Source=https%3A%2F%2Fx&ID=1452#top",
            "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1452",
        ),
        (
            "https://h.vn/Lists/TinTuc/DispForm.aspx?ID=7&ContentTypeId=0x01&RootFolder=%2F&InitialTabId=Ribbon&utm_source=fb",
            "https://h.vn/Lists/TinTuc/DispForm.aspx?ID=7",
        ),
        ("http://127.0.0.1:8765/a?b=2&a=1", "http://127.0.0.1:8765/a?a=1&b=2"),
        ("https://h.vn:443", "https://h.vn/"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_absolute_url_and_query_param() -> None:
    base = "https://h.vn/Lists/TinTuc/DispForm.aspx?ID=1"
    assert absolute_url(base, "/a b.jpg") == "https://h.vn/a b.jpg"
    assert absolute_url(base, "javascript:void(0)") is None
    assert absolute_url(base, "#x") is None
    assert absolute_url(base, None) is None
    assert query_param(base, "id") == "1"
    assert query_param(base, "missing") is None
