"""Retry waits and the internal-address guard, without a network."""

from __future__ import annotations

import email.utils
import time

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from portal_scraper.crawl.guard import (
    PrivateAddressMiddleware,
    internal_address,
    internal_literal,
)
from portal_scraper.crawl.retry import BackoffRetryMiddleware, _retry_after_seconds
from portal_scraper.crawl.spiders.portal import PortalSpider


def retry_middleware(**settings: object) -> BackoffRetryMiddleware:
    crawler = get_crawler(settings_dict={"PORTAL_RETRY_BACKOFF_BASE": 0.5, "PORTAL_RETRY_BACKOFF_MAX": 4.0,
                                         "PORTAL_RETRY_AFTER_MAX": 60.0, **settings})  # fmt: skip
    return BackoffRetryMiddleware.from_crawler(crawler)


def test_retry_after_in_seconds_and_as_a_date() -> None:
    assert _retry_after_seconds("7") == 7.0
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= _retry_after_seconds(later) <= 31
    assert _retry_after_seconds("not a date") == 0.0


def test_wait_uses_retry_after_capped_else_exponential_backoff() -> None:
    middleware = retry_middleware()
    request = Request("http://portal.example/a")
    busy = Response(request.url, status=503, headers={"Retry-After": "3600"}, request=request)
    assert middleware._delay(request, busy) == 60.0  # capped by PORTAL_RETRY_AFTER_MAX
    waits = [middleware._delay(request.replace(meta={"retry_times": n}), None) for n in range(5)]
    assert waits == [0.5, 1.0, 2.0, 4.0, 4.0]  # doubled, capped by PORTAL_RETRY_BACKOFF_MAX


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "169.254.169.254", "::1", "localhost"]
)
def test_internal_addresses_are_recognized(host: str) -> None:
    assert internal_address(host) is not None


def test_public_addresses_are_not_internal() -> None:
    assert internal_address("8.8.8.8") is None  # an IP literal: no lookup is made
    assert not internal_literal("8.8.8.8")
    assert internal_literal("127.0.0.1") and internal_literal("localhost")
    assert not internal_literal("tpbentre.bentre.gov.vn")  # a name is never resolved here


def test_guard_refuses_internal_targets_of_a_public_crawl() -> None:
    crawler = get_crawler(PortalSpider)
    crawler.spider = PortalSpider(site="bentre-city")  # a public portal
    guard = PrivateAddressMiddleware.from_crawler(crawler)
    crawler.stats.open_spider()
    for url in (
        "http://127.0.0.1:8080/admin",
        "http://10.0.0.5/",
        "http://169.254.169.254/latest/meta-data",
    ):
        with pytest.raises(IgnoreRequest, match="internal address"):
            guard.process_request(Request(url))
    assert guard.process_request(Request("http://8.8.8.8/")) is None


def test_guard_allows_the_local_host_the_crawl_was_pointed_at() -> None:
    crawler = get_crawler(PortalSpider)
    crawler.spider = PortalSpider(site="bentre-city", base_url="http://127.0.0.1:8765")
    guard = PrivateAddressMiddleware.from_crawler(crawler)
    assert (
        guard.process_request(Request("http://127.0.0.1:8765/Lists/TinTuc/DispForm.aspx?ID=1"))
        is None
    )
    with pytest.raises(IgnoreRequest):
        guard.process_request(Request("http://10.0.0.5/"))
