"""One page through all stages (extract, normalize, validate), outside any crawl."""

from __future__ import annotations

from typing import Any

from portal_scraper.extract import NotAnArticle, Profile, extract, profile_for_url
from portal_scraper.items import Page, Reject
from portal_scraper.normalize import to_record
from portal_scraper.validate import validate_record

MAX_ERROR_CHARS = 300


def extract_stage(page: Page, profile: Profile) -> Any:
    """`RawArticle` of the page, or a `Reject` at stage "extract"."""
    try:
        return extract(page.url, page.body, page.headers, profile)
    except NotAnArticle as exc:
        return Reject(page.url, "extract", f"not an article: {exc}", fetched_at=page.fetched_at)
    except Exception as exc:  # a profile bug must reject one page, not stop the crawl
        reason = f"extractor error: {type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        return Reject(page.url, "extract", reason, fetched_at=page.fetched_at)


def normalize_stage(raw: Any, page: Page, profile: Profile) -> dict[str, Any] | Reject:
    """The record built from a `RawArticle`, or a `Reject` at stage "normalize"."""
    try:
        return to_record(
            raw, url=page.url, fetched_at=page.fetched_at, profile=profile, warc=page.warc
        )
    except Exception as exc:  # a bug must reject one page, not stop the crawl
        reason = f"normalizer error: {type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        return Reject(page.url, "normalize", reason, fetched_at=page.fetched_at)


def validate_stage(record: dict[str, Any], profile: Profile) -> Reject | None:
    """A `Reject` at stage "validate" naming the failing fields, or `None` when valid."""
    errors = validate_record(record, profile.required_fields)
    if not errors:
        return None
    fields = ", ".join(sorted({e["path"] for e in errors}))
    return Reject(
        record.get("url", ""),
        "validate",
        f"invalid fields: {fields}",
        errors,
        fetched_at=record.get("fetched_at"),
    )


def process_page(page: Page, profile: Profile | None = None) -> dict[str, Any] | Reject:
    """The validated record of `page`, or the `Reject` that says why there is none."""
    profile = profile or profile_for_url(page.url)
    raw = extract_stage(page, profile)
    if isinstance(raw, Reject):
        return raw
    record = normalize_stage(raw, page, profile)
    if isinstance(record, Reject):
        return record
    return validate_stage(record, profile) or record
