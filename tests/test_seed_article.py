"""The seed article (ID 1452) gives the facts of its visible text, field by field."""

import pytest

from portal_scraper.tools.fixtures import Case
from tests.support import FIXTURES_DIR

SEED = Case(FIXTURES_DIR / "bentre-city" / "seed-1452")


@pytest.fixture(scope="module")
def record() -> dict:
    return SEED.actual()


def test_headline_date_author(record: dict) -> None:
    assert record["title"] == (
        "Thành phố Bến Tre: Tiếp tục nâng cao hiệu quả phong trào thi đua “Dân vận khéo”"
    )
    assert record["published_at"] == "2018-08-10T15:00:00+07:00"
    assert record["published_at_raw"] == "Thứ 6, Ngày 10/08/2018, 15:00"
    assert record["authors"] == ["Phương Thảo"]


def test_identity_and_labels(record: dict) -> None:
    assert record["category"] == "Thông tin chung"
    assert record["breadcrumbs"] == ["Trang chủ", "Thông tin chung"]
    assert record["source_id"] == "1452"
    assert record["view_count"] == 1
    assert record["content_type"] == "Tin Tức Mở Rộng"
    assert record["canonical_url"] == (
        "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1452"
    )


def test_summary_and_body(record: dict) -> None:
    assert record["summary"].startswith("Thời gian qua phong trào thi đua “Dân vận khéo”")
    assert record["summary"].endswith("trên địa bàn thành phố.")
    paragraphs = record["body_text"].split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("Tính đến năm 2017")
    assert paragraphs[-1].startswith("Phong trào thi đua Dân vận khéo tiếp tục phát triển")
    assert "Người dân tích cực" not in record["body_text"]  # the caption belongs to the image
    for chrome in ("Lượt người xem", "Manage Permissions", "Skip", "Created at", "Tiêu đề"):
        assert chrome not in record["body_text"]


def test_image_caption_and_credit(record: dict) -> None:
    assert record["images"] == [
        {
            "url": "https://tpbentre.bentre.gov.vn/Lists/TinTuc/Attachments/1452/"
            "Phong-trao-dan-van-keo-tran-dia-ban-thanh-pho-Ben-Tre.jpg",
            "caption": "Người dân tích cực trong xây dựng giao thông nông thôn tại ấp 3, "
            "xã Nhơn Thạnh, thành phố Bến Tre",
            "credit": "Phương Thảo",
            "alt": None,
        }
    ]


def test_footer(record: dict) -> None:
    portal = record["portal"]
    assert portal["agency"] == "Ủy ban nhân dân thành phố Bến Tre"
    assert portal["address"] == "Số 7A, Đại lộ Đồng Khởi, Phường 4, TP. Bến Tre, tỉnh Bến Tre"
    assert portal["editor_in_chief"] == "Nguyễn Văn Thương"
    assert portal["editor_in_chief_title"] == "Phó Chủ tịch UBND thành phố Bến Tre"
    assert portal["phones"] == ["02753.827.114"]
    assert portal["faxes"] == ["02753.554.529"]
    assert portal["emails"] == ["ubtp@bentre.gov.vn"]
    assert portal["submission_emails"] == ["ubnd.tpbentre.bentre@gmail.com"]


def test_no_sharepoint_chrome_in_any_field(record: dict) -> None:
    text = repr(record)
    for chrome in ("Skip Ribbon", "Skip to main", "Manage Permissions", "Created at", "by <br"):
        assert chrome not in text
