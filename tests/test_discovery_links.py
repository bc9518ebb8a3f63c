"""What a home-page crawl reads off pages (feeds, menus, paging, postbacks), and the DNN demo
portal's postback answers."""

from __future__ import annotations

from urllib.parse import urlencode

from lxml.html import fromstring

from portal_scraper.crawl.spiders.discovery import is_home_url
from portal_scraper.crawl.spiders.pagelinks import (
    Postback,
    feed_links,
    menu_links,
    numbered_pages,
    postback_pages,
)
from portal_scraper.crawl.spiders.postbacks import postback_key
from portal_scraper.tools.demo_portal_dnn import PAGER, DnnPortal

URL = "http://portal.example.vn/"


def test_feed_links_are_alternate_rss_or_atom_links() -> None:
    doc = fromstring(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        '<link rel="alternate" type="application/atom+xml" href="http://portal.example.vn/a">'
        '<link rel="alternate" hreflang="en" href="/en/"><link rel="stylesheet" href="/s.css">'
        "</head><body></body></html>"
    )
    assert feed_links(doc, URL) == [
        "http://portal.example.vn/rss.xml",
        "http://portal.example.vn/a",
    ]


def test_menu_links_are_same_host_pages_in_menus() -> None:
    doc = fromstring(
        '<html><body><div id="dnn_dnnMenu"><ul><li><a href="/">Trang chủ</a></li>'
        '<li><a href="/tin-tuc.aspx">Tin tức</a></li><li><a href="/tin-tuc.aspx#x">Tin</a></li>'
        '<li><a href="http://other.vn/x">Khác</a></li><li><a href="/f.pdf">Tệp</a></li></ul></div>'
        '<nav><a href="/thong-bao.aspx">Thông báo</a></nav>'
        '<p><a href="/not-in-menu.aspx">Bài</a></p></body></html>'
    )
    assert menu_links(doc, URL) == [
        "http://portal.example.vn/tin-tuc.aspx",
        "http://portal.example.vn/thong-bao.aspx",
    ]


def test_numbered_and_postback_paging() -> None:
    doc = fromstring(
        "<html><body><a href='?page=2'>2</a><a href='?page=3'>3</a><a href='/x'>2024 news</a>"
        "<a href=\"javascript:__doPostBack('dnn$ctr1$pager','Page$2')\">2</a>"
        "<a href=\"javascript:__doPostBack('dnn$ctr1$pager','Page$2')\">2</a>"
        "<a href='#' onclick=\"__doPostBack('grid','Page$Next')\">›</a>"
        "<a href=\"javascript:__doPostBack('dnn$ctr1$lnkLogin','')\">Đăng nhập</a></body></html>"
    )
    assert numbered_pages(doc, URL) == [URL + "?page=2", URL + "?page=3"]
    assert postback_pages(doc) == [
        Postback("dnn$ctr1$pager", "Page$2"),
        Postback("grid", "Page$Next"),
    ]
    key = postback_key("http://portal.example.vn/tin-tuc.aspx", Postback("p", "Page$2"))
    assert key.endswith("POST __EVENTTARGET=p&__EVENTARGUMENT=Page$2")


def test_home_urls() -> None:
    assert is_home_url("http://portal.example.vn/")
    assert is_home_url("http://portal.example.vn")
    assert is_home_url("https://portal.example.vn/Default.aspx")
    assert not is_home_url("http://portal.example.vn/tin-tuc.aspx")
    assert not is_home_url("http://portal.example.vn/?page=2")


def test_the_dnn_portal_pages_by_postback_and_wants_its_view_state() -> None:
    portal = DnnPortal()
    first = portal.respond("GET", "/tin-tuc.aspx")[2].decode()
    doc = fromstring(first)
    form = {i.get("name"): i.get("value") for i in doc.iter("input")}
    titles = lambda body: [a.text_content() for a in fromstring(body).xpath("//h3/a")]  # noqa: E731
    page_two = {**form, "__EVENTTARGET": PAGER, "__EVENTARGUMENT": "Page$2"}
    second = portal.respond("POST", "/tin-tuc.aspx", page_two)[2]
    assert titles(second) and not set(titles(second)) & set(titles(first))
    # No view state, another listing's, or a GET with the arguments: page 1, as real sites do.
    for wrong in (
        {k: v for k, v in page_two.items() if k != "__VIEWSTATE"},
        {**page_two, "__EVENTVALIDATION": "x"},
        {**page_two, "__EVENTTARGET": "dnn$other"},
    ):
        assert titles(portal.respond("POST", "/tin-tuc.aspx", wrong)[2]) == titles(first)
    query = "/tin-tuc.aspx?" + urlencode(page_two)
    assert titles(portal.respond("GET", query)[2]) == titles(first)
