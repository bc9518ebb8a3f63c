"""The publication date as the page writes it, and the offset for dates written without one."""

from __future__ import annotations

from datetime import timezone
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import (
    HAS_TIME,
    MAX_DATE_LINE_CHARS,
    MAX_YEAR,
    MICROFORMAT_DATES,
    MIN_YEAR,
    TIME_SELECTOR,
    URL_DATE,
)
from portal_scraper.extract.generic.measure import squash
from portal_scraper.extract.generic.names import Named, is_date_name
from portal_scraper.extract.metadata import Metadata
from portal_scraper.normalize.dates import parse_datetime, parse_offset


def find_published(
    doc: HtmlElement,
    named: Named,
    title_place: int,
    meta: Metadata,
    url: str,
    title_el: HtmlElement | None,
) -> tuple[str | None, list[HtmlElement]]:
    """The publication date as written, and the page's date lines (never body text)."""
    utc = parse_offset("+00:00")
    visible = None
    date_lines: list[HtmlElement] = []
    for el, text in _near_title(named, title_place):
        text = squash(text)
        if len(text) <= MAX_DATE_LINE_CHARS and parse_datetime(text, utc):
            date_lines.append(el)  # a date line is never body text, whichever date wins
            visible = visible or text
    return _publication_date(doc, meta, url, title_el, visible, utc), date_lines


def _publication_date(
    doc: HtmlElement,
    meta: Metadata,
    url: str,
    title_el: HtmlElement | None,
    visible: str | None,
    utc: timezone,
) -> str | None:
    """The first date found: structured data, `<time>`, the visible date line, the URL."""
    if meta.published and parse_datetime(meta.published, utc):
        return meta.published
    times = TIME_SELECTOR(doc)
    for el in sorted(
        times, key=lambda t: "publish" not in (t.get("itemprop", "") + t.get("class", "")).lower()
    ):
        if parse_datetime(el.get("datetime"), utc):
            return el.get("datetime")
    for el in MICROFORMAT_DATES(doc):  # hAtom: <abbr class="published" title="2013-04-04T...">
        if parse_datetime(el.get("title"), utc):
            return el.get("title")
    if visible:
        return visible
    match = URL_DATE.search(urlsplit(url).path)
    if match:
        return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
    return _first_date_line(doc, title_el, utc)


def _first_date_line(doc: HtmlElement, title_el: HtmlElement | None, utc: timezone) -> str | None:
    """Last resort: the first short line after the headline that is a plausible date."""
    after = title_el is None
    for el in doc.iter():
        if el is title_el:
            after = True
        if not after or not isinstance(el.tag, str) or el.tag in ("script", "style", "title"):
            continue
        for text in (el.text, el.tail):
            line = squash(text or "")
            if 8 <= len(line) <= MAX_DATE_LINE_CHARS and any(c.isdigit() for c in line):
                found = parse_datetime(line, utc)
                if found and MIN_YEAR <= found.value.year <= MAX_YEAR:
                    return line
    return None


def _near_title(named: Named, title_place: int) -> list[tuple[HtmlElement, str]]:
    """Elements hinted as dates, with their text, those around the headline first."""
    hinted = [
        (i, el, el.text_content())
        for i, (el, names) in enumerate(named)
        if is_date_name(names) and el.tag not in ("html", "body", "head", "script", "style")
    ]

    def rank(item: tuple[int, HtmlElement, str]) -> tuple[int, bool]:
        # Nearby first; among near ones, a line with a time of day is the more exact date.
        distance = abs(item[0] - title_place)
        return distance // 4, not HAS_TIME.search(item[2][:200])

    return [(el, text) for _, el, text in sorted(hinted, key=rank)]


def utc_offset(url: str, language: str | None) -> str:
    """The offset for dates written without one: Vietnam time for Vietnamese pages."""
    host = urlsplit(url).hostname or ""
    return "+07:00" if language == "vi" or host.endswith(".vn") else "+00:00"
