"""The dataset card: a README beside an export saying what it holds and how it was made."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal_scraper.dataset.columns import FIELDS, HINTS, description, type_name
from portal_scraper.dataset.times import parse_instant, utc_text
from portal_scraper.record.model import RECORD_FIELDS, is_empty

NO_DATE = "no date"


@dataclass
class Stats:
    """Counts over the exported rows, gathered while they stream past."""

    rows: int = 0
    # Articles: rows that are an article's first version (every row without --all-versions,
    # where the filters keep or leave out all versions of an article together).
    articles: int = 0
    per_site: Counter[str] = field(default_factory=Counter)
    articles_per_site: Counter[str] = field(default_factory=Counter)
    per_month: Counter[str] = field(default_factory=Counter)
    non_empty: Counter[str] = field(default_factory=Counter)
    unknown_fields: Counter[str] = field(default_factory=Counter)
    dates_without_instant: int = 0
    first_fetched: str | None = None
    last_fetched: str | None = None

    def observe(self, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """The records unchanged, counted on their way to the writer."""
        for record in records:
            self.rows += 1
            self.per_site[str(record.get("site"))] += 1
            if record.get("version", 1) == 1:
                self.articles += 1
                self.articles_per_site[str(record.get("site"))] += 1
            published = record.get("published_at")
            instant = parse_instant(published)
            if published and instant is None:
                self.dates_without_instant += 1
            # The month as the portal dated it (its own offset), not the UTC month.
            self.per_month[instant.strftime("%Y-%m") if instant else NO_DATE] += 1
            self.non_empty.update(n for n in RECORD_FIELDS if not is_empty(record.get(n)))
            self.unknown_fields.update(
                k for k in record if k not in RECORD_FIELDS and k != "version"
            )
            fetched = utc_text(record.get("fetched_at"))
            if fetched is not None:
                if self.first_fetched is None or fetched < self.first_fetched:
                    self.first_fetched = fetched
                if self.last_fetched is None or fetched > self.last_fetched:
                    self.last_fetched = fetched
            yield record


@dataclass
class CardFacts:
    """What the card says besides the row counts."""

    export_name: str
    format: str
    command: str
    job_dirs: list[str]
    lines_read: int
    versions_replaced: int
    all_versions: bool
    damaged: int
    damaged_elsewhere: dict[str, int]
    left_out: dict[str, int]
    filters: list[str]
    columns: list[tuple[str, str]]  # (column, its type in this format)
    made_at: str


def _table(header: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines


def render(stats: Stats, facts: CardFacts) -> str:
    """The card as Markdown."""
    if facts.all_versions:
        counted = f"{stats.rows} versions of {stats.articles} articles"
        versions = f"every version kept (--all-versions): {counted}."
    else:
        counted = f"{stats.rows} articles"
        versions = f"older versions replaced by a later one: {facts.versions_replaced}."
    out = [
        f"# Dataset card: {facts.export_name}",
        "",
        f"{counted} from archives made by portal-scraper, as {facts.format}.",
        "",
        "## Made by",
        "",
        "```sh",
        facts.command,
        "```",
        "",
        f"at {facts.made_at}, from the job directories: "
        + ", ".join(f"`{d}`" for d in facts.job_dirs)
        + ".",
        "",
        "## What was crawled, and when",
        "",
        f"- Fetched from {stats.first_fetched or '-'} to {stats.last_fetched or '-'} (UTC).",
        f"- Lines read: {facts.lines_read}; {versions}",
        f"- Filters: {'; '.join(facts.filters) if facts.filters else 'none'}.",
    ]
    out += [f"- Left out by the filters: {n} ({why})." for why, n in facts.left_out.items() if n]
    out += [
        f"- **Damaged lines skipped** (not JSON, or not a valid record; e.g. a line cut by a "
        f"killed run): "
        f"{facts.damaged}.",
    ]
    out += [
        f"- Lines set aside earlier by the crawler in `{p}`: {n} (not exported)."
        for p, n in facts.damaged_elsewhere.items()
    ]
    if stats.dates_without_instant:
        out.append(
            f"- published_at with no UTC instant (past the calendar's edge; month `{NO_DATE}`): "
            f"{stats.dates_without_instant}."
        )
    if stats.unknown_fields:
        unknown = ", ".join(f"`{k}` ({n})" for k, n in sorted(stats.unknown_fields.items()))
        out.append(
            f"- Keys that are no field of the record (no column; JSONL keeps them): {unknown}."
        )
    out += ["", "## Articles per portal", ""]
    if facts.all_versions:
        out += _table(
            ("site", "articles", "versions"),
            ((s, stats.articles_per_site[s], n) for s, n in sorted(stats.per_site.items())),
        )
    else:
        out += _table(("site", "articles"), sorted(stats.per_site.items()))
    if facts.all_versions:
        out += ["", "## Versions per month (published_at, the portal's own time zone)", ""]
        out += _table(("month", "versions"), sorted(stats.per_month.items()))
    else:
        out += ["", "## Articles per month (published_at, the portal's own time zone)", ""]
        out += _table(("month", "articles"), sorted(stats.per_month.items()))
    out += ["", "## Field coverage (% of rows with a non-empty value)", ""]
    out += _table(
        ("field", "non-empty"),
        (
            (n, f"{100 * stats.non_empty[n] / stats.rows:.1f}" if stats.rows else "-")
            for n in RECORD_FIELDS
        ),
    )
    out += [
        "",
        "## Schema",
        "",
        "The record's fields (`portal_scraper/record/model.py`, "
        "docs/article-record.md) and their columns in this export:",
        "",
    ]
    record_types = {f.name: type_name(HINTS[f.name]) for f in FIELDS}
    out += _table(
        ("column", f"{facts.format} type", "record type", "meaning"),
        (
            (c, f"`{t}`", f"`{record_types[c]}`" if c in record_types else "-", description(c))
            for c, t in facts.columns
        ),
    )
    out += [
        "",
        "## Licence",
        "",
        "The articles, images and attachments belong to the portals that published them (and "
        "their authors); this export only collects them. portal-scraper's MIT licence covers the "
        "software, not this content: check each portal's terms before you republish any of it.",
        "",
    ]
    return "\n".join(out)


def card_path(export: Path) -> Path:
    """Where an export's card goes: `NAME.README.md` beside it (never a plain README.md)."""
    return export.with_name(export.name + ".README.md")
