"""The comparison spider for benchmarks/crawl.py: plain Scrapy, trafilatura on every page.

scrapy runspider benchmarks/trafilatura_spider.py -a start_url=http://127.0.0.1:PORT/aeb/ -O out.jsonl
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
import trafilatura


class TrafilaturaSpider(scrapy.Spider):
    """Follow the index's links; extract each page with trafilatura."""

    name = "trafilatura"

    def __init__(self, start_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]

    def parse(self, response: scrapy.http.Response) -> Iterator[Any]:
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_article)

    def parse_article(self, response: scrapy.http.Response) -> Iterator[dict[str, Any]]:
        document = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)
        yield {
            "url": response.url,
            "title": getattr(document, "title", None),
            "date": getattr(document, "date", None),
            "text": getattr(document, "text", None),
        }
