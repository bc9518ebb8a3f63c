"""One export: read the job directories twice, write the chosen records and the card."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portal_scraper.dataset.archive import (
    KEPT,
    OTHER_SITE,
    OUT_OF_RANGE,
    UNDATED,
    Filters,
    chosen_records,
    records_files,
    scan,
)
from portal_scraper.dataset.card import CardFacts, Stats, card_path, render
from portal_scraper.dataset.columns import VERSION, arrow_schema, flat_columns
from portal_scraper.dataset.formats import write_csv, write_jsonl, write_parquet
from portal_scraper.dataset.output import Staged
from portal_scraper.dataset.sqlite import (
    INTEGER_COLUMNS,
    datasette_metadata,
    write_metadata,
    write_sqlite,
)
from portal_scraper.record.model import RECORD_FIELDS

FORMATS = ("parquet", "csv", "sqlite", "jsonl")
LEFT_OUT_NAMES = {
    OTHER_SITE: "another site than --site",
    OUT_OF_RANGE: "published_at outside --since/--until",
    UNDATED: "no published_at (or no offset) under a date filter",
}


class OutputExists(Exception):
    """An output file that exists already, and no --force."""


class NoOutputDirectory(Exception):
    """The output's directory does not exist."""


class OutputInJob(Exception):
    """An output inside a job directory being read: --force would replace the archive."""


class UnknownSites(Exception):
    """A --site that no record of the archive has (a typo, the wrong case): nothing written."""


@dataclass
class ExportRequest:
    """What to export, and where."""

    job_dirs: list[Path]
    format: str
    output: Path
    filters: Filters = field(default_factory=Filters)
    all_versions: bool = False
    row_group_size: int = 5000
    force: bool = False
    command: str = ""
    progress: bool = False
    now: datetime | None = None


@dataclass
class ExportResult:
    """What an export wrote and skipped."""

    rows: int
    versions_replaced: int
    damaged: int
    left_out: dict[str, int]
    paths: list[Path]
    # With --all-versions: a row per version, and how many articles they are (else None).
    articles: int | None = None

    def summary(self) -> str:
        """The one line printed at the end."""
        left = sum(self.left_out.values())
        if self.articles is None:
            rows = f"{self.rows} rows to {self.paths[0]} ({self.versions_replaced} older versions "
            rows += "replaced, "
        else:  # every version kept: none replaced
            rows = f"{self.rows} rows ({self.rows} versions of {self.articles} articles) to "
            rows += f"{self.paths[0]} ("
        return f"exported {rows}{left} left out by filters, {self.damaged} damaged lines skipped)"


def metadata_path(export: Path) -> Path:
    """Where a SQLite export's Datasette metadata goes: `NAME.metadata.json` beside it."""
    return export.with_name(export.name + ".metadata.json")


def _bar(total: int, desc: str, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit="B",
        unit_scale=True,
        file=sys.stderr,
        disable=not enabled,
        leave=False,
    )


def _columns(request: ExportRequest) -> list[tuple[str, str]]:
    if request.format == "parquet":
        return [(f.name, str(f.type)) for f in arrow_schema(request.all_versions)]
    if request.format == "jsonl":
        versions = [VERSION] if request.all_versions else []
        return [(name, "JSON") for name in [*RECORD_FIELDS, *versions]]
    if request.format == "sqlite":
        return [
            (c, "INTEGER" if c in INTEGER_COLUMNS else "TEXT")
            for c in flat_columns(request.all_versions)
        ]
    return [(c, "text") for c in flat_columns(request.all_versions)]


def export(request: ExportRequest) -> ExportResult:
    """Write the export, its card (and Datasette metadata); ArchiveError, OutputExists, OSError."""
    files = records_files(request.job_dirs)
    targets = [request.output, card_path(request.output)]
    if request.format == "sqlite":
        targets.append(metadata_path(request.output))
    jobs = {job.resolve() for job in request.job_dirs}
    inside = [str(t) for t in targets if t.resolve().parent in jobs]
    if inside:
        # --force there would replace the archive it reads, or the job's state store.
        raise OutputInJob(f"{', '.join(inside)}: inside a job directory being exported")
    if not request.output.parent.is_dir():
        raise NoOutputDirectory(f"{request.output.parent}: no such directory")
    existing = [str(p) for p in targets if p.exists()]
    if existing and not request.force:
        raise OutputExists(", ".join(existing))
    total = sum(p.stat().st_size for p in files)
    with _bar(total, "reading", request.progress) as bar:
        found = scan(files, request.filters, request.all_versions, bar)
    unknown = sorted(request.filters.sites - found.sites)
    if unknown:
        held = ", ".join(sorted(found.sites)) or "none (no record)"
        raise UnknownSites(
            f"--site {', '.join(unknown)}: no such site in the archive (site ids are exact, "
            f"case included); its sites: {held}"
        )
    stats = Stats()
    with Staged() as staged, _bar(total, "writing", request.progress) as bar:
        temps = [staged.temp_for(t) for t in targets]
        records = stats.observe(chosen_records(found, request.all_versions, bar))
        _write(request, temps[0], records)
        left_out = {LEFT_OUT_NAMES[k]: n for k, n in found.left_out().items() if k != KEPT}
        facts = CardFacts(
            export_name=request.output.name,
            format=request.format,
            command=request.command,
            job_dirs=[str(d) for d in request.job_dirs],
            lines_read=found.lines,
            versions_replaced=found.versions_replaced,
            all_versions=request.all_versions,
            damaged=found.damaged,
            damaged_elsewhere=found.damaged_elsewhere,
            left_out=left_out,
            filters=_describe(request.filters),
            columns=_columns(request),
            made_at=(request.now or datetime.now(UTC)).isoformat(timespec="seconds"),
        )
        temps[1].write_text(render(stats, facts), encoding="utf-8")
        if request.format == "sqlite":
            title = f"{request.output.stem}: {', '.join(sorted(stats.per_site))}"
            database = request.output.stem
            write_metadata(temps[2], datasette_metadata(database, title, request.all_versions))
        staged.commit()
    articles = stats.articles if request.all_versions else None
    return ExportResult(
        stats.rows, found.versions_replaced, found.damaged, left_out, targets, articles
    )


def _write(request: ExportRequest, path: Path, records: Iterable[dict[str, Any]]) -> None:
    if request.format == "parquet":
        write_parquet(path, records, request.all_versions, request.row_group_size)
    elif request.format == "csv":
        write_csv(path, records, request.all_versions)
    elif request.format == "sqlite":
        write_sqlite(path, records, request.all_versions)
    else:
        write_jsonl(path, records)


def _describe(filters: Filters) -> list[str]:
    said = []
    if filters.sites:
        said.append("--site " + ", ".join(sorted(filters.sites)))
    if filters.since is not None:
        said.append(f"--since {filters.since.isoformat()}")
    if filters.until is not None:
        said.append(f"--until {filters.until.isoformat()}")
    if filters.by_date:
        said.append(
            "articles with no published_at " + ("kept" if filters.keep_undated else "left out")
        )
    return said
