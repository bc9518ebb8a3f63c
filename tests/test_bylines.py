"""Bylines the generic profile reads on pages of other languages, each on a hand-written page."""

from __future__ import annotations

import pytest

from tests.support.records import extracted

URL = "https://www.example.de/lokales/schulanbau-beschlossen-12345"
PARAGRAPHS = "".join(
    f"<p>Absatz {i} des Berichts hat genug Wörter, um als Text des Artikels zu zählen, mit "
    f"mehreren Sätzen, Kommas, und einem Punkt am Ende.</p>"
    for i in range(1, 5)
)


def authors(byline: str, head: str = "", title: str = "Schulanbau beschlossen") -> list[str]:
    html = (
        f"<html><head><title>{title}</title>{head}</head><body><article>"
        f"<h1>Schulanbau beschlossen</h1>{byline}<div class='text'>{PARAGRAPHS}</div>"
        "</article></body></html>"
    )
    return list(extracted(html, URL)["authors"])


@pytest.mark.parametrize(
    "line",
    [
        "<p class='meta'>Von Julia Hoffmann, 24.10.2023 - 18:42</p>",
        "<div class='info'>Ein Beitrag von Julia Hoffmann · Veröffentlicht am 3. Oktober 2023</div>",
        "<p class='date'>Par <strong>Julia Hoffmann</strong> — Publié le 4 décembre 2023</p>",
        "<p class='dateline'>By Julia Hoffmann · 7 December 2023</p>",
    ],
)
def test_a_date_line_opening_with_a_byline_names_the_author(line: str) -> None:
    assert authors(line) == ["Julia Hoffmann"]


def test_a_byline_left_open_gives_its_first_line() -> None:
    # Broken markup: the byline's <div> never closed, the article inside it.
    assert authors("<div class='byline'>By Tom Hughes<br>Sunday 12 November 2023 10:05") == [
        "Tom Hughes"
    ]


def test_two_author_spans_of_one_byline_name_both() -> None:
    line = (
        "<div class='firma'><span class='autor'>María López</span> y "
        "<span class='autor'>Juan Pérez</span></div>"
    )
    assert authors(line) == ["María López", "Juan Pérez"]


def test_the_category_after_in_is_no_part_of_the_name() -> None:
    line = "<p class='byline'>Posted by Anna Weber in Rezepte</p>"
    assert authors(line) == ["Anna Weber"]


def test_the_site_named_beside_the_headline_in_the_title_is_no_author() -> None:
    head = "<meta name='author' content='Der Bote'>"
    line = "<div class='c-byline'>Von <a class='c-byline__name' href='/a/og'>Otto Gans</a></div>"
    got = authors(line, head=head, title="Schulanbau beschlossen | Der Bote")
    assert got == ["Otto Gans"]


@pytest.mark.parametrize(
    "line",
    [
        "<div class='meta'>By <a class='author' href='/a/jh'>Julia Hoffmann</a>, Health Reporter"
        " · <span class='date'>Published September 5, 2023</span></div>",
        "<p>Von <a rel='author' href='/a/jh'>Julia Hoffmann</a> und "
        "<a rel='author' href='/a/tm'>Tom Meier</a></p>",
    ],
)
def test_the_line_around_a_byline_leaves_the_body_with_it(line: str) -> None:
    html = (
        "<html><head><title>Schulanbau beschlossen</title></head><body><article>"
        f"<h1>Schulanbau beschlossen</h1>{line}<div class='text'>{PARAGRAPHS}</div>"
        "</article></body></html>"
    )
    got = extracted(html, URL)
    assert got["authors"][0] == "Julia Hoffmann"
    assert got["body_text"].startswith("Absatz 1 des Berichts")


def test_a_paragraph_opening_with_the_byline_keeps_its_sentence() -> None:
    line = (
        "<p>Von <a class='author' href='/a/jh'>Julia Hoffmann</a> — Der Gemeinderat hat am "
        "Dienstagabend den Anbau der Grundschule beschlossen, nach langer Debatte.</p>"
    )
    html = (
        "<html><head><title>Schulanbau beschlossen</title></head><body><article>"
        f"<h1>Schulanbau beschlossen</h1><div class='text'>{line}{PARAGRAPHS}</div>"
        "</article></body></html>"
    )
    assert "Der Gemeinderat hat am Dienstagabend" in extracted(html, URL)["body_text"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("<p class='post-meta'>Posted by Julia Hoffmann on November 15, 2023</p>",
         ["Julia Hoffmann"]),
        ("<div class='node__meta'>Eine Kritik von <span>Julia Hoffmann</span> · 19.11.2023</div>",
         ["Julia Hoffmann"]),
        ("<div class='article__signature'>Par <a href='/a/jh'>Julia Hoffmann</a> et "
         "<a href='/a/pg'>Paul Girard</a></div>", ["Julia Hoffmann", "Paul Girard"]),
        ("<p class='signature'><em>Propos recueillis par Julia Hoffmann</em></p>",
         ["Julia Hoffmann"]),
        ("<p class='post-meta'>Posted on November 15, 2023</p>", []),
    ],
)  # fmt: skip
def test_bylines_in_signatures_and_meta_lines(line: str, expected: list[str]) -> None:
    assert authors(line) == expected
