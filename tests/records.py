"""A valid article record to build test items from."""

from __future__ import annotations

import dataclasses
from typing import Any

from portal_scraper.record.model import ArticleRecord

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
