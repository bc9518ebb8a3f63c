"""Extraction never raises: any page gives a valid record or a reject with a reason, quickly."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal_scraper.extract import PROFILES
from portal_scraper.record.model import Reject
from portal_scraper.record.page import Page
from portal_scraper.record.schema import validate_record
from portal_scraper.record.stages import process_page
from tests.support import FIXTURES_DIR

SEED = (FIXTURES_DIR / "bentre-city" / "seed-1452" / "page.html").read_bytes()
URL = "https://tpbentre.bentre.gov.vn/Lists/TinTuc/DispForm.aspx?ID=1452"
# A hang detector (catastrophic backtracking, quadratic passes), not a speed target: speed is
# measured in benchmarks/, and a loaded CI machine must not fail this.
MAX_SECONDS = 30.0
NASTY = [
    b"\x00", b"\x1f", b"\xff\xfe", b"\xef\xbb\xbf", b"<", b">", b"</p>", b"<div>" * 3, b"<!--",
    b"<script>", b"]]>", b"&#0;", b"&#xD800;", "ệ".encode(), "ệ".encode("utf-16"), b"\xc3",
    b"<img src='" + b"a" * 5000 + b"'>", b'<p title="' + b"x" * 100_000 + b'">', b"<table>",
]  # fmt: skip


def check(body: bytes) -> None:
    for profile in PROFILES.values():
        started = time.monotonic()
        result = process_page(Page(url=URL, body=body, fetched_at="2026-11-20T08:00:00Z"), profile)
        assert time.monotonic() - started < MAX_SECONDS
        if isinstance(result, Reject):
            assert result.reason and result.stage in ("extract", "normalize", "validate")
        else:
            assert validate_record(result) == []


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    body = SEED
    for _ in range(draw(st.integers(1, 6))):
        cut = draw(st.integers(0, len(body)))
        action = draw(st.sampled_from(["truncate", "insert", "delete", "duplicate"]))
        if action == "truncate":
            body = body[:cut]
        elif action == "insert":
            body = body[:cut] + draw(st.sampled_from(NASTY)) + body[cut:]
        elif action == "delete":
            body = body[:cut] + body[cut + draw(st.integers(1, 2000)) :]
        else:
            body = body[:cut] + body[cut : cut + 3000] * 2 + body[cut + 3000 :]
    return body


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_seed())
def test_mutated_portal_pages(body: bytes) -> None:
    check(body)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=4000))
def test_random_bytes(body: bytes) -> None:
    check(body)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=2000))
def test_random_text_in_mixed_encodings(text: str) -> None:
    for encoding in ("utf-8", "utf-16", "latin-1"):
        check(text.encode(encoding, errors="replace"))


@pytest.mark.parametrize(
    "body",
    [
        b"<div>" * 5000 + b"deep" + b"</div>" * 5000,
        b"<p>" + b"<span>" * 20_000 + b"x",
        b"<html><body>" + b"<p>a, b, c.</p>" * 20_000 + b"</body></html>",
        SEED.replace(b'<h1 class="news-title">', b'<h1 class="news-title">\x00\x01\x02'),
        SEED[: len(SEED) // 3],
    ],
    ids=["deep-nesting", "unclosed-spans", "many-paragraphs", "control-characters", "truncated"],
)
def test_pathological_pages(body: bytes) -> None:
    check(body)


def test_long_runs_of_one_kind_of_character_are_read_in_linear_time() -> None:
    """Two patterns once tried every start position of a long word: seconds per 50,000
    characters, minutes per 200,000 (a footer line, a link in a listing)."""
    from portal_scraper.extract import GENERIC
    from portal_scraper.extract.footer import parse_footer

    word = "a1" * 100_000
    started = time.monotonic()
    assert parse_footer([f"Email: {word}", "Điện thoại: 0275 3822 123"]) is not None
    assert GENERIC.is_article_url(f"https://x.example/{word}") is False
    assert time.monotonic() - started < MAX_SECONDS


def test_a_srcset_of_only_separators_is_read_in_linear_time() -> None:
    """A `srcset` of 200,000 commas once took nine minutes (every start position retried)."""
    from portal_scraper.normalize.body import largest_candidate

    started = time.monotonic()
    assert largest_candidate("," * 200_000) is None
    assert largest_candidate(", " * 100_000 + "a.jpg 2x") == "a.jpg"
    assert time.monotonic() - started < MAX_SECONDS


def test_a_structured_data_script_of_spaces_is_read_in_linear_time() -> None:
    """A JSON-LD script that is not strict JSON and holds a long run of spaces once took
    seconds per 20,000 spaces (the CDATA-wrapper pattern)."""
    from portal_scraper.extract import parse_html
    from portal_scraper.extract.metadata import read_metadata

    script = " " * 200_000 + '{"headline": "Tin"'
    html = f"<html><head><script type='application/ld+json'>{script}</script></head></html>"
    started = time.monotonic()
    assert read_metadata(parse_html(html)).headline is None
    assert time.monotonic() - started < MAX_SECONDS
