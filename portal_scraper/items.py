"""Deprecated: the record is `portal_scraper.record.model.ArticleRecord` (and `Reject`), the page
`portal_scraper.record.page.Page`; this module goes in the next release."""

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning

from portal_scraper.record.model import ArticleRecord, Reject
from portal_scraper.record.page import Page

warnings.warn(
    "portal_scraper.items is now portal_scraper.record (ArticleItem is ArticleRecord)",
    ScrapyDeprecationWarning,
    stacklevel=2,
)
ArticleItem = ArticleRecord

__all__ = ["ArticleItem", "Page", "Reject"]
