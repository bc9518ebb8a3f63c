"""Deprecated: the stages are `portal_scraper.record.stages`; this module goes in the next
release."""

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning

from portal_scraper.record.stages import (
    extract_stage,
    normalize_stage,
    process_page,
    validate_stage,
)

warnings.warn(
    "portal_scraper.process is now portal_scraper.record.stages",
    ScrapyDeprecationWarning,
    stacklevel=2,
)

__all__ = ["extract_stage", "normalize_stage", "process_page", "validate_stage"]
