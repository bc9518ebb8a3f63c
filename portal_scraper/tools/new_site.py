"""Draft a site file and fixture cases for a new portal: `scrapy newsite URL` (or
`python -m portal_scraper.tools.new_site URL`), or offline from saved pages (`--pages DIR`).

Writes `OUT/sites/<id>.toml` (checked with `load_site` first) and
`OUT/fixtures/<id>/<case>/{page.html,meta.json,expected.json}` for 3 to 5 sample articles, and
prints the field coverage of the samples, for an operator to review as a diff.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from portal_scraper.extract.platforms import PLATFORMS
from portal_scraper.extract.sites import RECORD_FIELDS, SiteFileError, SiteProfile, load_site
from portal_scraper.normalize.urls import canonical_url
from portal_scraper.record.model import ArticleRecord, is_empty
from portal_scraper.record.stages import process_page
from portal_scraper.tools.fixtures import EXPECTED_FILE, META_FILE, PAGE_FILE, dump_json
from portal_scraper.tools.site_review import EXIT_INCOMPLETE, review
from portal_scraper.tools.site_sample import (
    USER_AGENT,
    DraftError,
    Fetcher,
    Seen,
    Survey,
    survey_folder,
    survey_portal,
)

# Fields a drafted site requires: always these, and the others when every sample has them.
ALWAYS_REQUIRED = ("title", "body_text")
REQUIRED_IF_SEEN = ("published_at", "category", "source_id", "portal")
DEFAULT_SAMPLES = 5
# Platforms whose listing links are one selector a site may replace.
LISTING_LINK_PLATFORMS = ("dnn", "sharepoint2013")
DESCRIPTION = (
    "Draft a site file for a new portal: fetch robots.txt, its home page, the listings its menus "
    "link and a few articles (at most --max-requests, --delay seconds apart, a failed request "
    "(HTTP 5xx, timeout, connection error) tried twice more, robots.txt obeyed, same host only), "
    "detect the platform, and write OUT/sites/<id>.toml (id, name, platform, hosts, base_url, "
    "start_urls, listing_paths, article_paths, time_zone, required_fields, [selectors]) with "
    "fixture cases OUT/fixtures/<id>/<case>/ (page.html, meta.json, expected.json) for --samples "
    "articles, then print which record fields the samples have and how many article links each "
    "listing shows under the drafted rules. With --pages DIR, read a folder of saved pages "
    "instead (offline; each page's URL is its <link rel=canonical>, else --base-url plus its file "
    "name). Exit status: 0 drafted; 3 drafted but incomplete (a menu page could not be read: it "
    "is kept in listing_paths; or a listing shows no article link under the drafted rules): "
    "review the warnings, do not commit as is; 1 the portal could not be read (home page not "
    "fetched, no platform, no article); 2 bad input (no URL, a bad URL, an empty folder, an "
    "existing site file without --force)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `scrapy newsite` and `python -m portal_scraper.tools.new_site`."""
    group = parser.add_argument_group("new site")
    group.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="write DIR/sites/<id>.toml and DIR/fixtures/<id>/ (default: .)",
    )
    group.add_argument(
        "--id",
        dest="site_id",
        metavar="ID",
        help="the site's id (default: from the host, e.g. portal-example-gov-vn)",
    )
    group.add_argument(
        "--pages",
        type=Path,
        metavar="DIR",
        help="draft from a folder of saved pages (*.html, *.htm), offline",
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        help="with --pages: the portal's URL, for pages without rel=canonical",
    )
    group.add_argument(
        "--samples",
        type=int,
        default=DEFAULT_SAMPLES,
        metavar="N",
        help=f"sample articles to keep as fixtures, 1 to 10 ({DEFAULT_SAMPLES})",
    )
    group.add_argument(
        "--max-requests",
        type=int,
        default=30,
        metavar="N",
        help="requests to the portal at most (30)",
    )
    group.add_argument(
        "--delay",
        type=float,
        metavar="SECONDS",
        help="seconds between requests (default: DOWNLOAD_DELAY, 1.0)",
    )
    group.add_argument("--force", action="store_true",
                       help="replace an existing site file and its fixture cases")  # fmt: skip


def draft(args: list[str], opts: argparse.Namespace, user_agent: str | None = None) -> int:
    """Survey the portal, write the draft, print the review; the exit status."""
    try:
        return _draft(args, opts, user_agent)
    except DraftError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status


def _draft(args: list[str], opts: argparse.Namespace, user_agent: str | None) -> int:
    samples = opts.samples
    if not 1 <= samples <= 10:
        raise DraftError(f"--samples must be 1 to 10, got {samples}", status=2)
    if opts.pages is not None:
        if args:
            raise DraftError("give a URL or --pages DIR, not both", status=2)
        if opts.base_url is not None:
            _check_url(opts.base_url, "--base-url")
        start = opts.base_url
    else:
        if len(args) != 1:
            raise DraftError("give the portal's home page URL (or --pages DIR)", status=2)
        start = args[0]
        _check_url(start, "URL")
    site_id = opts.site_id or (site_id_for(start) if start else None)
    if site_id is not None:
        _check_free(opts.out, site_id, opts.force)
    if opts.pages is not None:
        survey = survey_folder(opts.pages, opts.base_url, samples)
    else:
        delay = 1.0 if opts.delay is None else opts.delay
        fetcher = Fetcher(start, opts.max_requests, delay, user_agent=user_agent or USER_AGENT)
        survey = survey_portal(fetcher, start, samples)
    if site_id is None:
        site_id = site_id_for(survey.home_url)
        _check_free(opts.out, site_id, opts.force)
    data = site_data(survey, site_id)
    site = write_draft(opts.out, data, survey.articles, opts.force)
    text, warnings = review(site, survey, opts.out)
    print(text)
    if warnings:
        print(
            f"warning: the draft is incomplete ({'; '.join(warnings)}): read the review above, "
            f"draft again or fix the file before committing it (exit {EXIT_INCOMPLETE})",
            file=sys.stderr,
        )
        return EXIT_INCOMPLETE
    return 0


def _check_url(url: str, name: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DraftError(f"{name} must be an absolute http(s) URL, got {url!r}", status=2)


def site_id_for(url: str) -> str:
    """A site id from the URL's host (and port): `portal-example-gov-vn`, `127-0-0-1-8765`."""
    netloc = urlsplit(url).netloc.lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9]+", "-", netloc).strip("-") or "portal"


def site_file(out: Path, site_id: str) -> Path:
    return out / "sites" / f"{site_id}.toml"


def _check_free(out: Path, site_id: str, force: bool) -> None:
    path = site_file(out, site_id)
    if path.exists() and not force:
        raise DraftError(f"{path} exists: review or remove it, or give --force", status=2)


def site_data(survey: Survey, site_id: str) -> dict[str, Any]:
    """The draft site file's keys, from what the survey saw."""
    if not survey.articles:
        seen = f"{len(survey.listings)} listing(s)"
        why = "; ".join(survey.problems[:5])
        raise DraftError(
            f"no article found on {survey.home_url} ({seen}){': ' + why if why else ''}; "
            "give a folder of saved article pages with --pages DIR"
        )
    pages = [*survey.articles, *survey.listings]
    platforms = Counter(s.platform for s in pages if s.platform)
    if not platforms:
        known = ", ".join(sorted(PLATFORMS))
        raise DraftError(
            f"no known platform ({known}) in the markup of {survey.home_url}: a site file needs "
            "one; crawl the portal with the generic profile: scrapy crawl portal -a start_url=URL"
        )
    platform = platforms.most_common(1)[0][0]
    home = urlsplit(survey.home_url)
    records = [s.result for s in survey.articles if isinstance(s.result, ArticleRecord)]
    data: dict[str, Any] = {
        "id": site_id,
        "name": _name(survey),
        "platform": platform,
        "hosts": [home.netloc.lower()],
        "base_url": f"{home.scheme}://{home.netloc}",
        "start_urls": [survey.home_url],
        "listing_paths": _listing_paths(survey),
    }
    article_paths = _article_paths(survey, platform)
    if article_paths:
        data["article_paths"] = article_paths
    if (home.hostname and home.hostname.endswith(".vn")) or any(
        (r.language or "").startswith("vi") for r in records
    ):
        data["time_zone"] = "+07:00"
    required = [*ALWAYS_REQUIRED]
    for name in REQUIRED_IF_SEEN:
        if records and all(not is_empty(getattr(r, name)) for r in records):
            required.append(name)
    data["required_fields"] = [f for f in RECORD_FIELDS if f in required]
    holders = [s.links_in for s in survey.listings if s.links_in]
    if holders and platform in LISTING_LINK_PLATFORMS:
        # The platform's listing rules missed the links: read them where the listing holds them.
        selector = ", ".join(f"#{h} a[href]" for h in dict.fromkeys(holders))
        data["selectors"] = {"listing_link": selector}
    return data


def _name(survey: Survey) -> str:
    """The home page's `<title>` (its first part), else the host."""
    if survey.home is not None:
        title = survey.home.doc.findtext(".//title") or ""
        parts = [p.strip() for p in re.split(r"\s[-|–]\s", title) if p.strip()]
        if parts:
            return parts[-1] if len(parts) > 1 else parts[0]
    return urlsplit(survey.home_url).netloc


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _listing_paths(survey: Survey) -> list[str]:
    """The menu pages read as listings and those that could not be read (they may be
    listings: the review warns), in menu order."""
    order = {url: n for n, url in enumerate(survey.menu)}
    urls = [s.page.url for s in survey.listings] + [url for url, _why in survey.unread]
    paths: list[str] = []
    for url in sorted(urls, key=lambda u: order.get(u, len(order))):
        path = _path(url)
        if path not in paths:
            paths.append(path)
    return paths


def _article_paths(survey: Survey, platform: str) -> list[str]:
    """The folders of every article link the listings show and of the samples, when the
    platform's own test does not know all of them (article_paths replace that test)."""
    profile = PLATFORMS[platform]
    urls = [link for s in survey.listings for link in s.links]
    urls += [s.page.url for s in survey.articles]
    if all(profile.is_article_url(u) for u in urls):
        return []
    folders: dict[str, None] = {}
    for url in urls:
        path = urlsplit(url).path
        folder = path[: path.rfind("/") + 1] or "/"
        if folder != "/":
            folders[folder] = None
    return list(folders)


def toml_text(data: dict[str, Any], header: str = "") -> str:
    """The site file: one `key = value` a line (strings and lists of strings)."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    for key, value in data.items():
        if key not in tables:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, table in tables.items():
        lines += ["", f"[{_toml_key(key)}]"]
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        # A JSON string is a TOML basic string once DEL is escaped too.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


HEADER = """Drafted by `scrapy newsite` from {start}: review before use.
Selectors the platform's rules get wrong go in a [selectors] table at the end, e.g.
[selectors]
byline = {{ css = ".author" }}
(names: docs/site-files.md)"""


def write_draft(out: Path, data: dict[str, Any], samples: list[Seen], force: bool) -> SiteProfile:
    """Check the site file with `load_site`, then write it and the samples' fixture cases."""
    target = site_file(out, data["id"])
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        draft_path = target.with_name(f".{target.name}.draft")
        draft_path.write_text(
            toml_text(data, HEADER.format(start=data["start_urls"][0])), encoding="utf-8"
        )
        try:
            site = load_site(draft_path)
        except SiteFileError as exc:
            draft_path.unlink()
            raise DraftError(f"the draft is no valid site file (a bug): {exc}") from None
        cases = out / "fixtures" / data["id"]
        if cases.exists() and force:
            shutil.rmtree(cases)
        for name, seen in zip(case_names(samples), samples, strict=True):
            write_case(cases / name, seen, site)
        draft_path.replace(target)
    except OSError as exc:
        raise DraftError(f"cannot write the draft under {out}: {exc}") from None
    site.source = str(target)
    return site


def case_names(samples: list[Seen]) -> list[str]:
    """A folder name per sample: its URL's last path part and query, made safe, each once."""
    names: list[str] = []
    for seen in samples:
        parts = urlsplit(canonical_url(seen.page.url))
        last = parts.path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        base = re.sub(r"[^a-z0-9]+", "-", f"{last} {parts.query}".lower()).strip("-") or "page"
        name, n = base[:60], 2
        while name in names:
            name, n = f"{base[:60]}-{n}", n + 1
        names.append(name)
    return names


def write_case(path: Path, seen: Seen, site: SiteProfile) -> None:
    """page.html (the bytes as fetched), meta.json, expected.json (read with the draft)."""
    path.mkdir(parents=True, exist_ok=True)
    page = seen.page
    (path / PAGE_FILE).write_bytes(page.body)
    meta = {"url": page.url, "fetched_at": page.fetched_at, "status": page.status,
            "headers": page.headers}  # fmt: skip
    (path / META_FILE).write_text(dump_json(meta), encoding="utf-8")
    result = process_page(page, site)
    (path / EXPECTED_FILE).write_text(dump_json(result.to_dict()), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """`python -m portal_scraper.tools.new_site URL [options]`."""
    parser = argparse.ArgumentParser(
        prog="python -m portal_scraper.tools.new_site", description=DESCRIPTION
    )
    parser.add_argument("url", nargs="?", help="the portal's home page")
    add_arguments(parser)
    opts = parser.parse_args(argv)
    return draft([opts.url] if opts.url else [], opts)


if __name__ == "__main__":
    sys.exit(main())
