"""Decoding saved or fetched page bytes into an lxml tree, by the best evidence at hand."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bs4 import UnicodeDammit
from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HIGH_BYTES = bytes(range(0x80, 0x100))
# Fewer bytes than this that are not UTF-8 (and no valid multibyte character) are no evidence
# of a single-byte charset: a stray byte or smart quote is replaced, the page read as UTF-8.
_NOT_UTF8_MIN_BYTES = 4


class PageElement(HtmlElement):
    """An element of a parsed page: lxml.html's, with a faster `text_content`."""

    def text_content(self) -> str:
        """The text of the element and its descendants (not its tail)."""
        # The same text nodes lxml.html's XPath string() reads, collected by libxml2 directly:
        # three times faster, and the profile asks for some element's text a thousand times.
        return etree.tostring(self, method="text", encoding=str, with_tail=False)


# lxml.html's own parser picks each element's class in Python (form controls get their own);
# no extractor uses those classes, and a lookup in C makes every element access cheaper.
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=PageElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
)
# The text is parsed as UTF-8 bytes: libxml2 reads those a quarter faster than a `str`.
_UTF8_PARSER = lxml_html.HTMLParser(encoding="utf-8")
_UTF8_PARSER.set_element_class_lookup(_HTML_CLASSES)
_TEXT_PARSER = lxml_html.HTMLParser()
_TEXT_PARSER.set_element_class_lookup(_HTML_CLASSES)


@dataclass(frozen=True)
class Decoded:
    """A page's text, the encoding it was read with, and why the evidence disagreed (if it did)."""

    text: str
    encoding: str
    conflict: str | None = None
    # The page's bytes when they are the text's UTF-8 exactly (the parser reads them as is).
    utf8: bytes | None = None


def content_type(headers: Mapping[str, str] | None) -> str | None:
    """The Content-Type header value from a header mapping, any case."""
    for key, value in (headers or {}).items():
        if key.lower() == "content-type":
            return value
    return None


def decode_page(body: bytes, headers: Mapping[str, str] | None = None) -> Decoded:
    """Decode by BOM, then UTF-8 when the bytes are (almost all) valid UTF-8, then a declared
    encoding that reads the bytes without error (HTTP header, then `<meta>`), then detection.

    Portals lie about their charset both ways (windows-1258 bytes sent as UTF-8 and the
    reverse): the declaration that fails on the bytes loses, and the conflict is reported. A
    stray bad byte in a UTF-8 page is replaced (U+FFFD) and reported, not read as windows-1258.
    """
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return Decoded(body[len(bom) :].decode(bom_encoding, errors="replace"), bom_encoding)
    declared: list[tuple[str, str]] = []
    for source, found in (
        ("HTTP header", http_content_type_encoding(content_type(headers))),
        ("<meta>", html_body_declared_encoding(body)),
    ):
        name = _resolve(found)
        if name:
            declared.append((source, name))
    if body.isascii():
        encoding = declared[0][1] if declared else "utf-8"
        utf8 = body if encoding == "utf-8" else None
        return Decoded(body.decode(encoding, errors="replace"), encoding, utf8=utf8)
    chosen, evidence, text, replaced = _choose(body, declared)
    notes = [f"invalid UTF-8 bytes replaced: {replaced}"] if replaced else []
    notes += [f"{source} says {name}" for source, name in declared if name != chosen]
    conflict = f"read as {chosen} ({evidence}); " + ", ".join(notes) if notes else None
    utf8 = body if chosen == "utf-8" and not replaced else None
    return Decoded(text, chosen, conflict, utf8)


def _choose(body: bytes, declared: list[tuple[str, str]]) -> tuple[str, str, str, int]:
    """The encoding, why it was chosen, the text read with it, and the bad bytes replaced."""
    text = _decoded(body, "utf-8")
    if text is not None:
        return "utf-8", "the bytes are valid UTF-8", text, 0
    text = body.decode("utf-8", errors="replace")
    valid, invalid = _utf8_counts(body, text)
    if valid > invalid:
        return "utf-8", f"{valid} valid UTF-8 characters", text, invalid
    for source, name in declared:
        single = _decoded(body, name) if name != "utf-8" else None
        if single is not None:
            return name, f"as the {source} says", single, 0
    if invalid < _NOT_UTF8_MIN_BYTES:
        # Too few bytes to tell a charset: a stray byte in ASCII text, not windows-1258.
        return "utf-8", "too few non-ASCII bytes to detect a charset", text, invalid
    # Many bytes that are not UTF-8 and no declaration that reads them: a page saved without
    # headers, say.
    detected = _resolve(
        UnicodeDammit(body[:65536], ["windows-1258", "windows-1252"]).original_encoding
    )
    if detected and detected != "utf-8":
        return detected, "detected", body.decode(detected, errors="replace"), 0
    return (
        "cp1252",
        "no declaration fits; cp1252 reads any byte",
        body.decode("cp1252", "replace"),
        0,
    )


def _utf8_counts(body: bytes, text: str) -> tuple[int, int]:
    """Valid multibyte UTF-8 characters in `body`, and its bytes that are no part of one
    (`text` is `body` decoded as UTF-8 with errors replaced)."""
    high = len(body) - len(body.translate(None, _HIGH_BYTES))
    ascii_bytes = len(body) - high
    # Each invalid run became one U+FFFD; U+FFFD written in the page itself is valid.
    replacements = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    valid = len(text) - ascii_bytes - replacements
    valid_bytes = len(text.encode("utf-8")) - ascii_bytes - 3 * replacements
    return valid, high - valid_bytes


def _decoded(body: bytes, encoding: str) -> str | None:
    """`body` read strictly as `encoding`, or `None` when it does not read."""
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _resolve(name: str | None) -> str | None:
    resolved = resolve_encoding(name) if name else None
    return resolved.replace("_", "-").lower() if resolved else None


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Decode page bytes; return (text, encoding). See `decode_page`."""
    decoded = decode_page(body, headers)
    return decoded.text, decoded.encoding


def parse_html(text: str, utf8: bytes | None = None) -> HtmlElement:
    """Parse decoded HTML text into an lxml tree (never `None`); `utf8`, the text's UTF-8
    bytes when at hand, spares encoding it again."""
    declaration = _XML_DECLARATION.match(text)
    if declaration is not None:
        text, utf8 = text[declaration.end() :], None
    if not text or text.isspace():
        text, utf8 = "<html></html>", None
    if utf8 is not None:
        return lxml_html.document_fromstring(utf8, parser=_UTF8_PARSER)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 for it, lxml reads the text
        return lxml_html.document_fromstring(text, parser=_TEXT_PARSER)
    return lxml_html.document_fromstring(data, parser=_UTF8_PARSER)
