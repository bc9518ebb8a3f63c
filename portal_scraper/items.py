"""What flows through the crawl: fetched pages, article records and rejects (no Scrapy import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Page:
    """A fetched page as the spider saw it; `fetched_at` is RFC 3339 UTC."""

    url: str
    body: bytes
    fetched_at: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    # Where the page is archived, when the crawl writes WARC.
    warc_file: str | None = None
    warc_record_id: str | None = None

    @property
    def warc(self) -> tuple[str, str] | None:
        """(WARC file, record id), or `None` when not archived."""
        if self.warc_file and self.warc_record_id:
            return self.warc_file, self.warc_record_id
        return None


class ArticleItem(dict[str, Any]):
    """An article record (the fields of `article-record.schema.json`)."""


@dataclass
class Reject:
    """A page that gave no valid record, with the stage that refused it and why."""

    url: str
    stage: str
    reason: str
    errors: list[dict[str, str]] = field(default_factory=list)
    fetched_at: str | None = None
