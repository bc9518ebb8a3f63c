"""Scheduled archiving jobs, as real processes on the demo portal: incremental runs, WARC,
re-extraction, resume after SIGKILL, the run report and its exit status."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from portal_scraper.record.model import RECORD_FIELDS, Reject
from portal_scraper.tools.demo import FAST_SETTINGS, read_jsonl
from portal_scraper.tools.demo_portal import DemoPortal, running
from portal_scraper.tools.warc_extract import reextract
from tests.support import FIXTURES_DIR, PROJECT_DIR
from tests.support.archiving import archive, archive_command

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def portal() -> Iterator[tuple[str, DemoPortal]]:
    with running(FIXTURES_DIR) as served:
        yield served


def warc_files(job: Path) -> list[Path]:
    return sorted((job / "warc").glob("*.warc.gz"))


def warc_records(path: Path) -> list:
    with path.open("rb") as handle:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
            for r in ArchiveIterator(handle)
        ]


def test_second_run_on_an_unchanged_portal_fetches_and_writes_no_article(portal, tmp_path):
    base, demo = portal
    code, first = archive(base, tmp_path)
    assert code == 0
    assert first["articles_written"] == first["articles_new"] == len(demo.expected_article_ids())
    code, second = archive(base, tmp_path)
    assert code == 0
    assert second["article_pages"] == 0
    assert second["articles_written"] == 0
    assert second["articles_skipped_archived"] == len(demo.expected_article_ids())
    assert second["known_rejects_skipped"] == 1
    assert second["listing_pages"] > 0  # listings are always read
    lines = read_jsonl(tmp_path / "articles.jsonl")
    assert len(lines) == len(demo.expected_article_ids())
    fetched = [
        uri
        for path in warc_files(tmp_path)
        for kind, uri, _ in warc_records(path)
        if kind == "response"
    ]
    articles_fetched = Counter(u for u in fetched if "DispForm" in u)
    assert max(articles_fetched.values()) == 1  # each article page fetched once over both runs


def test_changed_article_is_emitted_again_with_both_hashes(portal, tmp_path):
    base, demo = portal
    archive(base, tmp_path)
    before = {r["source_id"]: r for r in read_jsonl(tmp_path / "articles.jsonl")}
    article = demo.articles[1450]
    original = article.body
    article.body = original.replace("Mỗi liên gia gồm".encode(), "Mỗi liên gia mới gồm".encode())
    try:
        code, report = archive(base, tmp_path, "-s", "PORTAL_INCREMENTAL_REFRESH=True")
    finally:
        article.body = original
    assert code == 0
    assert (report["articles_written"], report["articles_updated"]) == (1, 1)
    assert report["articles_unchanged"] == len(demo.expected_article_ids()) - 1
    lines = read_jsonl(tmp_path / "articles.jsonl")
    update = lines[-1]
    assert update["source_id"] == "1450"
    assert update["previous_content_sha256"] == before["1450"]["content_sha256"]
    assert update["content_sha256"] != before["1450"]["content_sha256"]
    assert "Mỗi liên gia mới gồm" in update["body_text"]


def test_warc_validates_and_reextraction_equals_the_live_records(portal, tmp_path):
    base, _ = portal
    archive(base, tmp_path)
    paths = warc_files(tmp_path)
    assert paths
    for path in paths:
        check = subprocess.run(
            [sys.executable, "-m", "warcio.cli", "check", str(path)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert check.returncode == 0, check.stdout + check.stderr
        types = Counter(kind for kind, _, _ in warc_records(path))
        assert types["request"] == types["response"] > 0
    live = {r["canonical_url"]: r for r in read_jsonl(tmp_path / "articles.jsonl")}
    again = {
        r.canonical_url: r.to_dict()
        for r in reextract(paths, "bentre-city")
        if not isinstance(r, Reject)
    }
    assert again == live
    assert all(r["warc_file"] and r["warc_record_id"] for r in live.values())


def test_report_numbers_match_the_output(portal, tmp_path):
    base, _ = portal
    _, report = archive(base, tmp_path)
    records = read_jsonl(tmp_path / "articles.jsonl")
    rejects = read_jsonl(tmp_path / "rejects.jsonl")
    assert report["articles_written"] == len(records)
    assert report["rejects"] == len(rejects) == sum(report["rejects_by_reason"].values())
    assert report["reject_rate"] == round(len(rejects) / (len(records) + len(rejects)), 4)
    for name in RECORD_FIELDS:
        share = sum(r[name] not in (None, "", [], {}) for r in records) / len(records)
        assert report["coverage"]["bentre-city"][name] == round(share, 4), name
    assert report["exit_code"] == 0 and report["alerts"] == []


def test_threshold_crossed_sets_the_exit_status(portal, tmp_path):
    base, _ = portal
    code, report = archive(base, tmp_path, "-s", "PORTAL_REPORT_MAX_REJECT_RATE=0.01")
    assert code == 3
    assert report["exit_code"] == 3
    assert "PORTAL_REPORT_MAX_REJECT_RATE" in report["alerts"][0]


def test_killed_run_resumed_writes_each_article_exactly_once(tmp_path):
    with running(FIXTURES_DIR, article_delay=0.15) as (base, demo):
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
        command = archive_command(base, tmp_path, "-s", "CONCURRENT_REQUESTS=2")
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        output = tmp_path / "articles.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if output.exists() and output.read_bytes().count(b"\n") >= 8:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        killed_with = output.read_bytes().count(b"\n")
        assert 8 <= killed_with < len(demo.expected_article_ids())
        code, _ = archive(base, tmp_path)
    assert code == 0
    ids = [r["source_id"] for r in read_jsonl(output)]
    assert Counter(ids).most_common(1)[0][1] == 1
    assert {int(i) for i in ids} == demo.expected_article_ids()
    for path in warc_files(tmp_path):  # every WARC file reads to its end
        assert warc_records(path)
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(ids)


def test_two_runs_at_once_leave_the_store_whole(portal, tmp_path):
    base, demo = portal
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "portal",
                "-a",
                "site=bentre-city",
                "-a",
                f"base_url={base}",
                "-o",
                str(tmp_path / f"out{i}.jsonl"),
                "-s",
                f"PORTAL_STATE_PATH={tmp_path / 'state.sqlite'}",
                # The run that fetches fewer articles may see the demo's non-article as >5%.
                "-s",
                "PORTAL_REPORT_MAX_REJECT_RATE=1",
                *[part for setting in FAST_SETTINGS for part in ("-s", setting)],
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(2)
    ]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(
            demo.expected_article_ids()
        )


def test_a_job_directory_takes_one_run_at_a_time(portal, tmp_path):
    base, _ = portal
    holder = (tmp_path / ".lock").open("w")
    import fcntl

    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        result = subprocess.run(
            archive_command(base, tmp_path), cwd=PROJECT_DIR, capture_output=True, text=True,
            env={**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}, check=False,
        )  # fmt: skip
    finally:
        holder.close()
    assert result.returncode == 2
    assert "in use by another archive run" in result.stderr + result.stdout
