"""`scrapy archive portal --portals FILE --jobs-root DIR`: each portal of the list archived into
its own job directory, one after another, each by its own `scrapy archive` process, then one
combined report with the worst exit status."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from portal_scraper.commands.portals_file import PortalLine, PortalsFileError, read_portals
from portal_scraper.contracts.config import ENV_URL
from portal_scraper.contracts.jobdir import ARTICLES_FILE, REJECTS_FILE, REPORT_FILE
from portal_scraper.export.storage import lines_from, whole_lines_end
from portal_scraper.report.build import EXIT_FAILED
from portal_scraper.report.combined import (
    combined_report,
    format_combined,
    portal_entry,
    written_shown,
)

# Spider arguments that apply to every portal of a list (a line's `since` wins over `-a since`).
LIST_ARGUMENTS = ("since", "max_items")
REPORT_JSON, REPORT_TEXT, JOB_LOG = REPORT_FILE, "report.txt", "archive.log"
# A job's feed files (`scrapy archive`), counted when it leaves no report: what it wrote.
ON_DISK_FILES = {"articles_written": ARTICLES_FILE, "rejects": REJECTS_FILE}
# A job's exit status when it did not start: bad arguments, its job directory in use.
JOB_NOT_STARTED = 2


@dataclass
class PortalList:
    """A checked list run: the portals, where their jobs go, what each job's command adds."""

    portals_file: Path
    root: Path
    spider: str
    portals: list[PortalLine]
    options: list[str]  # `-s`, `-L`, `-a max_items` given to every job
    lock: IO[str] | None = field(default=None, repr=False)


def prepare(args: list[str], opts: argparse.Namespace, settings: BaseSettings) -> PortalList:
    """Check a list run before anything runs: `UsageError` (exit 2) names what is wrong (each bad
    line of the portals file); the jobs root is locked for this run."""
    if not opts.portals or not opts.jobs_root:
        raise UsageError("--portals FILE and --jobs-root DIR go together")
    if opts.job_dir:
        raise UsageError("--job-dir is for one portal; a list's jobs go under --jobs-root")
    if len(args) != 1:
        raise UsageError("give one spider name (portal)")
    other = sorted(set(opts.spargs) - set(LIST_ARGUMENTS))
    if other:
        raise UsageError(
            f"-a {', '.join(other)}: give these per portal in the portals file; a list takes "
            f"only -a {' / '.join(LIST_ARGUMENTS)} for every portal"
        )
    if settings.get("REDIS_URL") or os.environ.get(ENV_URL):
        raise UsageError(
            "a portal list runs its portals one after another, each in its own process; "
            "distributed mode (REDIS_URL) does not discover from home pages: unset REDIS_URL"
        )
    try:
        portals = read_portals(Path(opts.portals), dict(opts.spargs))
    except PortalsFileError as exc:
        raise UsageError(str(exc)) from None
    root = Path(opts.jobs_root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = (root / ".lock").open("w")
    except OSError as exc:
        print(f"error: cannot use the jobs root {root}: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_FAILED) from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise UsageError(f"{root} is in use by another portal list run") from None
    options = [word for setting in opts.set for word in ("-s", setting)]
    if opts.loglevel:
        options += ["-L", opts.loglevel]
    if opts.nolog:
        options.append("--nolog")
    if opts.spargs.get("max_items"):
        options += ["-a", f"max_items={opts.spargs['max_items']}"]
    return PortalList(Path(opts.portals), root, args[0], portals, options, lock)


def run_list(plan: PortalList) -> int:
    """Archive each portal, write the combined report (ROOT/report.json, ROOT/report.txt), print
    its table; the worst status of the jobs (1 when the report cannot be written)."""
    paths = plan.root / REPORT_JSON, plan.root / REPORT_TEXT
    entries: list[dict[str, Any]] = []
    with _Stopper() as stopper:
        try:
            for path in paths:  # the last list run's report must not stand for this one
                path.unlink(missing_ok=True)
        except OSError as exc:
            print(f"FAILED: cannot remove the last combined report: {exc}", file=sys.stderr)
            return EXIT_FAILED
        for number, portal in enumerate(plan.portals, start=1):
            job = plan.root / portal.id
            about = {**portal.describe(), "job_dir": str(job), "log": str(job / JOB_LOG)}
            if stopper.signal:
                why = f"not run: the list was stopped ({stopper.signal})"
                entries.append(portal_entry(about, EXIT_FAILED, None, why))
                continue
            target = portal.start_url or portal.site
            print(f"[{number}/{len(plan.portals)}] {portal.id}: archiving {target}", flush=True)
            entry = portal_entry(about, *_run_job(plan, portal, job, stopper))
            entries.append(entry)
            print(
                f"[{number}/{len(plan.portals)}] {portal.id}: exit {entry['exit_code']}, "
                f"written {written_shown(entry)}, rejects {entry['rejects']} "
                f"(log: {about['log']})",
                flush=True,
            )
    report = combined_report(entries, portals_file=str(plan.portals_file), jobs_root=str(plan.root))
    table = format_combined(report)
    print(table, flush=True)
    try:
        _write_whole(paths[0], json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        _write_whole(paths[1], table + "\n")
    except OSError as exc:
        print(f"FAILED: combined report not written: {exc}", file=sys.stderr)
        return EXIT_FAILED
    code: int = report["exit_code"]
    return code


def _run_job(
    plan: PortalList, portal: PortalLine, job: Path, stopper: _Stopper
) -> tuple[int, dict[str, Any] | None, str | None, dict[str, Any] | None]:
    """Run one portal's `scrapy archive` in its own process: (exit status, its report, why the
    report cannot be used, and then what this run left in the job's feed files, counted)."""
    # Where this run starts appending: after the files' whole lines (a cut last line is
    # removed when the job starts).
    marks = {key: whole_lines_end(job / name) for key, name in ON_DISK_FILES.items()}
    code, report, problem = _run_process(plan, portal, job, stopper)
    if problem is None or code == JOB_NOT_STARTED:
        # A report says it all; a job that exited 2 never started (another run may be writing).
        return code, report, problem, None
    on_disk: dict[str, Any] = {}
    for key, name in ON_DISK_FILES.items():
        on_disk[key], cut = lines_from(job / name, marks[key])
        if cut:
            on_disk.setdefault("cut_lines", []).append(name)
    return code, report, problem, on_disk


def _run_process(
    plan: PortalList, portal: PortalLine, job: Path, stopper: _Stopper
) -> tuple[int, dict[str, Any] | None, str | None]:
    command = [sys.executable, "-m", "scrapy", "archive", plan.spider, "--job-dir", str(job)]
    for name, value in portal.spider_arguments().items():
        command += ["-a", f"{name}={value}"]
    command += plan.options
    report_path = job / REPORT_JSON
    try:
        job.mkdir(parents=True, exist_ok=True)
        before = _signature(report_path)
        with (job / JOB_LOG).open("ab") as log:
            # Its own session: a Ctrl-C reaches the job once, from here, not twice.
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
            stopper.child = process
            try:
                code = process.wait()
            finally:
                stopper.child = None
    except OSError as exc:
        return EXIT_FAILED, None, f"the job could not run: {exc}"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return code, None, f"the job was killed by {name}: {_last_words(job / JOB_LOG)}"
    if _signature(report_path) in (None, before):
        # No report of this run (a job directory in use, a crash before the crawl started).
        return code, None, f"the job wrote no report (exit {code}): {_last_words(job / JOB_LOG)}"
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return code, None, f"the job's report cannot be read: {exc}"
    return code, report, None


def _signature(path: Path) -> tuple[int, int, int] | None:
    """Which file `path` is now (None when there is none)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _last_words(log: Path) -> str:
    """The log's last error line (or its last line), to say why a job failed."""
    try:
        with log.open("rb") as handle:
            handle.seek(max(0, log.stat().st_size - 20_000))
            lines = [line.strip() for line in handle.read().decode("utf-8", "replace").splitlines()]
    except OSError:
        return f"see {log}"
    lines = [line for line in lines if line]
    marked = [line for line in lines if "FAILED" in line or "error" in line.lower()]
    last = (marked or lines or [""])[-1]
    return f"{last[:300]} (see {log})" if last else f"see {log}"


def _write_whole(path: Path, text: str) -> None:
    """Write a file so that it is there whole or not at all."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


class _Stopper:
    """SIGINT/SIGTERM while a list runs: passed on to the running job (which stops cleanly and
    reports), and no further portal starts."""

    def __init__(self) -> None:
        self.signal: str | None = None
        self.child: subprocess.Popen[bytes] | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Stopper:
        for number in (signal.SIGINT, signal.SIGTERM):
            self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _handle(self, number: int, frame: FrameType | None) -> None:
        self.signal = signal.Signals(number).name
        child = self.child
        if child is not None and child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(number)
