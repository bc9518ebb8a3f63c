"""A job directory of several real archive runs of the demo portal, and its HTML report opened in
Debian's Chromium (Playwright drives it; no browser is downloaded).

`python -m tests.support.report_demo docs/report.png` remakes the README's screenshot.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal_scraper.tools.demo_portal import DemoPortal, running
from tests.support import FIXTURES_DIR
from tests.support.archiving import run_archive

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
CHANGED, MISSING, NOT_AN_ARTICLE = 1450, 1451, 1452


def archive(base_url: str, job: Path, *extra: str) -> int:
    """One `scrapy archive` run of the demo portal into `job`; its exit status."""
    return run_archive(base_url, job, *extra).returncode


def archive_history(job: Path) -> list[int]:
    """Four runs that differ, as a nightly job's would; their exit statuses:
    all articles; a refresh where one article changed, one is a 404 and one became an error page
    (a new reject); a run cut short (failed); an incremental run that fetches the 404 again."""
    codes = []
    with running(FIXTURES_DIR) as (base, demo):
        codes.append(archive(base, job))
        with _broken(demo):
            codes.append(archive(base, job, "-s", "PORTAL_INCREMENTAL_REFRESH=True"))
        codes.append(
            archive(base, job, "-s", "PORTAL_INCREMENTAL_REFRESH=True",
                    "-s", "CLOSESPIDER_PAGECOUNT=3")
        )  # fmt: skip
        codes.append(archive(base, job))
    return codes


class _broken:
    """The demo portal with article CHANGED edited, MISSING answering 404 and NOT_AN_ARTICLE
    answering SharePoint's error page, until the block ends."""

    def __init__(self, demo: DemoPortal) -> None:
        self.demo = demo
        self.saved: dict[int, bytes] = {}

    def __enter__(self) -> None:
        articles = self.demo.articles
        self.saved = {n: articles[n].body for n in (CHANGED, NOT_AN_ARTICLE)}
        articles[CHANGED].body = articles[CHANGED].body.replace(
            "Mỗi liên gia gồm".encode(), "Mỗi liên gia mới gồm".encode()
        )
        articles[NOT_AN_ARTICLE].body = articles[min(self.demo.non_article_ids())].body
        respond = self.demo.respond

        def answer(target: str, host: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
            if f"ID={MISSING}" in target:
                return 404, {"Content-Type": "text/plain"}, b"404 NOT FOUND\n"
            return respond(target, host)

        self.demo.respond = answer  # type: ignore[method-assign]

    def __exit__(self, *exc: object) -> None:
        for number, body in self.saved.items():
            self.demo.articles[number].body = body
        del self.demo.respond


@dataclass
class Opened:
    """What Chromium saw of a report page."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests_refused: list[str] = field(default_factory=list)
    # chart key -> (data-rendered, marks drawn in its SVG)
    charts: dict[str, tuple[str, int]] = field(default_factory=dict)
    axis_text: dict[str, str] = field(default_factory=dict)


MARKS = "svg g.mark-rect path, svg g.mark-symbol path, svg g.mark-line path"


def open_report(page_file: Path, screenshot: Path | None = None) -> Opened:
    """Open the page from file:// in headless Chromium, wait for every chart, look at it; any
    request that leaves the file is refused and noted (the page must work offline)."""
    from playwright.sync_api import Route, sync_playwright

    opened = Opened()

    def refuse_network(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            opened.requests_refused.append(route.request.url)
            route.abort()

    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", _keep(opened.console_errors, lambda m: m.type == "error"))
            page.on("pageerror", _keep(opened.page_errors, lambda e: True))
            page.route("**/*", refuse_network)
            page.goto(page_file.resolve().as_uri())
            page.wait_for_function(
                "[...document.querySelectorAll('div[data-chart]')]"
                ".every(box => box.dataset.rendered)",
                timeout=30_000,
            )
            for box in page.query_selector_all("div[data-chart]"):
                key = str(box.get_attribute("data-chart"))
                marks = len(box.query_selector_all(MARKS))
                opened.charts[key] = (str(box.get_attribute("data-rendered")), marks)
                opened.axis_text[key] = " ".join(
                    t.text_content() or "" for t in box.query_selector_all("svg text")
                )
            if screenshot:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return opened


def _keep(into: list[str], wanted: Callable[[Any], bool]) -> Callable[[Any], None]:
    def keep(event: Any) -> None:
        if wanted(event):
            into.append(str(getattr(event, "text", event)))

    return keep


def main(argv: list[str]) -> int:
    """Archive the demo portal four times, write the report, screenshot it to argv[0]."""
    from portal_scraper.tools.html_report import main as report

    target = Path(argv[0] if argv else "docs/report.png")
    with tempfile.TemporaryDirectory() as temp:
        job = Path(temp) / "bentre-city"
        print("archive runs, exit statuses:", archive_history(job), file=sys.stderr)
        page = Path(temp) / "report.html"
        if report([str(job), "-o", str(page)]) != 0:
            return 1
        opened = open_report(page, screenshot=target)
    print(f"{target}: charts {opened.charts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
