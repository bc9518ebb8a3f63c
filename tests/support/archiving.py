"""`scrapy archive` runs of the offline demo portal, as the end-to-end tests make them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from portal_scraper.contracts.jobdir import REPORT_FILE
from portal_scraper.tools.demo import FAST_SETTINGS
from tests.support import PROJECT_DIR


def archive_command(base_url: str, job: Path, *extra: str) -> list[str]:
    """The command line of one archive run of the demo portal at `base_url` into `job`."""
    command = [
        sys.executable, "-m", "scrapy", "archive", "portal", "--job-dir", str(job),
        "-a", "site=bentre-city", "-a", f"base_url={base_url}",
    ]  # fmt: skip
    for setting in FAST_SETTINGS:
        command += ["-s", setting]
    return command + list(extra)


def run_archive(base_url: str, job: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run it to the end (two minutes at most); the finished process, its output captured."""
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
    return subprocess.run(
        archive_command(base_url, job, *extra),
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def archive(base_url: str, job: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    """A run that finishes (exit 0, or 3 with alerts): its exit status and its report."""
    result = run_archive(base_url, job, *extra)
    assert result.returncode in (0, 3), result.stderr[-3000:]
    report = json.loads((job / REPORT_FILE).read_text(encoding="utf-8"))
    return result.returncode, report
