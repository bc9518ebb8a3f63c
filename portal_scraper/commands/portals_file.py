"""A portals file: one portal a line, a site id or a start URL, with optional `since=`, `id=`
(and `site=` for a start URL), `#` comments. Checked whole before any portal runs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from portal_scraper.crawl.spiders.arguments import parse_arguments

# A job directory's name under the jobs root.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# Names the list itself writes in the jobs root.
RESERVED = frozenset({"report.json", "report.txt", ".lock"})
KEYS_FOR_SITE = ("since", "id")
KEYS_FOR_URL = ("since", "id", "site")
EXAMPLE = (
    "bentre-city since=2024-01-01  or  http://portal.example.gov.vn/ id=example since=2024-01-01"
)


class PortalsFileError(ValueError):
    """The portals file cannot be run; the message names each bad line."""


@dataclass(frozen=True)
class PortalLine:
    """One portal of the list, checked."""

    line: int
    id: str
    site: str | None
    start_url: str | None
    since: str | None

    def spider_arguments(self) -> dict[str, str]:
        """The portal spider's `-a` arguments for this portal."""
        given = {"site": self.site, "start_url": self.start_url, "since": self.since}
        return {name: value for name, value in given.items() if value}

    def describe(self) -> dict[str, object]:
        """The portal as the combined report names it."""
        return {"id": self.id, "line": self.line, **self.spider_arguments()}


def read_portals(path: Path, defaults: dict[str, str] | None = None) -> list[PortalLine]:
    """The portals of the file at `path`; `defaults` are spider arguments given to every portal
    (a line's own `since` wins). `PortalsFileError` names every bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PortalsFileError(f"cannot read the portals file {path}: {exc}") from None
    return parse_portals(text, str(path), defaults)


def parse_portals(
    text: str, name: str = "portals file", defaults: dict[str, str] | None = None
) -> list[PortalLine]:
    """The portals of a portals file's text (see `read_portals`)."""
    portals: list[PortalLine] = []
    errors: list[str] = []
    first_line_of: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        words = _strip_comment(raw).split()
        if not words:
            continue
        try:
            portal = _parse_line(number, words, defaults or {})
        except ValueError as exc:
            errors.append(f"{name} line {number}: {exc}")
            continue
        key = portal.id.casefold()
        if key in first_line_of:
            errors.append(
                f"{name} line {number}: id {portal.id!r} is also the id of line "
                f"{first_line_of[key]}: each portal needs its own job directory (give id=NAME)"
            )
            continue
        first_line_of[key] = number
        portals.append(portal)
    if errors:
        raise PortalsFileError("\n".join(errors))
    if not portals:
        raise PortalsFileError(f"{name}: no portals (one a line, e.g. {EXAMPLE})")
    return portals


def _strip_comment(line: str) -> str:
    """The line without its comment: `#` at its start or after a space (a URL keeps `#frag`)."""
    match = re.search(r"(^|\s)#", line)
    return line[: match.start()] if match else line


def _parse_line(number: int, words: list[str], defaults: dict[str, str]) -> PortalLine:
    target, options = words[0], words[1:]
    is_url = "://" in target or target.lower().startswith(("http:", "https:"))
    allowed = KEYS_FOR_URL if is_url else KEYS_FOR_SITE
    given: dict[str, str] = {}
    for option in options:
        key, equals, value = option.partition("=")
        if not equals or key not in allowed:
            raise ValueError(
                f"{option!r} is not one of {', '.join(f'{k}=...' for k in allowed)} "
                f"(a line is a site id or a start URL, then options: {EXAMPLE})"
            )
        if not value:
            raise ValueError(f"{key}= needs a value")
        if key in given:
            raise ValueError(f"{key}= is given twice")
        given[key] = value
    site = given.get("site") if is_url else target
    start_url = target if is_url else None
    since = given.get("since") or defaults.get("since")
    # The spider's own checks: an unknown site id (get_profile), a bad URL, a bad date.
    try:
        parse_arguments(
            site=site, start_url=start_url, since=since, max_items=defaults.get("max_items")
        )
    except (ValueError, LookupError) as exc:
        raise ValueError(str(exc.args[0]) if exc.args else str(exc)) from None
    portal_id = given.get("id") or (default_id(start_url) if start_url else str(site))
    if not _ID.fullmatch(portal_id) or portal_id in RESERVED:
        raise ValueError(
            f"id {portal_id!r} cannot name a job directory: letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, at most 100 (give id=NAME)"
        )
    return PortalLine(number, portal_id, site, start_url, since)


def default_id(start_url: str) -> str:
    """A start URL's job directory name: its host (and port, and path), e.g.
    `portal.example.gov.vn`, `127.0.0.1-8765`, `example.vn-tin-tuc`."""
    parts = urlsplit(start_url)
    words = [parts.hostname or "", str(parts.port or ""), parts.path, parts.query]
    slug = re.sub(r"[^a-z0-9._]+", "-", "-".join(w for w in words if w).lower())
    return slug.strip("-._")[:100].rstrip("-._")
