"""Site files: a portal as a small TOML file over a platform profile (docs/site-files.md).

The package's own are in `portal_scraper/sites/*.toml` (package data, so a Scrapyd egg has
them); `PORTAL_SITES_DIR` names a folder of more. A file is checked when it is loaded: a
`SiteFileError` names the file and the key that is wrong.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from datetime import datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml.html import HtmlElement

from portal_scraper.extract.base import Listing, Profile, RawArticle
from portal_scraper.extract.platforms import PLATFORM_CLASSES, platform_profile, selector_names
from portal_scraper.extract.platforms.base import PlatformProfile
from portal_scraper.extract.selectors import Selector, parse_selector
from portal_scraper.normalize.dates import parse_offset

SITES_ENV = "PORTAL_SITES_DIR"
# Keys of a site file: required ones, and every one allowed.
REQUIRED = ("id", "platform", "hosts")
KEYS = (
    *REQUIRED,
    "name",
    "version",
    "base_url",
    "start_urls",
    "listing_paths",
    "article_paths",
    "path_spellings",
    "time_zone",
    "required_fields",
    "selectors",
)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HOST = re.compile(r"^[a-z0-9.-]+(?::\d+)?$")
# Record fields a site may require (the record's own field names).
RECORD_FIELDS = (
    "title", "summary", "published_at", "modified_at", "authors", "category", "breadcrumbs",
    "body_text", "body_html", "images", "attachments", "view_count", "content_type", "portal",
    "source_id", "language",
)  # fmt: skip


class SiteFileError(ValueError):
    """A site file that cannot be read or is wrong; the message names the file and the key."""

    def __init__(self, source: str, key: str | None, problem: str) -> None:
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {problem}")
        self.source = source
        self.key = key
        self.problem = problem


class SiteProfile(Profile):
    """A portal from its site file: its hosts, listings and time zone over a platform's rules."""

    def __init__(self, platform: Profile, source: str = "", **attributes: Any) -> None:
        self.platform = platform
        self.source = source
        self.article_paths: tuple[str, ...] = ()
        # The site's time zone, when its file gives one (the platform's guess otherwise).
        self.time_zone: str | None = None
        for name, value in attributes.items():
            setattr(self, name, value)

    def is_article_url(self, url: str) -> bool:
        """URLs under one of the site's `article_paths` (any case), else the platform's test."""
        if not self.article_paths:
            return self.platform.is_article_url(url)
        path = urlsplit(url).path.lower()
        return any(path.startswith(p.lower()) for p in self.article_paths)

    def extract(self, url: str, doc: HtmlElement, source: str | None = None) -> RawArticle:
        """The platform's rules (with the site's selectors); dates in the site's time zone."""
        raw = self.platform.extract(url, doc, source)
        if self.time_zone is not None:
            raw.utc_offset = None  # the profile's `utc_offset` applies
        return raw

    def parse_listing(self, url: str, doc: HtmlElement) -> Listing:
        """The platform's listing rules."""
        return self.platform.parse_listing(url, doc)


def load_site(path: str | Path | Traversable) -> SiteProfile:
    """The site profile of one TOML file; `SiteFileError` says what is wrong with it."""
    source = str(path)
    file = Path(path) if isinstance(path, str) else path
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SiteFileError(source, None, f"cannot be read: {exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SiteFileError(source, None, f"not valid TOML: {exc}") from None
    return site_from_dict(data, source)


def site_from_dict(data: Mapping[str, Any], source: str = "<site>") -> SiteProfile:
    """The site profile of a parsed site file (`source` names it in errors)."""
    check = _Checker(data, source)
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise SiteFileError(source, unknown[0], f"unknown key (known: {', '.join(KEYS)})")
    for key in REQUIRED:
        if key not in data:
            raise SiteFileError(source, key, "missing (required)")
    site_id = check.string("id")
    if not _ID.match(site_id):
        raise SiteFileError(source, "id", f"{site_id!r}: use lowercase letters, digits and -")
    platform_id = check.string("platform")
    if platform_id not in PLATFORM_CLASSES:
        known = ", ".join(sorted(PLATFORM_CLASSES))
        raise SiteFileError(source, "platform", f"unknown platform {platform_id!r} ({known})")
    hosts = tuple(h.lower() for h in check.strings("hosts"))
    if not hosts:
        raise SiteFileError(source, "hosts", "give at least one host")
    for host in hosts:
        if not _HOST.match(host):
            raise SiteFileError(source, "hosts", f"{host!r} is not a host name")
    base_url = check.url("base_url", default=f"https://{hosts[0]}")
    listing_paths = check.paths("listing_paths")
    article_paths = check.paths("article_paths")
    attributes: dict[str, Any] = {
        "id": site_id,
        "name": check.string("name", default=site_id),
        "version": check.string("version", default="1"),
        "hosts": hosts,
        "base_url": base_url.rstrip("/"),
        "start_urls": tuple(check.url_list("start_urls")),
        "listing_paths": listing_paths,
        "article_paths": article_paths,
        # The site's spelling of its own paths: articles, listings, then any others.
        "path_spellings": (*article_paths, *listing_paths, *check.paths("path_spellings")),
        "required_fields": _required_fields(check),
    }
    if "time_zone" in data:
        attributes["time_zone"] = check.string("time_zone")
        attributes["utc_offset"] = _utc_offset(attributes["time_zone"], source)
    overrides = _selectors(data.get("selectors", {}), platform_id, source)
    platform = platform_profile(platform_id, overrides)
    if isinstance(platform, PlatformProfile):
        platform.article_paths = article_paths  # its listings keep the site's article URLs
    return SiteProfile(platform, source, **attributes)


def bundled_site_files() -> list[Traversable]:
    """The package's own site files (`portal_scraper/sites/*.toml`), by name."""
    folder = resources.files("portal_scraper").joinpath("sites")
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def load_sites(files: Iterable[str | Path | Traversable]) -> list[SiteProfile]:
    """The site profiles of `files`; `SiteFileError` on a wrong file or an id given twice."""
    sites: dict[str, SiteProfile] = {}
    for file in files:
        site = load_site(file)
        if site.id in sites:
            raise SiteFileError(str(file), "id", f"{site.id!r} is also {sites[site.id].source}")
        sites[site.id] = site
    return list(sites.values())


def extra_site_files(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """The site files of the folder `PORTAL_SITES_DIR` names, if it is set."""
    folder = environ.get(SITES_ENV)
    if not folder:
        return []
    path = Path(folder)
    if not path.is_dir():
        raise SiteFileError(folder, None, f"{SITES_ENV} is not a folder")
    return sorted(path.glob("*.toml"))


def _required_fields(check: _Checker) -> tuple[str, ...]:
    fields = tuple(check.strings("required_fields", default=["title", "body_text"]))
    for name in fields:
        if name not in RECORD_FIELDS:
            raise SiteFileError(check.source, "required_fields", f"{name!r} is no record field")
    return fields


def _utc_offset(zone: str, source: str) -> str:
    """`+07:00` as it is; a zone name without daylight saving as its offset."""
    try:
        parse_offset(zone)
        return zone
    except ValueError:
        pass
    try:
        info = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SiteFileError(source, "time_zone", f"{zone!r} is no time zone") from None
    offsets = {datetime(2024, month, 1, tzinfo=info).utcoffset() for month in (1, 7)}
    offset = offsets.pop()
    if offsets or offset is None:
        raise SiteFileError(source, "time_zone", f"{zone!r} changes offset: give it as +HH:MM")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _selectors(table: object, platform_id: str, source: str) -> dict[str, Selector]:
    if not isinstance(table, Mapping):
        raise SiteFileError(source, "selectors", "must be a table of field = {css|xpath = ...}")
    names = selector_names(platform_id)
    out: dict[str, Selector] = {}
    for name, spec in table.items():
        key = f"selectors.{name}"
        if name not in names:
            known = ", ".join(names)
            raise SiteFileError(source, key, f"no such selector on {platform_id} ({known})")
        if isinstance(spec, str):
            spec = {"css": spec}
        if not isinstance(spec, Mapping):
            raise SiteFileError(source, key, "give a CSS string, {css = ...} or {xpath = ...}")
        try:
            out[name] = parse_selector(spec)
        except ValueError as exc:
            raise SiteFileError(source, key, str(exc)) from None
    return out


class _Checker:
    """Typed reads of a site file's keys, each failure a `SiteFileError` naming the key."""

    def __init__(self, data: Mapping[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def _fail(self, key: str, problem: str) -> SiteFileError:
        return SiteFileError(self.source, key, problem)

    def string(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def strings(self, key: str, default: list[str] | None = None) -> list[str]:
        value = self.data.get(key, default if default is not None else [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self._fail(key, f"must be a list of strings, got {value!r}")
        return [v.strip() for v in value]

    def url(self, key: str, default: str) -> str:
        value = self.string(key, default)
        self._check_url(key, value)
        return value

    def url_list(self, key: str) -> list[str]:
        values = self.strings(key)
        for value in values:
            self._check_url(key, value)
        return values

    def paths(self, key: str) -> tuple[str, ...]:
        values = self.strings(key)
        for value in values:
            if not value.startswith("/"):
                raise self._fail(key, f"{value!r} must be a path starting with /")
        return tuple(values)

    def _check_url(self, key: str, value: str) -> None:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise self._fail(key, f"{value!r} is not an absolute http(s) URL")
