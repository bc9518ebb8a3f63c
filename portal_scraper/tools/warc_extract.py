"""Re-extract records from WARC files, offline (after a profile fix, say).

Usage: python -m portal_scraper.tools.warc_extract JOB/warc/*.warc.gz [--site ID] [-o records.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from portal_scraper.crawl.warc import read_responses
from portal_scraper.extract import PROFILES, Profile, get_profile, profile_for_url
from portal_scraper.record.model import ArticleRecord, Reject
from portal_scraper.record.page import Page
from portal_scraper.record.stages import process_page


def reextract(paths: list[Path], site: str | None = None) -> list[ArticleRecord | Reject]:
    """Records (or rejects) for every article response in the WARC files, in archive order.

    As in the live archive, a page fetched again unchanged (a run resumed after a kill, a
    refresh) gives no second record; a changed one does.
    """
    results: list[ArticleRecord | Reject] = []
    last_hash: dict[str, str] = {}
    for archived in read_responses(paths):
        profile: Profile = get_profile(site) if site else profile_for_url(archived.url)
        if archived.status != 200 or not profile.is_article_url(archived.url):
            continue  # listings, robots.txt, redirects and errors are archived but are no article
        page = Page(
            url=archived.url,
            body=archived.body,
            fetched_at=archived.fetched_at,
            status=archived.status,
            headers=archived.headers,
            warc_file=archived.warc_file,
            warc_record_id=archived.record_id,
        )
        result = process_page(page, profile)
        if not isinstance(result, Reject):
            key = result.canonical_url
            if last_hash.get(key) == result.content_sha256:
                continue
            last_hash[key] = result.content_sha256
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    """Print (or write) one JSON line per article page found in the WARC files."""
    parser = argparse.ArgumentParser(
        prog="python -m portal_scraper.tools.warc_extract",
        description="Re-extract article records from WARC files with no network.",
    )
    parser.add_argument("warc", nargs="+", type=Path, help="WARC files (.warc.gz)")
    parser.add_argument("--site", choices=sorted(PROFILES), help="profile (default: by host)")
    parser.add_argument("-o", "--output", type=Path, help="records file (default: stdout)")
    parser.add_argument("--rejects", type=Path, help="also write rejects here")
    args = parser.parse_args(argv)
    missing = [p for p in args.warc if not p.is_file()]
    if missing:
        parser.error(f"no such WARC file: {missing[0]}")
    results = reextract(args.warc, args.site)
    records = [r for r in results if not isinstance(r, Reject)]
    rejects = [r.to_dict() for r in results if isinstance(r, Reject)]
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    for record in records:
        out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    if args.output:
        out.close()
    if args.rejects:
        with args.rejects.open("w", encoding="utf-8") as handle:
            for reject in rejects:
                handle.write(json.dumps(reject, ensure_ascii=False) + "\n")
    print(f"{len(records)} records, {len(rejects)} rejects", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
