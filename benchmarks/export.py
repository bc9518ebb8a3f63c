"""Export benchmark: wall time and peak memory of `portal-scraper export` in each format, on
generated archives of different sizes (memory must not grow with the archive).

Usage: python benchmarks/export.py [--records 20000,100000] [--formats parquet,csv,sqlite,jsonl]
       [--write benchmarks/RESULTS.md]

Each archive is a job directory in a temporary directory: realistic records (Vietnamese-like
text bodies of a few KB, images, attachments, the portal's footer), 5% of the articles archived
again as a changed version, spread over three sites and six years. Each export runs in its own
process; its peak RSS is that process's own (os.wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from results import markers, write_section  # noqa: E402  (benchmarks/, the script's folder)

from portal_scraper.record.model import ArticleRecord, Attachment, Image, Portal  # noqa: E402

TEXT = (
    "thành phố tỉnh huyện xã phường ủy ban nhân dân đồng khởi bến tre người dân phát triển kinh "
    "tế xã hội năm kế hoạch triển khai thực hiện công tác cán bộ đảng viên hội nghị tổ chức "
    "chương trình nông thôn mới giáo dục y tế văn hóa du lịch đầu tư hạ tầng giao thông đường "
    "cầu trường học bệnh viện hỗ trợ hộ nghèo đại đoàn kết mô hình dân vận khéo tiếp tục nâng "
    "cao chất lượng hiệu quả quản lý nhà nước lãnh đạo chỉ đạo kiểm tra giám sát"
)
SYLLABLES = TEXT.split()
SITES = ("bentre-city", "sotttt", "portal-example")
FORMATS = ("parquet", "csv", "sqlite", "jsonl")
VIETNAM = timezone(timedelta(hours=7))


def sentence(rng: random.Random) -> str:
    words = rng.choices(SYLLABLES, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))


def make_record(rng: random.Random, n: int, fetched: datetime, version: int) -> dict[str, Any]:
    site = SITES[n % len(SITES)]
    url = f"https://{site}.example.gov.vn/Lists/TinTuc/DispForm.aspx?ID={n}"
    paragraphs = [paragraph(rng) for _ in range(rng.randint(4, 10))]
    if version > 1:
        paragraphs.append(f"Cập nhật lần {version}.")
    published = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(6 * 365 * 1440))
    local = published.astimezone(VIETNAM)
    images = [
        Image(
            url=f"{url.rsplit('/', 1)[0]}/img/{n}-{i}.jpg",
            caption=sentence(rng),
            credit="Thanh Tâm",
            alt=None,
        )
        for i in range(rng.randint(0, 3))
    ]
    attachments = [Attachment(url=f"{url}&file=1.pdf", title="Kế hoạch.pdf")] if n % 7 == 0 else []
    portal = Portal(
        name=f"CỔNG THÔNG TIN ĐIỆN TỬ {site.upper()}",
        agency="Ủy ban nhân dân",
        address="Số 7A, Đại lộ Đồng Khởi",
        editor_in_chief="Nguyễn Văn A",
        editor_in_chief_title="Phó Chủ tịch",
        phones=["02753.827.114"],
        faxes=[],
        emails=["ubnd@example.gov.vn"],
        submission_emails=[],
        fields={"Điện thoại": "02753.827.114"},
    )
    record = ArticleRecord(
        schema_version="1", url=url, canonical_url=url, site=site, source_id=str(n), language="vi",
        title=sentence(rng)[:120], summary=sentence(rng), published_at=local.isoformat(),
        published_at_raw=local.strftime("Ngày %d/%m/%Y, %H:%M"), modified_at=None,
        authors=[rng.choice(["Phương Thảo", "Thanh Tâm", "Minh Đức"])], category=rng.choice(["Thông tin chung", "Kinh tế", "Văn hóa"]),
        breadcrumbs=["Trang chủ", "Thông tin chung"], body_text="\n\n".join(paragraphs),
        body_html="".join(f"<p>{p}</p>" for p in paragraphs), images=images, attachments=attachments,
        view_count=rng.randint(0, 5000), content_type="Tin Tức", portal=portal,
        fetched_at=fetched.isoformat().replace("+00:00", "Z"), content_sha256=f"{n:064x}", extractor=f"{site}/1",
        previous_content_sha256=f"{n:064x}" if version > 1 else None, warc_file=None, warc_record_id=None,
    )  # fmt: skip
    return record.to_dict()


def generate(job: Path, count: int, seed: int = 14) -> int:
    """A job directory of `count` articles, 5% of them archived again later; its size in bytes."""
    rng = random.Random(seed)
    job.mkdir(parents=True)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with (job / "articles.jsonl").open("w", encoding="utf-8") as handle:
        for n in range(count):
            handle.write(
                json.dumps(make_record(rng, n, start + timedelta(seconds=n), 1), ensure_ascii=False)
                + "\n"
            )
        for n in range(0, count, 20):
            later = start + timedelta(days=30, seconds=n)
            handle.write(json.dumps(make_record(rng, n, later, 2), ensure_ascii=False) + "\n")
    return (job / "articles.jsonl").stat().st_size


def run_export(job: Path, fmt: str, out: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, summary line) of one export in its own process."""
    command = [
        sys.executable,
        "-m",
        "portal_scraper.tools.export",
        str(job),
        "--format",
        fmt,
        "-o",
        str(out),
    ]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=PROJECT_DIR, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    stderr = process.stderr.read() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{fmt} export failed ({process.returncode}): {stderr}")
    return seconds, usage.ru_maxrss / 1024, stderr.strip().splitlines()[-1]


def measure(sizes: list[int], formats: list[str], command: str) -> str:
    lines = [
        "### Export (`portal-scraper export`, one process per export)",
        "",
        f"Made by `{command}`.",
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        "generated records of about 6 KB (body text and HTML), 5% of the articles archived twice.",
        "",
        "| articles | lines in | input MB | format | seconds | rows/s | peak RSS MB | output MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        for size in sizes:
            job = Path(tmp) / f"job-{size}"
            in_bytes = generate(job, size)
            versions = len(range(0, size, 20))
            for fmt in formats:
                out = Path(tmp) / f"out-{size}.{fmt}"
                seconds, rss, summary = run_export(job, fmt, out)
                assert f"exported {size} rows" in summary, summary
                row = (f"| {size:,} | {size + versions:,} | {in_bytes / 1e6:.0f} | {fmt} | {seconds:.1f} | "
                       f"{size / seconds:,.0f} | {rss:.0f} | {out.stat().st_size / 1e6:.0f} |")  # fmt: skip
                print(row, flush=True)
                lines.append(row)
                out.unlink()
    return "\n".join(lines)


def main() -> int:
    """Print the export table (and write it into a Markdown file between markers)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", default="20000,100000", help="archive sizes, comma-separated")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--write", type=Path, help="also write the table into this Markdown file")
    args = parser.parse_args()
    command = " ".join(["python benchmarks/export.py", *sys.argv[1:]])
    table = measure([int(n) for n in args.records.split(",")], args.formats.split(","), command)
    print(table)
    if args.write:
        start, end = markers("export")
        write_section(args.write, f"{start}\n{table}\n{end}\n", start, end)
    return 0


if __name__ == "__main__":
    sys.exit(main())
