"""A list of portals through `scrapy archive --portals FILE --jobs-root DIR`, as real processes on
the two demo portals (127.0.0.1): one job directory each, a combined report, the worst status."""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from portal_scraper.tools import demo_portal_dnn
from portal_scraper.tools.demo import FAST_SETTINGS, read_jsonl
from portal_scraper.tools.demo_portal import DemoPortal, running
from tests.support import FIXTURES_DIR, PROJECT_DIR, free_port

pytestmark = pytest.mark.e2e


@dataclass
class ListRun:
    code: int
    out: str
    err: str
    root: Path

    @property
    def report(self) -> dict[str, Any]:
        return json.loads((self.root / "report.json").read_text(encoding="utf-8"))

    def portal(self, portal_id: str) -> dict[str, Any]:
        return next(p for p in self.report["portals"] if p["id"] == portal_id)

    def records(self, portal_id: str) -> list[dict[str, Any]]:
        return read_jsonl(self.root / portal_id / "articles.jsonl")


def archive_list(portals: str, root: Path, *extra: str) -> ListRun:
    portals_file = root.parent / f"{root.name}.portals"
    portals_file.write_text(portals, encoding="utf-8")
    command = [sys.executable, "-m", "scrapy", "archive", "portal",
               "--portals", str(portals_file), "--jobs-root", str(root)]  # fmt: skip
    for setting in (*FAST_SETTINGS, "PORTAL_REPORT_MAX_REJECT_RATE=0.5"):
        command += ["-s", setting]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
    result = subprocess.run(
        [*command, *extra], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
        timeout=240, check=False,
    )  # fmt: skip
    return ListRun(result.returncode, result.stdout, result.stderr, root)


@pytest.fixture(scope="module")
def sharepoint() -> Iterator[tuple[str, DemoPortal]]:
    with running(FIXTURES_DIR) as served:
        yield served


@pytest.fixture(scope="module")
def dnn() -> Iterator[tuple[str, demo_portal_dnn.DnnPortal]]:
    with demo_portal_dnn.running() as served:
        yield served


def test_two_portals_from_their_home_pages_give_two_complete_jobs(sharepoint, dnn, tmp_path):
    (sp_base, sp), (dnn_base, dnn_portal) = sharepoint, dnn
    run = archive_list(
        f"# the two demo portals\n{sp_base}/   # SharePoint\n{dnn_base}/ id=dnn  # ASP.NET\n",
        tmp_path / "jobs",
    )
    assert run.code == 0, run.out + run.err[-3000:]
    sp_id = sp_base.removeprefix("http://").replace(":", "-")
    assert sorted(p.name for p in run.root.iterdir() if p.is_dir()) == sorted([sp_id, "dnn"])
    assert sorted(int(r["source_id"]) for r in run.records(sp_id)) == sorted(
        sp.expected_article_ids()
    )
    assert sorted(r["title"] for r in run.records("dnn")) == sorted(dnn_portal.expected_titles())
    for portal_id, count in ((sp_id, len(sp.expected_article_ids())),
                             ("dnn", len(dnn_portal.expected_titles()))):  # fmt: skip
        entry = run.portal(portal_id)
        job = json.loads((run.root / portal_id / "report.json").read_text(encoding="utf-8"))
        assert entry["articles_written"] == job["articles_written"] == count
        assert (entry["exit_code"], entry["status"], entry["alerts"]) == (0, 0, [])
        assert entry["coverage"]["title"] == entry["coverage"]["body_text"] == 1.0
        assert entry["job_dir"] == str(run.root / portal_id)
    assert run.portal(sp_id)["rejects"] == 1  # the demo's one non-article item
    assert run.report["totals"]["articles_written"] == len(sp.expected_article_ids()) + len(
        dnn_portal.expected_titles()
    )
    assert run.report["exit_code"] == 0
    table = (run.root / "report.txt").read_text(encoding="utf-8")
    assert table in run.out + "\n"
    assert table.splitlines()[-1] == "exit status: 0"
    assert [line.split()[:4] for line in table.splitlines()[1:3]] == [
        [sp_id, "0", str(len(sp.expected_article_ids())), "1"],
        ["dnn", "0", str(len(dnn_portal.expected_titles())), "0"],
    ]
    # The next night: every job is incremental on its own state store.
    again = archive_list(f"{sp_base}/\n{dnn_base}/ id=dnn\n", tmp_path / "jobs")
    assert again.code == 0, again.out + again.err[-3000:]
    assert again.report["totals"]["articles_written"] == 0
    assert again.portal("dnn")["articles_skipped_archived"] == len(dnn_portal.expected_titles())


def test_a_portal_that_fails_makes_the_list_fail_and_the_others_still_run(sharepoint, tmp_path):
    sp_base, sp = sharepoint
    dead = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    run = archive_list(f"{dead} id=dead\n{sp_base}/ id=sharepoint\n", tmp_path / "jobs")
    assert run.code == 1, run.out + run.err[-3000:]
    failed = run.portal("dead")
    assert (failed["exit_code"], failed["status"], failed["line"]) == (1, 1, 1)
    assert "no page was fetched" in failed["failures"][0]
    # The portal after the failed one is archived completely.
    assert run.portal("sharepoint")["status"] == 0
    ids = sorted(int(r["source_id"]) for r in run.records("sharepoint"))
    assert ids == sorted(sp.expected_article_ids())
    # Rejects: the live portal's non-article; the dead one's home page, and its robots.txt and
    # /sitemap.xml (a refused connection is no proof of absence: fetch failures).
    assert run.report["totals"] == {
        "portals": 2, "healthy": 1, "alerts": 0, "failed": 1,
        "articles_written": len(ids), "rejects": 4,
    }  # fmt: skip
    assert "dead: FAILED: no page was fetched" in run.out
    assert run.out.rstrip().endswith("exit status: 1")


def test_a_bad_portals_file_is_a_usage_error_naming_the_line_before_anything_runs(
    sharepoint, tmp_path
):
    sp_base, _ = sharepoint
    run = archive_list(
        f"{sp_base}/ id=first\nbentre-city since=2024-02-30\nno-such-portal\n{sp_base}/ id=first\n",
        tmp_path / "jobs",
    )
    assert run.code == 2, run.out + run.err[-3000:]
    assert "line 2: since must be a date like 2018-01-31, got '2024-02-30'" in run.err
    assert "line 3: unknown site 'no-such-portal'" in run.err
    assert "line 4: id 'first' is also the id of line 1" in run.err
    assert not run.root.exists()  # nothing ran, no job directory was made
    assert run.out == ""


def test_sigterm_stops_the_running_job_cleanly_and_no_further_portal_starts(tmp_path):
    root = tmp_path / "jobs"
    with running(FIXTURES_DIR, article_delay=0.15) as (base, _):
        portals_file = tmp_path / "list.portals"
        portals_file.write_text(f"{base}/ id=first\n{base}/ id=second\n", encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "archive",
            "portal",
            "--portals",
            str(portals_file),
            "--jobs-root",
            str(root),
            "-s",
            "CONCURRENT_REQUESTS=2",
        ]
        for setting in FAST_SETTINGS:
            command += ["-s", setting]
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        output = root / "first" / "articles.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if output.exists() and output.read_bytes().count(b"\n") >= 3:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=120)
    assert process.returncode == 1, out + err[-3000:]
    report = json.loads((root / "report.json").read_text(encoding="utf-8"))
    first, second = report["portals"]
    # The job got the signal once and stopped cleanly: its own report says so.
    assert first["exit_code"] == 1
    assert any("did not finish" in f for f in first["failures"]), first
    assert second["failures"] == ["not run: the list was stopped (SIGTERM)"]
    assert not (root / "second").exists()
    assert report["exit_code"] == 1


def test_a_job_directory_in_use_fails_that_portal_only(sharepoint, tmp_path):
    sp_base, sp = sharepoint
    root = tmp_path / "jobs"
    (root / "busy").mkdir(parents=True)
    with (root / "busy" / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another run holds it
        run = archive_list(f"{sp_base}/ id=busy\n{sp_base}/ id=free\n", root)
    assert run.code == 1, run.out + run.err[-3000:]
    busy = run.portal("busy")
    assert (busy["exit_code"], busy["status"]) == (2, 1)
    assert busy["failures"][0].startswith("the job wrote no report (exit 2)")
    assert "in use by another archive run" in busy["failures"][0]
    assert run.portal("free")["articles_written"] == len(sp.expected_article_ids())


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_a_job_killed_with_sigkill_reports_what_it_left_on_disk(tmp_path):
    """No report from a killed job: the combined report says it failed and counts the lines
    the run appended to its files, labelled as counted from disk, not 0."""
    root = tmp_path / "jobs"
    with running(FIXTURES_DIR, article_delay=0.15) as (base, portal):
        portals_file = tmp_path / "list.portals"
        portals_file.write_text(f"{base}/ id=killed\n{base}/ id=next\n", encoding="utf-8")
        command = [sys.executable, "-m", "scrapy", "archive", "portal", "--portals",
                   str(portals_file), "--jobs-root", str(root), "-s", "CONCURRENT_REQUESTS=2"]  # fmt: skip
        for setting in (*FAST_SETTINGS, "PORTAL_REPORT_MAX_REJECT_RATE=0.5"):
            command += ["-s", setting]
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        output = root / "killed" / "articles.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if output.exists() and output.read_bytes().count(b"\n") >= 3:
                break
            time.sleep(0.05)
        (job,) = _children(process.pid)
        os.kill(job, signal.SIGKILL)
        out, err = process.communicate(timeout=180)
    assert process.returncode == 1, out + err[-3000:]
    report = json.loads((root / "report.json").read_text(encoding="utf-8"))
    killed, after = report["portals"]
    on_disk = output.read_bytes().count(b"\n")
    assert on_disk >= 3
    assert (killed["exit_code"], killed["status"]) == (-9, 1)
    assert killed["counted_from_disk"] is True
    assert killed["articles_written"] == on_disk
    assert "killed by SIGKILL" in killed["failures"][0]
    assert f"counted from disk, this run appended {on_disk} records" in killed["failures"][0]
    assert f"killed: exit -9, written {on_disk} (disk)" in out
    assert re.search(rf"^killed +-9 +{on_disk} \(disk\) ", out, re.M), out
    assert after["articles_written"] == len(portal.expected_article_ids())
    assert not after["counted_from_disk"]
    assert report["totals"]["articles_written"] == on_disk + after["articles_written"]
