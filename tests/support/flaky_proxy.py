"""A proxy in front of a portal (127.0.0.1) that answers some requests with HTTP 500: every
Nth request, or every request for some paths, as a portal under load does."""

from __future__ import annotations

import itertools
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from portal_scraper.tools.demo_portal import serving

# (request number from 1, path) -> whether to answer 500 instead of the portal's page.
FailRule = Callable[[int, str], bool]


def every(n: int) -> FailRule:
    """Every nth request fails (the home page never: a draft needs it)."""
    return lambda number, path: number % n == 0 and path != "/"


def paths(*failing: str) -> FailRule:
    """Every request for one of `failing` (paths, any case) fails."""
    wanted = {p.lower() for p in failing}
    return lambda number, path: path.split("?", 1)[0].lower() in wanted


@contextmanager
def flaky(upstream: str, fail: FailRule) -> Iterator[tuple[str, list[str]]]:
    """Serve `upstream` through the proxy; yields (its base URL, the paths answered 500)."""
    counter = itertools.count(1)
    lock = threading.Lock()
    failed: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                number = next(counter)
            if fail(number, self.path):
                failed.append(self.path)
                self._answer(500, "text/plain", b"oops!")
                return
            try:
                with urllib.request.urlopen(upstream + self.path, timeout=30) as response:
                    status, body, kind = response.status, response.read(), response.headers
            except urllib.error.HTTPError as exc:
                status, body, kind = exc.code, exc.read(), exc.headers
            self._answer(status, kind.get("Content-Type", "text/html"), body)

        def _answer(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serving(Handler, "127.0.0.1", 0) as url:
        yield url, failed
