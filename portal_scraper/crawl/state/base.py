"""What every state store provides: per-article hashes and seen times, rejects, run reports."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

RECENT_RUNS = 100  # how far back to look for the last run that did not fail


@dataclass(frozen=True)
class Seen:
    """The stored state of one article."""

    canonical_url: str
    content_sha256: str
    first_seen: str
    last_seen: str


class StateStore(Protocol):
    """The state store of a crawl: SQLite on one machine, Redis shared by distributed workers."""

    # True when other workers (other job directories) share the store: one records file does not
    # tell what it holds.
    shared: bool

    def get(self, canonical_url: str) -> Seen | None:
        """The stored state of the article at `canonical_url`, if it was archived."""
        ...

    def remember(self, record: Mapping[str, Any]) -> tuple[str, str | None]:
        """Store a written record; return ("new" | "updated" | "unchanged", previous hash)."""
        ...

    def archived_urls(self) -> list[str]:
        """Canonical URLs of every archived article."""
        ...

    def forget(self, canonical_url: str) -> None:
        """Forget an archived article (its record was lost): the next fetch archives it anew."""
        ...

    def remember_reject(self, url: str, stage: str, reason: str, seen_at: str) -> None:
        """Note a page that gave no record (it is not fetched again unless refreshing)."""
        ...

    def rejected(self, url: str) -> str | None:
        """The reason a page was rejected by an earlier run, if it was."""
        ...

    def touch(self, canonical_url: str, seen_at: str) -> None:
        """Note that an unchanged article was seen again."""
        ...

    def get_meta(self, key: str) -> str | None:
        """A bookkeeping value (how far an output file is remembered)."""
        ...

    def set_meta(self, key: str, value: str) -> None:
        """Set a bookkeeping value."""
        ...

    def count(self) -> int:
        """How many articles the store knows."""
        ...

    def save_report(self, report: dict[str, Any]) -> None:
        """Keep a run's report, to compare the next run with."""
        ...

    def last_report(self) -> dict[str, Any] | None:
        """The report of the last run that did not fail (the baseline to compare with)."""
        ...

    def close(self) -> None:
        """Release what the store holds open."""
        ...


def last_complete(reports: Iterable[str | bytes]) -> dict[str, Any] | None:
    """The first of `reports` (JSON, newest first) without failures."""
    for raw in reports:
        report: dict[str, Any] = json.loads(raw)
        if not report.get("failures"):
            return report
    return None
