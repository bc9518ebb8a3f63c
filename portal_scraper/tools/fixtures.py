"""Fixture cases (`fixtures/<site>/<case>/`): load them, and rewrite `expected.json` for review.

Usage: python -m portal_scraper.tools.fixtures update [--fixtures DIR] [CASE_DIR ...]

The fixtures are the repository's `fixtures/` folder, not package data: the commands read
`--fixtures DIR` (default `fixtures`, i.e. run from the checkout's root).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal_scraper.extract import get_profile
from portal_scraper.record.model import ArticleRecord, Reject
from portal_scraper.record.page import Page
from portal_scraper.record.stages import process_page

DEFAULT_FIXTURES = Path("fixtures")
PAGE_FILE, META_FILE, EXPECTED_FILE = "page.html", "meta.json", "expected.json"


@dataclass(frozen=True)
class Case:
    """One saved page with its fetch metadata and the record (or reject) it must give."""

    path: Path

    @property
    def site(self) -> str:
        """The site profile id: the case's parent folder name."""
        return self.path.parent.name

    @property
    def name(self) -> str:
        """`<site>/<case>`."""
        return f"{self.site}/{self.path.name}"

    def page(self) -> Page:
        """The saved page as the crawl would have fetched it."""
        meta = json.loads((self.path / META_FILE).read_text(encoding="utf-8"))
        return Page(
            url=meta["url"],
            body=(self.path / PAGE_FILE).read_bytes(),
            fetched_at=meta["fetched_at"],
            status=meta.get("status", 200),
            headers=meta.get("headers", {}),
        )

    def actual(self) -> dict[str, Any]:
        """What the current code makes of the page: a record, or a reject as a dict."""
        return result_dict(process_page(self.page(), get_profile(self.site)))

    def expected(self) -> dict[str, Any]:
        """The reviewed result in `expected.json`."""
        loaded: dict[str, Any] = json.loads((self.path / EXPECTED_FILE).read_text(encoding="utf-8"))
        return loaded


def result_dict(result: ArticleRecord | Reject) -> dict[str, Any]:
    """A record or a reject as its JSON object."""
    return result.to_dict()


def dump_json(value: Any) -> str:
    """JSON as fixtures store it: sorted keys, indent 2, UTF-8 text, final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def cases(root: Path) -> list[Case]:
    """Every case folder (one holding `page.html`) under the fixtures folder `root`, sorted."""
    return [Case(p.parent) for p in sorted(root.glob(f"*/*/{PAGE_FILE}"))]


def missing_fixtures(root: Path, needed: tuple[str, ...] = ()) -> str | None:
    """Why `root` is not a fixtures folder (holding `needed` paths), or None when it is.

    The message names `--fixtures`, the option that gives the folder.
    """
    if not root.is_dir():
        return (
            f"fixtures folder {str(root)!r} not found: pass --fixtures DIR "
            "(the repository's fixtures/ folder), or run from the checkout's root"
        )
    for name in needed:
        if not (root / name).exists():
            return f"fixtures folder {str(root)!r} has no {name} (given by --fixtures DIR)"
    return None


def add_fixtures_option(parser: argparse.ArgumentParser) -> None:
    """The `--fixtures DIR` option of the commands that read the fixtures."""
    parser.add_argument(
        "--fixtures",
        type=Path,
        default=DEFAULT_FIXTURES,
        metavar="DIR",
        help="the repository's fixtures folder (default: ./fixtures)",
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: list cases, or rewrite their `expected.json` from the current code."""
    parser = argparse.ArgumentParser(
        prog="python -m portal_scraper.tools.fixtures",
        description="Rewrite expected.json from the current code; review with git diff.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    update = sub.add_parser("update", help="rewrite expected.json (all cases, or the given ones)")
    update.add_argument(
        "cases", nargs="*", type=Path, help="case folders (default: all under --fixtures)"
    )
    add_fixtures_option(update)
    add_fixtures_option(
        sub.add_parser("list", help="list the cases and whether expected.json matches")
    )
    args = parser.parse_args(argv)

    if getattr(args, "cases", None):
        selected = [Case(p.resolve()) for p in args.cases]
    else:
        problem = missing_fixtures(args.fixtures)
        if problem:
            parser.error(problem)
        selected = cases(args.fixtures)
        if not selected:
            parser.error(f"no cases (*/*/{PAGE_FILE}) under --fixtures {str(args.fixtures)!r}")
    for case in selected:
        if not (case.path / PAGE_FILE).is_file():
            parser.error(f"{case.path} has no {PAGE_FILE}")
    changed = 0
    for case in selected:
        actual = dump_json(case.actual())
        target = case.path / EXPECTED_FILE
        old = target.read_text(encoding="utf-8") if target.exists() else None
        state = "new" if old is None else ("same" if old == actual else "changed")
        if args.command == "update" and state != "same":
            target.write_text(actual, encoding="utf-8")
            changed += 1
        print(f"{state:8} {case.name}")
    if args.command == "update":
        print(f"{changed} expected.json rewritten; review them with: git diff fixtures/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
