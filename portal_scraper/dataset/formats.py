"""Writers of the exported records: Parquet (streamed in row groups), CSV and JSON Lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from portal_scraper.dataset.columns import arrow_row, arrow_schema, flat_columns, flat_row


def write_parquet(
    path: Path, records: Iterable[dict[str, Any]], all_versions: bool, row_group_size: int
) -> None:
    """Parquet with the schema derived from the record, one row group per `row_group_size` rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(all_versions)
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for record in records:
            batch.append(arrow_row(record))
            if len(batch) >= row_group_size:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema), row_group_size)
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema), row_group_size)


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
