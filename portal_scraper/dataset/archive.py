"""Job directories read back: the latest version of each article, in two streaming passes."""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, cast

import fastjsonschema

from portal_scraper.contracts.jobdir import ARTICLES_FILE, DAMAGED_SUFFIX
from portal_scraper.dataset.times import micros, parse_instant
from portal_scraper.record.schema import schema

log = logging.getLogger(__name__)

RECORDS_FILE = ARTICLES_FILE
DAMAGED_FILE = ARTICLES_FILE + DAMAGED_SUFFIX
# Each damaged line is named up to this many times; the rest are only counted.
MAX_NAMED_WARNINGS = 20
# The fields an export cannot do without: the article, its version's time, its portal.
NEEDED_FIELDS = ("canonical_url", "fetched_at", "site")
NOT_JSON = "not JSON (a cut or damaged line)"
# A JSON escape of a UTF-16 surrogate: JSON text may hold an unpaired one (\ud800), which is
# no character and cannot be written as UTF-8. Raw UTF-8 bytes never decode to a surrogate, so
# a line without this escape holds none (the exact check runs only on lines that have it).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
# Whole numbers an export stores in 64 bits (Parquet int64, SQLite INTEGER); the schema sets
# no maximum.
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

# Why a chosen article is not exported (the index keeps one of these per article).
KEPT, OTHER_SITE, OUT_OF_RANGE, UNDATED = 0, 1, 2, 3


class ArchiveError(Exception):
    """A job directory that cannot be read (missing, or without articles.jsonl)."""


@dataclass(frozen=True)
class Filters:
    """Which chosen articles are exported: sites, and a published_at range."""

    sites: frozenset[str] = frozenset()
    since: date | datetime | None = None
    until: date | datetime | None = None
    keep_undated: bool = False

    @property
    def by_date(self) -> bool:
        """True when a --since or --until bound is set."""
        return self.since is not None or self.until is not None

    def contradiction(self) -> str | None:
        """Why no article can be in the --since/--until range, or None when one can be."""
        since, until = self.since, self.until
        if since is None or until is None:
            return None
        # A day is the article's own (its offset, under a day either way of UTC); an instant is
        # an instant. A day against an instant is empty only when no offset can bridge them.
        try:
            if type(since) is date and isinstance(until, datetime):
                empty = since > (until.astimezone(UTC) + timedelta(days=1)).date()
            elif isinstance(since, datetime) and type(until) is date:
                empty = (since.astimezone(UTC) - timedelta(days=1)).date() > until
            else:
                empty = since > until  # both days, or both instants
        except OverflowError:  # a bound at the calendar's edge: no day beyond it to compare
            empty = False
        if not empty:
            return None
        return f"--since {since.isoformat()} is after --until {until.isoformat()}"

    def verdict(self, record: dict[str, Any]) -> int:
        """KEPT, or why the record is left out."""
        if self.sites and record.get("site") not in self.sites:
            return OTHER_SITE
        if not self.by_date:
            return KEPT
        instant = parse_instant(record.get("published_at"))
        if instant is None:
            return KEPT if self.keep_undated else UNDATED
        return KEPT if _within(instant, self.since, self.until) else OUT_OF_RANGE


def _within(
    instant: datetime, since: date | datetime | None, until: date | datetime | None
) -> bool:
    # A bare date is a calendar day as the portal wrote it (the record's own offset), so an
    # article of 00:30+07:00 on 1 January belongs to 1 January, not to 31 December in UTC.
    def key(bound: date | datetime) -> date | datetime:
        return instant.date() if type(bound) is date else instant

    if since is not None and key(since) < since:
        return False
    return until is None or key(until) <= until


@dataclass
class Scan:
    """What the first pass learned: the chosen version of each article, and what it skipped."""

    files: list[Path]
    # digest of canonical_url -> (fetched_at in µs, file index, line number, verdict)
    chosen: dict[bytes, tuple[int, int, int, int]] = field(default_factory=dict)
    # (file index, line number) -> version number, for articles with more than one version
    versions: dict[tuple[int, int], int] = field(default_factory=dict)
    # Each file's size when the export started: both passes read no further, so a crawl
    # appending meanwhile cannot slip in a line the first pass never saw.
    sizes: list[int] = field(default_factory=list)
    lines: int = 0
    records: int = 0
    damaged: int = 0
    # (file index, line number) of the first damaged lines, as the warnings name them
    damaged_at: list[tuple[int, int]] = field(default_factory=list)
    # (file index, line number) of every damaged line: the second pass skips them unchecked
    damaged_lines: set[tuple[int, int]] = field(default_factory=set)
    damaged_elsewhere: dict[str, int] = field(default_factory=dict)
    # The `site` of every record read (whichever version), for a --site the archive lacks
    sites: set[str] = field(default_factory=set)

    @property
    def versions_replaced(self) -> int:
        """Records that are an older version of an article read again later."""
        return self.records - len(self.chosen)

    def left_out(self) -> Counter[int]:
        """Chosen articles by verdict (KEPT, OTHER_SITE, OUT_OF_RANGE, UNDATED)."""
        return Counter(entry[3] for entry in self.chosen.values())


def records_files(job_dirs: Sequence[Path]) -> list[Path]:
    """Each job directory's records file, checked to exist; ArchiveError names the bad one."""
    files: list[Path] = []
    seen: set[Path] = set()
    for job in job_dirs:
        if job.resolve() in seen:
            continue  # the same directory named twice (a symlink, "./job/"): read once
        seen.add(job.resolve())
        if not job.is_dir():
            raise ArchiveError(f"{job}: no such job directory")
        path = job / RECORDS_FILE
        if not path.is_file():
            raise ArchiveError(f"{job}: no {RECORDS_FILE} (not an archive job directory?)")
        files.append(path)
    return files


def _key(record: dict[str, Any]) -> bytes:
    # A 16-byte digest instead of the URL keeps the index small for millions of articles.
    return hashlib.blake2b(str(record["canonical_url"]).encode(), digest_size=16).digest()


@cache
def _reading_schema() -> dict[str, Any]:
    """The record's schema as an archive is read: the fields an export cannot do without are
    required, every other field is checked when present, and keys the record does not know
    are allowed. An archive runs for years: a line written before a field was added, or by a
    later version with a field of its own, is a record (the card counts unknown keys)."""
    reading = copy.deepcopy(schema())
    reading["required"] = list(NEEDED_FIELDS)
    reading["additionalProperties"] = True
    return reading


@cache
def _compiled_schema() -> Callable[[Any], Any]:
    """The reading schema compiled to Python (fastjsonschema): about 20 µs a record."""
    return cast(Callable[[Any], Any], fastjsonschema.compile(_reading_schema()))


@cache
def _integer_fields() -> tuple[str, ...]:
    """The record's fields whose schema type is a whole number (view_count)."""

    def integer(spec: dict[str, Any]) -> bool:
        kind = spec.get("type")
        return kind == "integer" or (isinstance(kind, list) and "integer" in kind)

    return tuple(name for name, spec in schema()["properties"].items() if integer(spec))


def _surrogate_at(value: Any, path: str = "") -> str | None:
    """The path of the first string (or key) in `value` holding a lone surrogate, or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "(record)"
        return None
    items: Iterator[tuple[Any, Any]]
    if isinstance(value, dict):
        items = iter(value.items())
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        inner = f"{path}/{key}" if path else str(key)
        found = _surrogate_at(key, inner) if isinstance(key, str) else None
        found = found or _surrogate_at(item, inner)
        if found:
            return found
    return None


def _parse(line: bytes) -> Any:
    """The line's JSON value; ValueError when it is not JSON (or nested too deep to read)."""
    try:
        return json.loads(line)
    except RecursionError:
        raise ValueError("nested too deep") from None


def _problem(value: dict[str, Any], line: bytes) -> str | None:
    """Why a JSON object is not a record the export can write, or None when it is one."""
    try:
        _compiled_schema()(value)
    except fastjsonschema.JsonSchemaValueException as error:
        if error.rule == "required" and error.path == ["data"]:
            missing = [n for n in NEEDED_FIELDS if n not in value]
            return "no " + ", ".join(missing)  # not the list of every field the message gives
        message = str(error.message)  # "data.view_count must be ...", "data must be ..."
        return message[5:] if message.startswith("data.") else "the record" + message[4:]
    if _SURROGATE_ESCAPE.search(line):
        where = _surrogate_at(value)
        if where is not None:
            return f"{where} holds a lone UTF-16 surrogate (no character, no UTF-8)"
    for name in _integer_fields():
        number = value.get(name)
        if number is not None and not _INT64_MIN <= number <= _INT64_MAX:
            return f"{name} {number!r} does not fit in 64 bits"
    if parse_instant(value["fetched_at"]) is None:
        return "fetched_at is no time"
    return None


def _read(
    files: Sequence[Path], limits: Sequence[int], check: bool
) -> Iterator[tuple[int, int, dict[str, Any] | None, int, str]]:
    """(file index, line number, record or None when the line is damaged, line bytes, why it is
    damaged), up to each file's first `limits` bytes (what the first pass saw). With `check`,
    each record is checked against the record's schema (the first pass); without it, only that
    it is a JSON object with a canonical URL (the second pass skips what the first one found
    damaged)."""
    for index, path in enumerate(files):
        offset = 0
        with path.open("rb") as handle:
            for number, line in enumerate(handle, 1):
                offset += len(line)
                if offset > limits[index]:
                    break  # appended (or completed) by a crawl running since the first pass
                if not line.strip():
                    continue  # a blank line holds nothing to lose
                try:
                    value = _parse(line)
                except ValueError:
                    yield index, number, None, len(line), NOT_JSON
                    continue
                if not isinstance(value, dict):
                    problem: str | None = "not a JSON object"
                elif check:
                    problem = _problem(value, line)
                    problem = problem and f"not a valid record: {problem}"
                else:
                    problem = None if isinstance(value.get("canonical_url"), str) else "no URL"
                if problem:
                    yield index, number, None, len(line), problem
                else:
                    yield index, number, value, len(line), ""


def scan(files: Sequence[Path], filters: Filters, all_versions: bool, progress: Any = None) -> Scan:
    """First pass: the newest version of each article (by fetched_at, later lines on ties)."""
    result = Scan(list(files), sizes=[path.stat().st_size for path in files])
    every: dict[bytes, list[tuple[int, int, int]]] = {}
    for index, number, record, size, problem in _read(files, result.sizes, check=True):
        result.lines += 1
        if progress is not None:
            progress.update(size)
        if record is None:
            result.damaged += 1
            result.damaged_lines.add((index, number))
            if result.damaged <= MAX_NAMED_WARNINGS:
                result.damaged_at.append((index, number))
                log.warning("%s:%d: %s, skipped", files[index], number, problem)
            continue
        result.records += 1
        result.sites.add(record["site"])
        key = _key(record)
        fetched = _micros(record["fetched_at"])
        best = result.chosen.get(key)
        if best is None or fetched >= best[0]:
            result.chosen[key] = (fetched, index, number, filters.verdict(record))
        if all_versions:
            every.setdefault(key, []).append((fetched, index, number))
    if result.damaged > MAX_NAMED_WARNINGS:
        log.warning("%d more damaged lines skipped", result.damaged - MAX_NAMED_WARNINGS)
    for positions in every.values():
        if len(positions) > 1:
            # sorted() is stable, so equal fetched_at keeps file order, as for the latest one.
            for version, (_, index, number) in enumerate(sorted(positions, key=lambda p: p[0]), 1):
                result.versions[(index, number)] = version
    for path in files:
        damaged = path.with_name(DAMAGED_FILE)
        if damaged.is_file():
            with damaged.open("rb") as handle:
                result.damaged_elsewhere[str(damaged)] = sum(1 for _ in handle)
    return result


def _micros(value: str) -> int:
    instant = parse_instant(value)
    assert instant is not None  # checked by _read
    return micros(instant)


def chosen_records(
    result: Scan, all_versions: bool, progress: Any = None
) -> Iterator[dict[str, Any]]:
    """Second pass: the exported records in archive order (with `version` for all versions)."""
    for index, number, record, size, _ in _read(result.files, result.sizes, check=False):
        if progress is not None:
            progress.update(size)
        if record is None or (index, number) in result.damaged_lines:
            continue  # counted and named by the first pass
        entry = result.chosen.get(_key(record))
        if entry is None:  # not seen by the first pass: the file changed under the export
            continue
        if entry[3] != KEPT:
            continue
        if all_versions:
            record["version"] = result.versions.get((index, number), 1)
            yield record
        elif (entry[1], entry[2]) == (index, number):
            yield record
