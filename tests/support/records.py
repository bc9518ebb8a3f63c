"""Records for tests: a valid one to build items from, and what a hand-written page gives."""

from __future__ import annotations

import dataclasses
from typing import Any

from portal_scraper.extract import GENERIC, Profile, parse_html
from portal_scraper.record.build import to_record
from portal_scraper.record.model import ArticleRecord, Reject
from portal_scraper.record.page import Page
from portal_scraper.record.stages import process_page

URL = "http://127.0.0.1/Lists/TinTuc/DispForm.aspx?ID=1"
_BASE = ArticleRecord(
    schema_version="1", url=URL, canonical_url=URL, site="generic", source_id=None,
    language="vi", title="Tin", summary=None, published_at=None, published_at_raw=None,
    modified_at=None, authors=[], category=None, breadcrumbs=[], body_text="Nội dung.",
    body_html="<p>Nội dung.</p>", images=[], attachments=[], view_count=None, content_type=None,
    portal=None, fetched_at="2026-11-20T08:00:00Z", content_sha256="0" * 64,
    extractor="generic/1", previous_content_sha256=None, warc_file=None, warc_record_id=None,
)  # fmt: skip


def record(**changes: Any) -> ArticleRecord:
    """A valid record with `changes` applied."""
    return dataclasses.replace(_BASE, **changes)


def processed(html: str, url: str, profile: Profile = GENERIC) -> ArticleRecord | Reject:
    """What every tool makes of a hand-written page: `process_page` with `profile`."""
    return process_page(Page(url, html.encode(), "2026-11-20T08:00:00Z"), profile)


def extracted(html: str, url: str) -> dict[str, Any]:
    """The generic profile's record of a page, built but not validated (to see every field)."""
    raw = GENERIC.extract(url, parse_html(html))
    return to_record(raw, url=url, fetched_at="2026-11-20T08:00:00Z", profile=GENERIC).to_dict()
