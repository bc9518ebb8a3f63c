"""Turn a `RawArticle` into the record: clean text, RFC 3339 dates, absolute URLs, safe HTML."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from portal_scraper.extract.base import Profile, RawArticle
from portal_scraper.normalize import body as body_mod
from portal_scraper.normalize.dates import parse_datetime, parse_zone
from portal_scraper.normalize.text import clean_or_none, clean_text, replace_surrogates
from portal_scraper.normalize.urls import http_url
from portal_scraper.record.model import SCHEMA_VERSION, ArticleRecord, Attachment, Image, Portal


def to_record(
    raw: RawArticle,
    *,
    url: str,
    fetched_at: str,
    profile: Profile,
    warc: tuple[str, str] | None = None,
) -> ArticleRecord:
    """Build the record of one article page (`warc`: file and record id)."""
    tz = parse_zone(raw.utc_offset or profile.utc_offset)
    published = parse_datetime(raw.published_raw, tz)
    modified = parse_datetime(raw.modified_raw, tz, day_first=raw.modified_day_first)
    text = replace_surrogates(raw.body_text) if raw.body_text is not None else None
    text = text if text is not None else body_mod.body_text(raw.body)
    # Images first: the order the body is read in stays as it always was.
    images = [
        Image(str(i["url"]), i["caption"], i["credit"], i["alt"])
        for i in body_mod.images(raw.body, url)
    ]
    html = body_mod.body_html(raw.body, url)
    record = ArticleRecord(
        schema_version=SCHEMA_VERSION,
        url=replace_surrogates(url),
        canonical_url=replace_surrogates(profile.canonical_url(url)),
        site=profile.id,
        # Fields a profile passes through uncleaned (ids, the footer) must be writable too.
        source_id=_scrub(raw.source_id),
        language=_scrub(raw.language),
        title=clean_text(raw.title),
        summary=clean_or_none(raw.summary),
        published_at=published.rfc3339() if published else None,
        published_at_raw=_scrub(published.raw) if published else clean_or_none(raw.published_raw),
        modified_at=modified.rfc3339() if modified else None,
        authors=_unique(clean_text(a) for a in raw.authors),
        category=clean_or_none(raw.category),
        breadcrumbs=[t for t in (clean_text(b) for b in raw.breadcrumbs) if t],
        body_text=text,
        body_html=html,
        images=images,
        attachments=_attachments(raw.attachments, url),
        view_count=raw.view_count,
        content_type=clean_or_none(raw.content_type),
        portal=Portal.from_dict(_scrub(raw.portal)) if raw.portal is not None else None,
        fetched_at=fetched_at,
        content_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        extractor=profile.extractor,
        # Set by the incremental store when an archived article's body changed.
        previous_content_sha256=None,
        warc_file=warc[0] if warc else None,
        warc_record_id=warc[1] if warc else None,
    )
    return record


def _scrub(value: Any) -> Any:
    """`value` with every string in it free of lone surrogates."""
    if isinstance(value, str):
        return replace_surrogates(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return value


def _unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return out


def _attachments(found: list[tuple[str, str]], base_url: str) -> list[Attachment]:
    out = []
    for href, title in found:
        url = http_url(base_url, href)
        if url:
            out.append(Attachment(url, clean_text(title) or url.rsplit("/", 1)[-1]))
    return out
