"""Export columns derived from the record definition: types, descriptions and extra columns."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, Literal

from portal_scraper.dataset.times import to_utc, utc_text
from portal_scraper.record.model import RFC3339, RFC3339_UTC, ArticleRecord

FIELDS = dataclasses.fields(ArticleRecord)
HINTS = typing.get_type_hints(ArticleRecord)
# Times stored as instants; those the portal gave with its own offset also keep their text.
TIME_FIELDS = tuple(
    f.name for f in FIELDS if f.metadata.get("schema", {}).get("pattern") in (RFC3339, RFC3339_UTC)
)
LOCAL_TIME_FIELDS = tuple(
    f.name for f in FIELDS if f.metadata.get("schema", {}).get("pattern") == RFC3339
)
VERSION = "version"
EXTRA_DESCRIPTIONS = {
    **{
        f"{n}_local": f"{n} as the portal gave it: RFC 3339 text with its own offset"
        for n in LOCAL_TIME_FIELDS
    },
    **{f"{n}_utc": f"{n} in UTC (RFC 3339, sortable as text)" for n in LOCAL_TIME_FIELDS},
    VERSION: "1 for the article's first archived version, 2 for the next, ... (--all-versions)",
}


def _optional(hint: Any) -> tuple[Any, bool]:
    """The type without None, and whether None was allowed."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        return rest[0], len(rest) < len(typing.get_args(hint))
    return hint, False


def type_name(hint: Any) -> str:
    """A field's type as the docs write it: `str | None`, `list[Image]`."""
    inner, optional = _optional(hint)
    if typing.get_origin(inner) is Literal:
        name = "str"
    elif typing.get_origin(inner) in (list, dict):
        args = ", ".join(type_name(a) for a in typing.get_args(inner))
        name = f"{typing.get_origin(inner).__name__}[{args}]"
    else:
        name = inner.__name__
    return f"{name} | None" if optional else name


def description(name: str) -> str:
    """What a record field (or an export's extra column) holds, from the record definition."""
    if name in EXTRA_DESCRIPTIONS:
        return EXTRA_DESCRIPTIONS[name]
    spec = next(f for f in FIELDS if f.name == name)
    text = str(spec.metadata.get("description", ""))
    inner = _optional(HINTS[name])[0]
    for part in (inner, *typing.get_args(inner)):
        if dataclasses.is_dataclass(part):  # Image, Attachment, Portal: their docstring
            doc = (part.__doc__ or "").strip()
            text = f"{text}; {doc}" if text else doc
    return text or name.replace("_", " ")


def arrow_type(hint: Any) -> Any:
    """The Arrow type of a record type hint (str, int, list, dict, nested dataclass)."""
    import pyarrow as pa

    inner, _ = _optional(hint)
    origin = typing.get_origin(inner)
    if inner is str or origin is Literal:
        return pa.string()
    if inner is int:
        return pa.int64()
    if origin is list:
        return pa.list_(arrow_type(typing.get_args(inner)[0]))
    if origin is dict:
        key, value = typing.get_args(inner)
        return pa.map_(arrow_type(key), arrow_type(value))
    if dataclasses.is_dataclass(inner):
        hints = typing.get_type_hints(inner)
        return pa.struct(
            [pa.field(f.name, arrow_type(hints[f.name])) for f in dataclasses.fields(inner)]
        )
    raise TypeError(f"no Arrow type for {hint!r}")


def arrow_schema(all_versions: bool) -> Any:
    """The Parquet schema: each record field in order; times as UTC instants followed by their
    text with the portal's offset; `version` last with --all-versions."""
    import pyarrow as pa

    columns = []
    for spec in FIELDS:
        kind = (
            pa.timestamp("us", tz="UTC")
            if spec.name in TIME_FIELDS
            else arrow_type(HINTS[spec.name])
        )
        columns.append(pa.field(spec.name, kind, metadata={"description": description(spec.name)}))
        if spec.name in LOCAL_TIME_FIELDS:
            local = f"{spec.name}_local"
            columns.append(
                pa.field(local, pa.string(), metadata={"description": description(local)})
            )
    if all_versions:
        columns.append(
            pa.field(VERSION, pa.int32(), metadata={"description": description(VERSION)})
        )
    return pa.schema(columns)


def arrow_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record as the Parquet schema's row (times as UTC instants, their text kept)."""
    row = dict(record)
    for name in TIME_FIELDS:
        row[name] = to_utc(record.get(name))
    for name in LOCAL_TIME_FIELDS:
        row[f"{name}_local"] = record.get(name)
    return row


def flat_columns(all_versions: bool) -> list[str]:
    """The CSV and SQLite columns: the record's fields, then published/modified in UTC."""
    names = [f.name for f in FIELDS] + [f"{n}_utc" for n in LOCAL_TIME_FIELDS]
    return [*names, VERSION] if all_versions else names


def flat_row(record: dict[str, Any], columns: list[str]) -> list[Any]:
    """A record as text cells: nested values as JSON text, times as written plus UTC."""
    cells: list[Any] = []
    for name in columns:
        if name.endswith("_utc") and name[:-4] in LOCAL_TIME_FIELDS:
            cells.append(utc_text(record.get(name[:-4])))
            continue
        value = record.get(name)
        if isinstance(value, list | dict):
            value = json.dumps(value, ensure_ascii=False)
        cells.append(value)
    return cells
