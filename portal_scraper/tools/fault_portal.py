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
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from portal_scraper.tools.demo_portal import DemoPortal, serving

LOGIN_PAGE = (
    b"<html><head><title>Sign In</title></head><body><form method='post' action='/_login'>"
    b"<div id='ms-error-header'></div><label>User name</label><input name='user'>"
    b"<label>Password</label><input type='password' name='pass'>"
    b"<input type='submit' value='Sign In'></form></body></html>"
)
KINDS = (
    "500", "502", "503", "503-retry-after", "429-retry-after", "404", "410", "reset", "slow",
    "truncated", "redirect-loop", "redirect-offsite", "gzip-bomb", "huge", "utf8-declared-1258",
    "1258-declared-utf8", "binary", "login",
)  # fmt: skip


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
        self.portal = DemoPortal()
        self.faults = faults
        self.served: Counter[str] = Counter()  # faults actually served, by kind
        self._lock = threading.Lock()

    def fault_for(self, target: str) -> Fault | None:
        """The fault to serve now for `target`, counting it down."""
        with self._lock:
            fault = self.faults.get(target)
            if fault is None:
                return None
            if fault.times:
                fault.times -= 1
                if fault.times == 0:
                    del self.faults[target]
            self.served[fault.kind] += 1
            return fault


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

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


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
