"""Distributed mode through a real Redis (scrapy-redis): leases, reclaim of a killed worker's
requests, the shared state store, and workers crawling the demo portal together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import redis
from scrapy import Request
from scrapy.settings import Settings
from scrapy.utils.request import RequestFingerprinter

from portal_scraper.crawl.distributed import LeasedQueue, RedisScheduling
from portal_scraper.crawl.state import RedisStateStore, StateStore
from portal_scraper.tools.demo import FAST_SETTINGS, PROJECT_DIR, read_jsonl
from portal_scraper.tools.demo_portal import running


def new_job() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def server(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def queue(server: redis.Redis, job: str, worker: str) -> LeasedQueue:
    crawler = SimpleNamespace(
        request_fingerprinter=RequestFingerprinter(), settings=Settings({"REDIS_WORKER": worker})
    )
    spider = SimpleNamespace(name="portal", crawler=crawler)
    return LeasedQueue(server, spider, f"portal-scraper:{job}:requests")


def test_a_pop_is_a_lease_until_the_item_is_done(server):
    job = new_job()
    a = queue(server, job, "a")
    a.push(Request("http://127.0.0.1/listing", priority=0))
    a.push(Request("http://127.0.0.1/article", priority=10))
    taken = a.pop()
    assert taken is not None and taken.url == "http://127.0.0.1/article"  # priority first
    assert (len(a), a.in_flight()) == (1, 1)
    a.ack(Request("http://127.0.0.1/article"))  # the same request, as the item's response has it
    assert (len(a), a.in_flight()) == (1, 0)
    assert a.pop().url == "http://127.0.0.1/listing"
    assert a.pop() is None


def test_the_leases_of_a_silent_worker_go_back_to_the_queue(server):
    job = new_job()
    a, b = queue(server, job, "a"), queue(server, job, "b")
    a.beat(idle=False)
    a.push(Request("http://127.0.0.1/article", priority=10))
    assert a.pop() is not None
    assert b.reclaim(timeout=60) == 0  # a beat just now: alive, its lease stands
    assert len(b) == 0
    assert b.reclaim(timeout=0) == 1  # no beat since: gone
    assert (len(b), a.in_flight(), b.busy_peers()) == (1, 0, 0)
    again = b.pop()
    assert again is not None and again.url == "http://127.0.0.1/article"
    assert again.priority == 10


def test_a_restarted_worker_takes_back_its_own_leases(server):
    job = new_job()
    first = queue(server, job, "host:/jobs/a")
    first.push(Request("http://127.0.0.1/article"))
    first.pop()  # and then the process is killed
    restarted = queue(server, job, "host:/jobs/a")
    assert restarted.reclaim(timeout=60, own=True) == 1
    assert len(restarted) == 1


def test_idle_workers_wait_for_busy_ones_and_the_last_to_finish_resets_the_run(server):
    job = new_job()
    a, b = queue(server, job, "a"), queue(server, job, "b")
    dupefilter = f"portal-scraper:{job}:dupefilter"
    server.sadd(dupefilter, "seen")
    a.beat(idle=False)
    b.beat(idle=True)
    assert (a.busy_peers(), b.busy_peers()) == (0, 1)
    assert b.finish(dupefilter) is False  # a is still at work
    assert server.exists(dupefilter)
    assert a.finish(dupefilter) is True
    assert not server.exists(dupefilter)


def record(sha: str, fetched_at: str) -> dict[str, Any]:
    return {
        "canonical_url": "https://bentre.example/a?ID=1",
        "source_id": "1",
        "site": "bentre-city",
        "content_sha256": sha,
        "fetched_at": fetched_at,
    }


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        yield StateStore(tmp_path / "state.sqlite")
        return
    server = redis.Redis.from_url(request.getfixturevalue("redis_url"))
    yield RedisStateStore(server, f"portal-scraper:{new_job()}:state", "worker-1")


def test_both_state_stores_keep_the_same_state(store):
    url = "https://bentre.example/a?ID=1"
    assert store.get(url) is None
    assert store.remember(record("aa", "2026-01-01T00:00:00Z")) == ("new", None)
    assert store.remember(record("aa", "2026-01-02T00:00:00Z")) == ("unchanged", "aa")
    assert store.remember(record("bb", "2026-01-03T00:00:00Z")) == ("updated", "aa")
    seen = store.get(url)
    assert (seen.content_sha256, seen.first_seen, seen.last_seen) == (
        "bb", "2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z",
    )  # fmt: skip
    store.touch(url, "2026-01-04T00:00:00Z")
    assert store.get(url).last_seen == "2026-01-04T00:00:00Z"
    assert store.rejected("https://bentre.example/x") is None
    store.remember_reject("https://bentre.example/x", "extract", "not an article", "t")
    assert store.rejected("https://bentre.example/x") == "not an article"
    store.set_meta("synced-bytes:/jobs/a/articles.jsonl", "123")
    assert store.get_meta("synced-bytes:/jobs/a/articles.jsonl") == "123"
    assert store.last_report() is None
    store.save_report({"finished_at": "t1", "exit_code": 0})
    store.save_report({"finished_at": "t2", "exit_code": 3})
    assert store.last_report() == {"finished_at": "t2", "exit_code": 3}
    assert store.count() == 1
    store.close()


def scrapy_env(redis_url: str, job: str) -> dict[str, str]:
    return {
        **os.environ,
        "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings",
        "REDIS_URL": redis_url,  # the one switch of distributed mode
        "REDIS_JOB": job,
    }


# One worker may draw the portal's one bad page among few articles: no reject-rate alert here.
WORKER_SETTINGS = (
    *FAST_SETTINGS, "CONCURRENT_REQUESTS=1", "REDIS_IDLE_WAIT=3",
    "REPORT_MAX_REJECT_RATE=1", "LOG_LEVEL=DEBUG",
)  # fmt: skip


def worker(base_url: str, output: Path, redis_url: str, job: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "site=bentre-city",
        "-a", f"base_url={base_url}", "-O", str(output),
    ]  # fmt: skip
    for setting in WORKER_SETTINGS:
        command += ["-s", setting]
    return start(command, redis_url, job, output.with_suffix(".log"))


def archive_worker(base_url: str, job_dir: Path, redis_url: str, job: str) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "scrapy", "archive", "portal", "--job-dir", str(job_dir),
        "-a", "site=bentre-city", "-a", f"base_url={base_url}",
    ]  # fmt: skip
    for setting in (*WORKER_SETTINGS, "REDIS_WORKER_TIMEOUT=3"):
        command += ["-s", setting]
    return start(command, redis_url, job, job_dir.parent / f"{job_dir.name}.log")


def start(command: list[str], redis_url: str, job: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            command, cwd=PROJECT_DIR, env=scrapy_env(redis_url, job), stdout=handle, stderr=handle
        )


def wait_for_lines(path: Path, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(read_jsonl(path)) < count:
        assert time.monotonic() < deadline, f"fewer than {count} records in {path}"
        time.sleep(0.05)


@pytest.mark.e2e
def test_two_workers_share_the_crawl_and_write_each_article_once(redis_url, tmp_path):
    job = new_job()
    # Slow enough that one worker alone would take ~10 s: both take part.
    with running(article_delay=0.3) as (base, demo):
        outputs = [tmp_path / "worker1.jsonl", tmp_path / "worker2.jsonl"]
        workers = [worker(base, path, redis_url, job) for path in outputs]
        assert [w.wait(timeout=180) for w in workers] == [0, 0]
    per_worker = [read_jsonl(path) for path in outputs]
    ids = Counter(int(r["source_id"]) for records in per_worker for r in records)
    assert set(ids) == demo.expected_article_ids()
    assert max(ids.values()) == 1  # no article written by both workers
    assert all(per_worker), "both workers took part"
    # The last worker to finish reset the run: the same job can run again from the start.
    server = redis.Redis.from_url(redis_url)
    assert server.keys(f"portal-scraper:{job}:*") == []


@pytest.mark.e2e
def test_a_killed_archive_worker_loses_nothing_and_nothing_is_written_twice(redis_url, tmp_path):
    job = new_job()
    jobs = [tmp_path / "machine-a", tmp_path / "machine-b"]
    with running(article_delay=0.3) as (base, demo):
        a, b = (archive_worker(base, path, redis_url, job) for path in jobs)
        wait_for_lines(jobs[0] / "articles.jsonl", 3)
        a.send_signal(signal.SIGKILL)  # leases held by a: back to the queue after 3 s silence
        a.wait(timeout=10)
        assert b.wait(timeout=180) == 0, (tmp_path / "machine-b.log").read_text()[-3000:]
        written = [read_jsonl(path / "articles.jsonl") for path in jobs]
        ids = Counter(int(r["source_id"]) for records in written for r in records)
        assert set(ids) == demo.expected_article_ids()
        assert max(ids.values()) == 1
        # a, started again, finds the job done: the shared state knows every article.
        rerun = archive_worker(base, jobs[0], redis_url, job)
        assert rerun.wait(timeout=120) == 0, (tmp_path / "machine-a.log").read_text()[-3000:]
    assert read_jsonl(jobs[0] / "articles.jsonl") == written[0]
    server = redis.Redis.from_url(redis_url)
    assert server.hlen(f"portal-scraper:{job}:state:articles") == len(demo.expected_article_ids())
    assert server.keys(f"portal-scraper:{job}:inflight:*") == []
    assert not server.exists(f"portal-scraper:{job}:requests", f"portal-scraper:{job}:dupefilter")


def test_without_redis_url_nothing_changes() -> None:
    settings = Settings()
    environ = os.environ.pop("REDIS_URL", None)
    try:
        RedisScheduling().update_settings(settings)
    finally:
        if environ is not None:
            os.environ["REDIS_URL"] = environ
    assert settings.get("SCHEDULER") is None or "redis" not in settings.get("SCHEDULER").lower()
    settings.set("REDIS_URL", "redis://127.0.0.1:6379/0")
    RedisScheduling().update_settings(settings)
    assert settings.get("SCHEDULER") == "portal_scraper.crawl.distributed.LeasingScheduler"
    assert settings.getbool("SCHEDULER_PERSIST")
    assert settings.get("SCHEDULER_QUEUE_KEY") == "portal-scraper:%(spider)s:requests"
    assert settings.get("REDIS_WORKER")


def test_a_failed_heartbeat_is_logged_and_the_next_one_tried(caplog) -> None:
    from redis.exceptions import ConnectionError as RedisConnectionError

    from portal_scraper.crawl.distributed import LeasingScheduler

    beats = []

    class Flaky:
        def beat(self) -> None:
            beats.append(1)
            if len(beats) == 1:
                raise RedisConnectionError("Redis went away")

    scheduler = object.__new__(LeasingScheduler)
    scheduler.queue = Flaky()
    scheduler.timeout = 60.0
    scheduler.queue_beat()  # must not raise: the heartbeat loop would stop for good
    scheduler.queue_beat()
    assert len(beats) == 2
    assert "heartbeat to Redis failed (Redis went away)" in caplog.text
