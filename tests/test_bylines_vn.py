"""Authors on news pages: each failure class on a small hand-written page."""

from __future__ import annotations

from tests.test_generic import PARAGRAPHS, page, record

SIGNED = PARAGRAPHS + "<p style='text-align:right'><strong>Lê Phương</strong></p>"


def _ld(author: str) -> str:
    return (
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Bài viết mẫu",'
        f'"author":{author},"publisher":{{"@type":"Organization","name":"Báo Ví Dụ"}}}}</script>'
    )


def test_publisher_in_metadata_gives_way_to_the_signature() -> None:
    head = "<meta name='author' content='Ví Dụ'><meta name='copyright' content='Ví Dụ'>"
    head += _ld('{"@type":"Organization","name":"Ví Dụ"}')
    assert record(page(head=head, body=SIGNED))["authors"] == ["Lê Phương"]


def test_publisher_in_metadata_gives_way_to_a_visible_byline() -> None:
    head = "<meta name='author' content='Ví Dụ'><meta property='og:site_name' content='Ví Dụ'>"
    got = record(page(head=head, before="<span class='author-name'>Phương Nghi</span>"))
    assert got["authors"] == ["Phương Nghi"]


def test_publisher_alone_stays_the_author() -> None:
    head = "<meta name='author' content='Ví Dụ'><meta property='og:site_name' content='Ví Dụ'>"
    assert record(page(head=head))["authors"] == ["Ví Dụ"]


def test_person_in_metadata_keeps_its_place() -> None:
    head = _ld('{"@type":"Person","name":"Minh Trí"}')
    assert record(page(head=head, body=SIGNED))["authors"] == ["Minh Trí"]


def test_json_ld_list_of_names_is_several_people() -> None:
    head = _ld('{"@type":"Person","name":["Minh Trí","Lê Phương"]}')
    assert record(page(head=head))["authors"] == ["Minh Trí", "Lê Phương"]
    nested = _ld('[{"@type":"Person","name":"Minh Trí"},[{"@type":"Person","name":"Hạ Anh"}]]')
    assert record(page(head=nested))["authors"] == ["Minh Trí", "Hạ Anh"]


def authors(byline: str) -> list[str]:
    got: list[str] = record(page(before=f"<div class='author'>{byline}</div>"))["authors"]
    return got


def test_agency_in_brackets_is_not_part_of_the_name() -> None:
    assert authors("Minh Anh (TTXVN)") == ["Minh Anh"]
    assert authors("Minh Anh(TTXVN/Vietnam+)") == ["Minh Anh"]


def test_theo_a_person_gives_the_person_theo_a_paper_nothing() -> None:
    assert authors("Theo Phạm Trường") == ["Phạm Trường"]
    assert authors("Theo Tiền Phong") == []
    assert authors("Ngọc Mai - Theo Tiền Phong") == ["Ngọc Mai"]
    assert authors("Thế Duyệt, Đời sống Pháp luật") == ["Thế Duyệt"]


def test_names_in_sibling_links_stay_apart() -> None:
    assert authors("<a href='/a'>Lê Phương</a><a href='/b'>Minh Trí</a>") == [
        "Lê Phương",
        "Minh Trí",
    ]


def test_job_titles_are_not_names() -> None:
    assert authors("Nhà báo Minh Anh") == ["Minh Anh"]
    assert authors("PV Minh Anh") == ["Minh Anh"]
    assert authors("Jane Doe, Senior Staff Technologist") == ["Jane Doe"]


def test_escaped_apostrophe_and_ampersand_names() -> None:
    assert authors("Shaun O&amp;#039;Neil") == ["Shaun O'Neil"]
    assert authors("Mac &amp; i") == ["Mac & i"]
    assert authors("Jan Koch &amp; Anna Weber") == ["Jan Koch", "Anna Weber"]


def test_parenthesised_co_authors() -> None:
    assert authors("Hans Müller (mit Anna Schmidt)") == ["Hans Müller", "Anna Schmidt"]
    assert authors("Elena Oberholzer (obe)") == ["Elena Oberholzer"]


def test_va_splits_people_but_not_an_office() -> None:
    assert authors("Minh Anh và Hạ Anh") == ["Minh Anh", "Hạ Anh"]
    assert authors("Ban Tuyên giáo và Dân vận") == ["Ban Tuyên giáo và Dân vận"]


def test_a_signature_with_the_signers_office_in_brackets_names_the_signer() -> None:
    body = PARAGRAPHS + (
        "<p style='text-align: right;'><b>Thanh Tâm (Văn phòng HĐND-UBND huyện)</b></p>"
    )
    got = record(page(body=body))
    assert got["authors"] == ["Thanh Tâm"] and "Văn phòng HĐND" not in got["body_text"]


def test_a_signature_of_two_names_names_both() -> None:
    body = PARAGRAPHS + (
        "<p style='text-align:right'><strong>Nguyễn Văn Tâm - Trần Thị Hương</strong><br>"
        "<em>(Trung tâm Khảo thí)</em></p>"
    )
    got = record(page(body=body))
    assert got["authors"] == ["Nguyễn Văn Tâm", "Trần Thị Hương"]
    assert "Trung tâm Khảo thí" not in got["body_text"]


def test_a_last_line_naming_the_source_is_no_body_text_and_no_author() -> None:
    for line in ("<p style='text-align:right'><em>Theo TTXVN</em></p>", "<p>Nguồn: Báo Nhân Dân</p>",
                 "<p>(Quelle: dpa)</p>"):  # fmt: skip
        got = record(page(body=PARAGRAPHS + line))
        assert got["body_text"].endswith("kết thúc bằng dấu chấm."), line
        assert got["authors"] == [], line


def test_a_last_line_theo_a_person_still_signs_the_article() -> None:
    got = record(page(body=PARAGRAPHS + "<p style='text-align:right'><b>Theo Phạm Trường</b></p>"))
    assert got["authors"] == ["Phạm Trường"]


def test_the_signature_above_a_source_line_signs_the_article() -> None:
    body = PARAGRAPHS + "<p style='text-align:right'><b>Hoàng Lan</b></p><p>Nguồn: Sở Y tế</p>"
    got = record(page(body=body))
    assert got["authors"] == ["Hoàng Lan"]
    assert got["body_text"].endswith("kết thúc bằng dấu chấm.")
