"""Crawl the offline demo portal end to end and print a summary of what came out.

Usage: python -m portal_scraper.tools.demo [--out out/demo] [--fixtures DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from portal_scraper.record.model import RECORD_FIELDS, is_empty
from portal_scraper.tools.demo_portal import NEEDED, running
from portal_scraper.tools.fixtures import add_fixtures_option, missing_fixtures

# The demo server is local: no need for the polite delays a real portal gets.
FAST_SETTINGS = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
)


def crawl_command(base_url: str, articles: Path, rejects: Path, *extra: str) -> list[str]:
    """The `scrapy crawl portal` command line for the demo portal at `base_url`.

    Extra `-a start_url=...` arguments without a site crawl it with the generic profile.
    """
    site = [] if any(e.startswith("start_url=") for e in extra) else ["-a", "site=bentre-city"]
    command = [
        sys.executable, "-m", "scrapy", "crawl", "portal", *site,
        "-a", f"base_url={base_url}",
        "-O", str(articles), "-s", f"PORTAL_REJECTS_URI={rejects}",
    ]  # fmt: skip
    for setting in FAST_SETTINGS:
        command += ["-s", setting]
    return command + list(extra)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Objects of a JSON Lines file; a missing file has none."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def summarize(records: list[dict[str, Any]], rejects: list[dict[str, Any]]) -> str:
    """Articles written, rejects by reason, and field coverage, from the output files."""
    lines = [f"articles written: {len(records)}", f"rejects: {len(rejects)}"]
    for (stage, reason), count in Counter((r["stage"], r["reason"]) for r in rejects).items():
        lines.append(f"  {count} x [{stage}] {reason}")
    if records:
        coverage = {
            name: sum(not is_empty(r.get(name)) for r in records) / len(records)
            for name in RECORD_FIELDS
        }
        lines.append(
            "field coverage: " + ", ".join(f"{n} {100 * c:.0f}%" for n, c in coverage.items())
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Serve the demo portal, crawl it with Scrapy, print the summary; exit 0 when it ran."""
    parser = argparse.ArgumentParser(
        prog="python -m portal_scraper.tools.demo",
        description="Crawl the offline demo portal (127.0.0.1) into JSON Lines and summarize.",
    )
    parser.add_argument("--out", type=Path, default=Path("out/demo"), help="output folder")
    parser.add_argument("scrapy_args", nargs="*", help="extra arguments for scrapy crawl")
    add_fixtures_option(parser)
    args = parser.parse_args(argv)
    problem = missing_fixtures(args.fixtures, NEEDED)
    if problem:
        parser.error(problem)
    args.out.mkdir(parents=True, exist_ok=True)
    articles, rejects = args.out / "articles.jsonl", args.out / "rejects.jsonl"
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
    with running(args.fixtures) as (base_url, portal):
        print(f"demo portal at {base_url}; crawling into {articles}", flush=True)
        command = crawl_command(base_url, articles, rejects, *args.scrapy_args)
        result = subprocess.run(command, env=env, check=False)
    if result.returncode != 0:
        print(f"scrapy crawl failed with exit status {result.returncode}", file=sys.stderr)
        return result.returncode
    records = read_jsonl(articles)
    print(f"\n{summarize(records, read_jsonl(rejects))}")
    print(f"\nrecords: {articles}\nrejects: {rejects}")
    missing = portal.expected_article_ids() - {int(r["source_id"]) for r in records}
    if missing:
        print(f"articles the portal has but the crawl did not write: {sorted(missing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
