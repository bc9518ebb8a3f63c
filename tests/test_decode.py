"""Page bytes are decoded by header, BOM, <meta> or detection."""

import unicodedata

from portal_scraper.extract.page import decode_html, decode_page, parse_html
from tests.support import FIXTURES_DIR

TEXT = "Hội Nông dân thành phố Bến Tre"


def test_meta_charset_windows_1258_without_header() -> None:
    page = FIXTURES_DIR / "bentre-city" / "windows-1258-1445" / "page.html"
    text, encoding = decode_html(page.read_bytes(), {"Content-Type": "text/html"})
    assert encoding == "cp1258"
    nfc = unicodedata.normalize("NFC", text)
    assert "Hội Nông dân thành phố tập huấn kỹ thuật trồng bưởi da xanh" in nfc
    assert "\ufffd" not in text


def test_http_header_wins_over_meta() -> None:
    body = f'<meta charset="windows-1252"><p>{TEXT}</p>'.encode()
    text, encoding = decode_html(body, {"content-type": "text/html; charset=UTF-8"})
    assert encoding == "utf-8"
    assert TEXT in text


def test_bom_wins() -> None:
    text, encoding = decode_html(b"\xef\xbb\xbf" + f"<p>{TEXT}</p>".encode(), {})
    assert encoding == "utf-8"
    assert text.startswith("<p>")


def test_undeclared_utf8_is_detected() -> None:
    text, _ = decode_html(f"<p>{TEXT}</p>".encode(), None)
    assert TEXT in text


def test_parse_html_handles_empty_and_xml_declaration() -> None:
    assert parse_html("").tag == "html"
    doc = parse_html('<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>')
    assert doc.findtext(".//p") == "x"


def test_windows_1258_bytes_sent_as_utf8_are_read_by_the_meta_and_flagged() -> None:
    page = FIXTURES_DIR / "bentre-city" / "windows-1258-1445" / "page.html"
    decoded = decode_page(page.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})
    assert decoded.encoding == "cp1258"
    assert "\ufffd" not in decoded.text
    assert decoded.conflict == "read as cp1258 (as the <meta> says); HTTP header says utf-8"


def test_utf8_bytes_sent_as_windows_1258_are_read_as_utf8_and_flagged() -> None:
    body = "<meta charset='windows-1258'><p>Hội Nông dân</p>".encode()
    decoded = decode_page(body, {"Content-Type": "text/html; charset=windows-1258"})
    assert decoded.encoding == "utf-8"
    assert "Hội Nông dân" in decoded.text
    assert decoded.conflict and "HTTP header says cp1258" in decoded.conflict


def test_agreeing_evidence_is_not_flagged() -> None:
    body = "<meta charset='utf-8'><p>Hội</p>".encode()
    assert decode_page(body, {"Content-Type": "text/html; charset=UTF-8"}).conflict is None


# A UTF-8 page with enough Vietnamese that its multibyte characters outnumber any bad byte.
UTF8_PAGE = f"<html><body><h1>{TEXT}</h1><p>“Dân vận khéo” ở Bến Tre</p></body></html>".encode()
UTF8 = {"Content-Type": "text/html; charset=utf-8"}


def test_a_stray_byte_in_utf8_is_replaced_not_read_as_windows_1258() -> None:
    body = UTF8_PAGE.replace(b"<p>", b"<p>\xff", 1)
    for headers in (UTF8, None, {"Content-Type": "text/html"}):
        decoded = decode_page(body, headers)
        assert decoded.encoding == "utf-8"
        assert TEXT in decoded.text
        assert "<p>\ufffd“Dân vận khéo”" in decoded.text
        assert decoded.conflict and "invalid UTF-8 bytes replaced: 1" in decoded.conflict


def test_a_multibyte_character_cut_at_the_end_is_replaced() -> None:
    body = UTF8_PAGE + "ộ".encode()[:2]
    decoded = decode_page(body, UTF8)
    assert decoded.encoding == "utf-8"
    assert decoded.text.endswith("</html>\ufffd")
    assert TEXT in decoded.text
    assert decoded.conflict and "invalid UTF-8 bytes replaced: 2" in decoded.conflict


def test_cp1252_smart_quotes_in_a_utf8_page_are_replaced() -> None:
    body = UTF8_PAGE.replace("“".encode(), b"\x93").replace("”".encode(), b"\x94")
    decoded = decode_page(body, UTF8)
    assert decoded.encoding == "utf-8"
    assert "\ufffdDân vận khéo\ufffd ở Bến Tre" in decoded.text
    assert decoded.conflict == (
        "read as utf-8 (11 valid UTF-8 characters); invalid UTF-8 bytes replaced: 2"
    )


def test_a_smart_quote_in_ascii_text_is_no_evidence_for_cp1252() -> None:
    decoded = decode_page(b"<p>The \x93plan\x94 was approved.</p>", None)
    assert decoded.encoding == "utf-8"
    assert decoded.text == "<p>The \ufffdplan\ufffd was approved.</p>"
    assert decoded.conflict and "invalid UTF-8 bytes replaced: 2" in decoded.conflict


def test_a_stale_windows_1252_meta_does_not_turn_utf8_into_mojibake() -> None:
    body = b"<meta charset='windows-1252'>" + UTF8_PAGE.replace(b"<p>", b"<p>\x81", 1)
    decoded = decode_page(body, None)
    assert decoded.encoding == "utf-8"
    assert TEXT in decoded.text
    assert decoded.conflict and "<meta> says cp1252" in decoded.conflict


def test_a_windows_1252_declaration_that_reads_the_bytes_is_evidence() -> None:
    body = b"<meta charset='windows-1252'><p>The \x93plan\x94 was approved.</p>"
    decoded = decode_page(body, None)
    assert decoded.encoding == "cp1252"
    assert "The “plan” was approved." in decoded.text
    assert decoded.conflict is None


def test_bytes_that_are_clearly_not_utf8_are_detected_without_a_declaration() -> None:
    # windows-1258 writes most Vietnamese letters as a base letter and a combining tone mark.
    body = "H\u00f4\u0323i N\u00f4ng d\u00e2n th\u00e0nh ph\u00f4\u0301 B\u00ea\u0301n Tre".encode(
        "cp1258"
    )
    assert len([b for b in body if b > 0x7F]) >= 4
    decoded = decode_page(body, {"Content-Type": "text/html; charset=utf-8"})
    assert decoded.encoding == "cp1258"
    assert "\ufffd" not in decoded.text
    assert unicodedata.normalize("NFC", decoded.text) == TEXT
    assert decoded.conflict == "read as cp1258 (detected); HTTP header says utf-8"
