"""Image captions on Vietnamese news pages: credits, lazy-loaded images, photo stories."""

from __future__ import annotations

import pytest

from portal_scraper.normalize.captions import split_credit


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        # A credit that names no one is the credit itself.
        (
            "Giao diện cửa hàng trực tuyến - Ảnh chụp màn hình",
            ("Giao diện cửa hàng trực tuyến", "Ảnh chụp màn hình"),
        ),
        ("Cổng làng cũ (Ảnh tư liệu)", ("Cổng làng cũ", "Ảnh tư liệu")),
        ("Cổng làng cũ. Ảnh minh họa", ("Cổng làng cũ.", "Ảnh minh họa")),
        # Labelled credits.
        ("Cổng làng cũ. Ảnh tư liệu: Bảo tàng tỉnh", ("Cổng làng cũ.", "Bảo tàng tỉnh")),
        ("Đội tuyển ăn mừng. (Ảnh: TTXVN)", ("Đội tuyển ăn mừng.", "TTXVN")),
        (
            "Y bác sĩ khám bệnh. Ảnh: Bệnh viện cung cấp",
            ("Y bác sĩ khám bệnh.", "Bệnh viện cung cấp"),
        ),
        ("Lễ khánh thành cầu. Nguồn ảnh: Báo Đồng Khởi", ("Lễ khánh thành cầu.", "Báo Đồng Khởi")),
        ("The new bridge at dusk. Photo: Jane Doe", ("The new bridge at dusk.", "Jane Doe")),
        ("The new bridge at dusk (Photo: Jane Doe)", ("The new bridge at dusk", "Jane Doe")),
        # "ảnh" inside a sentence is no credit label.
        (
            "Những bức ảnh - kỷ vật của gia đình",
            ("Những bức ảnh - kỷ vật của gia đình", None),
        ),
        ("Bộ sưu tập hình ảnh: gốm cổ", ("Bộ sưu tập hình ảnh: gốm cổ", None)),
        # A long text after "Ảnh:" describes the photo; it names no photographer.
        (
            "Ảnh: Toàn cảnh hội nghị tổng kết công tác năm của tỉnh, với sự tham dự của "
            "lãnh đạo các sở, ban, ngành và địa phương",
            (
                "Ảnh: Toàn cảnh hội nghị tổng kết công tác năm của tỉnh, với sự tham dự của "
                "lãnh đạo các sở, ban, ngành và địa phương",
                None,
            ),
        ),
    ],
)
def test_credit_split_off_caption(caption: str, expected: tuple[str | None, str | None]) -> None:
    assert split_credit(caption) == expected
