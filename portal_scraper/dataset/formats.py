"""Writers of the exported records: Parquet (streamed in row groups), CSV and JSON Lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from portal_scraper.dataset.columns import arrow_row, arrow_schema, flat_columns, flat_row

# Rows turned into Arrow at a time: a row group is built from several such batches, so the
# Python objects held at once stay few even with large row groups.
ARROW_BATCH = 500


def write_parquet(
    path: Path, records: Iterable[dict[str, Any]], all_versions: bool, row_group_size: int
) -> None:
    """Parquet with the schema derived from the record, one row group per `row_group_size` rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(all_versions)
    rows: list[dict[str, Any]] = []
    batches: list[Any] = []
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:

        def flush(group_done: bool) -> None:
            nonlocal rows, batches
            if rows:
                batches.append(pa.RecordBatch.from_pylist(rows, schema=schema))
                rows = []
            if group_done and batches:
                writer.write_table(pa.Table.from_batches(batches, schema), row_group_size)
                batches = []

        held = 0
        for record in records:
            rows.append(arrow_row(record))
            held += 1
            if held % ARROW_BATCH == 0 or held == row_group_size:
                flush(held == row_group_size)
                held %= row_group_size
        flush(True)


def write_csv(path: Path, records: Iterable[dict[str, Any]], all_versions: bool) -> None:
    """CSV for spreadsheets: UTF-8 with a BOM (Excel reads it as UTF-8), nested values as JSON."""
    columns = flat_columns(all_versions)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in records:
            writer.writerow(flat_row(record, columns))


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """The chosen records as they were archived, one JSON object a line."""
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
