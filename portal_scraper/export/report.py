"""Deprecated: the run report is `portal_scraper.report` (`build`, and `extension.RunReport`);
this module goes in the next release."""

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning

# The one upward import allowed (tests/test_layers.py, DEPRECATED_SHIMS): a class path that
# settings name, kept for a release.
from portal_scraper.report.build import build_report, format_report
from portal_scraper.report.extension import RunReport

warnings.warn(
    "portal_scraper.export.report.RunReport is now portal_scraper.report.extension.RunReport",
    ScrapyDeprecationWarning,
    stacklevel=2,
)

__all__ = ["RunReport", "build_report", "format_report"]
