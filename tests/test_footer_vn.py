"""Portal footers of news sites: each failure class on a small hand-written footer."""

from __future__ import annotations

from portal_scraper.extract.footer import parse_footer
from tests.test_generic import page, record


def footer(html: str) -> dict:
    got: dict = record(page().replace("<footer><p>Bản quyền thuộc Báo Ví Dụ</p></footer>", html))
    return got["portal"]


def test_site_name_is_not_the_menu() -> None:
    portal = footer(
        "<footer class='site-footer'><div class='menu'><a href='/'>Trang chủ</a> <a href='/a'>Thời sự</a> "
        "<a href='/b'>Kinh doanh</a></div><div class='logo'><a href='/'>Báo Ví Dụ</a></div>"
        "<p>Cơ quan chủ quản: Hội Ví Dụ</p><p>Điện thoại: 024 1234 5678</p></footer>"
    )
    assert portal["name"] == "Báo Ví Dụ"
    assert portal["agency"] == "Hội Ví Dụ"


def test_agency_does_not_swallow_the_rest_of_the_line() -> None:
    portal = parse_footer(
        ["Cơ quan chủ quản: Hội Ví Dụ Địa chỉ: 1 Đường A, Hà Nội Điện thoại: 024 1234 5678"]
    )
    assert portal is not None
    assert portal["agency"] == "Hội Ví Dụ"
    assert portal["address"] == "1 Đường A, Hà Nội"
    assert portal["phones"] == ["024 1234 5678"]


def test_lines_broken_by_br_and_hotline_labels() -> None:
    portal = footer(
        "<footer class='site-footer'><p>Công ty Ví Dụ<br>Tầng 5 Toà nhà A,<br>Số 1, phố B, phường C, thành phố Hà Nội"
        "<br>Email: btv@vidu.vn<br>Điện thoại: 024 111 222 - Hotline: 0909 333 444<br>Hotline:"
        "<br>Fax: 024 555</p></footer>"
    )
    assert portal["address"] == "Tầng 5 Toà nhà A, Số 1, phố B, phường C, thành phố Hà Nội"
    assert portal["phones"] == ["024 111 222", "0909 333 444"]
    assert portal["faxes"] == ["024 555"]
    assert portal["emails"] == ["btv@vidu.vn"]


def test_person_responsible_for_content() -> None:
    portal = parse_footer(["Chịu trách nhiệm nội dung: Ông Nguyễn Văn A", "Email: a@vidu.vn"])
    assert portal is not None
    assert portal["editor_in_chief"] == "Nguyễn Văn A"
    assert portal["editor_in_chief_title"] == "Chịu trách nhiệm nội dung"


def test_contacts_given_by_markup() -> None:
    portal = footer(
        "<footer class='site-footer'><div class='item'><span>Tòa soạn</span><span><address>1 Đường A, Hà Nội"
        "</address></span><span><a href='tel:+842411'>024.11</a></span></div>"
        "<div class='item'><span>Liên hệ quảng cáo</span><a href='tel:+8490'>090</a>"
        "<a href='mailto:qc@vidu.vn'>qc@vidu.vn</a></div>"
        "<p>Cơ quan chủ quản: Hội Ví Dụ</p></footer>"
    )
    assert portal["address"] == "1 Đường A, Hà Nội"
    assert portal["phones"] == ["024.11"]
    assert portal["emails"] == ["qc@vidu.vn"]
