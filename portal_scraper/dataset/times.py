"""Record times read back: RFC 3339 text to an aware instant, and command-line bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_instant(value: Any) -> datetime | None:
    """The instant of an RFC 3339 time with its offset kept; None for no date, or one without
    an offset (it is not guessed to be UTC)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        instant = datetime.fromisoformat(value)
        if instant.tzinfo is None:
            return None
        instant.astimezone(UTC)  # a time at the calendar's edge has no UTC instant
    except (ValueError, OverflowError):
        return None
    return instant


def micros(instant: datetime) -> int:
    """Microseconds since the epoch (exact, unlike a float timestamp)."""
    return (instant - EPOCH) // timedelta(microseconds=1)


def to_utc(value: Any) -> datetime | None:
    """The instant of an RFC 3339 time in UTC, or None."""
    instant = parse_instant(value)
    return instant.astimezone(UTC) if instant is not None else None


def utc_text(value: Any) -> str | None:
    """An RFC 3339 time as UTC text (`2018-08-10T08:00:00Z`), sortable as a string, or None."""
    instant = to_utc(value)
    return instant.isoformat().replace("+00:00", "Z") if instant is not None else None


def bound(text: str) -> date | datetime:
    """A --since/--until value: YYYY-MM-DD (a calendar day) or an RFC 3339 time with offset."""
    if len(text) == 10:
        return date.fromisoformat(text)
    instant = parse_instant(text)
    if instant is None:
        raise ValueError(f"not YYYY-MM-DD or an RFC 3339 time with an offset: {text!r}")
    return instant
