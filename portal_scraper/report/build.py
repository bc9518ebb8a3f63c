"""The run report: what a run did, how it compares with the last run, and whether it was healthy."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from portal_scraper.contracts.meta import ROUTES, STATUS_POSTBACK_SAME_PAGE
from portal_scraper.contracts.stats import (
    PREFIX_EXCEPTION_TYPE,
    PREFIX_GAVE_UP,
    PREFIX_RECOVERED,
    PREFIX_REJECTS_BY_REASON,
    PREFIX_RETRIED,
    PREFIX_WRITTEN_BY_SITE,
    STAT_ARTICLE_PAGES,
    STAT_DISCOVERY,
    STAT_ELAPSED,
    STAT_ENCODING_CONFLICTS,
    STAT_FAILED,
    STAT_FINISH_REASON,
    STAT_FINISH_TIME,
    STAT_FORGOTTEN,
    STAT_INTERNAL_ADDRESS,
    STAT_LEDGER,
    STAT_LISTING_PAGES,
    STAT_LISTINGS,
    STAT_NEW,
    STAT_OFFSITE,
    STAT_POSTBACK_PAGES,
    STAT_REJECTED_LISTINGS,
    STAT_REJECTS,
    STAT_RESPONSES,
    STAT_ROBOTS_FORBIDDEN,
    STAT_SKIPPED_ARCHIVED,
    STAT_SKIPPED_REJECTED,
    STAT_START_TIME,
    STAT_STATE_LOST,
    STAT_UNCHANGED,
    STAT_UPDATED,
    STAT_WRITTEN,
    first_by_route,
    found_by_route,
    http_errors,
    under,
    written_by_route,
)
from portal_scraper.contracts.stats import coverage as stat_coverage
from portal_scraper.record.model import RECORD_FIELDS

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
    written = int(stats.get(STAT_WRITTEN, 0))
    unchanged = int(stats.get(STAT_UNCHANGED, 0))
    rejects = int(stats.get(STAT_REJECTS, 0))
    # A listing that cannot be read is reported with the listings, not in the article reject rate.
    article_rejects = rejects - int(stats.get(STAT_REJECTED_LISTINGS, 0))
    processed = written + unchanged + article_rejects
    started, finished = stats.get(STAT_START_TIME), stats.get(STAT_FINISH_TIME)
    coverage: dict[str, dict[str, float]] = {}
    by_site: dict[str, int] = {}
    for site, value in under(stats, PREFIX_WRITTEN_BY_SITE).items():
        by_site[site] = int(value)
        coverage[site] = {
            name: round(int(stats.get(stat_coverage(site, name), 0)) / value, 4)
            for name in RECORD_FIELDS
        }
    report: dict[str, Any] = {
        "started_at": _iso(started),
        "finished_at": _iso(finished),
        "duration_seconds": round(float(stats.get(STAT_ELAPSED, 0.0)), 3),
        "finish_reason": stats.get(STAT_FINISH_REASON),
        "pages_fetched": int(stats.get(STAT_RESPONSES, 0)),
        "listing_pages": int(stats.get(STAT_LISTING_PAGES, 0)),
        "article_pages": int(stats.get(STAT_ARTICLE_PAGES, 0)),
        "articles_written": written,
        "articles_new": int(stats.get(STAT_NEW, 0)),
        "articles_updated": int(stats.get(STAT_UPDATED, 0)),
        "articles_unchanged": unchanged,
        "articles_skipped_archived": int(stats.get(STAT_SKIPPED_ARCHIVED, 0)),
        "known_rejects_skipped": int(stats.get(STAT_SKIPPED_REJECTED, 0)),
        "articles_forgotten_damaged": int(stats.get(STAT_FORGOTTEN, 0)),
        "rejects": rejects,
        "reject_rate": round(article_rejects / processed, 4) if processed else 0.0,
        "rejects_by_reason": under(stats, PREFIX_REJECTS_BY_REASON),
        "http_errors": http_errors(stats),
        "network_errors": {
            name: value
            for name, value in under(stats, PREFIX_EXCEPTION_TYPE).items()
            if not name.endswith("IgnoreRequest")  # skipped on purpose (archived, off-site)
        },
        "retries": {
            outcome: under(stats, prefix)
            for outcome, prefix in (
                ("retried", PREFIX_RETRIED),
                ("recovered", PREFIX_RECOVERED),
                ("gave_up", PREFIX_GAVE_UP),
            )
        },
        "refused": {
            "internal_address": int(stats.get(STAT_INTERNAL_ADDRESS, 0)),
            "offsite": int(stats.get(STAT_OFFSITE, 0)),
            "robots_txt": int(stats.get(STAT_ROBOTS_FORBIDDEN, 0)),
        },
        "encoding_conflicts": int(stats.get(STAT_ENCODING_CONFLICTS, 0)),
        "coverage": coverage,
        "ledger": stats.get(STAT_LEDGER) or {},
        "listings": stats.get(STAT_LISTINGS) or {},
        "routes": _routes(stats),
        "discovery": stats.get(STAT_DISCOVERY) or {},
        "write_failure": stats.get(STAT_FAILED),
        "written_by_site": by_site,
        "change": _change(written, coverage, by_site, previous),
    }
    failures = _failures(report)
    alerts = _listing_alerts(report["listings"], previous)
    for url, source in (report["discovery"].get("sources") or {}).items():
        # A sitemap or feed the portal declares (robots.txt, a sitemap index, a page's <link>)
        # that cannot be read: the articles only it lists may be missed.
        if source.get("status") not in ("ok", "pending") and not source.get("guessed"):
            alerts.append(f"{source.get('route')} {url}: {source.get('status')}")
    for url, listing in (report["discovery"].get("listings") or {}).items():
        # Menu listings are no alert when empty; one whose postbacks repeat its page is cut short.
        if str(listing.get("status", "")).startswith(STATUS_POSTBACK_SAME_PAGE):
            alerts.append(f"listing {url}: {listing['status']}")
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
    if stats.get(STAT_STATE_LOST):
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
            "(PORTAL_REPORT_MAX_REJECT_RATE)"
        )
    for name, drop in report["change"].get("coverage_drops", {}).items():
        if drop > max_coverage_drop:
            alerts.append(
                f"coverage of {name} fell {drop:.0f} points, more than {max_coverage_drop:.0f} "
                "(PORTAL_REPORT_MAX_COVERAGE_DROP)"
            )
    report["failures"] = failures
    report["alerts"] = alerts
    report["exit_code"] = EXIT_FAILED if failures else EXIT_THRESHOLD if alerts else EXIT_HEALTHY
    return report


def _routes(stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Per discovery route (a home-page crawl): article URLs it listed, those it listed first
    (the route credited), and records written of those; postback pages requested."""
    routes = {
        route: {
            "found": int(stats.get(found_by_route(route), 0)),
            "first": int(stats.get(first_by_route(route), 0)),
            "written": int(stats.get(written_by_route(route), 0)),
        }
        for route in ROUTES
    }
    if not any(any(counts.values()) for counts in routes.values()):
        return {}
    routes["postback"]["pages"] = int(stats.get(STAT_POSTBACK_PAGES, 0))
    return routes


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
    before = (previous or {}).get(STAT_LISTINGS) or {}
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
    ledger = report.get(STAT_LEDGER) or {}
    if ledger:
        lines.append(
            f"URLs discovered: {ledger['discovered']} = written {ledger['written']} + rejected "
            f"{ledger['rejected']} + skipped {ledger['skipped']}"
            + (f" + unfinished {ledger['unfinished']}" if ledger.get("unfinished") else "")
            + (f" + UNACCOUNTED {ledger['unaccounted']}" if ledger.get("unaccounted") else "")
        )
        lines += [f"  skipped: {n} x {r}" for r, n in ledger.get("skipped_by_reason", {}).items()]
    if report.get("routes"):
        lines.append(
            "routes (articles found / found first / written): "
            + "; ".join(
                f"{route} {c['found']}/{c['first']}/{c['written']}"
                for route, c in report["routes"].items()
            )
        )
    lines += [f"FAILED: {failure}" for failure in report.get("failures", [])]
    lines += [f"ALERT: {alert}" for alert in report["alerts"]]
    lines.append(f"exit status: {report['exit_code']}")
    return "\n".join(lines)
