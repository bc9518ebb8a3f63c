"""Text rules of the record: NFC, no non-breaking spaces, collapsed white space."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000\ufeff]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060]")


def clean_text(value: str | None) -> str:
    """Return `value` in NFC with white space collapsed to single spaces and trimmed."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    value = _ZERO_WIDTH.sub("", value)
    return _SPACES.sub(" ", value).strip()


def clean_or_none(value: str | None) -> str | None:
    """Like `clean_text`, but an empty result is `None`."""
    cleaned = clean_text(value)
    return cleaned or None
