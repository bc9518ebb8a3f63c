"""Matching the names a page gives its elements (class, id) against the hints."""

from __future__ import annotations

from functools import lru_cache

from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import (
    BODY_NAMES,
    BOILERPLATE,
    CAPTION_NAMES,
    DATE_HINT,
    NAMED,
    SUMMARY_HINT,
    TAXONOMY_CLASSES,
)

# Elements a page names, each with its "class id" string.
Named = list[tuple[HtmlElement, str]]


def named_elements(doc: HtmlElement) -> Named:
    """Each element the page names, with its "class id" string, in document order."""
    return [(el, f"{el.get('class', '')} {el.get('id', '')}") for el in NAMED(doc)]


# Class names repeat across a page and across a site's pages: match each distinct one once.
@lru_cache(maxsize=65536)
def is_chrome_name(names: str) -> bool:
    """Whether class/id names say navigation, sharing, ads or other page chrome."""
    return bool(BOILERPLATE.search(TAXONOMY_CLASSES.sub(" ", names.lower())))


@lru_cache(maxsize=65536)
def is_body_name(names: str) -> bool:
    """Whether class/id names say the article body."""
    return bool(BODY_NAMES.search(names.lower()))


@lru_cache(maxsize=65536)
def is_summary_name(names: str) -> bool:
    """Whether class/id names say a lead or summary."""
    return bool(SUMMARY_HINT.search(names.lower()))


@lru_cache(maxsize=65536)
def mentions(names: str, word: str) -> bool:
    """Whether class/id names contain `word`, case-blind."""
    return word in names.lower()


@lru_cache(maxsize=65536)
def is_hiding_style(style: str) -> bool:
    """Whether an inline style hides the element."""
    squeezed = style.replace(" ", "").lower()
    return "display:none" in squeezed or "visibility:hidden" in squeezed


@lru_cache(maxsize=65536)
def is_caption_name(names: str) -> bool:
    """Whether class/id names say an image caption or credit."""
    return bool(CAPTION_NAMES.search(names.lower()))


@lru_cache(maxsize=65536)
def is_author_name(names: str) -> bool:
    """Whether class names say an author or byline."""
    lowered = names.lower()
    return "author" in lowered or "byline" in lowered


@lru_cache(maxsize=65536)
def is_date_name(names: str) -> bool:
    """Whether class/id names say a date or a meta line."""
    return bool(DATE_HINT.search(names.lower()))
