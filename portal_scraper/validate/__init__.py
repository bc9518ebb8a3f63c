"""Deprecated: the schema and the check are `portal_scraper.record.schema`; this module goes in
the next release."""

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning

from portal_scraper.record.schema import schema, validate_record

warnings.warn(
    "portal_scraper.validate is now portal_scraper.record.schema",
    ScrapyDeprecationWarning,
    stacklevel=2,
)

__all__ = ["schema", "validate_record"]
