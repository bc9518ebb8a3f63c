"""The shipped JSON Schema and the profile's required fields reject bad records by name."""

import copy
import dataclasses
import re
from pathlib import Path

import pytest

from portal_scraper.extract import get_profile
from portal_scraper.record.model import RECORD_FIELDS, ArticleRecord, Reject
from portal_scraper.record.schema import build_schema, schema, validate_record
from portal_scraper.record.stages import validate_stage
from portal_scraper.tools.fixtures import Case
from tests.support import FIXTURES_DIR

PROFILE = get_profile("bentre-city")


@pytest.fixture(scope="module")
def good() -> dict:
    return Case(FIXTURES_DIR / "bentre-city" / "seed-1452").actual()


def test_the_shipped_schema_is_the_one_the_record_definition_gives() -> None:
    """Regenerate with `python -m portal_scraper.record.schema > portal_scraper/record/...json`."""
    assert schema() == build_schema()


def test_the_docs_table_lists_the_record_fields_in_order() -> None:
    text = (Path(__file__).parents[1] / "docs" / "article-record.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `(\w+)` \|", text, flags=re.MULTILINE)
    assert tuple(documented) == RECORD_FIELDS


def test_a_record_survives_its_json_object(good: dict) -> None:
    record = ArticleRecord.from_dict(good)
    assert record.to_dict() == good == dataclasses.asdict(record)
    assert list(record.to_dict()) == list(RECORD_FIELDS)


def test_schema_lists_exactly_the_record_fields(good: dict) -> None:
    assert tuple(schema()["properties"]) == RECORD_FIELDS
    assert tuple(good) == RECORD_FIELDS
    assert validate_record(good, PROFILE.required_fields) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("published_at", "10/08/2018 15:00"),
        ("title", ""),
        ("view_count", -1),
        ("content_sha256", "xyz"),
        ("fetched_at", "2018-08-10T15:00:00+07:00"),
        ("images", [{"url": "/relative.jpg", "caption": None, "credit": None, "alt": None}]),
    ],
)
def test_bad_values_are_named(good: dict, path: str, value: object) -> None:
    record = copy.deepcopy(good)
    record[path] = value
    errors = validate_record(record)
    assert errors
    assert all(e["path"].split("/")[0] == path for e in errors)


def test_missing_and_extra_fields(good: dict) -> None:
    record = copy.deepcopy(good)
    del record["summary"]
    record["surprise"] = 1
    messages = " ".join(e["message"] for e in validate_record(record))
    assert "'summary' is a required property" in messages
    assert "surprise" in messages


def test_required_by_profile_becomes_a_reject(good: dict) -> None:
    record = copy.deepcopy(good)
    record["published_at"] = None
    reject = validate_stage(ArticleRecord.from_dict(record), PROFILE)
    assert isinstance(reject, Reject)
    assert reject.stage == "validate"
    assert reject.reason == "invalid fields: published_at"
    assert reject.errors == [
        {"path": "published_at", "message": "required by the site profile but empty"}
    ]
