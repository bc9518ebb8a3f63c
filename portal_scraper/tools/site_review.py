"""What `scrapy newsite` prints after drafting: the field coverage of the samples, the article
links each listing shows under the drafted rules, and the warnings that make a draft incomplete
(exit status 3)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from portal_scraper.extract import decode_page, parse_html
from portal_scraper.extract.sites import RECORD_FIELDS, SiteProfile
from portal_scraper.record.model import ArticleRecord, is_empty
from portal_scraper.record.stages import process_page
from portal_scraper.tools.site_sample import Seen, Survey

# The draft is written but incomplete: a menu page could not be read, or a listing shows no
# article link under the drafted rules.
EXIT_INCOMPLETE = 3


def coverage(site: SiteProfile, samples: list[Seen]) -> list[tuple[str, int]]:
    """Per record field, how many samples the drafted site reads it on."""
    records = [r for s in samples if isinstance(r := process_page(s.page, site), ArticleRecord)]
    return [(name, sum(not is_empty(getattr(r, name)) for r in records)) for name in RECORD_FIELDS]


def listing_links(site: SiteProfile, listing: Seen) -> int:
    """How many article links the drafted site reads on the listing page (as a crawl would)."""
    page = listing.page
    doc = parse_html(decode_page(page.body, page.headers).text)
    try:
        return len(site.parse_listing(page.url, doc).articles)
    except Exception:  # a profile bug on an odd page reads no link, and the review says so
        return 0


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def listings_table(site: SiteProfile, survey: Survey) -> tuple[list[str], list[str]]:
    """Per listing of the draft, its article links under the drafted rules (`<- none` when
    a crawl would read no article from it) or why it was not read; and the warnings."""
    rows: list[tuple[str, str, str]] = []
    warnings: list[str] = []
    for listing in survey.listings:
        found = listing_links(site, listing)
        mark = ""
        if 0 < found < len(listing.links):
            mark = f"  <- some: the drafter read {len(listing.links)} links here"
        if found == 0:
            mark = "  <- none: a crawl reads no article here (article_paths, listing_link?)"
            warnings.append(f"listing {_path(listing.page.url)} has no article link")
        rows.append((_path(listing.page.url), str(found), mark))
    for url, why in survey.unread:
        rows.append((_path(url), "-", f"  <- not read: {why}; kept in listing_paths"))
        warnings.append(f"menu page {_path(url)} not read ({why})")
    if not rows:
        return [], warnings
    width = max(len("listing"), *(len(r[0]) for r in rows))
    lines = ["", f"{'listing':<{width}} article links"]
    lines += [f"{path:<{width}} {count}{mark}" for path, count, mark in rows]
    return lines, warnings


def review(site: SiteProfile, survey: Survey, out: Path) -> tuple[str, list[str]]:
    """What was drafted, the field coverage and listing tables, what to review; and the
    warnings that make the draft incomplete (none: complete)."""
    total = len(survey.articles)
    lines = [
        f"platform: {site.platform.id}; listings: {len(site.listing_paths)}; "
        f"sample articles: {total}" + (f"; requests: {survey.requests}" if survey.requests else ""),
        "",
        f"{'field':<14} samples",
    ]
    for name, found in coverage(site, survey.articles):
        mark = "" if found == total else ("  <- none" if found == 0 else "  <- some")
        lines.append(f"{name:<14} {found}/{total}{mark}")
    table, warnings = listings_table(site, survey)
    lines += table
    if survey.problems or warnings:
        lines.append("")
    for problem in survey.problems[:10]:
        lines.append(f"note: {problem}")
    if len(survey.problems) > 10:
        lines.append(f"note: ... and {len(survey.problems) - 10} more")
    for warning in warnings:
        lines.append(f"WARNING: {warning}")
    cases = out / "fixtures" / site.id
    lines += [
        "",
        f"site file: {site.source}",
        f"fixtures:  {cases}/ ({total} cases)",
        f"review:    git diff -- {site.source} {cases}",
        f"try it:    scrapy crawl portal -a site={site.source} -O articles.jsonl",
    ]
    return "\n".join(lines), warnings
