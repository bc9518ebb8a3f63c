"""The offline demo portal: the Ben Tre fixtures plus generated articles, served on 127.0.0.1.

Usage: python -m portal_scraper.tools.demo_portal [--port 8765] [--fixtures DIR]

Its pages come from the repository's fixtures folder (`--fixtures DIR`, default `./fixtures`).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from portal_scraper.tools.demo_discovery import discovery_response
from portal_scraper.tools.fixtures import add_fixtures_option, cases, missing_fixtures

SITE = "bentre-city"
SEED_PAGE = f"{SITE}/seed-1452/page.html"
LISTING_TEMPLATE = f"{SITE}-listings/thong-tin-chung-p1.html"
# What the portal reads from the fixtures folder (besides every case of the site).
NEEDED = (SEED_PAGE, LISTING_TEMPLATE)
PER_PAGE = 10
VIEW_ID = "{9D7A3C2B-5E1F-4B8A-9C6D-2F0E1A3B4C5D}"
CATEGORIES = {
    "/Lists/TinTuc/ThongTinChung.aspx": "Thông tin chung",
    "/Lists/TinTuc/TinTucSuKien.aspx": "Tin tức - Sự kiện",
}
LOWER_CATEGORIES = {path.lower(): path for path in CATEGORIES}
WEEKDAYS = ("Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "Chủ nhật")
# Generated articles: (first id, count, category listing path, newest date).
GENERATED = (
    (1400, 17, "/Lists/TinTuc/ThongTinChung.aspx", date(2018, 7, 18)),
    (1460, 5, "/Lists/TinTuc/TinTucSuKien.aspx", date(2018, 8, 9)),
)
# An article listed in a second category too: the crawl must still fetch it once.
CROSS_LISTED = {"/Lists/TinTuc/TinTucSuKien.aspx": (1452,)}
# A listed link to another portal (a reserved, never-resolving host): the crawl must not follow it.
OFFSITE_LINKS = {
    "/Lists/TinTuc/TinTucSuKien.aspx": "http://other-portal.invalid/Lists/TinTuc/DispForm.aspx?ID=9"
}


@dataclass
class DemoArticle:
    """One item of the demo news list."""

    id: int
    title: str
    listed_on: date
    summary: str
    listing: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    is_article: bool = True


class DemoPortal:
    """The pages of the demo portal, built once from the fixtures folder `fixtures`."""

    def __init__(
        self, fixtures: Path, per_page: int = PER_PAGE, broken: bool = False, routes: str = ""
    ) -> None:
        problem = missing_fixtures(fixtures, NEEDED)
        if problem:
            raise FileNotFoundError(problem)
        self.per_page = per_page
        # A sitemap that is no XML and a feed that is missing, to be reported by a crawl.
        self.broken = broken
        # A variant of the discovery routes (demo_discovery.ROUTE_VARIANTS), or "" for none.
        self.routes = routes
        self.seed = (fixtures / SEED_PAGE).read_text(encoding="utf-8")
        self.listing_template = (fixtures / LISTING_TEMPLATE).read_text(encoding="utf-8")
        self.articles: dict[int, DemoArticle] = {}
        for case in cases(fixtures):
            if case.site == SITE:
                self._add_fixture(case.path)
        for first, count, listing, newest in GENERATED:
            for n in range(count):
                self._add_generated(first + n, listing, newest - timedelta(days=n))

    def expected_article_ids(self) -> set[int]:
        """Ids of the items that are real articles (every one must be written once)."""
        return {a.id for a in self.articles.values() if a.is_article}

    def non_article_ids(self) -> set[int]:
        """Ids of listed items that must be rejected."""
        return {a.id for a in self.articles.values() if not a.is_article}

    def _add_fixture(self, path: Path) -> None:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        expected = json.loads((path / "expected.json").read_text(encoding="utf-8"))
        item_id = int(re.search(r"ID=(\d+)", meta["url"]).group(1))  # type: ignore[union-attr]
        is_article = "stage" not in expected
        published = expected.get("published_at") or "2018-08-09"
        self.articles[item_id] = DemoArticle(
            id=item_id,
            title=expected.get("title") or "Thông báo lịch tiếp công dân (tin đã bị xóa)",
            listed_on=date.fromisoformat(published[:10]),
            summary=expected.get("summary") or "",
            listing="/Lists/TinTuc/ThongTinChung.aspx",
            body=(path / "page.html").read_bytes(),
            headers=meta.get("headers", {}),
            is_article=is_article,
        )

    def _add_generated(self, item_id: int, listing: str, day: date) -> None:
        title, summary, body = self.generated_page(item_id, listing, day)
        self.articles[item_id] = DemoArticle(
            id=item_id,
            title=title,
            listed_on=day,
            summary=summary,
            listing=listing,
            body=body,
            headers={"Content-Type": "text/html; charset=utf-8"},
        )

    def generated_page(self, item_id: int, listing: str, day: date) -> tuple[str, str, bytes]:
        """(title, summary, page bytes) of a generated article in the portal's markup."""
        category = CATEGORIES[listing]
        title = f"Tin hoạt động số {item_id}: {category} ngày {day:%d/%m/%Y}"
        summary = f"Tóm tắt tin số {item_id} của chuyên mục {category}."
        paragraphs = "".join(
            f'<p style="text-align:justify;">Đoạn {k} của tin số {item_id}: nội dung được '
            f"tạo cho cổng thông tin thử nghiệm, có dấu tiếng Việt đầy đủ.</p>"
            for k in (1, 2, 3)
        )
        block = (
            '<div class="news-detail">'
            f'<div class="news-date"><span class="date-time">{WEEKDAYS[day.weekday()]}, '
            f"Ngày {day:%d/%m/%Y}, 09:{item_id % 60:02d}</span></div>"
            f'<h1 class="news-title">{html.escape(title)}</h1>'
            f'<div class="news-info"><span class="news-date-author">{day:%d/%m/%Y} | '
            "Phóng viên Thử Nghiệm</span></div>"
            f'<div class="news-summary"><strong>{html.escape(summary)}</strong></div>'
            f'<div class="news-content ms-rtestate-field"><div>{paragraphs}</div></div>'
            f'<div class="news-views">Lượt người xem:&#160; {item_id % 97}</div></div>'
        )
        page = re.sub(
            r'<div class="news-detail">.*?\n        </div>(?=\n        </div>\n        </div>)',
            lambda _m: block,
            self.seed,
            count=1,
            flags=re.S,
        )
        page = page.replace("ID=1452", f"ID={item_id}").replace(
            "pageItemId:1452", f"pageItemId:{item_id}"
        )
        for old in (
            '<span class="ms-sitemapdirectional">Thông tin chung</span>',
            '<h2 class="ms-webpart-titleText"><span>Thông tin chung</span></h2>',
        ):
            page = page.replace(old, old.replace("Thông tin chung", category))
        return title, summary, page.encode("utf-8")

    def listing_entries(self, listing: str) -> list[DemoArticle]:
        """The items of one category listing, newest first."""
        items = [a for a in self.articles.values() if a.listing == listing]
        items += [self.articles[i] for i in CROSS_LISTED.get(listing, ()) if i in self.articles]
        return sorted(items, key=lambda a: (a.listed_on, a.id), reverse=True)

    def listing_page(self, path: str, query: dict[str, str]) -> bytes:
        """One page of a category listing in the portal's XSLT list view markup."""
        entries = self.listing_entries(path)
        first_row = max(1, int(query.get("PageFirstRow", "1") or 1))
        shown = entries[first_row - 1 : first_row - 1 + self.per_page]
        source = f"https%3A%2F%2Ftpbentre%2Ebentre%2Egov%2Evn{path.replace('/', '%2F')}"
        rows = "".join(
            '<tr class="ms-itmhover"><td class="ms-vb2"><div class="news-item">'
            f'<h3 class="news-item-title"><a href="/Lists/TinTuc/DispForm.aspx?ID={a.id}'
            f'&amp;Source={source}" onclick="EditLink2(this,\'WPQ2\');return false;" '
            f'target="_self">{html.escape(a.title)}</a></h3>'
            f'<span class="news-item-date">{a.listed_on:%d/%m/%Y}</span>'
            f'<div class="news-item-summary">{html.escape(a.summary)}</div></div></td></tr>'
            for a in shown
        )
        if path in OFFSITE_LINKS and first_row == 1:
            rows += (
                '<tr class="ms-itmhover"><td class="ms-vb2"><div class="news-item">'
                f'<h3 class="news-item-title"><a href="{OFFSITE_LINKS[path]}">Tin liên kết</a></h3>'
                '<span class="news-item-date">01/08/2018</span></div></td></tr>'
            )
        paging = [
            f'<td nowrap="nowrap" class="ms-paging">{first_row} - {first_row + len(shown) - 1}</td>'
        ]
        if first_row > 1 and shown:
            paging.insert(
                0,
                paging_link(path, shown[0].id, max(1, first_row - self.per_page), "Previous", True),
            )
        if first_row - 1 + self.per_page < len(entries) and shown:
            paging.append(paging_link(path, shown[-1].id, first_row + self.per_page, "Next", False))
        page = re.sub(
            r'(<table summary="Tin tức"[^>]*>).*?(</table>)',
            lambda m: f"{m.group(1)}\n{rows}\n      {m.group(2)}",
            self.listing_template,
            count=1,
            flags=re.S,
        )
        page = re.sub(
            r'(<td align="center" id="bottomPagingCellWPQ2"><table><tr>).*?(</tr></table></td>)',
            lambda m: m.group(1) + "".join(paging) + m.group(2),
            page,
            count=1,
            flags=re.S,
        )
        category = CATEGORIES[path]
        page = page.replace(">Thông tin chung<", f">{category}<").replace(
            "Thông tin chung - Thông tin chung", f"{category} - {category}"
        )
        return page.encode("utf-8")

    def respond(self, target: str, host: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a request target (path and query) on `host`."""
        parts = urlsplit(target)
        found = discovery_response(self, parts.path, host, self.broken)
        if found is not None:
            return found
        # IIS reads parameter names in any case.
        query = {k if k.lower() != "id" else "ID": v for k, v in parse_qsl(parts.query)}
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        if parts.path.lower() in LOWER_CATEGORIES:
            return 200, html_type, self.listing_page(LOWER_CATEGORIES[parts.path.lower()], query)
        if parts.path.lower() == "/lists/tintuc/dispform.aspx":
            item = self.articles.get(int(query["ID"])) if query.get("ID", "").isdigit() else None
            if item is not None:
                return 200, item.headers or html_type, item.body
            # SharePoint answers 200 with its error page for an item that does not exist.
            missing = self.articles[min(self.non_article_ids())]
            return 200, missing.headers or html_type, missing.body
        return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 NOT FOUND\n"


def paging_link(path: str, item_id: int, first_row: int, label: str, previous: bool) -> str:
    """A `RefreshPageTo` paging arrow of the list view."""
    prev = "\\u0026PagedPrev=TRUE" if previous else ""
    amp = "\\u0026"
    target = (
        path.replace("/", "\\u002f")
        + f"?Paged=TRUE{prev}{amp}p_ID={item_id}{amp}PageFirstRow={first_row}{amp}View={VIEW_ID}"
    )
    side = "left" if previous else "right"
    return (
        f"<td><a onclick='javascript:RefreshPageTo(event, \"{target}\");javascript:return false;' "
        'href="javascript:" class="ms-commandLink ms-promlink-button ms-promlink-button-enabled">'
        '<span class="ms-promlink-button-image"><img src="/_layouts/15/images/spcommon.png?rev=23" '
        f'border="0" class="ms-promlink-button-{side}" alt="{label}" /></span></a></td>'
    )


def _handler(portal: DemoPortal, article_delay: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "Microsoft-IIS/8.5"

        def do_GET(self) -> None:
            if article_delay and "dispform.aspx" in self.path.lower():
                time.sleep(article_delay)  # a slow portal, to stop a crawl midway in tests
            host = self.headers.get("Host") or "127.0.0.1"
            status, headers, body = portal.respond(self.path, host)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the crawl's own log says what was fetched

    return Handler


@contextmanager
def serving(
    handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Run an HTTP server in a background thread for the block; yields its base URL."""
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def running(
    fixtures: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    article_delay: float = 0.0,
    broken: bool = False,
    routes: str = "",
) -> Iterator[tuple[str, DemoPortal]]:
    """Serve the demo portal built from the fixtures folder in a background thread; yields
    (base URL, portal)."""
    portal = DemoPortal(fixtures, broken=broken, routes=routes)
    with serving(_handler(portal, article_delay), host, port) as url:
        yield url, portal


def main(argv: list[str] | None = None) -> int:
    """Serve the demo portal until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m portal_scraper.tools.demo_portal",
        description="Serve the offline demo portal (fixture pages plus generated articles).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks one)")
    parser.add_argument(
        "--article-delay", type=float, default=0.0, help="seconds to wait before each article page"
    )
    add_fixtures_option(parser)
    args = parser.parse_args(argv)
    problem = missing_fixtures(args.fixtures, NEEDED)
    if problem:
        parser.error(problem)
    with running(args.fixtures, args.host, args.port, args.article_delay) as (url, portal):
        print(
            f"demo portal at {url}: {len(portal.expected_article_ids())} articles, "
            f"{len(portal.non_article_ids())} non-article item(s); Ctrl-C to stop",
            flush=True,
        )
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
