"""Check records against the shipped JSON Schema and the site's required fields."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_FILE = "article-record.schema.json"


@cache
def schema() -> dict[str, Any]:
    """The record's JSON Schema (draft 2020-12), as shipped in this package."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def validate_record(record: dict[str, Any], required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """Problems with `record` as `{"path", "message"}` dicts; empty when it is valid."""
    errors = [
        {
            "path": "/".join(str(p) for p in error.absolute_path) or "(record)",
            "message": error.message,
        }
        for error in sorted(
            _validator().iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path]
        )
    ]
    for name in required:
        if _is_empty(record.get(name)):
            errors.append({"path": name, "message": "required by the site profile but empty"})
    return errors
