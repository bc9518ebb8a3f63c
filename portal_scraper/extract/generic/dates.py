"""The publication date as the page writes it, and the offset for dates written without one."""

from __future__ import annotations

import re
from copy import deepcopy
from datetime import date, datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import (
    CLASS_SEPARATOR,
    COUNTRY_ZONES,
    DATE_ABOVE_TITLE_ELEMENTS,
    DATE_PREFIX,
    HAS_TIME,
    MAX_DATE_LINE_CHARS,
    MAX_YEAR,
    MICROFORMAT_CLASSES,
    MIN_YEAR,
    NOT_PUBLISHED_DATE,
    OTHER_ARTICLES_NAMES,
    SCRIPT_PUBLISH_STAMP,
    TIME_SELECTOR,
    TITLED_WITH_CLASS,
    URL_DATE,
)
from portal_scraper.extract.generic.measure import squash
from portal_scraper.extract.generic.name_hints import AUTHOR_PREFIX
from portal_scraper.extract.generic.names import Named, is_date_name
from portal_scraper.extract.metadata import PUBLISHED_KEYS, Metadata
from portal_scraper.normalize.dates import (
    date_text,
    format_rfc3339,
    parse_datetime,
    parse_offset,
    parse_zone,
)

UTC = parse_offset("+00:00")
_LAST_SEPARATED = re.compile(r"[|•·]|\s[-–—]\s")
_UPDATED = re.compile(r"updat|modif", re.IGNORECASE)
_PUBLISHED = re.compile(r"entry-date", re.IGNORECASE)
_HAS_CLOCK = re.compile(r"\d:\d\d")
_HAS_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")
_ISO_ATTRIBUTE = re.compile(r"\s*\d{4}-\d{2}-\d{2}(?:$|[T ]\d{2}:\d{2})")


def find_published(
    doc: HtmlElement,
    named: Named,
    title_place: int,
    meta: Metadata,
    url: str,
    title_el: HtmlElement | None,
    language: str | None = None,
) -> tuple[str | None, list[HtmlElement]]:
    """The publication date as written, and the page's date lines (never body text); a UTC
    stamp is given in the page's local time (`language` tells its zone too)."""
    visible = None
    date_lines: list[HtmlElement] = []
    for el, text in _near_title(named, title_place):
        text = squash(text)
        if len(text) <= MAX_DATE_LINE_CHARS and parse_datetime(text, UTC):
            date_lines.append(el)  # a date line is never body text, whichever date wins
            visible = visible or _published_text(text)
    found = _publication_date(doc, meta, url, title_el, visible)
    if found:
        return _refined(doc, found, visible, local_zone(url, language)), date_lines
    if date_lines:
        return None, date_lines  # a visible date the rules refused (an edit, a claim): no other
    return second_search(doc, url), date_lines


def second_search(doc: HtmlElement, url: str) -> str | None:
    """htmldate's publication day for a page where none of the rules above found a date.

    Its wider search (scripts, free text, URL patterns) finds a right day on more pages than it
    gets wrong, but it is slower and gives no time of day: it only runs when nothing else did
    (benchmarks/RESULTS.md). Its answer is an ISO day, which stands as the raw date.
    """
    from htmldate import find_date  # imports dateparser: only for the pages that need it

    try:
        # It prunes the tree it is given; the profile still needs this one.
        found = find_date(deepcopy(doc), url=url, original_date=True, extensive_search=False)
    except Exception:  # a third-party search must not turn an article into a reject
        return None
    return str(found) if found else None


def _published_text(text: str) -> str | None:
    """The date in a date line, unless the line labels it an edit, a retrieval or a claim."""
    span = date_text(text, UTC)
    if span is None:
        return None
    before = text[: text.find(span)]
    if NOT_PUBLISHED_DATE.search(before):
        return None
    # "Thứ 6, Ngày 10/08/2018" and "Hà Nội, ngày ..." stay whole; a byline before it does not.
    if DATE_PREFIX.match(before):
        return before + span
    if AUTHOR_PREFIX.match(before):
        return span
    return _LAST_SEPARATED.split(before)[-1].lstrip() + span


def _plausible(text: str | None) -> bool:
    found = parse_datetime(text, UTC)
    return found is not None and MIN_YEAR <= found.value.year <= MAX_YEAR


def _publication_date(
    doc: HtmlElement,
    meta: Metadata,
    url: str,
    title_el: HtmlElement | None,
    visible: str | None,
) -> str | None:
    """The first date found: structured data, `<time>`, the visible date line, the URL."""
    stamps = [
        el.get("datetime", "")
        for el in _article_times(doc, title_el)
        if _ISO_ATTRIBUTE.match(el.get("datetime", ""))
        and _plausible(el.get("datetime"))
        # An update stamp ("date-updated", itemprop="dateModified") dates no publication,
        # unless it says it is the entry's date too ("entry-date updated": hAtom asks themes to
        # mark the publication date "updated").
        and not _update_only(el.get("class", "") + " " + el.get("itemprop", ""))
    ]
    if meta.published and _plausible(meta.published):
        return _agreed(meta, stamps[:1])
    if stamps:
        return stamps[0]
    for el in _microformat_dates(doc):  # hAtom: <abbr class="published" title="2013-...">
        if _plausible(el.get("title")):
            return el.get("title")
    if visible:
        return visible
    match = URL_DATE.search(urlsplit(url).path)
    if match:
        return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
    return _first_date_line(doc, title_el)


def _update_only(names: str) -> bool:
    """Whether class/itemprop names say an update and not the publication as well."""
    return bool(_UPDATED.search(names)) and not _PUBLISHED.search(names)


def _microformat_dates(doc: HtmlElement) -> list[HtmlElement]:
    """Elements with a title and an hAtom date class, in document order."""
    return [
        el
        for el in TITLED_WITH_CLASS(doc)
        if not MICROFORMAT_CLASSES.isdisjoint(CLASS_SEPARATOR.split(el.get("class", "")))
    ]


def _agreed(meta: Metadata, evidence: list[str]) -> str:
    """The structured date; when JSON-LD and `<meta>` disagree on the day, the one the page's
    `<time>` or date line confirms."""
    chosen = meta.published or ""
    other = meta.first(PUBLISHED_KEYS)
    days = {_day(e) for e in evidence} - {None}
    if not other or not _plausible(other):
        return chosen
    if _day(other) != _day(chosen) and days and _day(chosen) not in days and _day(other) in days:
        return other
    if _day(other) == _day(chosen) and not _HAS_CLOCK.search(chosen) and _HAS_CLOCK.search(other):
        return other  # the same day, with its time
    return chosen


def _day(text: str | None) -> str | None:
    found = parse_datetime(text, UTC)
    return found.value.date().isoformat() if found else None


def _article_times(doc: HtmlElement, title_el: HtmlElement | None) -> list[HtmlElement]:
    """`<time datetime>` elements, the article's own first: publication-hinted, then those
    sharing the headline's `<article>`, and last those in a sidebar or a related list."""
    article = None
    if title_el is not None:
        article = next(title_el.iterancestors("article"), None)

    def rank(el: HtmlElement) -> tuple[bool, bool, bool]:
        hint = (el.get("itemprop", "") + el.get("class", "") + el.get("pubdate", "x")).lower()
        ancestors = list(el.iterancestors())
        in_chrome = any(
            a.tag == "aside"
            or OTHER_ARTICLES_NAMES.search(f"{a.get('class', '')} {a.get('id', '')}".lower())
            for a in ancestors
        )
        return "publish" not in hint and "x" in hint, in_chrome, article not in ancestors

    return sorted(TIME_SELECTOR(doc), key=rank)


def _refined(doc: HtmlElement, found: str, visible: str | None, zone: tzinfo | None) -> str:
    """`found`, in the page's own local time when it is UTC (the offset the page's local
    clock shows, else its country's zone), and to the second when a page script stamps the
    same minute."""
    parsed = parse_datetime(found, UTC)
    if parsed is None:
        return found
    value = parsed.value
    if value.utcoffset() == timedelta(0) and re.search(r"Z|[+-]00:?00|GMT|UTC", found):
        local = _local_offset(value, [visible, *_naive_stamps(doc)]) or _stamped_offset(value, doc)
        if local is not None:
            value = value.astimezone(local)
            found = format_rfc3339(value)
        elif zone is not None:
            local_value = value.astimezone(zone)
            # (A page that shows the UTC day under its stamp, not the local one, keeps UTC.)
            if local_value.date() == value.date() or value.date() not in _shown_days(
                doc, [visible]
            ):
                value = local_value
                found = format_rfc3339(value)
    if value.second == 0 and value.microsecond == 0:
        for script in doc.iter("script"):
            text = script.text or ""
            match = SCRIPT_PUBLISH_STAMP.search(text) if "ublish" in text else None
            if match:
                y, mo, d, h, mi, s = (int(g) for g in match.groups())
                if (y, mo, d, h, mi) == (
                    value.year,
                    value.month,
                    value.day,
                    value.hour,
                    value.minute,
                ):
                    return format_rfc3339(value.replace(second=s))
                break
    return found


def _local_offset(value: datetime, clocks: list[str | None]) -> tzinfo | None:
    """The offset that turns UTC `value` into one of the page's local clock times, if any."""
    for clock in clocks:
        local = parse_datetime(clock, UTC) if clock else None
        if local is None or not _HAS_CLOCK.search(clock or ""):
            continue
        shift = local.value.replace(tzinfo=None) - value.replace(tzinfo=None)
        minutes = shift.total_seconds() / 60
        if shift and abs(minutes) <= 14 * 60 and minutes % 15 == 0 and local.value.minute:
            return timezone(shift)
    return None


def _stamped_offset(value: datetime, doc: HtmlElement) -> tzinfo | None:
    """The offset of a `<time datetime>` on the page that writes the same instant locally."""
    for el in TIME_SELECTOR(doc):
        stamp = el.get("datetime", "")
        if not _HAS_OFFSET.search(stamp):
            continue
        parsed = parse_datetime(stamp, UTC)
        offset = parsed.value.utcoffset() if parsed is not None else None
        if parsed is not None and offset and parsed.value == value:
            return parsed.value.tzinfo
    return None


def _naive_stamps(doc: HtmlElement) -> list[str]:
    """`<time datetime>` values written without an offset: the page's local clock."""
    return [
        stamp
        for el in TIME_SELECTOR(doc)
        if (stamp := el.get("datetime", ""))
        and _HAS_CLOCK.search(stamp)
        and not _HAS_OFFSET.search(stamp)
    ]


def _shown_days(doc: HtmlElement, lines: list[str | None]) -> set[date]:
    """The days the page writes out: its date line and the text of its `<time>` elements."""
    texts = [*lines, *(squash(el.text_content()) for el in TIME_SELECTOR(doc))]
    days = set()
    for text in texts:
        if text and len(text) <= MAX_DATE_LINE_CHARS:
            parsed = parse_datetime(text, UTC)
            if parsed is not None:
                days.add(parsed.value.date())
    return days


def local_zone(url: str, language: str | None) -> tzinfo | None:
    """The time zone of the page's local clock, as `utc_offset` names it, when it names one."""
    offset = utc_offset(url, language)
    return None if offset == "+00:00" else parse_zone(offset)


def _first_date_line(doc: HtmlElement, title_el: HtmlElement | None) -> str | None:
    """Last resort: a short line just above the headline, or the first one after it, that is
    a plausible date."""
    above = []
    if title_el is not None:
        for el in (title_el, title_el.getparent()):
            if el is not None:
                siblings = [e for e in el.itersiblings(preceding=True) if isinstance(e.tag, str)]
                above += siblings[:DATE_ABOVE_TITLE_ELEMENTS]
    for el in above:
        line = squash(el.text_content())
        if 8 <= len(line) <= MAX_DATE_LINE_CHARS and _plausible(line):
            text = _published_text(line)
            if text:
                return text
    after = title_el is None
    for el in doc.iter():
        if el is title_el:
            after = True
        if not after or not isinstance(el.tag, str) or el.tag in ("script", "style", "title"):
            continue
        for text in (el.text, el.tail):
            if not text or len(text) < 8:
                continue  # (collapsing white space never lengthens a line)
            line = squash(text)
            if (
                8 <= len(line) <= MAX_DATE_LINE_CHARS
                and any(c.isdigit() for c in line)
                and _plausible(line)
            ):
                published = _published_text(line)
                if published:
                    return published
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
    """The offset or time zone of dates written without an offset: Vietnam time for Vietnamese
    pages, else the zone of the country whose domain the page is on, else UTC."""
    host = urlsplit(url).hostname or ""
    if language == "vi" or host.endswith(".vn"):
        return "+07:00"
    return COUNTRY_ZONES.get(host.rsplit(".", 1)[-1], "+00:00")
