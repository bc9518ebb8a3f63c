"""Write a job's HTML report: charts of articles, rejects, coverage, errors; works offline.

Articles per day and month, rejects by reason, field coverage, fetch errors and duration per
run, and the latest run's details, on one page that needs no network.

JOB_DIR is a `scrapy archive --job-dir` directory, or a portal list's `--jobs-root` (a section
per portal). The runs come from JOB_DIR/state.sqlite, opened read-only (a running job is not
disturbed); the articles from JOB_DIR/articles.jsonl. Exit status: 0 written; 1 the page could
not be written, or a job's run history could not be read (a damaged state.sqlite, or a WAL-mode
one in a directory this user cannot write: SQLite needs its -shm file): the page is still
written, says so and shows the articles, and stderr names the file; 2 no such directory.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

REPORT_NAME = "report.html"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `report` command's arguments."""
    parser.add_argument("job_dir", metavar="JOB_DIR", type=Path, help="a job directory or root")
    parser.add_argument(
        "-o", "--output", type=Path, help=f"the HTML file (default: JOB_DIR/{REPORT_NAME})"
    )
    parser.add_argument(
        "--runs", type=int, default=0, metavar="N", help="chart the last N runs only (default all)"
    )


def run(args: argparse.Namespace) -> int:
    """Read the job directory (or each job of a jobs root), write the page."""
    job_dir: Path = args.job_dir
    if not job_dir.is_dir():
        print(f"error: {job_dir} is no directory (a scrapy archive --job-dir)", file=sys.stderr)
        return 2
    if args.runs < 0:
        print("error: --runs must be 0 (all) or more", file=sys.stderr)
        return 2
    # Heavy imports here, not at the top: `portal-scraper --help` stays fast.
    from portal_scraper.report.history import is_job_dir, job_dirs_under, read_history
    from portal_scraper.report.html import render_report, write_html

    jobs = [job_dir] if is_job_dir(job_dir) else job_dirs_under(job_dir)
    if not jobs:
        jobs = [job_dir]  # an empty job directory: a report that says there is no run yet
    histories = [read_history(job, args.runs or None) for job in jobs]
    title = f"Archive report: {job_dir.resolve().name}"
    made = datetime.now(UTC).isoformat(timespec="seconds")
    output: Path = args.output or job_dir / REPORT_NAME
    try:
        write_html(render_report(histories, title, made), output)
    except OSError as exc:
        print(f"error: {output} could not be written: {exc}", file=sys.stderr)
        return 1
    shown = sum(len(h.runs) for h in histories)
    print(f"{output}: {len(histories)} job(s), {shown} runs", file=sys.stderr)
    unreadable = [problem for h in histories for problem in h.unreadable]
    for problem in unreadable:
        print(f"error: {problem}: its runs are not in the report", file=sys.stderr)
    return 1 if unreadable else 0


def main(argv: list[str] | None = None) -> int:
    """`python -m portal_scraper.tools.html_report`: the same as `portal-scraper report`."""
    parser = argparse.ArgumentParser(prog="portal-scraper report", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
