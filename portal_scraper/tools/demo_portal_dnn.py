"""A second offline demo portal, on ASP.NET/DNN: listings paged only by postbacks.

Usage: python -m portal_scraper.tools.demo_portal_dnn [--port 8766]

Generated content (no fixtures): a home page whose menu links two news categories and a contact
page; each category lists its articles five to a page, paged ONLY by
`javascript:__doPostBack('dnn$ctr123$ArticleList$pager','Page$2')` links inside
`<form id="Form" method="post">` with `__VIEWSTATE` and `__EVENTVALIDATION`. The server reads
the POSTed `__EVENTTARGET`/`__EVENTARGUMENT`; a missing or foreign view state gets page 1, as
on real sites. No sitemap, no feed. Articles have a Vietnamese title, a "Ngày đăng: 12/03/2024
08:30" line, a lead, body paragraphs and an author line.

Pager variants (`DnnPortal(pager=...)`, `--pager`): "numbers" (every page number linked, the
default), "next" (only relative `Page$Prev`/`Page$Next` links, the same on every page: where
they lead depends on the page posted from), "ignore-view-state" (every postback answers page 1,
as a server that lost its session state does). `news_count` and `per_page` size the news
category; `modules=True` puts the listing in a DNN module and the articles under DNN's
`/ArticleId/<id>/` URLs, so that the platform's rules read the listing (and its dates).
"""

from __future__ import annotations

import argparse
import base64
import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from portal_scraper.tools.demo_portal import serving

PER_PAGE = 5
PAGERS = ("numbers", "next", "ignore-view-state")
PAGER = "dnn$ctr123$ArticleList$pager"
# Category path -> (name, slug word, number of articles, newest date).
CATEGORIES = {
    "/tin-tuc.aspx": ("Tin tức - Sự kiện", "tin-tuc", 13, datetime(2024, 3, 12, 8, 30)),
    "/thong-bao.aspx": ("Thông báo", "thong-bao", 7, datetime(2024, 3, 10, 14, 15)),
}
CONTACT = "/lien-he.aspx"
TOPICS = (
    "Hội nghị triển khai nhiệm vụ phát triển kinh tế xã hội",
    "Ra quân dọn vệ sinh môi trường khu dân cư",
    "Tập huấn chuyển đổi số cho cán bộ phường xã",
    "Kiểm tra công tác phòng chống thiên tai mùa mưa bão",
    "Trao học bổng cho học sinh nghèo vượt khó học giỏi",
    "Tiếp nhận hồ sơ dịch vụ công trực tuyến mức độ bốn",
)
AUTHORS = ("Nguyễn Văn An", "Trần Thị Bích", "Lê Minh Châu")


@dataclass(frozen=True)
class DnnArticle:
    """One generated article of the DNN demo portal."""

    id: int
    category: str
    title: str
    published: datetime
    author: str
    modules: bool = False

    @property
    def path(self) -> str:
        if self.modules:  # DNN's own article URLs
            return f"/{CATEGORIES[self.category][1]}/ArticleId/{self.id}/bai-viet-{self.id}.aspx"
        return f"/{CATEGORIES[self.category][1]}/chi-tiet/bai-viet-{self.id}.aspx"


class DnnPortal:
    """The pages of the DNN demo portal (generated)."""

    def __init__(
        self,
        pager: str = "numbers",
        news_count: int | None = None,
        per_page: int = PER_PAGE,
        modules: bool = False,
    ) -> None:
        if pager not in PAGERS:
            raise ValueError(f"unknown pager {pager!r}; known: {', '.join(PAGERS)}")
        self.pager, self.per_page, self.modules = pager, per_page, modules
        self.articles: dict[str, DnnArticle] = {}
        item = 2001
        for path, (_name, _word, count, newest) in CATEGORIES.items():
            if news_count is not None and path == "/tin-tuc.aspx":
                count = news_count
            for n in range(count):
                topic = TOPICS[item % len(TOPICS)]
                article = DnnArticle(
                    id=item,
                    category=path,
                    title=f"{topic} (bài số {item})",
                    published=newest - timedelta(days=2 * n, hours=n),
                    author=AUTHORS[item % len(AUTHORS)],
                    modules=modules,
                )
                self.articles[article.path.lower()] = article
                item += 1

    def expected_titles(self) -> set[str]:
        """Titles of every article (each must be written once)."""
        return {a.title for a in self.articles.values()}

    def listing(self, path: str) -> list[DnnArticle]:
        """A category's articles, newest first."""
        items = [a for a in self.articles.values() if a.category == path]
        return sorted(items, key=lambda a: a.published, reverse=True)

    def respond(
        self, method: str, target: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of a GET, or of a POST with its form fields."""
        path = urlsplit(target).path.lower()
        page_type = {"Content-Type": "text/html; charset=utf-8"}
        if path in ("/", "/default.aspx"):
            return 200, page_type, self._page(path, "Trang chủ", "<p>Chào mừng quý khách.</p>")
        if path in CATEGORIES:
            number = 1
            if method == "POST" and self.pager != "ignore-view-state":
                number = _posted_page(path, form)
            return 200, page_type, self._listing_page(path, number)
        if path == CONTACT:
            body = "<p>Địa chỉ: số 1 đường Thử Nghiệm. Điện thoại: 0275 000 000.</p>"
            return 200, page_type, self._page(path, "Liên hệ", body)
        article = self.articles.get(path)
        if article is not None:
            return 200, page_type, self._article_page(article)
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /admin/\n"
        return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<h1>404 Not Found</h1>"

    def _listing_page(self, path: str, number: int) -> bytes:
        entries = self.listing(path)
        pages = max(1, -(-len(entries) // self.per_page))
        number = min(max(1, number), pages)
        shown = entries[(number - 1) * self.per_page : number * self.per_page]
        rows = "".join(
            f'<div class="dnn-article-item"><h3><a href="{a.path}" '
            f'id="dnn_ctr123_ArticleList_rptArticles_lnkTitle_{k}">{html.escape(a.title)}</a>'
            f'</h3><span class="date">{a.published:%d/%m/%Y}</span></div>'
            for k, a in enumerate(shown)
        )
        pager = "".join(
            f"<span class='current'>{n}</span>" if n == number else _pager_link(f"Page${n}", str(n))
            for n in range(1, pages + 1)
        )
        if self.pager == "next":
            pager = (
                (_pager_link("Page$Prev", "&lt; Trước") if number > 1 else "")
                + f"<span class='current'>{number}</span>"
                + (_pager_link("Page$Next", "Sau &gt;") if number < pages else "")
            )
        body = (
            f'<div id="dnn_ctr123_ArticleList_pnlList">{rows}</div>'
            f'<div class="pager" id="dnn_ctr123_ArticleList_pager">{pager}</div>'
        )
        if self.modules:  # a DNN module: the platform's rules read each entry's date
            body = (
                '<div class="DnnModule DnnModule-ArticleList"><div id="dnn_ctr123_ModuleContent"'
                f' class="DNNModuleContent">{body}</div></div>'
            )
        name = CATEGORIES[path][0]
        return self._page(path, name, body, view=f"{path}|{number}")

    def _article_page(self, article: DnnArticle) -> bytes:
        paragraphs = "".join(
            f"<p>Đoạn {k} của bài số {article.id}: nội dung được tạo cho cổng thông tin thử "
            "nghiệm trên nền tảng DNN, có dấu tiếng Việt đầy đủ và đủ dài để là một bài.</p>"
            for k in (1, 2, 3, 4)
        )
        body = (
            '<div id="dnn_ctr456_ArticleView_pnlArticle" class="article-detail">'
            f'<h1 id="dnn_ctr456_ArticleView_lblTitle" class="title">{html.escape(article.title)}'
            "</h1>"
            f'<div class="date" id="dnn_ctr456_ArticleView_lblDate">Ngày đăng: '
            f"{article.published:%d/%m/%Y %H:%M}</div>"
            f'<div class="summary"><strong>Tóm tắt bài số {article.id}.</strong></div>'
            f'<div id="dnn_ctr456_ArticleView_lblContent" class="content">{paragraphs}</div>'
            f'<div class="author" id="dnn_ctr456_ArticleView_lblAuthor">Tác giả: '
            f"{article.author}</div></div>"
        )
        return self._page(article.path, article.title, body)

    def _page(self, path: str, title: str, content: str, view: str = "") -> bytes:
        menu = "".join(
            f'<li><a href="{href}">{html.escape(label)}</a></li>'
            for href, label in (
                ("/", "Trang chủ"),
                *((p, c[0]) for p, c in CATEGORIES.items()),
                (CONTACT, "Liên hệ"),
            )
        )
        state = _view_state(view or f"{path}|0")
        return (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8" />'
            f"<title>{html.escape(title)} - Cổng thông tin thử nghiệm DNN</title></head><body>"
            f'<form method="post" action="{path}" id="Form">'
            '<div class="aspNetHidden">'
            '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
            '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{state}" />'
            f'<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" '
            f'value="{_view_state("valid:" + path)}" /></div>'
            '<div id="dnn_dnnMenu" class="dnnMenu"><ul class="topLevel">'
            f"{menu}</ul></div>"
            f'<div id="dnn_ContentPane">{content}</div>'
            '<div id="dnn_footer">© Cổng thông tin thử nghiệm</div>'
            "<script>function __doPostBack(t, a) { var f = document.getElementById('Form');"
            " f.__EVENTTARGET.value = t; f.__EVENTARGUMENT.value = a; f.submit(); }</script>"
            "</form></body></html>"
        ).encode()


def _pager_link(argument: str, label: str) -> str:
    return f"<a href=\"javascript:__doPostBack('{PAGER}','{argument}')\">{label}</a>"


def _view_state(value: str) -> str:
    return base64.b64encode(f"dnn-demo:{value}".encode()).decode("ascii")


def _posted_page(path: str, form: dict[str, str] | None) -> int:
    """The page a postback asks for; page 1 unless the view state and validation are this
    listing's and the event is its pager's."""
    form = form or {}
    try:
        state = base64.b64decode(form.get("__VIEWSTATE", ""), validate=True).decode()
    except ValueError:
        return 1
    valid = form.get("__EVENTVALIDATION") == _view_state("valid:" + path)
    argument = form.get("__EVENTARGUMENT", "")
    if not (state.startswith(f"dnn-demo:{path}|") and valid and form.get("__EVENTTARGET") == PAGER):
        return 1
    current = state.rsplit("|", 1)[1]
    if argument in ("Page$Next", "Page$Prev") and current.isdigit():
        return int(current) + (1 if argument == "Page$Next" else -1)
    if not argument.startswith("Page$") or not argument[5:].isdigit():
        return 1
    return int(argument[5:])


def _handler(portal: DnnPortal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "Microsoft-IIS/10.0"

        def do_GET(self) -> None:
            self._answer(*portal.respond("GET", self.path))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", "replace")
            form = dict(parse_qsl(raw, keep_blank_values=True))
            self._answer(*portal.respond("POST", self.path, form))

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running(
    host: str = "127.0.0.1", port: int = 0, **variant: Any
) -> Iterator[tuple[str, DnnPortal]]:
    """Serve the DNN demo portal in a background thread; yields (base URL, portal).
    `variant`: `DnnPortal`'s pager, news_count and per_page."""
    portal = DnnPortal(**variant)
    with serving(_handler(portal), host, port) as url:
        yield url, portal


def main(argv: list[str] | None = None) -> int:
    """Serve the DNN demo portal until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m portal_scraper.tools.demo_portal_dnn",
        description="Serve the offline ASP.NET/DNN demo portal (postback paging, generated).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8766, help="port (default 8766; 0 picks one)")
    parser.add_argument("--pager", choices=PAGERS, default="numbers", help="pager variant")
    parser.add_argument("--news-count", type=int, default=None, help="articles in the news list")
    parser.add_argument("--per-page", type=int, default=PER_PAGE, help="articles a listing page")
    args = parser.parse_args(argv)
    variant = {"pager": args.pager, "news_count": args.news_count, "per_page": args.per_page}
    with running(args.host, args.port, **variant) as (url, portal):
        print(f"DNN demo portal at {url}: {len(portal.articles)} articles; Ctrl-C to stop")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
