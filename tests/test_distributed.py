"""Two workers crawl one portal through a real Redis (scrapy-redis): each article written once."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest

from portal_scraper.tools.demo import FAST_SETTINGS, PROJECT_DIR, read_jsonl
from portal_scraper.tools.demo_portal import running

pytestmark = pytest.mark.e2e


def worker(base_url: str, output: Path, redis_url: str, job: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "site=bentre-city",
        "-a", f"base_url={base_url}", "-O", str(output),
    ]  # fmt: skip
    for setting in [*FAST_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN=1", "REDIS_IDLE_WAIT=6"]:
        command += ["-s", setting]
    env = {
        **os.environ,
        "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings",
        "REDIS_URL": redis_url,  # the one switch of distributed mode
        "REDIS_JOB": job,
    }
    return subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def test_two_workers_share_the_crawl_and_write_each_article_once(redis_url, tmp_path):
    job = f"test-{uuid.uuid4().hex[:8]}"
    # Slow enough that one worker alone would take ~10 s: the second joins at a heartbeat (5 s).
    with running(article_delay=0.3) as (base, demo):
        outputs = [tmp_path / "worker1.jsonl", tmp_path / "worker2.jsonl"]
        workers = [worker(base, path, redis_url, job) for path in outputs]
        assert [w.wait(timeout=180) for w in workers] == [0, 0]
    per_worker = [read_jsonl(path) for path in outputs]
    ids = Counter(int(r["source_id"]) for records in per_worker for r in records)
    assert set(ids) == demo.expected_article_ids()
    assert max(ids.values()) == 1  # no article written by both workers
    assert all(per_worker), "both workers took part"


def test_without_redis_url_nothing_changes() -> None:
    from scrapy.settings import Settings

    from portal_scraper.crawl.distributed import RedisScheduling

    settings = Settings()
    environ = os.environ.pop("REDIS_URL", None)
    try:
        RedisScheduling().update_settings(settings)
    finally:
        if environ is not None:
            os.environ["REDIS_URL"] = environ
    assert settings.get("SCHEDULER") != "scrapy_redis.scheduler.Scheduler"
    settings.set("REDIS_URL", "redis://127.0.0.1:6379/0")
    RedisScheduling().update_settings(settings)
    assert settings.get("SCHEDULER") == "scrapy_redis.scheduler.Scheduler"
    assert settings.getbool("SCHEDULER_PERSIST")
    assert settings.get("SCHEDULER_QUEUE_KEY") == "portal-scraper:%(spider)s:requests"
