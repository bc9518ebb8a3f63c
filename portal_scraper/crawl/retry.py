"""Retries with exponential backoff that honour `Retry-After`, and a count of what recovered."""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_status_message

from portal_scraper.contracts.config import PortalConfig
from portal_scraper.contracts.meta import META_RETRY_REASONS
from portal_scraper.contracts.stats import PREFIX_GAVE_UP, PREFIX_RECOVERED


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting before each one: `Retry-After` when the server gives it (capped
    by `PORTAL_RETRY_AFTER_MAX`), else `PORTAL_RETRY_BACKOFF_BASE * 2**n` seconds (capped by
    `PORTAL_RETRY_BACKOFF_MAX`).
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        own = PortalConfig.from_settings(settings)
        self.backoff_base = own.retry_backoff_base
        self.backoff_max = own.retry_backoff_max
        self.retry_after_max = own.retry_after_max

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            self._note_recovery(request, response)
            return response
        reason = response_status_message(response.status)
        retry = self._retry(request, reason)
        if retry is None:
            self._count(PREFIX_GAVE_UP, str(response.status))
            return response
        self._remember(retry, request, str(response.status))
        await asyncio.sleep(self._delay(request, response))
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Any:  # type: ignore[override]
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        retry = self._retry(request, exception)
        name = type(exception).__name__
        if retry is None:
            self._count(PREFIX_GAVE_UP, name)
            return None
        self._remember(retry, request, name)
        await asyncio.sleep(self._delay(request, None))
        return retry

    def _delay(self, request: Request, response: Response | None) -> float:
        if response is not None:
            header = response.headers.get(b"Retry-After")
            if header:
                return min(self.retry_after_max, _retry_after_seconds(header.decode("latin-1")))
        attempt = int(request.meta.get("retry_times", 0))
        return float(min(self.backoff_max, self.backoff_base * 2**attempt))

    def _remember(self, retry: Request, request: Request, reason: str) -> None:
        retry.meta[META_RETRY_REASONS] = [*request.meta.get(META_RETRY_REASONS, []), reason]

    def _note_recovery(self, request: Request, response: Response) -> None:
        reasons = request.meta.get(META_RETRY_REASONS)
        if reasons and response.status < 400:
            self._count(PREFIX_RECOVERED, reasons[0])

    def _count(self, prefix: str, reason: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(prefix + reason)


def _retry_after_seconds(value: str) -> float:
    """`Retry-After` as seconds: a number, or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0  # unreadable: no wait beyond the backoff
    return max(0.0, parsed.timestamp() - time.time())
