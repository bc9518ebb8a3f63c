"""A crawl of the demo portal through injected faults: every article the server can eventually
serve is written once and valid; every other URL is accounted for; the report says what was
retried, recovered and given up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal_scraper.record.schema import validate_record
from portal_scraper.tools.demo import FAST_SETTINGS, read_jsonl
from tests.support import PROJECT_DIR
from tests.support.fault_portal import Fault, running

pytestmark = pytest.mark.e2e
ARTICLE = "/Lists/TinTuc/DispForm.aspx?ID={}"
# Served in the end (after retries, or despite a lying charset).
RECOVERING = {
    1400: Fault("503", times=2),
    1401: Fault("503-retry-after", times=1),
    1402: Fault("429-retry-after", times=1),
    1406: Fault("reset", times=1),
    1407: Fault("slow", times=1, seconds=4),
    1408: Fault("truncated", times=1),
    1413: Fault("utf8-declared-1258"),
    1414: Fault("1258-declared-utf8"),
}
# Never served as an article: each must end up in the rejects.
LOST = {
    1403: Fault("500"),
    1404: Fault("404"),
    1405: Fault("410"),
    1409: Fault("redirect-loop"),
    1410: Fault("redirect-offsite"),
    1411: Fault("gzip-bomb"),
    1412: Fault("huge"),
    1415: Fault("binary"),
    1416: Fault("login"),
}


def test_crawl_through_faults(tmp_path: Path) -> None:
    faults = {ARTICLE.format(i): f for i, f in {**RECOVERING, **LOST}.items()}
    with running(faults) as (base, faulty):
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
        command = [
            sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "site=bentre-city",
            "-a", f"base_url={base}", "-O", str(tmp_path / "articles.jsonl"),
            "-s", f"PORTAL_REPORT_PATH={tmp_path / 'report.json'}",
            "-s", "DOWNLOAD_TIMEOUT=2", "-s", "PORTAL_RETRY_BACKOFF_BASE=0.1",
            "-s", "PORTAL_REPORT_MAX_REJECT_RATE=0.5",
        ]  # fmt: skip
        for setting in FAST_SETTINGS:
            command += ["-s", setting]
        result = subprocess.run(
            command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300,
            check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        served = dict(faulty.served)
    records = read_jsonl(tmp_path / "articles.jsonl")
    rejects = read_jsonl(tmp_path / "articles.rejects.jsonl")
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    demo_ids = {1399, *range(1400, 1417), *range(1441, 1453), *range(1460, 1465), 1439}
    expected = (demo_ids - {1399}) - set(LOST)
    ids = [int(r["source_id"]) for r in records]
    assert sorted(ids) == sorted(expected)  # each servable article exactly once
    for record in records:
        assert validate_record(record) == [], record["url"]
    by_id = {int(r["source_id"]): r for r in records}
    for charset_fault in (1413, 1414):
        assert "Tin hoạt động số" in by_id[charset_fault]["title"]
        assert "\ufffd" not in by_id[charset_fault]["body_text"]
    rejected = {int(r["url"].split("ID=")[1].split("&")[0]) for r in rejects if "ID=" in r["url"]}
    assert rejected == {*LOST, 1399}
    assert all(r["reason"] for r in rejects)
    assert set(served) == {f.kind for f in [*RECOVERING.values(), *LOST.values()]}
    retries = report["retries"]
    assert retries["recovered"]  # 503, 429, resets, timeouts, cut bodies came back
    assert "500" in retries["gave_up"]
    assert report["encoding_conflicts"] >= 2
    assert report["rejects"] == len(rejects)
    # Every URL is accounted for, and the ledger agrees with the files.
    ledger = report["ledger"]
    assert ledger["unaccounted"] == 0 and ledger["unfinished"] == 0
    assert ledger["discovered"] == ledger["written"] + ledger["rejected"] + ledger["skipped"]
    assert (ledger["written"], ledger["rejected"]) == (len(records), len(rejects))
