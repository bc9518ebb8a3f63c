"""The portal footer as the record's `portal` object."""

from portal_scraper.extract.footer import parse_footer


def test_labelled_lines_and_unknown_labels_kept() -> None:
    portal = parse_footer(
        [
            "CỔNG THÔNG TIN ĐIỆN TỬ TỈNH X",
            "Cơ quan chủ quản: UBND tỉnh X",
            "Địa chỉ: 1 Đường A",
            "Chịu trách nhiệm chính: Trần Văn B, Chánh Văn phòng",
            "ĐT: 0275 111 222 - 0275 333 444 | Fax: 0275 555",
            "E-mail: a@x.gov.vn; b@x.gov.vn",
            "Giấy phép số: 12/GP-TTĐT",
        ]
    )
    assert portal is not None
    assert portal["name"] == "CỔNG THÔNG TIN ĐIỆN TỬ TỈNH X"
    assert portal["agency"] == "UBND tỉnh X"
    assert portal["address"] == "1 Đường A"
    assert portal["editor_in_chief"] == "Trần Văn B"
    assert portal["editor_in_chief_title"] == "Chánh Văn phòng"
    assert portal["phones"] == ["0275 111 222", "0275 333 444"]
    assert portal["faxes"] == ["0275 555"]
    assert portal["emails"] == ["a@x.gov.vn", "b@x.gov.vn"]
    assert portal["submission_emails"] == []
    assert portal["fields"]["Giấy phép số"] == "12/GP-TTĐT"


def test_no_footer_is_none() -> None:
    assert parse_footer([]) is None
    assert parse_footer(["", "  "]) is None


def test_editor_without_title() -> None:
    portal = parse_footer(["Trưởng Ban Biên tập: Nguyễn Văn C"])
    assert portal is not None
    assert (portal["editor_in_chief"], portal["editor_in_chief_title"]) == ("Nguyễn Văn C", None)
