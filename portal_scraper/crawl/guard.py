"""No request to a private, loopback or link-local address unless the crawl was pointed at one."""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from typing import Self
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from portal_scraper.contracts.stats import STAT_INTERNAL_ADDRESS


def internal_literal(host: str) -> bool:
    """True for an internal IP literal or a localhost name (decided without any DNS lookup)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return _internal(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return False


def _internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


@lru_cache(maxsize=4096)
def internal_address(host: str) -> str | None:
    """The private/loopback/link-local/reserved address `host` is or resolves to, if any."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None  # unresolvable: the download fails with its own DNS error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if _internal(address):
            return str(address)
    return None


class PrivateAddressMiddleware:
    """Downloader middleware refusing internal addresses (a redirect or link into a LAN).

    A crawl whose own start (`base_url`/`start_url`) is internal, like the offline demo portal,
    was pointed there on purpose and may fetch from that host.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        spider = self.crawler.spider
        allowed = getattr(spider, "local_hosts", ())
        if host in allowed:
            return
        address = internal_address(host)
        if address is not None:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(STAT_INTERNAL_ADDRESS)
            raise IgnoreRequest(f"refused: {host} is an internal address ({address})")
