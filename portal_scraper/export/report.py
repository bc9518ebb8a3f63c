"""The run report: what a run did, how it compares with the last run, and whether it was healthy."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.python.failure import Failure

from portal_scraper.crawl.ledger import LISTING, META_ROLE
from portal_scraper.crawl.state import report_built, state_owner
from portal_scraper.export.durable import STAT_FAILED, item_written
from portal_scraper.record.model import RECORD_FIELDS, ArticleRecord, Reject, is_empty

logger = logging.getLogger(__name__)
EXIT_HEALTHY, EXIT_FAILED, EXIT_THRESHOLD = 0, 1, 3
# Coverage is compared between runs only when both wrote at least this many records of a site.
MIN_RECORDS_FOR_COVERAGE = 20
# The reject rate alerts only over at least this many article pages.
MIN_PAGES_FOR_REJECT_RATE = 20


def build_report(
    stats: dict[str, Any],
    previous: dict[str, Any] | None,
    max_reject_rate: float,
    max_coverage_drop: float,
) -> dict[str, Any]:
    """The report of a run from its crawl stats (and the previous run's report)."""
    written = int(stats.get("records/written", 0))
    unchanged = int(stats.get("records/unchanged", 0))
    rejects = int(stats.get("rejects/count", 0))
    # A listing that cannot be read is reported with the listings, not in the article reject rate.
    article_rejects = rejects - int(stats.get("rejects/role/listing", 0))
    processed = written + unchanged + article_rejects
    started, finished = stats.get("start_time"), stats.get("finish_time")
    coverage: dict[str, dict[str, float]] = {}
    by_site: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("records/written/"):
            site = key.removeprefix("records/written/")
            by_site[site] = int(value)
            coverage[site] = {
                name: round(int(stats.get(f"coverage/{site}/{name}", 0)) / value, 4)
                for name in RECORD_FIELDS
            }
    report: dict[str, Any] = {
        "started_at": _iso(started),
        "finished_at": _iso(finished),
        "duration_seconds": round(float(stats.get("elapsed_time_seconds", 0.0)), 3),
        "finish_reason": stats.get("finish_reason"),
        "pages_fetched": int(stats.get("downloader/response_count", 0)),
        "listing_pages": int(stats.get("portal/listing_pages", 0)),
        "article_pages": int(stats.get("pages/article", 0)),
        "articles_written": written,
        "articles_new": int(stats.get("records/new", 0)),
        "articles_updated": int(stats.get("records/updated", 0)),
        "articles_unchanged": unchanged,
        "articles_skipped_archived": int(stats.get("incremental/skipped_archived", 0)),
        "known_rejects_skipped": int(stats.get("incremental/skipped_rejected", 0)),
        "articles_forgotten_damaged": int(stats.get("incremental/forgotten_damaged", 0)),
        "rejects": rejects,
        "reject_rate": round(article_rejects / processed, 4) if processed else 0.0,
        "rejects_by_reason": {
            key.removeprefix("rejects/reason/"): value
            for key, value in sorted(stats.items())
            if key.startswith("rejects/reason/")
        },
        "http_errors": {
            key.rsplit("/", 1)[-1]: value
            for key, value in sorted(stats.items())
            if key.startswith("downloader/response_status_count/") and key[-3] in "45"
        },
        "network_errors": {
            key.rsplit("/", 1)[-1]: value
            for key, value in sorted(stats.items())
            if key.startswith("downloader/exception_type_count/")
            and not key.endswith("IgnoreRequest")  # skipped on purpose (archived, off-site)
        },
        "retries": {
            outcome: {
                key.rsplit("/", 1)[-1]: value
                for key, value in sorted(stats.items())
                if key.startswith(prefix)
            }
            for outcome, prefix in (
                ("retried", "retry/reason_count/"),
                ("recovered", "retry/recovered/"),
                ("gave_up", "retry/gave_up/"),
            )
        },
        "refused": {
            "internal_address": int(stats.get("guard/internal_address", 0)),
            "offsite": int(stats.get("offsite/filtered", 0)),
            "robots_txt": int(stats.get("robotstxt/forbidden", 0)),
        },
        "encoding_conflicts": int(stats.get("encoding/conflicts", 0)),
        "coverage": coverage,
        "ledger": stats.get("ledger") or {},
        "listings": stats.get("listings") or {},
        "write_failure": stats.get(STAT_FAILED),
        "written_by_site": by_site,
        "change": _change(written, coverage, by_site, previous),
    }
    failures = _failures(report)
    alerts = _listing_alerts(report["listings"], previous)
    unaccounted = report["ledger"].get("unaccounted", 0)
    if unaccounted:
        alerts.append(
            f"{unaccounted} discovered URLs have no outcome (not written, rejected or skipped), "
            "e.g. " + ", ".join(report["ledger"].get("unaccounted_urls", [])[:3])
        )
    if report["articles_forgotten_damaged"]:
        alerts.append(
            f"{report['articles_forgotten_damaged']} archived articles were missing from the "
            "records file (damaged or cut; bad lines are in <file>.damaged): fetched again"
        )
    if stats.get("incremental/shared_state_lost"):
        alerts.append(
            "the shared state store (Redis) knew nothing of this job directory's records: was it "
            "restarted without persistence (AOF)? Rebuilt from the file; articles other workers "
            "wrote before may have been written again"
        )
    lost = report["ledger"].get("lost") or {}
    if lost:
        alerts.append("URLs lost to errors: " + ", ".join(f"{n} x {r}" for r, n in lost.items()))
    # A share of a handful of pages is no rate (one non-article among a worker's 15 pages).
    if report["reject_rate"] > max_reject_rate and processed >= MIN_PAGES_FOR_REJECT_RATE:
        alerts.append(
            f"reject rate {report['reject_rate']:.1%} is above {max_reject_rate:.1%} "
            "(REPORT_MAX_REJECT_RATE)"
        )
    for name, drop in report["change"].get("coverage_drops", {}).items():
        if drop > max_coverage_drop:
            alerts.append(
                f"coverage of {name} fell {drop:.0f} points, more than {max_coverage_drop:.0f} "
                "(REPORT_MAX_COVERAGE_DROP)"
            )
    report["failures"] = failures
    report["alerts"] = alerts
    report["exit_code"] = EXIT_FAILED if failures else EXIT_THRESHOLD if alerts else EXIT_HEALTHY
    return report


def _failures(report: dict[str, Any]) -> list[str]:
    """Why the run failed: output not written, or nothing fetched at all."""
    failures = []
    if report["write_failure"]:
        unfinished = report["ledger"].get("unfinished", 0)
        failures.append(
            f"output not written: {report['write_failure']}; the crawl stopped with "
            f"{unfinished} URLs unfinished (a rerun fetches them)"
        )
    elif report["finish_reason"] not in (None, "finished"):
        failures.append(f"the crawl did not finish: {report['finish_reason']}")
    # In distributed mode another worker may have fetched everything: not a failure of this one.
    shared = bool(report["ledger"].get("shared"))
    if report["listing_pages"] + report["article_pages"] == 0 and not shared:
        why = [
            f"{url}: {listing.get('status')}"
            for url, listing in report["listings"].items()
            if listing.get("status") != "ok"
        ] or [f"{n} x {r}" for r, n in report["rejects_by_reason"].items()]
        skipped = report["ledger"].get("skipped_by_reason") or {}
        why += [f"{n} x skipped ({r})" for r, n in skipped.items()]
        if not report["articles_skipped_archived"]:
            failures.append("no page was fetched: " + ("; ".join(why) or "nothing to crawl"))
    return failures


def _listing_alerts(listings: dict[str, Any], previous: dict[str, Any] | None) -> list[str]:
    """A listing the crawl starts from that gave no article links or failed, unless it did the
    same in the previous run (a permanent 404 alerts once, when it starts)."""
    before = (previous or {}).get("listings") or {}
    alerts = []
    for url, listing in listings.items():
        status = listing.get("status", "ok")
        if status == "ok":
            continue
        was = before[url].get("status", "ok") if url in before else None
        if was == status:
            continue
        since = f"it was {was} in the last run" if was else "no earlier run to compare with"
        alerts.append(f"listing {url}: {status} ({since})")
    return alerts


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else None


def _change(
    written: int,
    coverage: dict[str, dict[str, float]],
    by_site: dict[str, int],
    previous: dict[str, Any] | None,
) -> dict[str, Any]:
    if not previous:
        return {}
    drops = {}
    for site, fields in coverage.items():
        before = previous.get("coverage", {}).get(site, {})
        before_count = (previous.get("written_by_site") or {}).get(
            site, previous.get("articles_written") or 0
        )
        if min(by_site.get(site, 0), int(before_count)) < MIN_RECORDS_FOR_COVERAGE:
            continue  # a share of a handful of records says nothing (a quiet night, max_items)
        for name, share in fields.items():
            if name in before and before[name] - share > 0:
                drops[f"{site}/{name}"] = round(100 * (before[name] - share), 1)
    return {
        "previous_finished_at": previous.get("finished_at"),
        "articles_written_before": previous.get("articles_written"),
        "articles_written_change": written - int(previous.get("articles_written") or 0),
        "coverage_drops": drops,
    }


def format_report(report: dict[str, Any]) -> str:
    """A short human summary of a report."""
    lines = [
        f"articles written: {report['articles_written']} (new {report['articles_new']}, "
        f"updated {report['articles_updated']}); unchanged: {report['articles_unchanged']}; "
        f"skipped as archived: {report['articles_skipped_archived']}, "
        f"as known rejects: {report['known_rejects_skipped']}",
        f"pages fetched: {report['pages_fetched']} (listing {report['listing_pages']}, "
        f"article {report['article_pages']}) in {report['duration_seconds']:.1f}s",
        f"rejects: {report['rejects']} ({report['reject_rate']:.1%})",
    ]
    lines += [f"  {n} x {reason}" for reason, n in report["rejects_by_reason"].items()]
    if report["http_errors"] or report["network_errors"]:
        errors = {**report["http_errors"], **report["network_errors"]}
        lines.append("errors: " + ", ".join(f"{k} {v}" for k, v in errors.items()))
    retries = report["retries"]
    if any(retries.values()):
        lines.append(
            "retries: "
            + "; ".join(
                f"{outcome} " + ", ".join(f"{k} {v}" for k, v in counts.items())
                for outcome, counts in retries.items()
                if counts
            )
        )
    for site, fields in report["coverage"].items():
        shown = ", ".join(f"{name} {100 * share:.0f}%" for name, share in fields.items())
        lines.append(f"field coverage ({site}): {shown}")
    change = report["change"]
    if change:
        lines.append(
            f"since the run of {change['previous_finished_at']}: articles written "
            f"{change['articles_written_change']:+d}"
        )
    ledger = report.get("ledger") or {}
    if ledger:
        lines.append(
            f"URLs discovered: {ledger['discovered']} = written {ledger['written']} + rejected "
            f"{ledger['rejected']} + skipped {ledger['skipped']}"
            + (f" + unfinished {ledger['unfinished']}" if ledger.get("unfinished") else "")
            + (f" + UNACCOUNTED {ledger['unaccounted']}" if ledger.get("unaccounted") else "")
        )
        lines += [f"  skipped: {n} x {r}" for r, n in ledger.get("skipped_by_reason", {}).items()]
    lines += [f"FAILED: {failure}" for failure in report.get("failures", [])]
    lines += [f"ALERT: {alert}" for alert in report["alerts"]]
    lines.append(f"exit status: {report['exit_code']}")
    return "\n".join(lines)


class RunReport:
    """Extension: count what is written; at the end log the summary, write `REPORT_PATH`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.path = Path(settings["REPORT_PATH"]) if settings.get("REPORT_PATH") else None
        self.max_reject_rate = settings.getfloat("REPORT_MAX_REJECT_RATE", 0.05)
        self.max_coverage_drop = settings.getfloat("REPORT_MAX_COVERAGE_DROP", 20.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("RUN_REPORT_ENABLED", True):
            raise NotConfigured("RUN_REPORT_ENABLED is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.item_written, signal=item_written)
        # After spider_closed, when the core stats hold the finish time and reason.
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def item_written(self, item: Any, response: Any) -> None:
        """Count what is on disk: records per site and the fields each has; rejects by reason."""
        stats = self.crawler.stats
        assert stats is not None
        if isinstance(item, Reject):
            stats.inc_value("rejects/count")
            stats.inc_value(f"rejects/stage/{item.stage}")
            stats.inc_value(f"rejects/reason/{item.stage}: {item.reason[:120]}")
            meta = getattr(getattr(response, "request", None), "meta", None) or {}
            if meta.get(META_ROLE) == LISTING:
                stats.inc_value("rejects/role/listing")
            return
        if not isinstance(item, ArticleRecord):
            return
        stats.inc_value("records/written")
        stats.inc_value(f"records/written/{item.site}")
        for name, value in ItemAdapter(item).items():
            if not is_empty(value):
                stats.inc_value(f"coverage/{item.site}/{name}")

    def engine_stopped(self) -> None:
        """Build the run's report, hand it to the state store's owner, write `REPORT_PATH`."""
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        # The owner closes the store on this same signal, after this receiver (EXTENSIONS order).
        owner = state_owner(self.crawler)
        previous = owner.store.last_report() if owner else None
        report = build_report(stats, previous, self.max_reject_rate, self.max_coverage_drop)
        self.crawler.stats.set_value("report/exit_code", report["exit_code"])
        try:
            # Failures come back as results: they are this run's failure, said once, below.
            results = self.crawler.signals.send_catch_log(
                signal=report_built, report=report, dont_log=Exception
            )
            for _receiver, result in results:
                if isinstance(result, Failure):
                    result.raiseException()
            if self.path:
                self.write(report, self.path)
        except Exception as exc:  # a full disk: the run must not look healthy
            message = f"the run report could not be saved: {type(exc).__name__}: {exc}"
            logger.error(message)
            report["failures"].append(message)
            report["exit_code"] = EXIT_FAILED
            self.crawler.stats.set_value("report/exit_code", EXIT_FAILED)
        logger.info("run report:\n%s", format_report(report))

    @staticmethod
    def write(report: dict[str, Any], path: Path) -> None:
        """Write `report` to `path` whole (a temporary file, then a rename), or raise."""
        text = json.dumps(report, ensure_ascii=False, indent=2)
        if path.exists() and not path.is_file():
            # A device or a pipe (/dev/stdout): written into, never replaced by a file.
            with path.open("w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, path)
        except OSError:
            partial.unlink(missing_ok=True)
            raise
