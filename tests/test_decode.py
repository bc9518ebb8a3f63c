"""Page bytes are decoded by header, BOM, <meta> or detection."""

import unicodedata

from portal_scraper.extract.page import decode_html, decode_page, parse_html
from portal_scraper.tools.fixtures import FIXTURES_DIR

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
