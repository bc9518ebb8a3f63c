"""The record's JSON Schema, generated from `model.ArticleRecord`, and validation against it."""

from __future__ import annotations

import dataclasses
import json
import sys
import types
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any, Literal, Union, cast, get_args, get_origin, get_type_hints

import fastjsonschema
from jsonschema import Draft202012Validator

from portal_scraper.record.model import SCHEMA_VERSION, ArticleRecord, is_empty

SCHEMA_FILE = "article-record.schema.json"
SCHEMA_ID = f"https://portal-scraper.invalid/schema/article-record/{SCHEMA_VERSION}"
_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def build_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `ArticleRecord`, built from its definition."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"Article record, schema version {SCHEMA_VERSION}",
        "description": _doc(ArticleRecord),
        **_object(ArticleRecord),
    }


def _doc(cls: type) -> str:
    """The first paragraph of `cls`'s docstring, on one line."""
    paragraph = (cls.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


def _object(cls: type) -> dict[str, Any]:
    hints = get_type_hints(cls)
    properties = {}
    for spec in dataclasses.fields(cls):
        schema = _type(hints[spec.name], dict(spec.metadata.get("items") or {}))
        schema.update(spec.metadata.get("schema") or {})
        if spec.metadata.get("description"):
            schema["description"] = spec.metadata["description"]
        properties[spec.name] = schema
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def _type(hint: Any, items: dict[str, Any]) -> dict[str, Any]:
    """The schema of one annotation (`items`: keywords for list elements)."""
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        return {"const": args[0]}
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"unsupported union in the record: {hint}")
        (only,) = inner
        if dataclasses.is_dataclass(only):
            return {"oneOf": [{"type": "null"}, _object(only)]}  # type: ignore[arg-type]
        schema = _type(only, items)
        schema["type"] = [schema["type"], "null"]
        return schema
    if origin is list:
        return {"type": "array", "items": {**_type(args[0], {}), **items}}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type(args[1], {})}
    if dataclasses.is_dataclass(hint):
        return _object(hint)  # type: ignore[arg-type]
    if hint in _JSON_TYPES:
        return {"type": _JSON_TYPES[hint]}
    raise TypeError(f"unsupported type in the record: {hint}")


@cache
def schema() -> dict[str, Any]:
    """The record's JSON Schema as shipped in this package (`SCHEMA_FILE`)."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


@cache
def _compiled() -> Callable[[Any], Any]:
    """The schema compiled to Python by fastjsonschema: it confirms a valid record in a
    twentieth of jsonschema's time (a page's record is checked on every page)."""
    return cast(Callable[[Any], Any], fastjsonschema.compile(schema()))


def conforms(instance: Any) -> bool:
    """Whether `instance` is a valid record (the fast check; jsonschema lists the errors)."""
    try:
        _compiled()(instance)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def validate_record(
    record: dict[str, Any] | ArticleRecord, required: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    """Problems with `record` as `{"path", "message"}` dicts; empty when it is valid."""
    data = record.to_dict() if isinstance(record, ArticleRecord) else record
    valid = conforms(data)
    errors = [
        {
            "path": "/".join(str(p) for p in error.absolute_path) or "(record)",
            "message": error.message,
        }
        for error in (
            []
            if valid
            else sorted(
                _validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
            )
        )
    ]
    for name in required:
        if is_empty(data.get(name)):
            errors.append({"path": name, "message": "required by the site profile but empty"})
    return errors


def main() -> int:
    """Write the generated schema to stdout (`python -m portal_scraper.record.schema`)."""
    sys.stdout.write(json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
