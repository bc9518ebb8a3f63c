"""Every saved page gives exactly its reviewed `expected.json` (record or reject)."""

import pytest

from portal_scraper.tools.fixtures import EXPECTED_FILE, cases, dump_json
from tests.support import FIXTURES_DIR

CASES = cases(FIXTURES_DIR)


def test_fixture_set_covers_the_portal() -> None:
    articles = [c for c in CASES if "stage" not in c.expected()]
    rejects = [c for c in CASES if "stage" in c.expected()]
    assert len(articles) >= 12
    assert rejects, "a non-article page must be among the cases"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case_gives_expected_record(case) -> None:
    assert case.actual() == case.expected()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_expected_json_is_in_canonical_form(case) -> None:
    text = (case.path / EXPECTED_FILE).read_text(encoding="utf-8")
    assert text == dump_json(case.expected()), (
        "rewrite with: python -m portal_scraper.tools.fixtures update"
    )
