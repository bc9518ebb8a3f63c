"""Dates as pages write them (Vietnamese forms, ISO 8601, month names) to RFC 3339."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal_scraper.normalize.text import clean_text

# A time of day after a date: "15:00", "9h05", "9g05", "14:30 CH", "2:30 PM".
_TIME = (
    r"(?:\D{0,14}?(?P<hour>\d{1,2})\s*[:hHgG]\s*(?P<minute>\d{2})(?![\d/.\-])"
    r"(?:\s*:\s*(?P<second>\d{2}))?(?:\s*(?P<ampm>SA|CH|AM|PM|am|pm|a\.m\.|p\.m\.))?)?"
)
_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<offset>Z|[+-]\s?\d{2}:?\d{2}(?!\d))?)?"
)
# Year first with slashes or dots: "2020/07/13 01:10", "2020.07.13".
_YEAR_FIRST = re.compile(
    r"(?<!\d)(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})(?!\d)" + _TIME
)
# Chinese, Japanese and Korean: "2020年07月03日 10:30", "2020년 7월 3일".
_CJK = re.compile(
    r"(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]?"
    r"(?:\D{0,6}?(?P<hour>\d{1,2})\s*[:时時시]\s*(?P<minute>\d{2}))?"
)
# Numeric date, day first on Vietnamese and most European pages.
_NUMERIC = re.compile(
    r"(?<!\d)(?P<d1>\d{1,2})[/.\-](?P<d2>\d{1,2})[/.\-](?P<year>\d{4})(?!\d)" + _TIME
)
# "ngày 5 tháng 3 năm 2024".
_VIETNAMESE_WORDS = re.compile(
    r"ngày\s+(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+(?P<year>\d{4})" + _TIME,
    re.IGNORECASE,
)
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            # English, German, French; Spanish, Italian, Portuguese, Dutch.
            (
                "january",
                "jan",
                "januar",
                "janvier",
                "jänner",
                "enero",
                "gennaio",
                "janeiro",
                "januari",
            ),
            (
                "february",
                "feb",
                "februar",
                "février",
                "fevrier",
                "febrero",
                "febbraio",
                "fevereiro",
                "februari",
            ),
            ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco", "maart"),
            ("april", "apr", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio", "maio", "mei"),
            ("june", "jun", "juni", "juin", "junio", "giugno", "junho"),
            ("july", "jul", "juli", "juillet", "julio", "luglio", "julho"),
            ("august", "aug", "août", "aout", "agosto", "augustus"),
            (
                "september",
                "sep",
                "sept",
                "septembre",
                "septiembre",
                "setiembre",
                "settembre",
                "setembro",
            ),
            ("october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "outubro"),
            ("november", "nov", "novembre", "noviembre", "novembro"),
            (
                "december",
                "dec",
                "dezember",
                "dez",
                "décembre",
                "decembre",
                "diciembre",
                "dicembre",
                "dezembro",
            ),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAME = r"(?P<mname>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_MONTH_NAME = re.compile(
    # "5 de octubre de 2023", "5 ottobre 2023", "5. Oktober 2023", "5th October, 2023"
    r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th|º)?\.?\s+(?:de\s+)?"
    + _MONTH_NAME
    + r",?\s+(?:de\s+|del\s+)?(?P<year>\d{4})"
    + _TIME,
    re.IGNORECASE,
)
_MONTH_NAME_DAY = re.compile(
    r"\b" + _MONTH_NAME + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME,
    re.IGNORECASE,
)


_PATTERNS = (_ISO, _NUMERIC, _YEAR_FIRST, _CJK, _VIETNAMESE_WORDS, _DAY_MONTH_NAME, _MONTH_NAME_DAY)
# Every pattern reads a four-digit year: a text without four digits in a row holds no date.
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class ParsedDate:
    """A date read from page text: the value and the text it came from."""

    value: datetime
    raw: str

    def rfc3339(self) -> str:
        """The value as RFC 3339 with seconds and offset."""
        return format_rfc3339(self.value)


@lru_cache(maxsize=1024)
def parse_zone(zone: str) -> tzinfo:
    """Parse an offset ("+07:00", "Z") or an IANA time zone name ("Europe/Berlin", whose
    offset a date takes on its own day, summer time included)."""
    if zone[:1] in ("+", "-", "Z"):
        return parse_offset(zone)
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"neither an offset nor a time zone: {zone!r}") from None


def parse_offset(offset: str) -> timezone:
    """Parse "+07:00" (or "Z") into a fixed-offset time zone."""
    if offset == "Z":
        return UTC
    match = re.fullmatch(r"([+-])\s?(\d{2}):?(\d{2})", offset)
    if not match:
        raise ValueError(f"not a UTC offset: {offset!r} (expected like +07:00)")
    sign = 1 if match.group(1) == "+" else -1
    delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
    return timezone(sign * delta)


def parse_datetime(text: str | None, tz: tzinfo, *, day_first: bool = True) -> ParsedDate | None:
    """Read the first date (and time) in `text`; `None` when there is none.

    An offset written in the text is kept; otherwise the date is in `tz`. Numeric dates are
    day first unless `day_first=False` (SharePoint's English list-form stamps, "8/12/2018 9:30 AM").
    """
    raw = clean_text(text)
    if not raw:
        return None
    found = _matches(raw, tz, day_first)
    if not found:
        return None
    return ParsedDate(value=found[0][1], raw=raw)


def date_text(text: str | None, tz: tzinfo, *, day_first: bool = True) -> str | None:
    """Only the date (and time) that `parse_datetime` reads in `text`, without the words around."""
    raw = clean_text(text)
    found = _matches(raw, tz, day_first) if raw else ()
    if not found:
        return None
    match = found[0][0]
    return raw[match.start() : match.end()].strip(" ,;|-–(")


# A page's date lines are read several times (each rule that weighs a date reads it again).
@lru_cache(maxsize=4096)
def _matches(raw: str, tz: tzinfo, day_first: bool) -> tuple[tuple[re.Match[str], datetime], ...]:
    """Each pattern's first date in `raw`, the earliest first."""
    if not _YEAR.search(raw):
        return ()  # (one search instead of seven)
    found = []
    for pattern in _PATTERNS:
        match = pattern.search(raw)
        if match:
            value = _to_datetime(match, tz, day_first)
            if value is not None:
                found.append((match, value))
    return tuple(sorted(found, key=lambda f: f[0].start()))


def _to_datetime(match: re.Match[str], tz: tzinfo, day_first: bool) -> datetime | None:
    groups = match.groupdict()
    if groups.get("d1"):
        day, month = (groups["d1"], groups["d2"]) if day_first else (groups["d2"], groups["d1"])
    elif groups.get("mname"):
        day, month = groups["day"], str(MONTHS[groups["mname"].lower()])
    else:
        day, month = groups["day"], groups["month"]
    hour = int(groups.get("hour") or 0)
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm in ("ch", "pm") and hour < 12:
        hour += 12
    elif ampm in ("sa", "am") and hour == 12:
        hour = 0
    try:
        zone = parse_offset(groups["offset"]) if groups.get("offset") else tz
        return datetime(
            int(groups["year"]),
            int(month),
            int(day),
            hour,
            int(groups.get("minute") or 0),
            int(groups.get("second") or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None


def utc_now() -> str:
    """The current time as RFC 3339 UTC with seconds (`2026-11-20T08:00:00Z`)."""
    return format_rfc3339(datetime.now(UTC).replace(microsecond=0))


def format_rfc3339(value: datetime) -> str:
    """Format an aware datetime as RFC 3339 with seconds ("Z" for UTC)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: an offset is required")
    text = value.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text
