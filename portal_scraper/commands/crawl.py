"""`scrapy crawl`, with checked spider arguments and the run report's exit status."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from portal_scraper.contracts.config import config
from portal_scraper.contracts.stats import STAT_EXIT_CODE, STAT_FAILED, STAT_FINISH_REASON
from portal_scraper.crawl.spiders.arguments import parse_arguments
from portal_scraper.crawl.spiders.portal import PortalSpider
from portal_scraper.report.build import EXIT_FAILED, EXIT_HEALTHY

EXIT_STATUS = (
    "Exit status: 0 healthy; 3 the run report alerts (a PORTAL_REPORT_MAX_* threshold crossed, a "
    "listing that gave no articles or failed, a URL with no outcome); 1 the crawl failed "
    "(output not written, nothing fetched, could not start); 2 bad arguments."
)


def check_arguments(args: list[str], opts: argparse.Namespace) -> None:
    """Usage error (exit 2) for bad `-a` arguments of the portal spider, before any crawling."""
    if args and args[0] == PortalSpider.name:
        try:
            parse_arguments(**{k: v for k, v in opts.spargs.items() if k in _ARGUMENTS})
        except (ValueError, LookupError) as exc:
            raise UsageError(str(exc).strip("'\"")) from None


_ARGUMENTS = ("site", "start_url", "base_url", "since", "max_items")
SPIDER_ARGUMENTS = (
    "The portal spider takes -a site=ID (a site profile), -a start_url=URL (a listing or an "
    "article; any site, or a mirror with site), -a base_url=URL (the profile's listings on "
    "another host), -a since=YYYY-MM-DD and -a max_items=N."
)


def exit_status(crawler: Crawler, bootstrap_failed: bool) -> int:
    """The run's exit status from its report (1 when it could not run)."""
    if bootstrap_failed or crawler.stats is None:
        return EXIT_FAILED
    code = crawler.stats.get_value(STAT_EXIT_CODE)
    if code is not None:
        return int(code)
    # No report: switched off (PORTAL_RUN_REPORT_ENABLED), or the run was cut short before it (a
    # second Ctrl-C or SIGTERM forces an unclean stop). Only a run that finished cleanly is healthy.
    finished = crawler.stats.get_value(STAT_FINISH_REASON) == "finished"
    if finished and not crawler.stats.get_value(STAT_FAILED):
        return EXIT_HEALTHY
    if config(crawler).run_report_enabled:
        print("FAILED: the crawl stopped before its run report (forced shutdown)", file=sys.stderr)
    return EXIT_FAILED


class Command(ScrapyCrawl):
    """Scrapy's crawl command; exits with the run report's status."""

    def long_desc(self) -> str:
        return (
            f"Run a spider of the project. {SPIDER_ARGUMENTS} Records go to -O FILE (JSON "
            f"Lines), rejects next to it. {EXIT_STATUS}"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_arguments(args, opts)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name (portal)")
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        self.exitcode = exit_status(crawler, self.crawler_process.bootstrap_failed)
