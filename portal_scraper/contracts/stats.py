"""Every stats key the project writes or reads back, named once (the report is built on them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Pages and listings (the spider and the stages pipeline).
STAT_ARTICLE_PAGES = "pages/article"
STAT_LISTING_PAGES = "portal/listing_pages"
STAT_LISTING_PAGES_OVER_CAP = "portal/listing_pages_over_cap"
STAT_ARTICLE_LINKS = "portal/article_links"
STAT_ARTICLE_LINKS_OVER_CAP = "portal/article_links_over_cap"
STAT_ARTICLE_LINKS_REPEATED = "portal/article_links_repeated"
STAT_ARTICLES_BEFORE_SINCE = "portal/articles_before_since"
STAT_FETCH_FAILED = "portal/fetch_failed"
STAT_PAGING_STOPPED = "portal/paging_stopped"
STAT_REDIRECTS_REFUSED = "portal/redirects_refused"
STAT_ENCODING_CONFLICTS = "encoding/conflicts"
STAT_INTERNAL_ADDRESS = "guard/internal_address"

# Discovery from a home page: URLs each route found, articles it found first, records written of
# those, postback pages requested, and each sitemap, feed and menu listing with its status.
PREFIX_FOUND_BY_ROUTE = "discovery/found/"  # + route
PREFIX_FIRST_BY_ROUTE = "discovery/first/"  # + route
PREFIX_WRITTEN_BY_ROUTE = "discovery/written/"  # + route
STAT_POSTBACK_PAGES = "discovery/postback_pages"
STAT_DISCOVERY = "discovery"

# Records and rejects (counted once their line is on disk, by the report extension).
STAT_WRITTEN = "records/written"
STAT_NEW, STAT_UPDATED = "records/new", "records/updated"
STAT_UNCHANGED = "records/unchanged"
STAT_DUPLICATE = "records/duplicate"
STAT_REJECTS = "rejects/count"
STAT_REJECTED_LISTINGS = "rejects/role/listing"
PREFIX_WRITTEN_BY_SITE = "records/written/"  # + site
PREFIX_COVERAGE = "coverage/"  # + site/field
PREFIX_REJECTS_BY_STAGE = "rejects/stage/"  # + stage
PREFIX_REJECTS_BY_REASON = "rejects/reason/"  # + "stage: reason"

# The incremental store.
STAT_SKIPPED_ARCHIVED = "incremental/skipped_archived"
STAT_SKIPPED_REJECTED = "incremental/skipped_rejected"
STAT_FORGOTTEN = "incremental/forgotten_damaged"
STAT_STATE_LOST = "incremental/shared_state_lost"

# Writing: the first failed write (its message), items that were not written, WARC records.
STAT_FAILED = "write/failed"
STAT_NOT_WRITTEN = "write/not_written"
STAT_WARC_RECORDS = "warc/records"

# Summaries set at the end: the ledger, the listings, the report's exit status.
STAT_LEDGER = "ledger"
STAT_LISTINGS = "listings"
STAT_EXIT_CODE = "report/exit_code"

# Distributed mode.
STAT_LEASE_LOST = "redis/lease_lost"
STAT_ALREADY_WRITTEN = "redis/already_written"
STAT_TAKEN_FOR_DEAD = "redis/taken_for_dead"
STAT_WRITTEN_TWICE = "redis/written_twice"
STAT_WRITTEN_AFTER_LEASE_LOST = "redis/written_after_lease_lost"
STAT_RECLAIMED = "redis/reclaimed"
STAT_ENQUEUED_REDIS = "scheduler/enqueued/redis"  # Scrapy's scheduler/enqueued/<queue> form
STAT_DEQUEUED_REDIS = "scheduler/dequeued/redis"

# Retries (crawl/retry.py), each followed by "/<reason>".
PREFIX_RETRIED = "retry/reason_count/"  # Scrapy's own
PREFIX_RECOVERED = "retry/recovered/"
PREFIX_GAVE_UP = "retry/gave_up/"

# Scrapy's own keys the report reads.
STAT_START_TIME, STAT_FINISH_TIME = "start_time", "finish_time"
STAT_ELAPSED = "elapsed_time_seconds"
STAT_FINISH_REASON = "finish_reason"
STAT_RESPONSES = "downloader/response_count"
STAT_OFFSITE = "offsite/filtered"
STAT_ROBOTS_FORBIDDEN = "robotstxt/forbidden"
PREFIX_RESPONSE_STATUS = "downloader/response_status_count/"  # + HTTP status
PREFIX_EXCEPTION_TYPE = "downloader/exception_type_count/"  # + exception class path


def written_by_site(site: str) -> str:
    """Records of `site` written."""
    return PREFIX_WRITTEN_BY_SITE + site


def found_by_route(route: str) -> str:
    """Article URLs `route` listed (each once per route)."""
    return PREFIX_FOUND_BY_ROUTE + route


def first_by_route(route: str) -> str:
    """Article URLs `route` listed before any other route did (the one credited)."""
    return PREFIX_FIRST_BY_ROUTE + route


def written_by_route(route: str) -> str:
    """Records written of the articles `route` found first."""
    return PREFIX_WRITTEN_BY_ROUTE + route


def coverage(site: str, field: str) -> str:
    """Records of `site` written with a value in `field`."""
    return f"{PREFIX_COVERAGE}{site}/{field}"


def rejects_by_stage(stage: str) -> str:
    """Rejects of one stage."""
    return PREFIX_REJECTS_BY_STAGE + stage


def rejects_by_reason(stage: str, reason: str) -> str:
    """Rejects of one stage and reason (the reason cut to 120 characters)."""
    return f"{PREFIX_REJECTS_BY_REASON}{stage}: {reason[:120]}"


def under(stats: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """The stats under `prefix`, keyed by the rest of their name, in name order."""
    return {k.removeprefix(prefix): v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def http_errors(stats: Mapping[str, Any]) -> dict[str, Any]:
    """Responses with a 4xx or 5xx status, by status."""
    by_status = under(stats, PREFIX_RESPONSE_STATUS)
    return {code: n for code, n in by_status.items() if code.isdigit() and int(code) >= 400}
