"""Split a photo credit ("(Ảnh: Phương Thảo)", "- Ảnh chụp màn hình") off an image caption."""

from __future__ import annotations

import re

from portal_scraper.normalize.text import clean_text

# A credit names who took or gave the photo in a few words; a longer text after "Ảnh:" is a
# description ("Ảnh: Toàn cảnh hội nghị ... "), not a credit.
MAX_CREDIT_CHARS = 80
# Credit at the end of a caption: "(Ảnh: X)", "Ảnh: X", "Ảnh - X", "Nguồn ảnh: X",
# "Ảnh tư liệu: X", "Photo: X", "(Photo credit: X)", "(Photo by X)", "© X".
_LABELLED = re.compile(
    r"(?P<label>(?:(?:nguồn\s+)?ảnh(?:\s+(?:tư\s+liệu|minh\s+họa|minh\s+hoạ|chụp\s+màn\s+hình))?"
    r"|nguồn|photo(?:graph)?(?:\s+credit)?|image|credit|crédit(?:\s+photo)?|foto|bild)\s*[:\-–]"
    # "Photo by X", "Foto von X", "© X": a credit without a colon.
    r"|photo(?:graph)?s?\s+(?:by|courtesy(?:\s+of)?)|fotos?\s+von|foto\s+de|photo\s+de|©)"
    r"\s*(?P<credit>[^()]+?)\s*\)?\s*[.]?\s*$",
    re.IGNORECASE,
)
# A caption ending in a credit that names no one: "... - Ảnh chụp màn hình", "(Ảnh tư liệu)".
_SELF_CREDIT = re.compile(
    r"(?:^|[.!?…)\-–—|(]\s*)(?P<label>(?P<credit>ảnh\s+(?:chụp\s+màn\s+hình|tư\s+liệu"
    r"|minh\s+họa|minh\s+hoạ|internet)))\s*\)?\s*[.]?\s*$",
    re.IGNORECASE,
)
# What may stand before a credit label: the caption's start, a sentence end, a dash, a bracket.
_BEFORE_LABEL = re.compile(r"(?:^|[.!?…”\"')\]\-–—|(])\s*\(?\s*$")
_TRAILING_SEPARATOR = re.compile(r"[\s\-–—|(]+$")


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """Return (caption without credit, credit); either is `None` when absent."""
    text = clean_text(caption)
    if not text:
        return None, None
    match = _credit_match(text)
    if match is None:
        return text, None
    credit = clean_text(match.group("credit")).lstrip(" -–—/|") or None  # "Photo by - /AFP"
    if credit is None or len(credit) > MAX_CREDIT_CHARS:
        return text, None
    rest = _TRAILING_SEPARATOR.sub("", text[: match.start("label")])
    return clean_text(rest) or None, clean_text(credit)


def _credit_match(text: str) -> re.Match[str] | None:
    """The credit at the end of `text`, its label placed where a credit starts."""
    match = _SELF_CREDIT.search(text)
    if match is not None:
        return match
    found = _LABELLED.search(text)
    while found is not None:
        before = text[: found.start("label")]
        # "Ảnh: X" after a sentence, a dash or a bracket, or written with a capital: a credit;
        # "bức ảnh: ..." inside a sentence is not.
        starts_word = not before or not before[-1].isalnum()
        if starts_word and (_BEFORE_LABEL.search(before) or found.group("label")[0].isupper()):
            return found
        found = _LABELLED.search(text, found.start() + 1)
    return None
