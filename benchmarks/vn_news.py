"""vn-news: real Vietnamese news pages, each field checked against the truth read off the page.

Usage: python benchmarks/vn_news.py --data ../shared/data/vn-news [--extractors generic,trafilatura]
       [--verbose] [--write benchmarks/RESULTS.md]

The measure is the one the set's README suggests, per page: the title exactly; the publication
instant with its offset; the authors as a set; the summary; the body starting with one of the
accepted openings and ending with the last sentence; none of the `not_in_body` strings in the
body; every image caption found among the record's images with its credit split off. A page is
fully right when every field is. Extractors without a field (captions, a time of day) score it
as missing, as a user would find it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from results import markers, write_section  # benchmarks/, the script's folder

FIELDS = ("title", "published", "authors", "summary", "body_start", "body_end", "clean_body",
          "captions")  # fmt: skip


@dataclass
class Found:
    """What one extractor read off a page."""

    title: str | None = None
    published: str | None = None  # RFC 3339 with offset, or None
    authors: list[str] = field(default_factory=list)
    summary: str | None = None
    body: str = ""
    captions: list[tuple[str | None, str | None]] = field(default_factory=list)
    portal: dict[str, Any] | None = None


def norm(text: str | None) -> str:
    """NFC, white space collapsed, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def check(page: dict[str, Any], found: Found) -> dict[str, bool]:
    """Each field of `page`'s truth: right or not."""
    body = norm(found.body)
    images = [(norm(c), norm(k) or None) for c, k in found.captions]
    wanted = [c for c in page.get("captions") or [] if not c.get("video")]
    result = {
        "title": norm(found.title)
        in {norm(t) for t in [page["title"], *page.get("title_alternatives", [])]},
        "published": found.published == page["published"],
        "authors": {norm(a) for a in found.authors} == {norm(a) for a in page["authors"]},
        "summary": norm(found.summary) == norm(page.get("summary")),
        "body_start": any(body.startswith(norm(b)) for b in page["body_first"]),
        "body_end": body.endswith(norm(page["body_last"])),
        "clean_body": not any(norm(s) in body for s in page.get("not_in_body") or []),
        "captions": all(
            any(
                c.startswith(norm(w["caption"])) and k == (norm(w.get("credit")) or None)
                for c, k in images
            )
            for w in wanted
        ),
    }
    if page.get("portal"):  # footer facts, on the pages that show them
        result["portal"] = all(
            _same(value, (found.portal or {}).get(key)) for key, value in page["portal"].items()
        )
    return result


def _same(want: Any, got: Any) -> bool:
    if isinstance(want, list):
        return isinstance(got, list) and {norm(w) for w in want} == {norm(g) for g in got}
    return norm(want) == norm(got) if isinstance(got, str) else False


def _generic() -> Callable[[dict[str, Any], bytes], Found]:
    from portal_scraper.extract import GENERIC
    from portal_scraper.record.model import Reject
    from portal_scraper.record.page import Page
    from portal_scraper.record.stages import process_page

    def run(page: dict[str, Any], html: bytes) -> Found:
        record = process_page(Page(page["url"], html, "2026-11-29T00:00:00Z"), GENERIC)
        if isinstance(record, Reject):
            return Found()
        return Found(
            title=record.title,
            published=record.published_at,
            authors=record.authors,
            summary=record.summary,
            body=record.body_text,
            captions=[(i.caption, i.credit) for i in record.images],
            portal=dataclasses.asdict(record.portal) if record.portal else None,
        )

    return run


def _trafilatura() -> Callable[[dict[str, Any], bytes], Found]:
    import trafilatura

    def run(page: dict[str, Any], html: bytes) -> Found:
        doc = trafilatura.bare_extraction(html, url=page["url"], with_metadata=True)
        if doc is None:
            return Found()
        author = getattr(doc, "author", None) or ""
        return Found(
            title=getattr(doc, "title", None),
            published=getattr(doc, "date", None),  # a day only with its defaults
            authors=[a for a in re.split(r"\s*;\s*", author) if a],
            summary=getattr(doc, "description", None),
            body=getattr(doc, "text", None) or "",
        )

    return run


def _newspaper() -> Callable[[dict[str, Any], bytes], Found]:
    import newspaper

    def run(page: dict[str, Any], html: bytes) -> Found:
        article = newspaper.Article(page["url"], fetch_images=False)
        article.download(input_html=html.decode("utf-8", "replace"))
        article.parse()
        published = article.publish_date.isoformat() if article.publish_date else None
        return Found(
            title=article.title,
            published=published,
            authors=list(article.authors),
            summary=article.meta_description or None,
            body=article.text,
        )

    return run


EXTRACTORS: dict[str, Callable[[], Callable[[dict[str, Any], bytes], Found]]] = {
    "generic": _generic,
    "trafilatura": _trafilatura,
    "newspaper4k": _newspaper,
}


def measure(data: Path, names: list[str], verbose: bool) -> str:
    """The Markdown table: per extractor, how many pages each field is right on."""
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))["pages"]
    rows = []
    for name in names:
        try:
            run = EXTRACTORS[name]()
        except ImportError as exc:
            print(f"{name}: not installed ({exc}); skipped", file=sys.stderr)
            continue
        right = dict.fromkeys((*FIELDS, "portal"), 0)
        full = 0
        for page in truth:
            result = check(page, run(page, (data / page["file"]).read_bytes()))
            for key, ok in result.items():
                right[key] += ok
            full += all(result.values())
            if verbose:
                wrong = [k for k, ok in result.items() if not ok]
                print(f"{name} {page['id']}: {'ok' if not wrong else 'wrong ' + ', '.join(wrong)}")
        total = sum(right.values())
        cells = " | ".join(str(right[k]) for k in (*FIELDS, "portal"))
        with_portal = sum(1 for page in truth if page.get("portal"))
        fields = len(FIELDS) * len(truth) + with_portal
        rows.append(f"| {name} | {cells} | {total}/{fields} | {full}/{len(truth)} |")
    with_portal = sum(1 for page in truth if page.get("portal"))
    header = (
        "| extractor | "
        + " | ".join(FIELDS)
        + f" | portal (of {with_portal}) | fields right | pages fully right |"
    )
    rule = "|---" * (len(FIELDS) + 4) + "|"
    return "\n".join([f"### vn-news ({len(truth)} pages; pages right per field)", "", header,
                      rule, *rows])  # fmt: skip


def main() -> int:
    """Print the vn-news table (and write it into a Markdown file between markers)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/vn-news"))
    parser.add_argument("--extractors", default=",".join(EXTRACTORS))
    parser.add_argument("--verbose", action="store_true", help="say which fields each page missed")
    parser.add_argument("--write", type=Path, help="also write the table into this Markdown file")
    args = parser.parse_args()
    if not (args.data / "truth.json").is_file():
        parser.error(f"no truth.json in {args.data} (give --data DIR)")
    table = measure(args.data, args.extractors.split(","), args.verbose)
    print(table)
    if args.write:
        start, end = markers("vn-news")
        write_section(args.write, f"{start}\n{table}\n{end}\n", start, end)
    return 0


if __name__ == "__main__":
    sys.exit(main())
