"""Where the article body ends: what follows its last paragraph, and what interrupts it.

The main block often holds more than the article: share bars, source links and hotlines after
the last paragraph, related-article cards between paragraphs, the next story of an endless
page. Each rule names its evidence: position relative to the article's last paragraph, link
structure (a thumbnail and a title linking the same page), a second headline.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import (
    DIRECT_TEXT_TAGS,
    MIN_PROSE_CHARS,
    PARAGRAPH_TAGS,
    TAIL_PHONE,
    TAIL_TAG,
    TAIL_URL,
    TAIL_URL_TEXT,
)
from portal_scraper.extract.generic.measure import squash

PROSE_TAGS = (*PARAGRAPH_TAGS, "blockquote")


def _own_text(el: HtmlElement) -> str:
    """The element's own text for containers, its whole text for paragraphs."""
    if el.tag in DIRECT_TEXT_TAGS:
        parts = [el.text or ""] + [child.tail or "" for child in el]
        return squash(" ".join(parts))
    return squash(el.text_content())


def _link_density(el: HtmlElement, total: int) -> float:
    if not total:
        return 0.0
    return sum(len(squash(a.text_content())) for a in el.iter("a")) / total


def is_prose(el: HtmlElement) -> bool:
    """A paragraph of article text: long own text (web addresses aside), few links."""
    text = _own_text(el)
    if TAIL_URL.search(text):
        text = TAIL_URL_TEXT.sub("", text)
    if len(text) < MIN_PROSE_CHARS or next(el.iterancestors("figure"), None) is not None:
        return False
    return _link_density(el, len(squash(el.text_content()))) < 0.5


def _holds_prose(el: HtmlElement) -> bool:
    return any(is_prose(p) for p in el.iter(*PROSE_TAGS))


def _tail_junk(el: HtmlElement, own_holder: bool) -> bool:
    """Whether `el`, after the article's last paragraph, is chrome (share bar, hotline, tag)."""
    text = squash(el.text_content())
    if not text:
        return el.find(".//img") is None or el.find(".//a//img") is not None
    if TAIL_URL.search(text) or TAIL_PHONE.search(text) or TAIL_TAG.match(text):
        return True
    if own_holder:
        # Beside the last paragraph: closing lines and signatures stay, link lists do not.
        return _link_density(el, len(text)) > 0.5
    # Outside the paragraphs' container: a block without prose that links somewhere is the
    # page's (share bars, "follow us", source links); plain lines (a signature) stay.
    return el.tag != "figure" and el.find(".//a") is not None


def trim_tail(main: HtmlElement) -> None:
    """Drop the blocks after the article's last paragraph that show they are page chrome."""
    last = None
    for el in main.iter(*PROSE_TAGS):
        if is_prose(el):
            last = el
    if last is None:
        return
    holder = last.getparent()
    node = last
    while node is not main:
        parent = node.getparent()
        if parent is None:
            break
        for sibling in list(node.itersiblings()):
            if not isinstance(sibling.tag, str) or _holds_prose(sibling):
                continue
            if _tail_junk(sibling, own_holder=parent is holder):
                sibling.drop_tree()
        node = parent
