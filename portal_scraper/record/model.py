"""The article record: one typed definition that the schema, the docs and the exporters follow."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION: Literal["1"] = "1"

# JSON Schema patterns the record's strings must match.
HTTP_URL = "^https?://"
RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
RFC3339_UTC = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"
SHA256 = "^[0-9a-f]{64}$"
EMAIL = r"^[^@\s]+@[^@\s]+$"
NON_EMPTY: dict[str, Any] = {"minLength": 1}


def spec(description: str = "", items: Mapping[str, Any] | None = None, **schema: Any) -> Any:
    """A record field's JSON Schema keywords (`items`: those of each list element) and meaning."""
    return field(
        metadata={"description": description, "schema": schema, "items": dict(items or {})}
    )


@dataclass
class Image:
    """An image of the body, in reading order, with its caption and credit."""

    url: str = spec(pattern=HTTP_URL)
    caption: str | None = spec(minLength=1)
    credit: str | None = spec(minLength=1)
    alt: str | None = spec(minLength=1)


@dataclass
class Attachment:
    """A file attached to the article."""

    url: str = spec(pattern=HTTP_URL)
    title: str = spec(minLength=1)


@dataclass
class Portal:
    """The portal's footer facts (publisher, address, people responsible, contacts)."""

    name: str | None = spec(minLength=1)
    agency: str | None = spec(minLength=1)
    address: str | None = spec(minLength=1)
    editor_in_chief: str | None = spec(minLength=1)
    editor_in_chief_title: str | None = spec(minLength=1)
    phones: list[str] = spec(items=NON_EMPTY)
    faxes: list[str] = spec(items=NON_EMPTY)
    emails: list[str] = spec(items={"pattern": EMAIL})
    submission_emails: list[str] = spec(items={"pattern": EMAIL})
    fields: dict[str, str] = spec()

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Portal:
        """The footer object of a record's JSON (or of a profile's `portal` dict)."""
        return cls(**value)


@dataclass
class ArticleRecord:
    """One article of a portal. Every field is always present; null or [] when the page has
    no value.
    """

    schema_version: Literal["1"]
    url: str = spec("absolute URL of the page as fetched (after redirects)", pattern=HTTP_URL)
    canonical_url: str = spec(
        "identity URL: lower-case scheme/host, no fragment, navigation parameters dropped, "
        "query sorted",
        pattern="^https?://[^#]*$",
    )
    site: str = spec("site profile id, or generic", minLength=1)
    source_id: str | None = spec("the portal's own item id (SharePoint list item ID)", minLength=1)
    language: str | None = spec("BCP 47 tag", pattern="^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    title: str = spec("headline", minLength=1)
    summary: str | None = spec("lead / sapo apart from the body", minLength=1)
    published_at: str | None = spec("RFC 3339 with the portal's offset", pattern=RFC3339)
    published_at_raw: str | None = spec("the exact text the date was read from", minLength=1)
    modified_at: str | None = spec(pattern=RFC3339)
    authors: list[str] = spec("bylines as people's names", items=NON_EMPTY)
    category: str | None = spec(minLength=1)
    breadcrumbs: list[str] = spec(items=NON_EMPTY)
    body_text: str = spec("paragraphs joined by a blank line")
    body_html: str = spec("sanitized HTML of the body")
    images: list[Image] = spec()
    attachments: list[Attachment] = spec()
    view_count: int | None = spec(minimum=0)
    content_type: str | None = spec(minLength=1)
    portal: Portal | None = spec()
    fetched_at: str = spec("RFC 3339 UTC", pattern=RFC3339_UTC)
    content_sha256: str = spec(pattern=SHA256)
    extractor: str = spec(pattern="^[a-z0-9-]+/[0-9A-Za-z.]+$")
    previous_content_sha256: str | None = spec(
        "content_sha256 of the same article when it was last archived, when its body has "
        "changed since (incremental runs)",
        pattern=SHA256,
    )
    warc_file: str | None = spec("name of the WARC file holding the fetched page", minLength=1)
    warc_record_id: str | None = spec(
        "WARC-Record-ID of the page's response record", pattern="^<urn:uuid:[0-9a-f-]+>$"
    )

    # Read and set by field name, as pipelines written for the records' dicts did (ItemAdapter
    # reads any item this way too); a name that is no field is a KeyError.
    def __getitem__(self, name: str) -> Any:
        if name not in RECORD_FIELDS:
            raise KeyError(name)
        return getattr(self, name)

    def __setitem__(self, name: str, value: Any) -> None:
        if name not in RECORD_FIELDS:
            raise KeyError(f"{name} is no field of the record (docs/article-record.md)")
        setattr(self, name, value)

    def __contains__(self, name: object) -> bool:
        return name in RECORD_FIELDS

    def get(self, name: str, default: Any = None) -> Any:
        """A field's value by name, `default` for a name that is no field."""
        return getattr(self, name) if name in RECORD_FIELDS else default

    def keys(self) -> tuple[str, ...]:
        """The field names, in order."""
        return RECORD_FIELDS

    def to_dict(self) -> dict[str, Any]:
        """The record as its JSON object (field order as defined)."""
        # `dataclasses.asdict` deep-copies every value: a tenth of a page's extraction time.
        data = {name: getattr(self, name) for name in RECORD_FIELDS}
        data["authors"], data["breadcrumbs"] = list(self.authors), list(self.breadcrumbs)
        data["images"] = [_shallow(image) for image in self.images]
        data["attachments"] = [_shallow(attachment) for attachment in self.attachments]
        if self.portal is not None:
            portal = _shallow(self.portal)
            for name in ("phones", "faxes", "emails", "submission_emails"):
                portal[name] = list(portal[name])
            portal["fields"] = dict(self.portal.fields)
            data["portal"] = portal
        return data

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> ArticleRecord:
        """A record from its JSON object (a line of the records file); unknown keys raise."""
        data = dict(value)
        data["images"] = [Image(**image) for image in data.get("images") or []]
        data["attachments"] = [Attachment(**a) for a in data.get("attachments") or []]
        portal = data.get("portal")
        data["portal"] = Portal.from_dict(portal) if portal is not None else None
        return cls(**data)


def _shallow(value: Image | Attachment | Portal) -> dict[str, Any]:
    return {spec.name: getattr(value, spec.name) for spec in dataclasses.fields(value)}


def is_empty(value: Any) -> bool:
    """True for a value a record field does not have: None, "", [] or {}."""
    return value is None or value == "" or value == [] or value == {}


@dataclass
class Reject:
    """A page that gave no valid record, with the stage that refused it and why."""

    url: str
    stage: str
    reason: str
    errors: list[dict[str, str]] = field(default_factory=list)
    fetched_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The reject as its JSON object (a line of the rejects file)."""
        return asdict(self)


# The record's field names in order (what `to_dict` gives, the schema lists and the docs show).
RECORD_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(ArticleRecord))
