"""Vietnamese portal dates ("Thứ 6, Ngày 10/08/2018, 15:00") to RFC 3339."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from portal_scraper.normalize.text import clean_text

# Day-first numeric date, optionally followed by a 24-hour time ("15:00", "9h05", "9g05").
_DATE = re.compile(
    r"(?P<d1>\d{1,2})[/.\-](?P<d2>\d{1,2})[/.\-](?P<year>\d{4})"
    r"(?:\D{0,12}?(?P<hour>\d{1,2})\s*[:hHgG]\s*(?P<minute>\d{2})"
    r"(?:\s*:\s*(?P<second>\d{2}))?(?:\s*(?P<ampm>SA|CH|AM|PM))?)?",
)


@dataclass(frozen=True)
class ParsedDate:
    """A date read from page text: the value and the text it came from."""

    value: datetime
    raw: str

    def rfc3339(self) -> str:
        """The value as RFC 3339 with seconds and offset."""
        return format_rfc3339(self.value)


def parse_offset(offset: str) -> timezone:
    """Parse "+07:00" into a fixed-offset time zone."""
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", offset)
    if not match:
        raise ValueError(f"not a UTC offset: {offset!r} (expected like +07:00)")
    sign = 1 if match.group(1) == "+" else -1
    delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
    return timezone(sign * delta)


def parse_vietnamese_datetime(
    text: str | None, tz: timezone, *, day_first: bool = True
) -> ParsedDate | None:
    """Read the first date (and time) in `text`, day first unless told; `None` when there is none.

    `day_first=False` reads SharePoint's English list-form stamps ("8/12/2018 9:30 AM").
    """
    raw = clean_text(text)
    match = _DATE.search(raw)
    if not match:
        return None
    hour = int(match.group("hour") or 0)
    ampm = (match.group("ampm") or "").upper()
    if ampm in ("CH", "PM") and hour < 12:
        hour += 12
    elif ampm in ("SA", "AM") and hour == 12:
        hour = 0
    try:
        value = datetime(
            int(match.group("year")),
            int(match.group("d2" if day_first else "d1")),
            int(match.group("d1" if day_first else "d2")),
            hour,
            int(match.group("minute") or 0),
            int(match.group("second") or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None
    return ParsedDate(value=value, raw=raw)


def format_rfc3339(value: datetime) -> str:
    """Format an aware datetime as RFC 3339 with seconds ("Z" for UTC)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: an offset is required")
    text = value.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text
