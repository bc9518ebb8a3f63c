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
