"""Add-on that routes records and rejects to their own JSON Lines feeds."""

from __future__ import annotations

from typing import Any

from scrapy.settings import BaseSettings

from portal_scraper.record.model import ArticleRecord, Reject

DEFAULT_REJECTS_URI = "rejects.jsonl"


def rejects_uri_for(feed_uri: str) -> str:
    """`out/articles.jsonl` -> `out/articles.rejects.jsonl`, next to the records."""
    stem, dot, ext = feed_uri.rpartition(".")
    if dot and "/" not in ext and ext:
        return f"{stem}.rejects.{ext}"
    return f"{feed_uri}.rejects.jsonl"


class RecordFeeds:
    """Limit every feed to article records and add a rejects feed (`PORTAL_REJECTS_URI`)."""

    def update_settings(self, settings: BaseSettings) -> None:
        feeds: dict[str, dict[str, Any]] = {}
        for uri, options in settings.getdict("FEEDS").items():
            options = dict(options or {})
            options.setdefault("item_classes", [ArticleRecord])
            feeds[str(uri)] = options
        rejects = settings.get("PORTAL_REJECTS_URI")
        if not rejects:
            rejects = rejects_uri_for(next(iter(feeds))) if feeds else DEFAULT_REJECTS_URI
        overwrite = all(o.get("overwrite", False) for o in feeds.values()) if feeds else True
        feeds.setdefault(
            rejects, {"format": "jsonlines", "item_classes": [Reject], "overwrite": overwrite}
        )
        priority = settings.getpriority("FEEDS") or 0
        settings.set(
            "FEEDS", feeds, priority=max(priority, settings.getpriority("PORTAL_REJECTS_URI") or 0)
        )
        settings.set("PORTAL_REJECTS_URI", rejects, priority="addon")
