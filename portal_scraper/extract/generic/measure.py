"""Measuring an element's text the way every heuristic of the generic profile does."""

from __future__ import annotations

from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import IN_PAGE_HREF, IN_PAGE_LABEL_CHARS


def squash(text: str) -> str:
    """White space collapsed: enough to measure and score text (no Unicode normalization)."""
    return " ".join(text.split())


def squashed_len(text: str) -> int:
    """The length of the text, white space collapsed."""
    return len(squash(text))


def squashes_to_at_least(raw: str, chars: int) -> bool:
    """Whether `raw`, white space collapsed, has at least `chars` characters; a long text is
    judged by its start when that settles it (collapsing a prefix gives the text's first words)."""
    if len(raw) < chars:
        return False
    head = raw[: 4 * chars]
    return squashed_len(head) >= chars or (len(head) < len(raw) and squashed_len(raw) >= chars)


def text_len(el: HtmlElement) -> int:
    """Length of the element's text, white space collapsed."""
    return squashed_len(el.text_content())


def linked_chars(el: HtmlElement) -> int:
    """How many characters of the element's text are inside links."""
    return sum(squashed_len(a.text_content()) for a in el.iter("a"))


def link_density(el: HtmlElement, total: int | None = None) -> float:
    """Share of the text (`total` characters, if known) inside links."""
    total = text_len(el) if total is None else total
    if not total:
        return 0.0
    linked = 0
    for a in el.iter("a"):
        chars = squashed_len(a.text_content())
        # A long label that leads nowhere (a chapter of the page's own audio) is no navigation.
        if chars < IN_PAGE_LABEL_CHARS or not in_page(a.get("href")):
            linked += chars
    return min(1.0, linked / total)


def in_page(href: str | None) -> bool:
    """A link that does nothing itself (`javascript:;`): the page's scripts act on it."""
    return href is not None and IN_PAGE_HREF.match(href) is not None
