"""One page through all stages (extract, normalize, validate): the one way every tool runs them."""

from __future__ import annotations

from portal_scraper.extract import NotAnArticle, Profile, profile_for_url, read_page
from portal_scraper.extract.base import RawArticle
from portal_scraper.record.build import to_record
from portal_scraper.record.model import ArticleRecord, Reject
from portal_scraper.record.page import Page
from portal_scraper.record.schema import validate_record

MAX_ERROR_CHARS = 300
EXTRACT, NORMALIZE, VALIDATE = "extract", "normalize", "validate"


def extract_stage(page: Page, profile: Profile) -> RawArticle | Reject:
    """`RawArticle` of the page, or a `Reject` at stage "extract"."""
    read = read_stage(page, profile)
    return read if isinstance(read, Reject) else read[0]


def read_stage(page: Page, profile: Profile) -> tuple[RawArticle, Profile] | Reject:
    """`RawArticle` of the page with the profile that read it (a page of a known platform,
    given the generic profile, is read by the platform's), or a `Reject` at stage "extract"."""
    try:
        return read_page(page.url, page.body, page.headers, profile)
    except NotAnArticle as exc:
        return Reject(page.url, EXTRACT, f"not an article: {exc}", fetched_at=page.fetched_at)
    except Exception as exc:  # a profile bug must reject one page, not stop the crawl
        reason = f"extractor error: {type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        return Reject(page.url, EXTRACT, reason, fetched_at=page.fetched_at)


def normalize_stage(raw: RawArticle, page: Page, profile: Profile) -> ArticleRecord | Reject:
    """The record built from a `RawArticle`, or a `Reject` at stage "normalize"."""
    try:
        return to_record(
            raw, url=page.url, fetched_at=page.fetched_at, profile=profile, warc=page.warc
        )
    except Exception as exc:  # a bug must reject one page, not stop the crawl
        reason = f"normalizer error: {type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        return Reject(page.url, NORMALIZE, reason, fetched_at=page.fetched_at)


def validate_stage(record: ArticleRecord, profile: Profile) -> Reject | None:
    """A `Reject` at stage "validate" naming the failing fields, or `None` when valid."""
    errors = validate_record(record, profile.required_fields)
    if not errors:
        return None
    fields = ", ".join(sorted({e["path"] for e in errors}))
    return Reject(
        record.url, VALIDATE, f"invalid fields: {fields}", errors, fetched_at=record.fetched_at
    )


def process_page(
    page: Page, profile: Profile | None = None, conflicts: list[str] | None = None
) -> ArticleRecord | Reject:
    """The validated record of `page`, or the `Reject` that says why there is none.

    `profile` defaults to the one that claims the URL (the generic profile hands a page of a
    known platform to that platform's profile, which then builds and checks the record); a
    charset conflict found while decoding is appended to `conflicts` when given.
    """
    read = read_stage(page, profile or profile_for_url(page.url))
    if isinstance(read, Reject):
        return read
    raw, profile = read
    if raw.encoding_conflict and conflicts is not None:
        conflicts.append(raw.encoding_conflict)
    record = normalize_stage(raw, page, profile)
    if isinstance(record, Reject):
        return record
    return validate_stage(record, profile) or record
