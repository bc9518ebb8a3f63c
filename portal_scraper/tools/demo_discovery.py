"""The demo portal's discovery routes: robots.txt with a `Sitemap:` line, a sitemap index with a
plain and a gzip child, an RSS feed, a static page, and a home page with only menu links.

Which route lists what (a home-page crawl credits each article to the first, most trusted one):
the sitemap lists the "Thông tin chung" articles generated for the demo (and the static page,
which is no article); the RSS feed lists the "Tin tức - Sự kiện" articles; the fixture articles
(and the non-article item) are found only on the category listings the home page's menu links.
With `broken=True`, robots.txt also names a sitemap that is no XML and the home page a feed that
is missing (404): both must be reported.

Variants of the routes (`DemoPortal(routes=...)`), as hostile portals publish them:
- "newest": the sitemap and the feed list only the newest page of their category (a "latest
  news" sitemap or feed), so the listings' later pages hold articles only they show;
- "hostile-sitemaps": the index also names a corrupt and a cut-short `.xml.gz` child; the news
  sitemap's URLs carry `&amp;` next to one hand-written raw `&`, and its `lastmod`s are an unset
  `1970-01-01` or a date in the far future.
"""

from __future__ import annotations

import gzip
import html
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal_scraper.tools.demo_portal import DemoArticle, DemoPortal

SITEMAP_INDEX = "/sitemap_index.xml"
SITEMAP_NEWS = "/sitemaps/thong-tin-chung.xml"
SITEMAP_EVENTS = "/sitemaps/pages.xml.gz"
FEED = "/rss/tin-tuc-su-kien.xml"
STATIC_PAGE = "/Pages/GioiThieu.aspx"
BROKEN_SITEMAP = "/sitemaps/broken.xml"
CORRUPT_GZ = "/sitemaps/corrupt.xml.gz"
CUT_GZ = "/sitemaps/cut.xml.gz"
ROUTE_VARIANTS = ("newest", "hostile-sitemaps")
MISSING_FEED = "/rss/missing.xml"
NEWS_LISTING = "/Lists/TinTuc/ThongTinChung.aspx"
EVENTS_LISTING = "/Lists/TinTuc/TinTucSuKien.aspx"
HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml; charset=utf-8"}


def sitemap_ids(portal: DemoPortal) -> set[int]:
    """Articles the sitemap lists: the generated "Thông tin chung" ones (with routes="newest",
    the newest page of that listing)."""
    from portal_scraper.tools.demo_portal import GENERATED  # the module that imports this one

    if portal.routes == "newest":
        return {a.id for a in portal.listing_entries(NEWS_LISTING)[: portal.per_page]}
    return {
        first + n
        for first, count, listing, _newest in GENERATED
        if listing == NEWS_LISTING
        for n in range(count)
    }


def feed_ids(portal: DemoPortal) -> set[int]:
    """Articles the RSS feed lists: the "Tin tức - Sự kiện" ones (with routes="newest", the
    newest page of the "Thông tin chung" listing)."""
    if portal.routes == "newest":
        return {a.id for a in portal.listing_entries(NEWS_LISTING)[: portal.per_page]}
    return {a.id for a in portal.articles.values() if a.listing == EVENTS_LISTING}


def discovery_response(
    portal: DemoPortal, path: str, host: str, broken: bool = False
) -> tuple[int, dict[str, str], bytes] | None:
    """The answer to a discovery path, or None for the portal's other pages."""
    base = f"http://{host}"
    if path == "/robots.txt":
        lines = [
            "User-agent: *",
            "Disallow: /_layouts/",
            "Disallow: /_vti_bin/",
            f"Sitemap: {base}{SITEMAP_INDEX}",
        ]
        if broken:
            lines.append(f"Sitemap: {base}{BROKEN_SITEMAP}")
        return 200, {"Content-Type": "text/plain"}, ("\n".join(lines) + "\n").encode()
    if path in ("/", "/default.aspx"):
        return 200, HTML, home_page(broken)
    hostile = portal.routes == "hostile-sitemaps"
    if path == SITEMAP_INDEX:
        children = "".join(
            f"<sitemap><loc>{base}{child}</loc><lastmod>2018-08-09</lastmod></sitemap>"
            for child in (SITEMAP_NEWS, SITEMAP_EVENTS, *((CORRUPT_GZ, CUT_GZ) if hostile else ()))
        )
        return 200, XML, _xml("sitemapindex", children)
    if path == SITEMAP_NEWS:
        news = [a for a in portal.articles.values() if a.id in sitemap_ids(portal)]
        return 200, XML, _hostile_urlset(base, news) if hostile else _urlset(base, news)
    if hostile and path in (CORRUPT_GZ, CUT_GZ):
        whole = gzip.compress(_urlset(base, list(portal.articles.values())), mtime=0)
        # A damaged deflate stream, or the file cut in the middle.
        body = whole[:10] + b"\x00garbage" + whole[18:] if path == CORRUPT_GZ else whole[:-40]
        return 200, {"Content-Type": "application/x-gzip"}, body
    if path == SITEMAP_EVENTS:
        # A gzip file (no Content-Encoding): the crawl gunzips it as SitemapSpider does.
        body = _xml("urlset", f"<url><loc>{base}{STATIC_PAGE}</loc></url>")
        return 200, {"Content-Type": "application/x-gzip"}, gzip.compress(body, mtime=0)
    if path == FEED:
        return 200, {"Content-Type": "application/rss+xml; charset=utf-8"}, _rss(base, portal)
    if path == STATIC_PAGE:
        return 200, HTML, static_page()
    if broken and path == BROKEN_SITEMAP:
        return 200, XML, b"<?xml version='1.0'?>\n<<< this is not XML &&&"
    return None


def home_page(broken: bool = False) -> bytes:
    """The portal's home page: a feed link and a menu of its categories, no article links."""
    feeds = [FEED, MISSING_FEED] if broken else [FEED]
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" title="Tin tức" href="{feed}" />'
        for feed in feeds
    )
    menu = "".join(
        f'<li><a href="{path}">{html.escape(label)}</a></li>'
        for path, label in (
            ("/", "Trang chủ"),
            (NEWS_LISTING, "Thông tin chung"),
            (EVENTS_LISTING, "Tin tức - Sự kiện"),
            (STATIC_PAGE, "Giới thiệu"),
        )
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8" />'
        f"<title>Cổng thông tin điện tử thử nghiệm</title>{links}</head><body>"
        f'<div id="header"><nav class="top-menu"><ul>{menu}</ul></nav></div>'
        '<div id="content"><p>Chào mừng đến cổng thông tin thử nghiệm.</p></div>'
        "</body></html>"
    ).encode()


def static_page() -> bytes:
    """A page the sitemap lists that is no article: a short introduction."""
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8" /><title>Giới thiệu</title>'
        "</head><body><h1>Giới thiệu</h1><p>Cổng thông tin thử nghiệm.</p></body></html>"
    ).encode()


def _xml(root: str, inner: str) -> bytes:
    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    return f'{head}<{root} xmlns="{namespace}">{inner}</{root}>'.encode()


def _urlset(base: str, articles: list[DemoArticle]) -> bytes:
    entries = "".join(
        f"<url><loc>{base}/Lists/TinTuc/DispForm.aspx?ID={a.id}</loc>"
        f"<lastmod>{a.listed_on.isoformat()}</lastmod></url>"
        for a in sorted(articles, key=lambda a: a.id)
    )
    return _xml("urlset", entries)


def _hostile_urlset(base: str, articles: list[DemoArticle]) -> bytes:
    """News URLs escaped (`&amp;`) beside one raw `&`; lastmods unset (1970) or in the future."""
    entries = f"<url><loc>{base}{STATIC_PAGE}?tab=1&lang=vi</loc></url>" + "".join(
        f"<url><loc>{base}/Lists/TinTuc/DispForm.aspx?ID={a.id}&amp;Source=%2Fsitemap</loc>"
        f"<lastmod>{'1970-01-01' if a.id % 2 else '2999-12-31'}</lastmod></url>"
        for a in sorted(articles, key=lambda a: a.id)
    )
    return _xml("urlset", entries)


def _rss(base: str, portal: DemoPortal) -> bytes:
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title>"
        f"<link>{base}/Lists/TinTuc/DispForm.aspx?ID={a.id}</link>"
        f"<pubDate>{_rfc822(a.listed_on)}</pubDate>"
        f"<description>{html.escape(a.summary)}</description></item>"
        for a in portal.listing_entries(
            NEWS_LISTING if portal.routes == "newest" else EVENTS_LISTING
        )
        if a.id in feed_ids(portal)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Tin tức - Sự kiện</title><link>{base}/</link>"
        f"<description>Tin mới</description>{items}</channel></rss>"
    ).encode()


def _rfc822(day: date) -> str:
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{days[day.weekday()]}, {day.day:02d} {months[day.month - 1]} {day.year} 09:00:00 +0700"
