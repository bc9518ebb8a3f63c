"""Deploy the project to a real Scrapyd on 127.0.0.1, schedule a crawl of the demo portal, read it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

from portal_scraper.tools.demo import read_jsonl
from portal_scraper.tools.demo_portal import DemoPortal, running
from tests.support import FIXTURES_DIR, PROJECT_DIR, free_port

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent


def call(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urlencode(data).encode() if data is not None else None
    with urlopen(f"{base}{endpoint}", data=body, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    (tmp_path / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {tmp_path / 'eggs'}\nlogs_dir = {tmp_path / 'logs'}\n"
        f"items_dir = {tmp_path / 'items'}\ndbs_dir = {tmp_path / 'dbs'}\n"
        "poll_interval = 0.5\nmax_proc = 1\n",
        encoding="utf-8",
    )
    server = subprocess.Popen(
        [str(BIN / "scrapyd")], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                call(base, "daemonstatus.json")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base, tmp_path
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_deploy_schedule_and_read_the_output(scrapyd, tmp_path: Path) -> None:
    base, root = scrapyd
    deploy = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "env", "-p", "portal_scraper"],
        cwd=PROJECT_DIR, env={**os.environ, "SCRAPYD_URL": base},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    assert call(base, "listspiders.json?project=portal_scraper")["spiders"] == ["portal"]
    portal: DemoPortal
    with running(FIXTURES_DIR) as (portal_url, portal):
        job = call(
            base,
            "schedule.json",
            [
                ("project", "portal_scraper"),
                ("spider", "portal"),
                ("site", "bentre-city"),
                ("base_url", portal_url),
                ("setting", "DOWNLOAD_DELAY=0"),
                ("setting", "AUTOTHROTTLE_ENABLED=False"),
            ],
        )["jobid"]
        deadline = time.monotonic() + 120
        while not any(
            j["id"] == job for j in call(base, "listjobs.json?project=portal_scraper")["finished"]
        ):
            assert time.monotonic() < deadline, "the Scrapyd job did not finish"
            time.sleep(0.5)
    items = next((root / "items").rglob(f"{job}.jl"))
    records = read_jsonl(items)
    assert {int(r["source_id"]) for r in records} == portal.expected_article_ids()
    rejects = read_jsonl(items.with_name(f"{job}.rejects.jl"))
    assert [r["stage"] for r in rejects] == ["extract"]
