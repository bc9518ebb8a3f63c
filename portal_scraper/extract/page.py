"""Decoding saved or fetched page bytes into an lxml tree, by the best evidence at hand."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bs4 import UnicodeDammit
from lxml import html as lxml_html
from lxml.html import HtmlElement
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_NON_ASCII = re.compile(rb"[\x80-\xff]")


@dataclass(frozen=True)
class Decoded:
    """A page's text, the encoding it was read with, and why the evidence disagreed (if it did)."""

    text: str
    encoding: str
    conflict: str | None = None


def content_type(headers: Mapping[str, str] | None) -> str | None:
    """The Content-Type header value from a header mapping, any case."""
    for key, value in (headers or {}).items():
        if key.lower() == "content-type":
            return value
    return None


def decode_page(body: bytes, headers: Mapping[str, str] | None = None) -> Decoded:
    """Decode by BOM, then bytes that are valid UTF-8, then a declared encoding that reads the
    bytes without error (HTTP header, then `<meta>`), then detection.

    Portals lie about their charset both ways (windows-1258 bytes sent as UTF-8 and the
    reverse): the declaration that fails on the bytes loses, and the conflict is reported.
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
    if not _NON_ASCII.search(body):
        encoding = declared[0][1] if declared else "utf-8"
        return Decoded(body.decode(encoding, errors="replace"), encoding)
    chosen, evidence, text = _choose(body, declared)
    disagreeing = [f"{source} says {name}" for source, name in declared if name != chosen]
    conflict = f"read as {chosen} ({evidence}); " + ", ".join(disagreeing) if disagreeing else None
    return Decoded(text, chosen, conflict)


def _choose(body: bytes, declared: list[tuple[str, str]]) -> tuple[str, str, str]:
    """The encoding, why it was chosen, and the text read with it."""
    text = _decoded(body, "utf-8")
    if text is not None:
        return "utf-8", "the bytes are valid UTF-8", text
    for source, name in declared:
        text = _decoded(body, name) if name != "utf-8" else None
        if text is not None:
            return name, f"as the {source} says", text
    # Only reached with no usable declaration: a page saved without headers, say.
    detected = _resolve(
        UnicodeDammit(body[:65536], ["windows-1258", "windows-1252"]).original_encoding
    )
    if detected and detected != "utf-8":
        return detected, "detected", body.decode(detected, errors="replace")
    return "cp1252", "no declaration fits; cp1252 reads any byte", body.decode("cp1252", "replace")


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


def parse_html(text: str) -> HtmlElement:
    """Parse decoded HTML text into an lxml tree (never `None`)."""
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        text = "<html></html>"
    return lxml_html.document_fromstring(text)
