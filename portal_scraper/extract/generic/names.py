"""Matching the names a page gives its elements (class, id) against the hints."""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import (
    BODY_NAMES,
    BOILERPLATE,
    CAPTION_NAMES,
    DATE_HINT,
    NAMED_ATTRIBUTES,
    NAMED_BEFORE,
    STRONG_CHROME,
    SUMMARY_HINT,
    TAXONOMY_CLASSES,
)

_NAMING = frozenset(NAMED_ATTRIBUTES)
# Elements a page names, each with its "class id" string.
Named = list[tuple[HtmlElement, str]]


def named_elements(doc: HtmlElement) -> Named:
    """Each element the page names, with its "class id" string, in document order."""
    # The elements `NAMED` selects, read in one walk: a third faster than the XPath.
    named: Named = []
    for el in doc.iterdescendants(etree.Element):
        if not _NAMING.isdisjoint(el.keys()):
            named.append((el, f"{el.get('class', '')} {el.get('id', '')}"))
    return named


def named_before(named: Named, el: HtmlElement) -> int:
    """How many named elements come before `el` in document order (its ancestors included)."""
    # Read off `named` when `el` is in it (the headline usually is): `NAMED_BEFORE` walks the
    # page. The root `<html>` is no entry of `named` but counts when named.
    index = next((i for i, (named_el, _) in enumerate(named) if named_el is el), None)
    if index is None:
        return int(NAMED_BEFORE(el))
    root = el.getroottree().getroot()
    return index + any(root.get(name) is not None for name in NAMED_ATTRIBUTES)


# Class names repeat across a page and across a site's pages: match each distinct one once.
@lru_cache(maxsize=65536)
def is_chrome_name(names: str) -> bool:
    """Whether class/id names say navigation, sharing, ads or other page chrome."""
    return bool(BOILERPLATE.search(TAXONOMY_CLASSES.sub(" ", names.lower())))


def is_strong_chrome_name(names: str) -> bool:
    """Whether class/id names say comments, related lists, footers: chrome whatever it holds."""
    return bool(STRONG_CHROME.search(TAXONOMY_CLASSES.sub(" ", names.lower())))


@lru_cache(maxsize=65536)
def name_marks(names: str) -> tuple[bool, bool, bool]:
    """Whether class/id names say the article body, chrome, and strong chrome: the three
    questions pruning asks of every named element, answered in one lookup."""
    return is_body_name(names), is_chrome_name(names), is_strong_chrome_name(names)


@lru_cache(maxsize=65536)
def is_body_name(names: str) -> bool:
    """Whether class/id names say the article body."""
    return bool(BODY_NAMES.search(names.lower()))


@lru_cache(maxsize=65536)
def is_summary_name(names: str) -> bool:
    """Whether class/id names say a lead or summary."""
    return bool(SUMMARY_HINT.search(names.lower()))


@lru_cache(maxsize=65536)
def is_hiding_style(style: str) -> bool:
    """Whether an inline style hides the element."""
    squeezed = style.replace(" ", "").lower()
    return "display:none" in squeezed or "visibility:hidden" in squeezed


@lru_cache(maxsize=65536)
def is_caption_name(names: str) -> bool:
    """Whether class/id names say an image caption or credit."""
    return bool(CAPTION_NAMES.search(names.lower()))


# What class names say of an author: nothing, an author or byline, or an author in German,
# Spanish, Polish or French ("autor", "auteur") or a signature (names that must read as people's).
NO_AUTHOR_CLASS, AUTHOR_CLASS, AUTHOR_CLASS_ELSEWHERE = 0, 1, 2


@lru_cache(maxsize=65536)
def author_kind(names: str) -> int:
    """Whether class names say an author or byline, and in which words."""
    lowered = names.lower()
    if "author" in lowered or "byline" in lowered:
        return AUTHOR_CLASS
    if "autor" in lowered or "auteur" in lowered or "signature" in lowered:
        return AUTHOR_CLASS_ELSEWHERE
    return NO_AUTHOR_CLASS


@lru_cache(maxsize=65536)
def is_date_name(names: str) -> bool:
    """Whether class/id names say a date or a meta line."""
    return bool(DATE_HINT.search(names.lower()))
