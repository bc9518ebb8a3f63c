"""The demo portal behind injected faults, for tests of a crawl in a hostile web (127.0.0.1 only).

Each fault is tied to a request target (path and query) and may last a number of requests, so a
page can fail twice and then be served.
"""

from __future__ import annotations

import gzip
import os
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

from portal_scraper.tools.demo_portal import DemoPortal, paging_link, serving
from tests.support import FIXTURES_DIR

LOGIN_PAGE = (
    b"<html><head><title>Sign In</title></head><body><form method='post' action='/_login'>"
    b"<div id='ms-error-header'></div><label>User name</label><input name='user'>"
    b"<label>Password</label><input type='password' name='pass'>"
    b"<input type='submit' value='Sign In'></form></body></html>"
)
KINDS = (
    "500", "502", "503", "503-retry-after", "429-retry-after", "404", "410", "reset", "slow",
    "truncated", "redirect-loop", "redirect-offsite", "gzip-bomb", "huge", "utf8-declared-1258",
    "1258-declared-utf8", "binary", "login", "empty",
    # Listing pages (key "path*" matches the path with any query):
    "paging-trap", "meta-refresh-self", "url-variants", "long-url", "thumbnail-listing",
    "generic-listing-lies",
    # Article pages:
    "stray-byte", "redirect-variant",
)  # fmt: skip
LONG_URL_CHARS = 3000


@dataclass
class Fault:
    """What to do instead of serving the page, for the next `times` requests (0: always)."""

    kind: str
    times: int = 0
    seconds: float = 0.0  # "slow": how long to wait before answering


class FaultPortal:
    """A `DemoPortal` whose answers can be replaced by faults, per request target."""

    def __init__(self, faults: dict[str, Fault]) -> None:
        unknown = {f.kind for f in faults.values()} - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {', '.join(KINDS)}")
        self.portal = DemoPortal(FIXTURES_DIR)
        self.faults = faults
        self.served: Counter[str] = Counter()  # faults actually served, by kind
        self._lock = threading.Lock()

    def fault_for(self, target: str) -> Fault | None:
        """The fault to serve now for `target`, counting it down.

        A key `path*` matches the path with any query; `path*text`, with a query holding `text`.
        """
        with self._lock:
            key = target if target in self.faults else self._pattern_for(target)
            if key is None:
                return None
            fault = self.faults[key]
            if fault.times:
                fault.times -= 1
                if fault.times == 0:
                    del self.faults[key]
            self.served[fault.kind] += 1
            return fault

    def _pattern_for(self, target: str) -> str | None:
        path, _, query = target.partition("?")
        for key in self.faults:
            prefix, star, text = key.partition("*")
            if star and prefix == path and text in query:
                return key
        return None


def _handler(faulty: FaultPortal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            # The second leg of a redirect loop belongs to the same fault.
            fault = faulty.fault_for(self.path.replace("&loop=1", "").replace("?loop=1", ""))
            if fault is None:
                status, headers, body = faulty.portal.respond(self.path)
                self._send(status, headers, body)
            else:
                self._fault(fault)

        def _send(
            self, status: int, headers: dict[str, str], body: bytes, length: int | None = None
        ) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body) if length is None else length))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (ConnectionResetError, BrokenPipeError):
                self.close_connection = True  # the client gave up on a huge body: as intended

        def _fault(self, fault: Fault) -> None:
            kind = fault.kind
            html = {"Content-Type": "text/html; charset=utf-8"}
            if kind in ("500", "502", "503", "404", "410"):
                self._send(int(kind), html, f"<h1>{kind}</h1>".encode())
            elif kind == "503-retry-after":
                self._send(503, {**html, "Retry-After": "1"}, b"<h1>busy</h1>")
            elif kind == "429-retry-after":
                self._send(429, {**html, "Retry-After": "1"}, b"<h1>slow down</h1>")
            elif kind == "reset":
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                self.connection.close()
                self.close_connection = True
            elif kind == "slow":
                time.sleep(fault.seconds)
                status, headers, body = faulty.portal.respond(self.path)
                self._send(status, headers, body)
            elif kind == "truncated":
                status, headers, body = faulty.portal.respond(self.path)
                self._send(status, headers, body[: len(body) // 2], length=len(body))
                self.close_connection = True
            elif kind == "redirect-loop":
                target = self.path + ("&" if "?" in self.path else "?") + "loop=1"
                if "loop=1" in self.path:
                    target = self.path.replace("&loop=1", "").replace("?loop=1", "")
                self._send(302, {"Location": target}, b"")
            elif kind == "redirect-variant":
                # To the same article with a navigation parameter: the same canonical URL.
                self._send(302, {"Location": self.path + "&Source=%2F"}, b"")
            elif kind == "redirect-offsite":
                self._send(302, {"Location": "http://offsite.invalid/stolen"}, b"")
            elif kind == "gzip-bomb":
                bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
                self._send(200, {**html, "Content-Encoding": "gzip"}, bomb)
            elif kind == "huge":
                self._send(200, html, b"<p>" + b"x" * (40 * 1024 * 1024) + b"</p>")
            elif kind == "utf8-declared-1258":
                status, headers, body = faulty.portal.respond(self.path)
                self._send(status, {"Content-Type": "text/html; charset=windows-1258"}, body)
            elif kind == "1258-declared-utf8":
                status, headers, body = faulty.portal.respond(self.path)
                text = body.decode("utf-8").replace("charset=utf-8", "charset=windows-1258")
                self._send(status, html, _to_cp1258(text))
            elif kind == "binary":
                self._send(200, html, os.urandom(20_000))
            elif kind == "login":
                self._send(200, html, LOGIN_PAGE)
            elif kind == "empty":
                self._send(200, html, b"")
            elif kind == "generic-listing-lies":
                lying = {"Content-Type": "text/html; charset=windows-1258"}
                self._send(200, lying, _generic_listing_lies(faulty.portal, self.path))
            else:
                self._send(200, html, _listing_or_article_fault(faulty.portal, kind, self.path))

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def _listing_or_article_fault(portal: DemoPortal, kind: str, target: str) -> bytes:
    """The page of a listing or article fault: the real page, changed as `kind` says."""
    path, _, query = target.partition("?")
    params = dict(parse_qsl(query))
    if kind == "paging-trap":
        # Past its end the list repeats its last page, and always offers one more.
        entries = portal.listing_entries(path)
        first = int(params.get("PageFirstRow", "1") or 1)
        last_page = max(1, len(entries) - (len(entries) - 1) % portal.per_page)
        page = portal.listing_page(path, {**params, "PageFirstRow": str(min(first, last_page))})
        more = paging_link(path, entries[-1].id, first + portal.per_page, "Next", False)
        return page.replace(b"</body>", more.encode() + b"</body>")
    if kind == "meta-refresh-self":
        page = portal.respond(target)[2]
        refresh = f'<meta http-equiv="refresh" content="0; url={target}">'.encode()
        return page.replace(b"<head>", b"<head>" + refresh, 1)
    if kind in ("url-variants", "long-url", "thumbnail-listing"):
        return _listing_links(portal, kind, path, params)
    if kind == "stray-byte":
        page = portal.respond(target)[2]
        # One byte that is no UTF-8, in the middle of the article's Vietnamese text.
        cut = page.index("nội dung".encode()) + 1
        return page[:cut] + b"\xff" + page[cut:]
    raise ValueError(kind)


def _generic_listing_lies(portal: DemoPortal, target: str) -> bytes:
    """A plain listing that lies four ways: UTF-8 sent as windows-1258, links relative to a
    `<base href>`, its page and sort order passed on to every article link, and a new session
    id in every link."""
    path, _, query = target.partition("?")
    page = int(dict(parse_qsl(query)).get("page", "1") or 1)
    entries = [a for a in portal.listing_entries(path) if a.is_article][:5]
    links = "".join(
        f'<li><a href="TinTuc/DispForm.aspx?ID={a.id}&amp;t=bài&amp;page={page}&amp;sort=new'
        f'&amp;sid={uuid.uuid4().hex}">'
        f"Bài viết số {a.id} về hoạt động</a></li>"
        for a in entries
    )
    more = f'<a href="{path}?page={page + 1}&amp;sort=new&amp;sid={uuid.uuid4().hex}">Trang sau</a>'
    return (
        '<html><head><meta charset="windows-1258"><base href="/Lists/"><title>Tin tức</title>'
        f"</head><body><ul>{links}</ul>{more}</body></html>"
    ).encode()


def _listing_links(portal: DemoPortal, kind: str, path: str, params: dict[str, str]) -> bytes:
    page = portal.listing_page(path, params)
    if kind == "thumbnail-listing":
        # A plain listing: each entry's thumbnail link comes before its title link.
        items = "".join(
            f'<li><a href="/Lists/TinTuc/DispForm.aspx?ID={a.id}"><img src="/t/{a.id}.jpg"></a>'
            f'<h3><a href="/Lists/TinTuc/DispForm.aspx?ID={a.id}">{a.title}</a></h3></li>'
            for a in portal.listing_entries(path)
        )
        return f"<html><head><title>Tin</title></head><body><ul>{items}</ul></body></html>".encode()
    entries = portal.listing_entries(path)
    if kind == "url-variants":
        # The same articles again, spelled as IIS accepts them: other case, zeros, repeats.
        hrefs = [
            f"/lists/tintuc/dispform.aspx?id=0{entries[0].id}",
            f"/Lists/TinTuc/DispForm.aspx?ID={entries[1].id}&ID={entries[1].id}",
            f"/LISTS/TINTUC/DISPFORM.ASPX?Id={entries[2].id}#top",
        ]
    else:
        hrefs = [f"/Lists/TinTuc/DispForm.aspx?ID={entries[0].id}&q={'x' * LONG_URL_CHARS}"]
    rows = "".join(
        '<tr class="ms-itmhover"><td class="ms-vb2"><div class="news-item">'
        f'<h3 class="news-item-title"><a href="{href}">Biến thể của một tin đã có</a></h3>'
        '<span class="news-item-date">01/08/2018</span></div></td></tr>'
        for href in hrefs
    )
    return page.replace(b"</table>", rows.encode() + b"</table>", 1)


def _to_cp1258(text: str) -> bytes:
    """Vietnamese text in windows-1258: precomposed where the code page has it, else tone marks."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += base.encode("cp1258", errors="replace")
            out += "".join(c for c in parts if c in tones).encode("cp1258", errors="replace")
    return bytes(out)


@contextmanager
def running(faults: dict[str, Fault]) -> Iterator[tuple[str, FaultPortal]]:
    """Serve the faulty demo portal on 127.0.0.1 in a thread; yields (base URL, server state)."""
    faulty = FaultPortal(faults)
    with serving(_handler(faulty)) as url:
        yield url, faulty
