"""WARC archive of every fetched response (and its request), gzip per record, rotated by size."""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from portal_scraper.contracts.config import config
from portal_scraper.contracts.meta import META_FETCHED_AT, META_UNFINISHED, META_WARC
from portal_scraper.contracts.signals import WRITE_FAILED
from portal_scraper.contracts.stats import STAT_FAILED, STAT_WARC_RECORDS
from portal_scraper.export.storage import FullWriteFile
from portal_scraper.normalize.dates import utc_now

logger = logging.getLogger(__name__)
SUFFIX = ".warc.gz"
OPEN_SUFFIX = SUFFIX + ".open"  # a file being written; renamed when closed


class WarcFiles:
    """Appends request/response pairs to `<prefix>-<time>-<n>.warc.gz`; rotates past `max_bytes`."""

    def __init__(self, directory: Path, prefix: str, max_bytes: int) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.directory.mkdir(parents=True, exist_ok=True)
        for leftover in self.directory.glob(f"{prefix}-*{OPEN_SUFFIX}"):
            close_leftover(leftover)  # a killed run's last file
        self._file: FullWriteFile | None = None
        self._path: Path | None = None
        self._serial = 0

    def write(self, request: Request, response: Response, fetched_at: str) -> tuple[str, str]:
        """Archive one exchange; return (WARC file name, response record id).

        A write that fails (a full disk) is cut back off the file, so the file stays readable.
        """
        handle = self._current()
        start = os.fstat(handle.fileno()).st_size
        try:
            return self._write(handle, request, response, fetched_at)
        except OSError:
            # If even the cut fails, the next start repairs the file (close_leftover).
            with contextlib.suppress(OSError):
                os.ftruncate(handle.fileno(), start)
            raise

    def _write(
        self, handle: FullWriteFile, request: Request, response: Response, fetched_at: str
    ) -> tuple[str, str]:
        writer = WARCWriter(handle, gzip=True)
        protocol = response.protocol or "HTTP/1.1"
        reason = _REASONS.get(response.status, "")
        http_headers = StatusAndHeaders(
            f"{response.status} {reason}".strip(),
            _pairs(response.headers),
            protocol=protocol.upper(),
        )
        # Lengths given: warcio then needs no temporary spool file per record.
        resp = writer.create_warc_record(
            response.url,
            "response",
            payload=io.BytesIO(response.body),
            length=len(response.body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        path = urlsplit_path(request.url)
        req = writer.create_warc_record(
            request.url,
            "request",
            payload=io.BytesIO(request.body),
            length=len(request.body),
            http_headers=StatusAndHeaders(
                f"{request.method} {path} HTTP/1.1", _pairs(request.headers), is_http_request=True
            ),
        )
        writer.write_request_response_pair(req, resp)
        record_id = str(resp.rec_headers.get_header("WARC-Record-ID"))
        assert self._path is not None
        name = self._path.name.removesuffix(".open")
        if os.fstat(handle.fileno()).st_size >= self.max_bytes:
            self.close()
        return name, record_id

    def _current(self) -> FullWriteFile:
        if self._file is None:
            self._serial += 1
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
            base = f"{self.prefix}-{stamp}-{self._serial:05d}-{os.getpid()}"
            self._path = self.directory / f"{base}{OPEN_SUFFIX}"
            # Unbuffered: a failed write is cut back off the file at once, nothing left pending.
            self._file = FullWriteFile(self._path, "a")
        return self._file

    def close(self) -> None:
        """Close the current file and give it its final name."""
        if self._file is not None and self._path is not None:
            self._file.close()
            self._path.rename(self._path.with_name(self._path.name.removesuffix(".open")))
        self._file, self._path = None, None


def _pairs(headers: Any) -> list[tuple[str, str]]:
    """Scrapy headers (bytes, several values per name) as warcio's (name, value) pairs."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


def close_leftover(path: Path) -> None:
    """Cut a killed run's file after its last complete record and give it its final name."""
    good_end = 0
    with path.open("rb") as handle:
        iterator = ArchiveIterator(handle)
        try:
            for record in iterator:
                record.content_stream().read()
                good_end = iterator.get_record_offset() + iterator.get_record_length()
        except Exception:  # a record cut short by the kill: everything before it is whole
            pass
    with path.open("r+b") as handle:
        handle.truncate(good_end)
    path.rename(path.with_name(path.name.removesuffix(".open")))
    logger.warning("closed a WARC file left open by an earlier run: %s", path.name)


def urlsplit_path(url: str) -> str:
    """The request target (path and query) of `url`."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class ArchivedResponse:
    """A response record read back from a WARC file."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    warc_file: str
    record_id: str


def read_responses(paths: list[Path]) -> Iterator[ArchivedResponse]:
    """The response records of WARC files, bodies decoded from their transfer encodings."""
    for path in paths:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                yield ArchivedResponse(
                    url=str(record.rec_headers.get_header("WARC-Target-URI")),
                    status=int(record.http_headers.get_statuscode() or 0),
                    headers=dict(record.http_headers.headers),
                    body=record.content_stream().read(),
                    fetched_at=str(record.rec_headers.get_header("WARC-Date")),
                    warc_file=path.name,
                    record_id=str(record.rec_headers.get_header("WARC-Record-ID")),
                )


class WarcMiddleware:
    """Downloader middleware writing every response to WARC (`PORTAL_WARC_DIR` switches it on)."""

    def __init__(self, files: WarcFiles, crawler: Crawler) -> None:
        self.files = files
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        own = config(crawler)
        directory = own.warc_dir
        if not directory:
            raise NotConfigured("PORTAL_WARC_DIR is not set")
        files = WarcFiles(
            Path(directory),
            own.warc_prefix or crawler.settings.get("BOT_NAME", "crawl"),
            own.warc_max_bytes,
        )
        middleware = cls(files, crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        """Archive the exchange and tell the spider where it went (`META_WARC`)."""
        fetched_at = utc_now()
        try:
            name, record_id = self.files.write(request, response, fetched_at)
        except OSError as exc:
            # The archive cannot take the page: stop, and leave the URL to the next run.
            message = f"WARC write failed: {exc}"
            assert self.crawler.stats is not None and self.crawler.engine is not None
            if not self.crawler.stats.get_value(STAT_FAILED):
                self.crawler.stats.set_value(STAT_FAILED, message)
                logger.error("%s; stopping the crawl", message)
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=WRITE_FAILED))
            request.meta[META_UNFINISHED] = True
            raise IgnoreRequest(message) from exc
        request.meta[META_FETCHED_AT] = fetched_at
        request.meta[META_WARC] = {"file": name, "record_id": record_id}
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(STAT_WARC_RECORDS, 2)
        return response

    def spider_closed(self, spider: Any) -> None:
        self.files.close()


_REASONS = {
    200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 403: "Forbidden",
    404: "Not Found", 410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable",
}  # fmt: skip
