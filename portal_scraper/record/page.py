"""A fetched page as the stages see it (no Scrapy import)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
