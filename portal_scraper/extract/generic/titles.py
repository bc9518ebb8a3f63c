"""The headline, and the error pages a headline gives away."""

from __future__ import annotations

from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import (
    ERROR_SELECTOR,
    ERROR_TITLE,
    TITLE_SEPARATORS,
    WORD,
)
from portal_scraper.extract.metadata import Metadata
from portal_scraper.normalize.text import clean_text


def find_title(doc: HtmlElement, meta: Metadata) -> tuple[str | None, HtmlElement | None]:
    """The headline: an `<h1>` the `<title>` or og:title confirms, else structured data."""
    title_tag = clean_text(doc.findtext(".//title"))
    og = clean_text(meta.meta.get("og:title") or meta.meta.get("twitter:title"))
    known = set(WORD.findall(" ".join((title_tag, og, meta.headline or "")).casefold()))
    h1s = [(h, clean_text(h.text_content())) for h in doc.iter("h1")]
    h1s = [(h, t) for h, t in h1s if 3 <= len(t) <= 300]
    for h1, text in h1s:
        words = WORD.findall(text.casefold())
        # Confirmed when the <title> or og:title has its words (they add the site name).
        if words and sum(w in known for w in words) >= 0.8 * len(words):
            return text, h1
    if meta.headline:
        return meta.headline, None
    if og:
        return og, None
    if len(h1s) == 1:
        return h1s[0][1], h1s[0][0]
    parts = [p for p in TITLE_SEPARATORS.split(title_tag) if p]
    return (max(parts, key=len) if parts else None), None


def error_page(doc: HtmlElement, title: str | None) -> str | None:
    """Why the page is an error page (SharePoint's, or a "not found" headline), if it is one."""
    message = " ".join(clean_text(el.text_content()) for el in ERROR_SELECTOR(doc))
    if message:
        return f"error page: {message}"
    if title and ERROR_TITLE.match(title):
        return f"error page: {title}"
    return None
