"""Decoding saved or fetched page bytes into an lxml tree."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bs4 import UnicodeDammit
from lxml import html as lxml_html
from lxml.html import HtmlElement
from w3lib.encoding import html_to_unicode

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _detect(body: bytes) -> str | None:
    # Only reached with no BOM, header or <meta> charset: e.g. a page saved without headers.
    return UnicodeDammit(body[:65536], ["utf-8", "windows-1258", "windows-1252"]).original_encoding


def content_type(headers: Mapping[str, str] | None) -> str | None:
    """The Content-Type header value from a header mapping, any case."""
    for key, value in (headers or {}).items():
        if key.lower() == "content-type":
            return value
    return None


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Decode page bytes by HTTP header, BOM, `<meta>` or detection; return (text, encoding)."""
    encoding, text = html_to_unicode(content_type(headers), body, auto_detect_fun=_detect)
    return text, encoding


def parse_html(text: str) -> HtmlElement:
    """Parse decoded HTML text into an lxml tree (never `None`)."""
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        text = "<html></html>"
    return lxml_html.document_fromstring(text)
