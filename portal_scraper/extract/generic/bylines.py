"""Authors: structured data, byline elements, or a name signing the article's end."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import AUTHOR_PREFIX, NOT_A_NAME, NOT_AUTHOR
from portal_scraper.extract.generic.measure import squash
from portal_scraper.extract.generic.names import Named, is_author_name, is_chrome_name
from portal_scraper.extract.metadata import Metadata
from portal_scraper.normalize.text import clean_text


def find_authors(named: Named, meta: Metadata) -> tuple[list[str], list[HtmlElement]]:
    """People named by structured data, else by a byline element; and the byline elements."""
    names = [n for a in meta.authors for n in _split_authors(a)]
    bylines = [
        el
        for el, _ in named
        if el.get("rel") == "author"
        or el.get("itemprop") == "author"
        or is_author_name(el.get("class", ""))
    ]
    found_in: list[HtmlElement] = []
    for el in bylines:
        text = clean_text(el.text_content())
        if not text or len(text) > 120 or is_chrome_name(el.get("class", "")):
            continue
        found = _split_authors(text)
        if found or AUTHOR_PREFIX.match(text + " "):
            found_in.append(el)  # a byline is never body text, whoever is named
            names = names or found
    return names, found_in


def _split_authors(text: str) -> list[str]:
    """The names in a byline that may list several people."""
    names: list[str] = []
    for segment in re.split(r"\s*[|;/]\s*", text):
        segment = AUTHOR_PREFIX.sub(
            "", clean_text(segment)
        )  # "Bài và ảnh:" before splitting on "và"
        for part in re.split(r"\s*,\s*|\s+(?:and|und|et|og|e|y|và|&)\s+", segment):
            name = _clean_author(part)
            if name and name not in names:
                names.append(name)
    return names


def _clean_author(text: str) -> str | None:
    """A person's name from a byline fragment, or `None` for dates, roles and sources."""
    text = AUTHOR_PREFIX.sub("", clean_text(text))
    text = re.sub(r"\s*\([^()]*\)$", "", text).strip(" -–|:,.")  # "Elena Oberholzer (obe)"
    if not text or NOT_AUTHOR.match(text) or NOT_A_NAME.match(text):
        return None
    if re.search(r"\d|@|https?:|www\.|\.(?:de|com|net|org|vn)\b", text):
        return None
    if len(text) > 60 or len(text.split()) > 6:
        return None
    return text


def trailing_byline(main: HtmlElement) -> str | None:
    """A last paragraph that is only a short name ("Phương Thảo"), as Vietnamese portals sign."""
    paragraphs = [p for p in main.iter("p", "div") if squash(p.text_content())]
    if not paragraphs:
        return None
    last = paragraphs[-1]
    text = squash(last.text_content())
    words = text.split()
    looks_signed = (
        last.find(".//strong") is not None
        or last.find(".//b") is not None
        or "right" in last.get("style", "") + last.get("align", "")
    )
    if 2 <= len(words) <= 5 and looks_signed and all(w[:1].isupper() for w in words):
        name = _clean_author(text)
        if name:
            last.drop_tree()
            return name
    return None
