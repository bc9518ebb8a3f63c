"""A full or read-only disk: the run stops with a non-zero status, counts nothing it did not write,
leaves no broken line, and a rerun once there is room writes every missing article exactly once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from portal_scraper.tools.demo import FAST_SETTINGS
from portal_scraper.tools.demo_portal import DemoPortal, running
from tests.support import FIXTURES_DIR, PROJECT_DIR
from tests.test_no_loss import ENV, crawl

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def portal() -> Iterator[tuple[str, DemoPortal]]:
    with running(FIXTURES_DIR) as served:
        yield served


@contextmanager
def small_disk(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` at `path` (needs root); skipped where mounting is not allowed."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def remount(path: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(path)], check=True)


def lines_are_whole_json(path: Path) -> list[dict]:
    """Every line of the file is a whole JSON object (nothing half-written anywhere)."""
    if not path.exists():
        return []
    data = path.read_bytes()
    assert not data or data.endswith(b"\n")
    return [json.loads(line) for line in data.splitlines()]


def archived_urls(state: Path) -> set[str]:
    with sqlite3.connect(state) as db:
        return {row[0] for row in db.execute("SELECT canonical_url FROM articles")}


@pytest.mark.parametrize("only_records", [True, False], ids=["records-file", "whole-job"])
def test_a_full_disk_stops_the_run_and_the_rerun_writes_what_is_missing(
    portal, tmp_path: Path, only_records: bool
) -> None:
    base, demo = portal
    disk = tmp_path / "disk"
    elsewhere = tmp_path / "elsewhere"
    extra: tuple[str, ...] = ()
    if only_records:
        # Records fill the disk part-way; the state store and WARC have room.
        extra = ("-s", f"PORTAL_STATE_PATH={elsewhere / 'state.sqlite'}",
                 "-s", f"PORTAL_WARC_DIR={elsewhere / 'warc'}")  # fmt: skip
    state = elsewhere / "state.sqlite" if only_records else disk / "job" / "state.sqlite"
    with small_disk(disk, "48k" if only_records else "160k"):
        job = disk / "job"
        full = crawl(base, job, *extra, command="archive")
        assert full.code == 1, full.log[-3000:]
        assert "stopping the crawl" in full.log
        written = lines_are_whole_json(job / "articles.jsonl")
        assert 0 < len(written) < len(demo.expected_article_ids())
        if state.exists():
            # Nothing is remembered as archived that is not in the file.
            assert archived_urls(state) <= {r["canonical_url"] for r in written}
        remount(disk, "size=8m")
        rerun = crawl(base, job, *extra, command="archive")
        assert rerun.code == 0, rerun.log[-3000:]
        records = lines_are_whole_json(job / "articles.jsonl")
    ids = sorted(int(r["source_id"]) for r in records)
    assert ids == sorted(demo.expected_article_ids())  # every article exactly once
    assert rerun.report["articles_written"] == len(records) - len(written)


def test_a_read_only_job_directory_fails_at_once_with_the_reason(portal, tmp_path: Path) -> None:
    base, _ = portal
    disk = tmp_path / "disk"
    with small_disk(disk, "1m"):
        (disk / "job").mkdir()
        remount(disk, "ro")
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "archive", "portal", "--job-dir", str(disk / "job"),
             "-a", "site=bentre-city", "-a", f"base_url={base}",
             *[a for s in FAST_SETTINGS for a in ("-s", s)]],
            cwd=PROJECT_DIR, env=ENV, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert result.returncode == 1
    assert "Read-only file system" in result.stderr
    assert "Traceback" not in result.stderr


def test_records_to_a_device_that_is_full_count_nothing_and_fail(portal, tmp_path: Path) -> None:
    """Runs everywhere (no mount): /dev/full refuses every write with ENOSPC."""
    base, _ = portal
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "site=bentre-city",
         "-a", f"base_url={base}", "-O", "/dev/full:jsonlines", "-s", f"PORTAL_REJECTS_URI={tmp_path / 'r.jsonl'}",
         "-s", f"PORTAL_REPORT_PATH={report}", *[a for s in FAST_SETTINGS for a in ("-s", s)]],
        cwd=PROJECT_DIR, env=ENV, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "No space left on device" in result.stderr
    summary = json.loads(report.read_text(encoding="utf-8"))
    assert summary["articles_written"] == 0
    assert summary["ledger"]["written"] == 0
    assert summary["failures"] and "output not written" in summary["failures"][0]
