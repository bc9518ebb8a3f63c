"""Crawl benchmark: the full pipeline on a generated portal of many articles in the demo portal's
markup, beside `scrapy bench` on the same machine; extraction alone; peak memory as the crawl
grows; throughput with several workers through Redis.

Usage: python benchmarks/crawl.py [--articles 10000] [--memory 1000,10000] [--workers 1,2]
       [--write benchmarks/RESULTS.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from results import markers, write_section  # noqa: E402  (benchmarks/, the script's folder)

from portal_scraper.tools.demo_portal import (  # noqa: E402
    DemoArticle,
    DemoPortal,
    _handler,
    serving,
)
from tests.support import FIXTURES_DIR, free_port  # noqa: E402

LISTING = "/Lists/TinTuc/ThongTinChung.aspx"
FIRST_ID = 100_000
PER_PAGE = 100
START, END = "<!-- crawl:start -->", "<!-- crawl:end -->"
AEB_START, AEB_END = markers("crawl-aeb")
FAST = [
    "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS=16",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16", "LOG_LEVEL=INFO", "LOGSTATS_INTERVAL=3600",
]  # fmt: skip


class BigPortal(DemoPortal):
    """The demo portal with `count` more generated articles, made when asked for."""

    def __init__(self, count: int) -> None:
        super().__init__(FIXTURES_DIR, per_page=PER_PAGE)
        self.count = count
        first = date(2018, 7, 1)
        self.big = [
            DemoArticle(FIRST_ID + n, f"Tin số {FIRST_ID + n}", first - timedelta(days=n // 20),
                        "", LISTING, b"")
            for n in range(count)
        ]  # fmt: skip

    def listing_entries(self, listing: str) -> list[DemoArticle]:
        return self.big if listing == LISTING else []

    def respond(self, target: str) -> tuple[int, dict[str, str], bytes]:
        match = re.search(r"DispForm\.aspx\?ID=(\d+)", target)
        if match and int(match.group(1)) >= FIRST_ID:
            item = self.big[int(match.group(1)) - FIRST_ID]
            _, _, body = self.generated_page(item.id, LISTING, item.listed_on)
            return 200, {"Content-Type": "text/html; charset=utf-8"}, body
        return super().respond(target)


def child_usage(
    command: list[str], env: dict[str, str] | None = None, cwd: Path = PROJECT_DIR
) -> dict[str, Any]:
    """Run a command; its wall time, CPU seconds and peak RSS (a fresh wrapper process each)."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.monotonic(); r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc': r.returncode, 'wall': time.monotonic() - t,"
        " 'cpu': u.ru_utime + u.ru_stime, 'peak_mb': u.ru_maxrss / 1024, 'log': r.stderr[-20000:]}))\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True,
                         env=env, cwd=cwd, check=True)  # fmt: skip
    return json.loads(out.stdout)


def stat(log: str, name: str) -> float:
    match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
    return float(match.group(1)) if match else 0.0


def crawl(
    base: str, out: Path, extra: list[str], env: dict[str, str] | None = None
) -> dict[str, Any]:
    command = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "site=bentre-city",
               "-a", f"base_url={base}", "-O", str(out)]  # fmt: skip
    for setting in [*FAST, *extra]:
        command += ["-s", setting]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings", **(env or {})}
    usage = child_usage(command, env)
    assert usage["rc"] == 0, usage["log"][-3000:]
    pages = stat(usage["log"], "downloader/response_count")
    elapsed = stat(usage["log"], "elapsed_time_seconds") or usage["wall"]
    usage.update(pages=pages, elapsed=elapsed, items=stat(usage["log"], "item_scraped_count"))
    return usage


def scrapy_bench(seconds: int) -> dict[str, Any]:
    """`scrapy bench` (its own local server and link-following spider), outside this project."""
    with tempfile.TemporaryDirectory() as empty:
        env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
        usage = child_usage([sys.executable, "-m", "scrapy", "bench", "-s",
                             f"CLOSESPIDER_TIMEOUT={seconds}", "-s", "LOGSTATS_INTERVAL=3600"],
                            env, cwd=Path(empty))  # fmt: skip
    pages = stat(usage["log"], "downloader/response_count")
    elapsed = stat(usage["log"], "elapsed_time_seconds") or usage["wall"]
    return {**usage, "pages": pages, "elapsed": elapsed}


def extraction_alone(portal: BigPortal, pages: int, rounds: int = 3) -> float:
    """Pages per CPU-second of extract + normalize + validate on generated article pages
    (the median of `rounds` rounds: this shared machine's speed drifts)."""
    return statistics.median(_extraction_round(portal, pages) for _ in range(rounds))


def _extraction_round(portal: BigPortal, pages: int) -> float:
    from portal_scraper.extract import get_profile
    from portal_scraper.record.model import ArticleRecord
    from portal_scraper.record.page import Page
    from portal_scraper.record.stages import process_page

    profile = get_profile("bentre-city")
    bodies = [
        portal.respond(f"/Lists/TinTuc/DispForm.aspx?ID={FIRST_ID + n}")[2] for n in range(200)
    ]
    url = "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID={}"
    started = time.process_time()
    for n in range(pages):
        record = process_page(
            Page(url.format(FIRST_ID + n % 200), bodies[n % 200], "2026-01-01T00:00:00Z"), profile
        )
        assert isinstance(record, ArticleRecord)
    return pages / (time.process_time() - started)


def aeb_handler(pages: list[bytes], copies: int) -> type:
    """Serve AEB pages as `/aeb/<n>-article-page.html`, `copies` times over, and an index."""
    from http.server import BaseHTTPRequestHandler

    total = len(pages) * copies
    index = "".join(
        f'<p><a href="/aeb/{n}-article-page.html">Article page number {n} of the set</a></p>'
        for n in range(total)
    )
    index_body = f"<html><body>{index}</body></html>".encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            match = re.fullmatch(r"/aeb/(\d+)-article-page\.html", self.path)
            if self.path == "/aeb/":
                body = index_body
            elif match and int(match.group(1)) < total:
                body = pages[int(match.group(1)) % len(pages)]
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def aeb_comparison(aeb: Path, copies: int, rounds: int = 3) -> dict[str, Any]:
    """The generic profile's full pipeline vs a plain Scrapy spider calling trafilatura.

    The two crawls alternate for `rounds` rounds (the order flips each round) and the medians
    are reported: a shared machine's speed drifts by tens of percent within minutes.
    """
    import gzip

    pages = [gzip.decompress(p.read_bytes()) for p in sorted((aeb / "html").glob("*.html.gz"))]
    runs: dict[str, list[tuple[float, float]]] = {"generic": [], "trafilatura": []}
    with serving(aeb_handler(pages, copies)) as base, tempfile.TemporaryDirectory() as tmp:
        ours = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"start_url={base}/aeb/",
                "-O", f"{tmp}/generic.jsonl"]  # fmt: skip
        theirs = [sys.executable, "-m", "scrapy", "runspider", str(PROJECT_DIR / "benchmarks" / "trafilatura_spider.py"),
                  "-a", f"start_url={base}/aeb/", "-O", f"{tmp}/trafilatura.jsonl"]  # fmt: skip
        for setting in FAST:
            ours += ["-s", setting]
            theirs += ["-s", setting]
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
        plain = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
        jobs = {"generic": (ours, env, PROJECT_DIR), "trafilatura": (theirs, plain, Path(tmp))}
        for round_ in range(rounds):
            for name in (
                ("generic", "trafilatura") if round_ % 2 == 0 else ("trafilatura", "generic")
            ):
                command, environ, cwd = jobs[name]
                run = child_usage(command, environ, cwd=cwd)
                assert run["rc"] == 0, run["log"][-2000:]
                count = stat(run["log"], "downloader/response_count")
                runs[name].append(
                    (
                        count / (stat(run["log"], "elapsed_time_seconds") or run["wall"]),
                        count / run["cpu"],
                    )
                )
                print(
                    f"round {round_ + 1} {name}: {runs[name][-1][0]:.0f} pages/s", file=sys.stderr
                )
    results: dict[str, Any] = {
        "pages": len(pages) * copies,
        "kb": sum(map(len, pages)) / len(pages) / 1024,
        "rounds": rounds,
    }
    for name, values in runs.items():
        results[name] = statistics.median(v[0] for v in values)
        results[f"{name}_range"] = (min(v[0] for v in values), max(v[0] for v in values))
        results[f"{name}_cpu"] = statistics.median(v[1] for v in values)
    results["ratio"] = statistics.median(
        g[0] / t[0] for g, t in zip(runs["generic"], runs["trafilatura"], strict=True)
    )
    return results


def redis_workers(base: str, out: Path, port: int, count: int) -> tuple[float, float, float]:
    """`count` workers crawl the portal through Redis: pages, wall seconds, CPU seconds."""
    env = {
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "PORTAL_REDIS_JOB": f"bench-{uuid.uuid4().hex[:8]}",
    }
    script = (
        "import json,sys; sys.path.insert(0, sys.argv[1]);"
        "import crawl as c; from pathlib import Path;"
        "print(json.dumps(c.crawl(sys.argv[2], Path(sys.argv[3]), ['PORTAL_REDIS_IDLE_WAIT=3'],"
        " json.loads(sys.argv[4]))))"
    )
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                script,
                str(Path(__file__).parent),
                base,
                str(out / f"w{count}-{i}.jsonl"),
                json.dumps(env),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(count)
    ]
    runs = [json.loads(p.communicate()[0]) for p in procs]
    wall = time.monotonic() - started
    return sum(r["pages"] for r in runs), wall, sum(r["cpu"] for r in runs)


FSYNC_START, FSYNC_END = markers("crawl-fsync")


def archive_run(base: str, job: Path, fsync: bool) -> dict[str, Any]:
    """One `scrapy archive` of the portal into a fresh job directory."""
    command = [sys.executable, "-m", "scrapy", "archive", "portal", "--job-dir", str(job),
               "-a", "site=bentre-city", "-a", f"base_url={base}",
               "-s", f"PORTAL_FEED_FSYNC={fsync}", "-s", "PORTAL_WARC_DIR="]  # fmt: skip
    for setting in FAST:
        command += ["-s", setting]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "portal_scraper.settings"}
    usage = child_usage(command, env)
    assert usage["rc"] == 0, usage["log"][-3000:]
    report = json.loads((job / "report.json").read_text(encoding="utf-8"))
    usage.update(pages=report["pages_fetched"], elapsed=report["duration_seconds"])
    return usage


def durability(articles: int, rounds: int, argv: list[str] | None) -> str:
    """pages/s of `scrapy archive` with each record fsynced before it counts, and without."""
    measured: dict[bool, list[float]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as tmp, serving(_handler(BigPortal(articles), 0.0)) as base:
        for round_ in range(rounds):
            for fsync in (True, False) if round_ % 2 == 0 else (False, True):
                run = archive_run(base, Path(tmp) / f"job-{round_}-{fsync}", fsync)
                measured[fsync].append(run["pages"] / run["elapsed"])
                print(f"round {round_ + 1}, fsync {fsync}: {measured[fsync][-1]:.0f} pages/s",
                      file=sys.stderr)  # fmt: skip
    on, off = statistics.median(measured[True]), statistics.median(measured[False])
    command = " ".join(argv if argv is not None else sys.argv[1:])
    return (
        f"{FSYNC_START}\n### Durable writes\n\nMade by `python benchmarks/crawl.py {command}` "
        f"({time.strftime('%Y-%m-%d')}; `scrapy archive` of {articles} generated articles, WARC off, "
        f"the two settings alternating for {rounds} rounds, medians).\n\n"
        "| `scrapy archive` | pages/s |\n|---|---|\n"
        f"| each record fsynced before it counts (`PORTAL_FEED_FSYNC=True`, the archive default) | {on:.0f} |\n"
        f"| records written unbuffered, not fsynced (`PORTAL_FEED_FSYNC=False`) | {off:.0f} |\n"
        f"| cost of fsync | {100 * (1 - on / off):.0f}% |\n{FSYNC_END}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--memory", default="1000,10000", help="portal sizes for the memory curve")
    parser.add_argument("--workers", default="1,2", help="worker counts through Redis")
    parser.add_argument(
        "--worker-rounds", type=int, default=3, help="measure each worker count this many times"
    )
    parser.add_argument("--bench-seconds", type=int, default=30)
    parser.add_argument(
        "--aeb", type=Path, help="AEB dataset folder: compare with a trafilatura spider"
    )
    parser.add_argument(
        "--aeb-copies", type=int, default=10, help="serve each AEB page this many times"
    )
    parser.add_argument(
        "--aeb-rounds", type=int, default=3, help="alternate the two AEB crawls this many times"
    )
    parser.add_argument("--only-aeb", action="store_true", help="run only the AEB comparison")
    parser.add_argument(
        "--only-durability",
        action="store_true",
        help="run only the cost of durable writes: scrapy archive with and without PORTAL_FEED_FSYNC",
    )
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    if args.only_durability:
        os.sched_setaffinity(0, {0})
        section = durability(args.articles, args.worker_rounds, argv)
        print(section)
        if args.write:
            write_section(args.write, section, FSYNC_START, FSYNC_END)
        return 0
    if args.only_aeb:
        if not args.aeb:
            parser.error("--only-aeb needs --aeb DIR")
        os.sched_setaffinity(0, {0})
        a = aeb_comparison(args.aeb, args.aeb_copies, args.aeb_rounds)
        command = " ".join(argv if argv is not None else sys.argv[1:])
        section = (
            f"{AEB_START}\n### Real-size pages\n\nMade by `python benchmarks/crawl.py {command}` "
            f"({time.strftime('%Y-%m-%d')}; the page server on one core, the crawl on the other; "
            f"the two crawls alternate for {a['rounds']} rounds, medians shown, range in brackets).\n\n"
            f"| crawl of {a['pages']} AEB pages (~{a['kb']:.0f} KB each, each served "
            f"{args.aeb_copies}×) | pages/s | pages per CPU-second |\n|---|---|---|\n"
            f"| this project, generic profile, full pipeline (extract, normalize, validate, export) "
            f"| {a['generic']:.0f} ({a['generic_range'][0]:.0f}–{a['generic_range'][1]:.0f}) | {a['generic_cpu']:.0f} |\n"
            f"| plain Scrapy spider calling trafilatura 2.3.1 "
            f"| {a['trafilatura']:.0f} ({a['trafilatura_range'][0]:.0f}–{a['trafilatura_range'][1]:.0f}) | {a['trafilatura_cpu']:.0f} |\n"
            f"| ratio (median of the rounds' ratios) | {a['ratio']:.2f}× | {a['generic_cpu'] / a['trafilatura_cpu']:.2f}× |\n{AEB_END}\n"
        )
        print(section)
        if args.write:
            write_section(args.write, section, AEB_START, AEB_END)
        return 0
    rows: list[str] = []
    results: dict[str, Any] = {}
    os.sched_setaffinity(0, {0})  # the portal server: core 0; crawls run on the other core
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        portal = BigPortal(args.articles)
        results["extraction_pages_s"] = extraction_alone(portal, 2000)
        print(f"extraction alone: {results['extraction_pages_s']:.0f} pages/s", file=sys.stderr)
        bench = scrapy_bench(args.bench_seconds)
        results["scrapy_bench"] = bench
        print(f"scrapy bench: {bench['pages'] / bench['elapsed']:.0f} pages/s", file=sys.stderr)
        with serving(_handler(portal, 0.0)) as base:
            full = crawl(base, out / "full.jsonl", [])
        results["full"] = full
        print(f"full pipeline: {full['pages'] / full['elapsed']:.0f} pages/s", file=sys.stderr)
        memory = []
        for size in [int(s) for s in args.memory.split(",") if s]:
            with serving(_handler(BigPortal(size), 0.0)) as base:
                run = crawl(base, out / f"mem{size}.jsonl", [])
            memory.append((size, run))
            print(f"memory at {size}: {run['peak_mb']:.0f} MB", file=sys.stderr)
        if args.aeb:
            results["aeb"] = aeb_comparison(args.aeb, args.aeb_copies, args.aeb_rounds)
            print(f"AEB pages: {results['aeb']}", file=sys.stderr)
        redis_rows = []
        redis = shutil.which("redis-server")
        if redis and args.workers:
            port = free_port()
            server = subprocess.Popen([redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                       "--appendonly", "no"], stdout=subprocess.DEVNULL)  # fmt: skip
            time.sleep(0.5)
            try:
                counts = [int(w) for w in args.workers.split(",") if w]
                measured: dict[int, list[tuple[float, float, float]]] = {n: [] for n in counts}
                with serving(_handler(portal, 0.0)) as base:
                    # Rounds with the order flipped each time: the machine's speed drifts.
                    for round_ in range(args.worker_rounds):
                        for count in counts if round_ % 2 == 0 else counts[::-1]:
                            measured[count].append(redis_workers(base, out, port, count))
                            pages, wall, cpu = measured[count][-1]
                            print(f"round {round_ + 1}, {count} workers: {pages / wall:.0f} pages/s, "
                                  f"{pages / cpu:.0f} per CPU-second", file=sys.stderr)  # fmt: skip
                for count in counts:
                    runs = measured[count]
                    redis_rows.append((
                        count,
                        statistics.median(p / w for p, w, _ in runs),
                        statistics.median(p / c for p, _, c in runs),
                    ))  # fmt: skip
            finally:
                server.terminate()
                server.wait()
    single_per_cpu = redis_rows[0][2] if redis_rows else 0.0
    rows += [
        START,
        "## Crawl benchmark",
        "",
        f"Made by `python benchmarks/crawl.py {' '.join(argv if argv is not None else sys.argv[1:])}`."
        f" Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores:"
        " the portal server on one core, the crawl on the other.",
        "",
        "| measurement | result |",
        "|---|---|",
        f"| extraction alone (extract + normalize + validate, one core; median of 3 rounds) | {results['extraction_pages_s']:.0f} pages/s |",
        f"| `scrapy bench` | {bench['pages'] / bench['elapsed']:.0f} pages/s ({bench['pages']:.0f} pages) |",
        f"| full pipeline, {args.articles} articles, one process | {full['pages'] / full['elapsed']:.0f} pages/s ({full['items']:.0f} records), "
        f"{100 * (full['pages'] / full['elapsed']) / (bench['pages'] / bench['elapsed']):.0f}% of `scrapy bench` |",
    ]
    for size, run in memory:
        rows.append(
            f"| peak RSS, crawl of {size} articles ({run['pages']:.0f} URLs fetched) | {run['peak_mb']:.0f} MB |"
        )
    if "aeb" in results:
        a = results["aeb"]
        rows.append(
            f"| real-size pages: {a['pages']} AEB pages (~{a['kb']:.0f} KB each) served locally | "
            f"generic profile, full pipeline: {a['generic']:.0f} pages/s; plain Scrapy spider calling "
            f"trafilatura: {a['trafilatura']:.0f} pages/s ({a['ratio']:.2f}×, median of {a['rounds']} rounds) |"
        )
    for count, per_wall, per_cpu in redis_rows:
        rows.append(
            f"| {count} worker(s) through Redis, median of {args.worker_rounds} rounds | {per_wall:.0f} pages/s wall, {per_cpu:.0f} pages per worker CPU-second"
            f" ({100 * per_cpu / single_per_cpu:.0f}% of one worker's) |"
        )
    rows.append(END)
    report = "\n".join(rows) + "\n"
    print(report)
    if args.write:
        write_section(args.write, report, START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
