"""Extraction benchmark: this project's generic profile beside trafilatura, readability-lxml and
newspaper4k, on labelled pages made by others, all measured in one run on the same pages.

Usage: python benchmarks/extraction.py --data ../shared/data [--datasets aeb,fundus]
       [--extractors generic,trafilatura] [--limit N] [--write benchmarks/RESULTS.md]

Each extractor runs in its own worker process, one after the other, on one core, in `--rounds`
interleaved rounds whose median CPU time gives the speed; the pages are decoded once beforehand. The other extractors get that text; the generic profile gets it as UTF-8
bytes and runs `process_page`, the crawl's own stages (charset check, extraction, the record,
the schema check), so its timing covers what a crawl does per page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXTRACTORS = ("generic", "trafilatura", "trafilatura-precision", "readability-lxml", "newspaper4k")
DATASETS = ("aeb", "trafilatura-eval", "fundus")
TOKEN = re.compile(r"\w+")
NOTES_MARKER = "<!-- notes: kept when the tables above are rewritten -->"


@dataclass
class Sample:
    """One labelled page."""

    id: str
    url: str
    html: str
    body: str | None = None
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    title: str | None = None
    date: str | None = None
    authors: list[str] | None = None
    captions: list[str] = field(default_factory=list)
    lead_in_body: bool = False


@dataclass
class Output:
    """What an extractor gave for one page."""

    body: str = ""
    lead: str = ""  # the summary apart from the body, where the extractor separates one
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD as the page writes it
    authors: list[str] | None = field(default_factory=list)  # None: not reported at all
    captions: list[str] | None = None  # None: the extractor does not report captions


# ---------------------------------------------------------------- datasets


def _decode(raw: bytes) -> str:
    from portal_scraper.extract.page import decode_html

    return decode_html(raw)[0]


def load_aeb(root: Path) -> list[Sample]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    samples = []
    for page_id, label in sorted(truth.items()):
        raw = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
        samples.append(
            Sample(page_id, label["url"], raw.decode("utf-8"), body=label["articleBody"])
        )
    return samples


def load_trafilatura_eval(root: Path) -> list[Sample]:
    data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    samples = []
    for url, label in sorted(data.items()):
        path = root / "eval" / f"{label['file']}.gz"
        if not path.exists():
            path = root / "cache" / f"{label['file']}.gz"
        if not path.exists():
            continue
        author = label.get("author")
        if isinstance(author, list):
            author = "; ".join(str(a) for a in author)
        samples.append(
            Sample(
                label["file"],
                url,
                _decode(gzip.decompress(path.read_bytes())),
                with_snippets=label.get("with") or [],
                without_snippets=label.get("without") or [],
                title=label.get("title") or None,
                date=(label.get("date") or "")[:10] or None,
                authors=[a for a in re.split(r"\s*;\s*", author) if a] if author else None,
                # Its snippets are the page's article text, standfirst included.
                lead_in_body=True,
            )
        )
    return samples


def load_fundus(root: Path) -> list[Sample]:
    samples = []
    for country in sorted((root / "test_data").iterdir()):
        if not country.is_dir():
            continue
        meta = json.loads((country / "meta.info").read_text(encoding="utf-8"))
        by_publisher: dict[str, list[str]] = {}
        for name in sorted(meta):
            by_publisher.setdefault(name.rsplit("_", 3)[0], []).append(name)
        for publisher, files in by_publisher.items():
            labels_path = country / f"{publisher}.json"
            if not labels_path.exists():
                continue
            versions = list(json.loads(labels_path.read_text(encoding="utf-8")).values())
            for name, label in zip(files, versions, strict=False):
                if not (country / name).exists():
                    continue  # listed in meta.info but not shipped
                body = label.get("body") or {}
                parts = list(body.get("summary") or [])
                for section in body.get("sections") or []:
                    parts += list(section.get("headline") or []) + list(
                        section.get("paragraphs") or []
                    )
                captions = [i.get("caption") for i in label.get("images") or [] if i.get("caption")]
                date = label.get("publishing_date")
                samples.append(
                    Sample(
                        f"{country.name}/{name}",
                        meta[name]["url"],
                        _decode(gzip.decompress((country / name).read_bytes())),
                        body="\n\n".join(parts) if parts else None,
                        title=label.get("title"),
                        date=date[:10] if isinstance(date, str) else None,
                        authors=label.get("authors") if "authors" in label else None,
                        captions=captions,
                        lead_in_body=True,
                    )
                )
    return samples


LOADERS: dict[str, Callable[[Path], list[Sample]]] = {
    "aeb": load_aeb,
    "trafilatura-eval": load_trafilatura_eval,
    "fundus": load_fundus,
}

# ---------------------------------------------------------------- extractors


def _generic() -> Callable[[Sample], Output]:
    # Imported before timing, as the other extractors' modules are: the profile imports its
    # second date search (htmldate, with dateparser) on the first page that needs it.
    import htmldate  # noqa: F401

    from portal_scraper.extract import GENERIC
    from portal_scraper.record.model import Reject
    from portal_scraper.record.page import Page
    from portal_scraper.record.stages import process_page

    headers = {"Content-Type": "text/html; charset=utf-8"}  # the samples are decoded text
    NO_URL = "http://unknown.invalid/"

    def run(sample: Sample) -> Output:
        # The same stages the crawl, the command line and the WARC re-extractor run.
        # Some labelled pages have a file name for a URL; a record needs an http(s) one.
        url = sample.url if sample.url.startswith(("http://", "https://")) else NO_URL + sample.url
        page = Page(url, sample.html.encode("utf-8"), "2000-01-01T00:00:00Z", 200, headers)
        record = process_page(page, GENERIC)
        if isinstance(record, Reject):
            return Output()
        captions = [" ".join(filter(None, (i.caption, i.credit))) for i in record.images]
        return Output(
            body=record.body_text,
            lead=record.summary or "",
            title=record.title,
            date=(record.published_at or "")[:10] or None,
            authors=record.authors,
            captions=[c for c in captions if c],
        )

    return run


def _trafilatura(precision: bool) -> Callable[[Sample], Output]:
    import trafilatura

    def run(sample: Sample) -> Output:
        doc = trafilatura.bare_extraction(
            sample.html,
            url=sample.url,
            with_metadata=True,
            include_comments=False,
            favor_precision=precision,
        )
        if doc is None:
            return Output()
        author = getattr(doc, "author", None)
        return Output(
            body=getattr(doc, "text", None) or "",
            title=getattr(doc, "title", None),
            date=(getattr(doc, "date", None) or "")[:10] or None,
            authors=[a for a in re.split(r"\s*;\s*", author) if a] if author else [],
        )

    return run


def _readability() -> Callable[[Sample], Output]:
    from lxml import html as lxml_html
    from readability import Document

    def run(sample: Sample) -> Output:
        doc = Document(sample.html)
        summary = doc.summary(html_partial=True)
        text = lxml_html.fromstring(summary).text_content() if summary.strip() else ""
        return Output(body=text, title=doc.short_title(), authors=None)  # no date or author

    return run


def _newspaper() -> Callable[[Sample], Output]:
    import newspaper

    def run(sample: Sample) -> Output:
        article = newspaper.Article(sample.url, fetch_images=False)
        article.download(input_html=sample.html)
        article.parse()
        date = article.publish_date.date().isoformat() if article.publish_date else None
        return Output(body=article.text, title=article.title, date=date, authors=article.authors)

    return run


FACTORIES: dict[str, Callable[[], Callable[[Sample], Output]]] = {
    "generic": _generic,
    "trafilatura": lambda: _trafilatura(False),
    "trafilatura-precision": lambda: _trafilatura(True),
    "readability-lxml": _readability,
    "newspaper4k": _newspaper,
}


def _version(name: str) -> str:
    import importlib.metadata as md

    package = {
        "generic": "portal-scraper",
        "trafilatura": "trafilatura",
        "trafilatura-precision": "trafilatura",
        "readability-lxml": "readability-lxml",
        "newspaper4k": "newspaper4k",
    }[name]
    try:
        return md.version(package)
    except md.PackageNotFoundError:
        return "?"


def _status_kb(field: str) -> int:
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forking parent.
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def worker(extractor: str, pages_file: str, out_file: str) -> None:
    """Run one extractor over the pickled samples; write outputs, CPU time and memory.

    Pages are read one at a time, as a crawl sees them, so the peak RSS is the extractor's
    (plus the interpreter's), not the dataset's.
    """
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    warnings.simplefilter("ignore")  # competitors' deprecation noise is not a result
    run = FACTORIES[extractor]()
    outputs, errors, cpu = [], 0, 0.0
    before = 0
    with open(pages_file, "rb") as handle:
        while True:
            try:
                sample: Sample = pickle.load(handle)
            except EOFError:
                break
            if not outputs:
                run(sample)  # imports and caches warm, as in a long crawl
                before = _status_kb("VmRSS")
            started = time.process_time()
            try:
                outputs.append(run(sample))
            except Exception:  # an extractor crash scores as an empty result
                errors += 1
                outputs.append(Output(authors=None))
            cpu += time.process_time() - started
    peak = _status_kb("VmHWM")
    Path(out_file).write_bytes(
        pickle.dumps(
            {
                "outputs": outputs,
                "cpu": cpu,
                "peak_kb": peak,
                "growth_kb": peak - before,
                "errors": errors,
                "version": _version(extractor),
            }
        )
    )


# ---------------------------------------------------------------- metrics


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def shingles(text: str, size: int = 4) -> set[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    return {
        tuple(tokens[i : i + size]) for i in range(max(len(tokens) - size + 1, 1 if tokens else 0))
    }


def body_prf(pred: str, truth: str) -> tuple[float, float, float, bool]:
    p, t = shingles(pred), shingles(truth)
    if not p and not t:
        return 1.0, 1.0, 1.0, True
    tp = len(p & t)
    precision = tp / len(p) if p else 0.0
    recall = tp / len(t) if t else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, TOKEN.findall(pred or "") == TOKEN.findall(truth or "")


def author_f1(pred: list[str], truth: list[str]) -> float:
    p = {t.lower() for a in pred for t in TOKEN.findall(a)}
    t = {x.lower() for a in truth for x in TOKEN.findall(a)}
    if not p and not t:
        return 1.0
    tp = len(p & t)
    if not tp:
        return 0.0
    precision, recall = tp / len(p), tp / len(t)
    return 2 * precision * recall / (precision + recall)


def _text(sample: Sample, output: Output) -> str:
    """The article text scored: the body, with the lead before it where the set labels it so."""
    if sample.lead_in_body:
        return "\n\n".join(filter(None, (output.lead, output.body)))
    return output.body


def score(samples: list[Sample], outputs: list[Output]) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    pairs = list(zip(samples, outputs, strict=True))
    # Fundus labels the lead as part of the body; the AEB's articleBody leaves it out.
    bodies = [(_text(s, o), s.body) for s, o in pairs if s.body is not None]
    if bodies:
        results = [body_prf(p, t) for p, t in bodies]
        n = len(results)
        metrics["body_p"] = sum(r[0] for r in results) / n
        metrics["body_r"] = sum(r[1] for r in results) / n
        metrics["body_f1"] = sum(r[2] for r in results) / n
        metrics["body_exact"] = sum(r[3] for r in results) / n
    snippets = [(s, o) for s, o in pairs if s.with_snippets or s.without_snippets]
    if snippets:
        tp = fn = fp = tn = 0
        for s, o in snippets:
            text = _norm(_text(s, o))
            for snippet in s.with_snippets:
                if _norm(snippet) in text:
                    tp += 1
                else:
                    fn += 1
            for snippet in s.without_snippets:
                if _norm(snippet) in text:
                    fp += 1
                else:
                    tn += 1
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        metrics["snip_p"], metrics["snip_r"] = precision, recall
        metrics["snip_f1"] = (
            2 * precision * recall / (precision + recall) if precision + recall else 0.0
        )
        metrics["snip_acc"] = (tp + tn) / (tp + tn + fp + fn)
    titled = [(s, o) for s, o in pairs if s.title]
    if titled:
        metrics["title"] = sum(_norm(o.title) == _norm(s.title) for s, o in titled) / len(titled)
        metrics["title_n"] = len(titled)
    dated = [(s, o) for s, o in pairs if s.date]
    if dated and not all(o.date is None for _, o in dated):
        metrics["date"] = sum(o.date == s.date for s, o in dated) / len(dated)
        metrics["date_n"] = len(dated)
    authored = [(s, o) for s, o in pairs if s.authors is not None]
    if authored and not all(o.authors is None for _, o in authored):
        metrics["author"] = sum(
            author_f1(o.authors or [], s.authors or []) for s, o in authored
        ) / len(authored)
        metrics["author_n"] = len(authored)
    captioned = [(s, o) for s, o in pairs if s.captions]
    if captioned and all(o.captions is not None for _, o in captioned):
        found = total = 0
        for s, o in captioned:
            ours = [_norm(c).casefold() for c in o.captions or []]
            for caption in s.captions:
                total += 1
                want = _norm(caption).casefold()
                found += any(
                    want in c or (c and c in want and len(c) > 0.6 * len(want)) for c in ours
                )
        metrics["caption_r"] = found / total
        metrics["caption_n"] = total
    return metrics


# ---------------------------------------------------------------- report

COLUMNS = [
    ("body_f1", "body F1"), ("body_p", "P"), ("body_r", "R"), ("body_exact", "exact"),
    ("snip_f1", "snippet F1"), ("snip_p", "P"), ("snip_r", "R"),
    ("title", "title exact"), ("date", "date (day)"), ("author", "author F1"),
    ("caption_r", "caption recall"), ("pages_s", "pages/s (1 core)"),
    ("mem", "peak RSS MB (+growth)"),
]  # fmt: skip


def _row(samples: list[Sample], result: dict[str, Any]) -> dict[str, Any]:
    """One extractor's scores, version and memory, from its worker's result."""
    row = score(samples, result["outputs"])
    row["version"] = result["version"]
    row["mem"] = f"{result['peak_kb'] / 1024:.0f} (+{result['growth_kb'] / 1024:.0f})"
    if result["errors"]:
        row["version"] += f", {result['errors']} crashes"
    return row


def table(dataset: str, n: int, rows: dict[str, dict[str, Any]]) -> str:
    present = [(k, label) for k, label in COLUMNS if any(k in r for r in rows.values())]
    lines = [
        f"### {dataset} ({n} pages)",
        "",
        "| extractor | version | " + " | ".join(label for _, label in present) + " |",
        "|---|---|" + "---|" * len(present),
    ]
    for name, row in rows.items():
        cells = []
        for key, _ in present:
            value = row.get(key)
            if value is None:
                cells.append("n/a")
            elif isinstance(value, str):
                cells.append(value)
            else:
                cells.append(f"{value:.3f}" if key not in ("pages_s",) else f"{value:.0f}")
        lines.append(f"| {name} | {row['version']} | " + " | ".join(cells) + " |")
    labelled = {
        k: rows[next(iter(rows))].get(f"{k}_n") for k in ("title", "date", "author", "caption")
    }
    notes = ", ".join(f"{k} labelled on {v}" for k, v in labelled.items() if v)
    return "\n".join(lines) + (f"\n\n{notes}." if notes else "") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="datasets folder")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--extractors", default=",".join(EXTRACTORS))
    parser.add_argument(
        "--limit", type=int, default=0, help="first N pages of each dataset (0: all)"
    )
    parser.add_argument("--write", type=Path, help="also write the tables to this Markdown file")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="timing rounds, the extractors interleaved; pages/s is the median round (default 3)",
    )
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    datasets = [d for d in args.datasets.split(",") if d]
    extractors = [e for e in args.extractors.split(",") if e]
    for name in datasets:
        if name not in LOADERS:
            parser.error(f"unknown dataset {name!r}; known: {', '.join(LOADERS)}")
        if not (args.data / name).is_dir():
            parser.error(f"no dataset folder {args.data / name}")
    for name in extractors:
        if name not in FACTORIES:
            parser.error(f"unknown extractor {name!r}; known: {', '.join(FACTORIES)}")
    sections = []
    with tempfile.TemporaryDirectory() as tmp:
        for dataset in datasets:
            started = time.time()
            samples = LOADERS[dataset](args.data / dataset)
            if args.limit:
                samples = samples[: args.limit]
            pages = Path(tmp) / f"{dataset}.pages"
            with pages.open("wb") as handle:
                for sample in samples:
                    pickle.dump(sample, handle)
            print(
                f"{dataset}: {len(samples)} pages loaded in {time.time() - started:.0f}s",
                file=sys.stderr,
            )
            rows: dict[str, dict[str, Any]] = {}
            cpu: dict[str, list[float]] = {extractor: [] for extractor in extractors}
            # Rounds interleave the extractors, so that a slow spell of a shared machine slows
            # each of them in some round; the median round is the figure.
            for round_number in range(args.rounds):
                for extractor in extractors:
                    out = Path(tmp) / f"{dataset}.{extractor}.out"
                    subprocess.run(
                        [sys.executable, __file__, "--worker", extractor, str(pages), str(out)],
                        check=True,
                    )
                    result = pickle.loads(out.read_bytes())
                    cpu[extractor].append(result["cpu"])
                    if round_number == 0:  # the outputs are the same in every round
                        rows[extractor] = _row(samples, result)
                    rate = len(samples) / result["cpu"] if result["cpu"] else 0.0
                    print(
                        f"  {extractor}: round {round_number + 1} ({rate:.0f} pages/s)",
                        file=sys.stderr,
                    )
            for extractor, seconds in cpu.items():
                middle = statistics.median(seconds)
                rows[extractor]["pages_s"] = len(samples) / middle if middle else 0.0
            sections.append(table(dataset, len(samples), rows))
            print(sections[-1], flush=True)
    header = (
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; "
        "each extractor in its own process pinned to one core; pages/s is the median of "
        f"{args.rounds} interleaved rounds.\n"
    )
    command = "bash benchmarks/run.sh " + " ".join(argv if argv is not None else sys.argv[1:])
    report = f"# Extraction benchmark\n\nMade by `{command.strip()}`.\n{header}\n" + "\n".join(
        sections
    )
    if args.write:
        # Hand-written notes below the marker survive a rerun.
        old = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        notes = old[old.index(NOTES_MARKER) :] if NOTES_MARKER in old else f"{NOTES_MARKER}\n"
        args.write.write_text(f"{report}\n{notes}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
