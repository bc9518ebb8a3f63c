"""`scrapy newsite URL`: draft a site file and fixture cases for a new portal
(portal_scraper/tools/new_site.py)."""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from portal_scraper.tools import new_site


class Command(ScrapyCommand):
    """Draft `OUT/sites/<id>.toml` and `OUT/fixtures/<id>/` from a portal's home page."""

    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return (
            "URL [--out DIR] [--id ID] [--samples N] [--max-requests N] [--delay SECONDS] "
            "[--force]\n  scrapy newsite --pages DIR [--base-url URL] [--out DIR] [--id ID] "
            "[--samples N] [--force]"
        )

    def short_desc(self) -> str:
        return "Draft a site file and fixtures for a new portal from its home page"

    def long_desc(self) -> str:
        return new_site.DESCRIPTION

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        new_site.add_arguments(parser)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if opts.delay is None:
            opts.delay = self.settings.getfloat("DOWNLOAD_DELAY", 1.0)
        self.exitcode = new_site.draft(args, opts, self.settings.get("USER_AGENT"))
