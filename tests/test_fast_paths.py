"""The fast paths of the generic profile give what the plain definitions they replace give."""

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from portal_scraper.extract.generic import hints
from portal_scraper.extract.generic.dates import _microformat_dates
from portal_scraper.extract.generic.fields import _lowered_for_views
from portal_scraper.extract.generic.measure import squash, squashes_to_at_least
from portal_scraper.extract.generic.names import named_before, named_elements
from portal_scraper.extract.generic.titles import error_page
from portal_scraper.extract.page import decode_page, parse_html
from portal_scraper.normalize.body import _collapse_spaces, _trim_block_edges
from portal_scraper.normalize.dates import _PATTERNS
from portal_scraper.normalize.text import clean_text, replace_surrogates
from portal_scraper.record.model import RECORD_FIELDS, Image, Portal
from portal_scraper.record.schema import conforms, schema
from tests.support.records import record

SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
# Characters the patterns care about, white space of every kind, and a few that change length
# or case oddly (İ lowers to two characters, K is the Kelvin sign).
TEXT = st.text(
    st.sampled_from([*SPACES, *"xXeEmMđĐọỌoOcCvViIwWsS:0٣İKé<>/pli\ufeff\u200b\u2060\u0323\u0307"]),
    max_size=24,
)
KEYS = ["url", "caption", "credit", "alt", "agency", "phones", "fields", "x"]
BLOCK = r"p|li|td|th|h[2-6]|figcaption|blockquote|caption"
TAGS = ["<p>", "</p>", "<li>", "</li>", "<h2>", "</h2>", "<b>", "</b>", " ", "\n", "\xa0", "x"]


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_clean_text_collapses_as_its_pattern(text: str) -> None:
    spaces = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000\ufeff]+")
    zero_width = re.compile(r"[\u200b\u200c\u200d\u2060]")
    for surrogate in ("", "\ud83d", "\ud83d\ude00", "\udc00"):
        with_it = text + surrogate
        joined = with_it.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        assert replace_surrogates(with_it) == (joined if surrogate else with_it)
    expected = spaces.sub(" ", zero_width.sub("", unicodedata.normalize("NFC", text))).strip()
    assert clean_text(text) == expected


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*TAGS, *SPACES[:8]]), max_size=16).map("".join))
def test_body_html_spacing_as_its_patterns(html: str) -> None:
    assert _collapse_spaces(html) == re.sub(r"[\s\u00a0]+", " ", html)
    edges = re.compile(rf"(<(?:{BLOCK})>)\s+|\s+(</(?:{BLOCK})>)")
    assert _trim_block_edges(html) == edges.sub(r"\1\2", html)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_views_pattern_reads_the_partly_lowered_text_as_the_lowered(text: str) -> None:
    body = parse_html("<html><body><p></p></body></html>").find("body")
    assert body is not None
    body[0].text = "".join(c for c in text if c in "\t\n\r" or " " <= c <= "\ufffd")  # XML's
    full = etree.tostring(body, method="text", encoding=str).lower()
    partly = _lowered_for_views(etree.tostring(body, method="text", encoding=str))
    for word, ending in hints.VIEWS_ANYWHERE:
        assert (word in full, bool(ending.search(full))) == (
            word in partly,
            bool(ending.search(partly)),
        )


def test_views_pattern_letters_have_no_other_capitals() -> None:
    # `_lowered_for_views` lowers A-Z, Đ and Ọ only: a letter added to the pattern or its words
    # whose capital is another character needs adding there too.
    letters = set()
    for word, ending in hints.VIEWS_ANYWHERE:
        letters |= set(re.sub(r"\\[a-z]|\\u[0-9a-f]{4}", "", ending.pattern)) | set(word)
    letters = {c for c in letters if c.isalpha()}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lowered = char.lower()
        if lowered != char and len(lowered) == 1 and lowered in letters:
            assert char.isascii() or char in "ĐỌ", char


PAGE = """<html class="no-js"><head><title>T</title></head><body id="top">
<div class="wrap"><header class="site-header"><h1 class="logo">Site</h1></header>
<abbr class="published" title="2013-04-04T10:00:00Z">4 April</abbr>
<span class=" entry-date\tx " title="t">d</span><span class="entry-dated" title="t">n</span>
<article itemprop="articleBody"><h1 rel="x">Headline</h1><!-- a comment -->
<p>One <a href="/a">link</a> and &amp; text.</p><p itemprop="author">By A</p></article>
</div><script>var x = "<p>";</script></body></html>"""


def test_named_elements_and_place_as_the_xpaths() -> None:
    doc = parse_html(PAGE)
    named = named_elements(doc)
    expected = [(el, f"{el.get('class', '')} {el.get('id', '')}") for el in hints.NAMED(doc)]
    assert [(el, names) for el, names in named] == expected
    for el in doc.iter("h1", "p", "abbr"):
        assert named_before(named, el) == int(hints.NAMED_BEFORE(el))


def test_microformat_dates_as_the_css_selector() -> None:
    doc = parse_html(PAGE)
    css = CSSSelector(".published[title], .updated[title], .entry-date[title], .dtstamp[title]")
    assert _microformat_dates(doc) == css(doc)
    assert [el.tag for el in _microformat_dates(doc)] == ["abbr", "span"]


def test_page_text_content_as_lxml_html() -> None:
    ours = parse_html(PAGE)
    theirs = lxml_html.document_fromstring(PAGE)
    elements = zip(ours.iter(etree.Element), theirs.iter(etree.Element), strict=True)
    assert all(a.text_content() == b.text_content() for a, b in elements)
    assert etree.tostring(ours) == etree.tostring(theirs)


def test_every_date_pattern_needs_a_four_digit_year() -> None:
    # `_matches` skips a text without four digits in a row.
    for pattern in _PATTERNS:
        assert r"(?P<year>\d{4})" in pattern.pattern


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(-2, 2)
    | st.sampled_from(["", "x", "1", "https://a.example/", "2026-11-20T08:00:00Z", "0" * 64]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([*RECORD_FIELDS, "extra"]), st.none() | JSON_VALUES), max_size=4
    ),
    st.booleans(),
)
def test_the_compiled_check_agrees_with_jsonschema(
    changes: list[tuple[str, object]], drop: bool
) -> None:
    data = record(
        images=[Image("https://a.example/i.jpg", "c", None, None)],
        portal=Portal("N", "A", None, None, None, ["1"], [], ["a@b.vn"], [], {"k": "v"}),
    ).to_dict()
    for name, value in changes:
        if drop and name in data:
            del data[name]
        elif name == "images" and isinstance(value, dict) and _first_dict(data.get("images")):
            data["images"][0].update(value)  # a field of an image
        elif name == "portal" and isinstance(value, dict) and isinstance(data.get("portal"), dict):
            data["portal"].update(value)  # a field of the footer
        else:
            data[name] = value
    assert conforms(data) == Draft202012Validator(schema()).is_valid(data)


def _first_dict(value: object) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def test_each_views_ending_starts_with_its_word() -> None:
    # The cheap `word in text` test rules a pattern out only if every match holds the word.
    for word, ending in hints.VIEWS_ANYWHERE:
        assert ending.pattern.startswith(word), word


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from([*SPACES[:6], "a", "x", " "]), max_size=60), st.integers(1, 12))
def test_squashes_to_at_least_as_collapsing_the_whole_text(raw: str, chars: int) -> None:
    assert squashes_to_at_least(raw, chars) == (len(squash(raw)) >= chars)


def test_lines_dropped_as_junk_or_credits_are_shorter_than_any_link_list_limit() -> None:
    # `strip_fields_and_chrome` skips a block as long as LINK_LIST_MAX_CHARS unread.
    assert max(hints.MAX_JUNK_LINE_CHARS, hints.MAX_CREDIT_LINE_CHARS) < hints.LINK_LIST_MAX_CHARS


@settings(max_examples=500, deadline=None)
@given(
    st.binary(max_size=40).map(lambda b: b"<p>\xc3\xa9 " + b),
    st.sampled_from([None, "text/html; charset=utf-8", "text/html; charset=windows-1258"]),
)
def test_bytes_handed_to_the_parser_are_the_decoded_texts_utf8(body: bytes, ctype: str) -> None:
    decoded = decode_page(body, {"Content-Type": ctype} if ctype else None)
    assert decoded.utf8 is None or decoded.utf8 == decoded.text.encode("utf-8")


@given(st.sampled_from(["", "  \n", '<?xml version="1.0" encoding="iso-8859-1"?>\n<p>é</p>',
                        "<p>\u1ea1</p>", "\ufeff<p>x</p>"]))  # fmt: skip
def test_parsing_the_pages_bytes_gives_the_tree_parsing_its_text_gives(text: str) -> None:
    body = text.encode("utf-8")
    decoded = decode_page(body)
    by_text = etree.tostring(parse_html(decoded.text))
    assert etree.tostring(parse_html(decoded.text, decoded.utf8)) == by_text


@given(st.sampled_from(['<div id="ms-error-body">', '<div class="a ms-pageErrorBody\tb">',
                        '<div class="ms-error-body">', '<div id="x-ms-pageErrorBody">']))  # fmt: skip
def test_error_page_reads_the_error_element_its_selector_reads(opening: str) -> None:
    doc = parse_html(f"<html><body>{opening}Sorry, something went wrong</div></body></html>")
    by_selector = bool(hints.ERROR_SELECTOR(doc))
    assert (error_page(doc, None, named_elements(doc)) is not None) == by_selector
