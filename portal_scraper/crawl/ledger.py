"""The crawl's ledger: every URL it discovers ends as a record, a reject or a counted skip.

The spider enters each URL once (by its identity key) when it finds it; the components that
decide its fate settle it. A URL left open when the crawl finished normally is one the crawl lost
without a word: the report names it and alerts.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import Request

from portal_scraper.contracts.meta import ARTICLE, META_KEY
from portal_scraper.contracts.signals import item_written
from portal_scraper.contracts.stats import STAT_LEDGER, STAT_LISTINGS
from portal_scraper.record.model import ArticleRecord, Reject

logger = logging.getLogger(__name__)

# request.meta keys shared by the spider and the middlewares.
# Item attribute: the ledger key of an item that came from another page than its own URL.
ITEM_KEY = "_portal_ledger_key"

WRITTEN, REJECTED, SKIPPED, LOST = "written", "rejected", "skipped", "lost"
UNACCOUNTED_SAMPLE = 20


class Skip(DropItem):
    """An item dropped on purpose, with the ledger's reason (`unchanged`, `duplicate`...)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class Ledger:
    """Discovered URLs by identity key, each settled once as written, rejected or skipped."""

    def __init__(self, shared: bool = False) -> None:
        # Shared (distributed mode): other workers settle what this one discovers, and the other
        # way round, so one worker cannot tell a lost URL from one another worker has: its
        # report counts what it settled and what it left to the others, and alerts on neither.
        self.shared = shared
        self._open: dict[str, str] = {}  # key -> role, while its outcome is pending
        # Settled keys as 12-byte digests: a 100,000-URL crawl keeps ~5 MB, not the URLs.
        self._settled: set[bytes] = set()
        self.outcomes: Counter[tuple[str, str, str]] = Counter()  # (role, outcome, reason)
        self.repeated: Counter[str] = Counter()  # links to URLs already discovered, by role
        self.foreign = 0  # settled here, discovered by another worker (distributed mode)

    def discover(self, key: str, role: str) -> bool:
        """Enter a URL; False when it was discovered before (a repeated link)."""
        if self.known(key):
            self.repeated[role] += 1
            return False
        self._open[key] = role
        return True

    def known(self, key: str) -> bool:
        """True when `key` was discovered in this run."""
        return key in self._open or digest(key) in self._settled

    def settle(self, key: str | None, outcome: str, reason: str = "", role: str = "") -> bool:
        """Record the outcome of a discovered URL; False when it had one already."""
        if key is None or digest(key) in self._settled:
            return False
        found = self._open.pop(key, None)
        if found is None:
            self.foreign += 1
        self._settled.add(digest(key))
        self.outcomes[(found or role or ARTICLE, outcome, reason)] += 1
        return True

    @property
    def open_keys(self) -> list[str]:
        """URLs discovered and not settled yet."""
        return list(self._open)

    def summary(self, finished: bool) -> dict[str, Any]:
        """Counts for the report; open URLs are `unfinished` after a stop, else `unaccounted`."""
        skipped: Counter[str] = Counter()
        rejected: Counter[str] = Counter()
        lost: Counter[str] = Counter()
        totals: Counter[str] = Counter()
        for (role, outcome, reason), count in self.outcomes.items():
            totals[outcome] += count
            if outcome == SKIPPED:
                skipped[f"{role}: {reason}"] += count
            elif outcome == REJECTED:
                rejected[f"{role}: {reason}"] += count
            elif outcome == LOST:
                lost[f"{role}: {reason}"] += count
        pending = self.open_keys
        # Open URLs of a run that finished were lost without a word; of one stopped, unfinished.
        silent = finished and not self.shared
        summary: dict[str, Any] = {
            "discovered": sum(self.outcomes.values()) + len(pending) - self.foreign,
            "written": totals[WRITTEN],
            "rejected": totals[REJECTED],
            "rejected_by_stage": dict(sorted(rejected.items())),
            "skipped": totals[SKIPPED],
            "skipped_by_reason": dict(sorted(skipped.items())),
            "lost": dict(sorted(lost.items())),
            "unfinished": len(pending) if not finished and not self.shared else 0,
            "unaccounted": len(pending) if silent else 0,
            "unaccounted_urls": sorted(pending)[:UNACCOUNTED_SAMPLE] if silent else [],
            "settled_for_other_workers": self.foreign,
            "repeated_links": dict(self.repeated),
        }
        if self.shared:
            summary.update(shared=True, left_to_other_workers=len(pending))
        return summary


def digest(key: str) -> bytes:
    """A 12-byte digest of a key, for "seen" sets that must stay small."""
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).digest()


def request_key(request: Any) -> str | None:
    """The ledger key a request (or a failure's request) carries."""
    meta = getattr(request, "meta", None)
    return meta.get(META_KEY) if meta else None


def item_key(item: Any, response: Any) -> str | None:
    """The ledger key of an item: its own, else that of the request it came from."""
    return getattr(item, ITEM_KEY, None) or request_key(getattr(response, "request", None))


class LedgerAccounts:
    """Extension: settle the URLs whose fate other components decide; report the ledger."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        connect = crawler.signals.connect
        connect(extension.written, signal=item_written)
        connect(extension.dropped, signal=signals.item_dropped)
        connect(extension.item_error, signal=signals.item_error)
        connect(extension.spider_error, signal=signals.spider_error)
        connect(extension.request_dropped, signal=signals.request_dropped)
        connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @property
    def ledger(self) -> Ledger | None:
        ledger = getattr(self.crawler.spider, "ledger", None)
        return ledger if isinstance(ledger, Ledger) else None

    def _settle(self, key: str | None, outcome: str, reason: str, role: str = "") -> None:
        if self.ledger is not None:
            self.ledger.settle(key, outcome, reason, role)

    def written(self, item: Any, response: Any) -> None:
        key = item_key(item, response)
        if isinstance(item, ArticleRecord):
            self._settle(key, WRITTEN, "record")
        elif isinstance(item, Reject):
            self._settle(key, REJECTED, item.stage)

    def dropped(self, item: Any, response: Any, exception: BaseException) -> None:
        reason = getattr(exception, "reason", None) or f"dropped: {str(exception)[:80]}"
        self._settle(item_key(item, response), SKIPPED, reason)

    def item_error(self, item: Any, response: Any, failure: Any) -> None:
        self._settle(item_key(item, response), LOST, f"pipeline error: {failure.value!r}"[:120])

    def spider_error(self, failure: Any, response: Any) -> None:
        reason = f"spider error: {failure.value!r}"[:120]
        self._settle(request_key(getattr(response, "request", None)), LOST, reason)

    def request_dropped(self, request: Request) -> None:
        # The scheduler's duplicate filter (in distributed mode: another worker has the URL).
        self._settle(request_key(request), SKIPPED, "duplicate request")

    def spider_closed(self, reason: str) -> None:
        ledger = self.ledger
        stats = self.crawler.stats
        if ledger is None or stats is None:
            return
        summary = ledger.summary(finished=reason == "finished")
        stats.set_value(STAT_LEDGER, summary)
        if summary["unaccounted"]:
            logger.error(
                "%d discovered URLs have no outcome (not written, rejected or skipped): %s",
                summary["unaccounted"],
                ", ".join(summary["unaccounted_urls"]),
            )
        listings = getattr(self.crawler.spider, "listings", None)
        if listings is not None:
            stats.set_value(STAT_LISTINGS, listings)
