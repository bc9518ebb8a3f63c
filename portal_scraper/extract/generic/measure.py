"""Measuring an element's text the way every heuristic of the generic profile does."""

from __future__ import annotations

from lxml.html import HtmlElement


def squash(text: str) -> str:
    """White space collapsed: enough to measure and score text (no Unicode normalization)."""
    return " ".join(text.split())


def text_len(el: HtmlElement) -> int:
    """Length of the element's text, white space collapsed."""
    return len(squash(el.text_content()))
