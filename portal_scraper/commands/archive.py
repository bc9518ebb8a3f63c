"""`scrapy archive portal --job-dir DIR -a site=...`: one run of a scheduled archiving job;
`--portals FILE --jobs-root DIR`: a list of portals, one job each (commands/portal_list.py)."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import socket
import sys
from pathlib import Path

from scrapy.commands.crawl import Command as CrawlCommand
from scrapy.exceptions import UsageError
from scrapy.settings import get_settings_priority

from portal_scraper.commands import portal_list
from portal_scraper.commands.crawl import (
    EXIT_STATUS,
    SPIDER_ARGUMENTS,
    check_arguments,
    exit_status,
)
from portal_scraper.contracts.config import (
    ENV_WORKER,
    PortalConfig,
    from_environment,
    upgrade_settings,
)
from portal_scraper.contracts.jobdir import (
    ARTICLES_FILE,
    REJECTS_FILE,
    REPORT_FILE,
    STATE_FILE,
    WARC_DIR,
)
from portal_scraper.report.build import EXIT_FAILED
from portal_scraper.report.extension import RunReport


class Command(CrawlCommand):
    """Crawl into a job directory: records, rejects, WARC, state store and report; exit status."""

    _list: portal_list.PortalList | None = None

    def syntax(self) -> str:
        return (
            "--job-dir DIR [options] <spider> | --portals FILE --jobs-root DIR [options] <spider>"
        )

    def short_desc(self) -> str:
        return "Run an archiving job: incremental crawl, WARC, run report, exit status"

    def long_desc(self) -> str:
        return (
            "Crawl like 'scrapy crawl', into a job directory that lives across runs: "
            "articles.jsonl and rejects.jsonl (appended), warc/ (WARC files), state.sqlite "
            "(what is archived) and report.json (this run). A rerun fetches only new articles "
            "(-s PORTAL_INCREMENTAL_REFRESH=True re-checks archived ones for changes); a run "
            "killed and started again with the same job directory finishes the job. Each line is "
            f"fsynced before it counts. {SPIDER_ARGUMENTS} {EXIT_STATUS} With --portals FILE "
            "--jobs-root DIR, each portal of the file (a line: a site id or a start URL, then "
            "optional since=YYYY-MM-DD, id=NAME, and site=ID for a URL; # comments) is archived "
            "into DIR/<id>/ by its own process, one after another; DIR/report.json and "
            "DIR/report.txt combine their reports and the exit status is the worst of them "
            "(0, 3, then 1; 2 for a bad portals file, before anything runs)."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--job-dir", metavar="DIR", help="the job's directory (one portal)")
        parser.add_argument("--portals", metavar="FILE", help="a portals file (a list of portals)")
        parser.add_argument(
            "--jobs-root", metavar="DIR", help="with --portals: DIR/<portal id>/ per portal"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        if getattr(opts, "output", None) or getattr(opts, "overwrite_output", None):
            raise UsageError("archive writes into --job-dir; -o/-O are not used")
        super().process_options(args, opts)
        assert self.settings is not None
        upgrade_settings(self.settings)  # `-s STATE_PATH=...` still names the job's files
        if opts.portals or opts.jobs_root:
            self._list = portal_list.prepare(args, opts, self.settings)
            self.requires_crawler_process = False  # each portal's job runs in its own process
            return
        check_arguments(args, opts)
        if not opts.job_dir:
            raise UsageError("--job-dir DIR is required")
        job = Path(opts.job_dir)
        try:
            job.mkdir(parents=True, exist_ok=True)
            self._lock = (job / ".lock").open("w")
        except OSError as exc:
            # A read-only or full disk: the job cannot run at all (status 1, not a usage error).
            print(f"error: cannot use the job directory {job}: {exc}", file=sys.stderr)
            raise SystemExit(EXIT_FAILED) from None
        # One run per job directory at a time: a second one stops here, clearly.
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"{job} is in use by another archive run") from None
        assert self.settings is not None
        self.settings.set(
            "FEEDS",
            {str(job / ARTICLES_FILE): {"format": "jsonlines", "overwrite": False}},
            priority="cmdline",
        )
        for name, value in (
            ("PORTAL_REJECTS_URI", job / REJECTS_FILE),
            ("PORTAL_WARC_DIR", job / WARC_DIR),
            ("PORTAL_STATE_PATH", job / STATE_FILE),
            ("PORTAL_REPORT_PATH", job / REPORT_FILE),
            ("PORTAL_FEED_FSYNC", True),
        ):
            # A setting given with -s keeps its value.
            if (self.settings.getpriority(name) or 0) < get_settings_priority("cmdline"):
                self.settings.set(
                    name, value if isinstance(value, bool) else str(value), priority="cmdline"
                )
        # In distributed mode a restarted job is the same worker: it takes back its own leases.
        if not self.settings.get("PORTAL_REDIS_WORKER") and not from_environment(ENV_WORKER):
            worker = f"{socket.gethostname()}:{job.resolve()}"
            self.settings.set("PORTAL_REDIS_WORKER", worker, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if self._list is not None:
            self.exitcode = portal_list.run_list(self._list)
            return
        if len(args) != 1:
            raise UsageError("give one spider name (portal)")
        assert self.crawler_process is not None and self.settings is not None
        report_path = PortalConfig.from_settings(self.settings).report_path
        report = Path(report_path) if report_path else None
        if report is not None and report.is_file():
            # The last run's report must not stand for this one if this one cannot write its own.
            report.unlink()
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        self.exitcode = exit_status(crawler, self.crawler_process.bootstrap_failed)
        if self.crawler_process.bootstrap_failed:
            message = "the crawl could not start (the error is in the log above)"
            print(f"FAILED: {message}", file=sys.stderr)
            if report is not None:
                with contextlib.suppress(OSError):  # a full disk: the exit status says it
                    failed = {"failures": [message], "alerts": [], "exit_code": EXIT_FAILED}
                    RunReport.write(failed, report)
