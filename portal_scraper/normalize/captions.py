"""Split a photo credit ("(Ảnh: Phương Thảo)") off an image caption."""

from __future__ import annotations

import re

from portal_scraper.normalize.text import clean_text

# Credit at the end of a caption: "(Ảnh: X)", "(Ảnh:X)", "Ảnh: X", "Ảnh - X", "Nguồn ảnh: X".
_CREDIT = re.compile(
    r"[\s\-–—]*\(?\s*(?:Nguồn\s+)?ảnh\s*[:\-–]\s*(?P<credit>[^()]+?)\s*\)?\s*[.]?\s*$",
    re.IGNORECASE,
)


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """Return (caption without credit, credit); either is `None` when absent."""
    text = clean_text(caption)
    if not text:
        return None, None
    match = _CREDIT.search(text)
    if not match:
        return text, None
    credit = clean_text(match.group("credit")) or None
    rest = clean_text(text[: match.start()]) or None
    return rest, credit
