"""Authors: structured data, byline elements, or a name signing the article's end."""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Sequence

from lxml.html import HtmlElement

from portal_scraper.extract.generic.measure import squash, text_len
from portal_scraper.extract.generic.name_hints import (
    AUTHOR_PREFIX,
    NAME_PARTICLES,
    NOT_A_NAME,
    NOT_AUTHOR,
    OFFICE_PREFIX,
    ROLE_PREFIX,
    ROLE_WORDS,
    VN_SURNAMES,
)
from portal_scraper.extract.generic.names import (
    AUTHOR_CLASS,
    Named,
    author_kind,
    is_chrome_name,
)
from portal_scraper.extract.metadata import Metadata
from portal_scraper.normalize.text import clean_text

_CONJUNCTION = re.compile(r"\s+(?:and|und|et|og|e|y|và|&)\s+")
_SEPARATOR = re.compile(r"\s*[|;/,·•]\s*|\s+[-–—]\s+")
_LINE_ENDS = frozenset(("br", "p", "div", "ul", "ol", "table", "section", "article", "h1", "h2",
                        "h3", "h4", "h5", "h6", "figure", "blockquote"))  # fmt: skip
_UNIT_AFTER = re.compile(r"\s*\([^()]*\)\s*$")
MAX_SIGNATURE_CHARS = 80
# A byline is a line: longer text is a bio, a box or the article itself.
MAX_BYLINE_CHARS = 120
# "Aisha Grant on November 15, 2023": the date after the name is no part of it.
_ON_DATE = re.compile(r"\s+(?:on|am|le|el|il|op|vom|du|ngày)\s+(?=\S*(?:\d|\w{3,}\s+\d)).*$", re.I)
_IN_PLACE = re.compile(r"^in\s", re.IGNORECASE)
_AFTER_IN = re.compile(r"\s+in\s+(?=[A-ZÀ-ÝĐ]).*$")
# A last line naming where the story came from (an agency, a paper), no person.
_SOURCE_LINE = re.compile(
    r"^[(\[]?(?P<label>theo|nguồn|source|quelle|fuente|according to)\s*:?\s+"
    r"(?P<source>[^()\[\]]+?)"
    r"[)\].]?$",
    re.IGNORECASE,
)
_THEO = re.compile(r"^theo\s+(?P<rest>.+)$", re.IGNORECASE)


def find_authors(
    named: Named, meta: Metadata, date_lines: Sequence[HtmlElement] = ()
) -> tuple[list[str], list[HtmlElement]]:
    """People named by structured data, else by a byline element; and the byline elements.

    A byline element is named as one, or is a date line that opens with a byline's word and a
    name ("Von Julia Hoffmann, 24.10.2023", "Par Jean Dupont — Publié le ..."). A publisher
    named as the author (the site's name, an organisation) gives way to a person in a visible
    byline, and stays only when no person is named.
    """
    names = [n for a in meta.authors for n in _split_authors(a)]
    # Marked as the author, or with an author's class (the "class id" string holds the class:
    # most elements are ruled out without reading it). A class in German, Spanish or French
    # ("autor") is weaker evidence: names are kept only when they read as a person's.
    bylines: list[HtmlElement] = []
    signed: list[HtmlElement] = []
    for el, el_names in named:
        kind = author_kind(el_names)
        if kind and author_kind(el.get("class", "")) == kind:
            (bylines if kind == AUTHOR_CLASS else signed).append(el)
        elif el.get("rel") == "author" or el.get("itemprop") == "author":
            bylines.append(el)
    signed += [el for el in date_lines if el not in bylines and _opens_with_a_byline(el)]
    found_in: list[HtmlElement] = []
    visible: list[str] = []
    visible_in: HtmlElement | None = None
    for el in bylines + signed:
        text = _byline_text(el)
        if len(text) > MAX_BYLINE_CHARS:
            # A byline left open by broken markup holds what follows it: its first line, when
            # that line opens as a byline does ("By Tom Hughes").
            line = _first_line(el)
            text = _byline_text(line) if _opens_with_a_byline(line) else ""
        if not text or len(text) > MAX_BYLINE_CHARS or is_chrome_name(el.get("class", "")):
            continue
        found = _split_authors(text)
        if el in signed:
            found = [n for n in found if _is_person(n)]  # the date and the rest of the line
        if visible and el in signed and el.getparent() is visible_in:
            # "<span class=autor>A</span> y <span class=autor>B</span>": one byline in two.
            visible += [n for n in found if n not in visible]
            if not found:
                continue
        if found or AUTHOR_PREFIX.match(text + " ") or _names_no_one(text):
            found_in.append(el)  # a byline is never body text, whoever is named
            holder = el.getparent()
            if holder is not None and _holds_only_the_byline(holder, el, date_lines):
                found_in.append(holder)  # "By <a>Name</a>, Health Reporter · <date>"
            if not visible and found:
                visible, visible_in = found, el.getparent()
    people = [n for n in visible if _is_person(n) and not meta.is_publisher(n)]
    if not names:
        names = visible
    elif people and only_publishers(names, meta):
        names = people
    return names, found_in


def _holds_only_the_byline(
    holder: HtmlElement, byline: HtmlElement, date_lines: Sequence[HtmlElement]
) -> bool:
    """Whether a byline's parent is the byline's line: it opens with a byline's word before
    the name, and holds little else but the name and date lines (a job title, separators)."""
    if holder.tag in ("body", "html", "article", "main") or not AUTHOR_PREFIX.match(
        clean_text(holder.text) + " "
    ):
        return False
    rest = text_len(holder) - text_len(byline)
    rest -= sum(text_len(d) for d in date_lines if d.getparent() is holder)
    return rest <= MAX_BYLINE_CHARS // 2


def _first_line(el: HtmlElement) -> HtmlElement:
    """A copy of the element holding its text up to its first block or line break."""
    line = el.makeelement(el.tag, {})
    line.text = el.text
    for child in el:
        if child.tag in _LINE_ENDS:
            break
        line.append(copy.copy(child))
    return line


def _opens_with_a_byline(el: HtmlElement) -> bool:
    """Whether a line opens with a byline's word and a capitalised name ("By Tom Hughes")."""
    text = _byline_text(el)
    prefix = AUTHOR_PREFIX.match(text)
    return prefix is not None and text[prefix.end() : prefix.end() + 1].isupper()


def _is_person(name: str) -> bool:
    """Whether a name reads as a person's: two to five capitalised words ("Lê Phương")."""
    words = name.split()
    return 2 <= len(words) <= 5 and all(
        w[:1].isupper() or w.casefold() in NAME_PARTICLES for w in words
    )


def only_publishers(names: list[str], meta: Metadata) -> bool:
    """Whether every name is the site's or an organisation's, not a person's."""
    return all(meta.is_publisher(n) for n in names)


def with_signature(authors: list[str], signature: list[str], meta: Metadata) -> list[str]:
    """The authors, or the names signing the body when no person is named otherwise."""
    if signature and (not authors or only_publishers(authors, meta)):
        return signature
    return authors


def _byline_text(el: HtmlElement) -> str:
    """The element's text, with a "|" between names in sibling links ("<a>A</a> <a>B</a>")."""
    return clean_text("".join(_pieces(el)))


def _pieces(el: HtmlElement) -> list[str]:
    pieces = [el.text or ""]
    previous: HtmlElement | None = None
    for child in el:
        if not isinstance(child.tag, str):
            pieces.append(child.tail or "")
            continue
        if (
            child.tag == "a"
            and previous is not None
            and previous.tag == "a"
            and not (previous.tail or "").strip()
        ) or child.tag == "br":
            pieces.append(" | ")  # names in sibling links; a line break
        pieces.extend(_pieces(child))
        pieces.append(child.tail or "")
        previous = child
    return pieces


def _top_level_split(pattern: re.Pattern[str], text: str) -> list[str]:
    """`text` split on `pattern` outside parentheses."""
    parts, depth, start = [], 0, 0
    for match in pattern.finditer(text):
        depth = text.count("(", 0, match.start()) - text.count(")", 0, match.start())
        if depth <= 0:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


def _split_authors(text: str) -> list[str]:
    """The names in a byline that may list several people, without job titles beside them."""
    names: list[str] = []
    text = html.unescape(text)  # "O&#039;Neil" is one name, not two split on ";"
    for segment in _top_level_split(_SEPARATOR, text):
        # "Bài và ảnh:" goes before splitting on "và".
        segment = AUTHOR_PREFIX.sub("", clean_text(segment))
        for part in _conjoined(segment):
            for name in _names_in(part):
                if name not in names:
                    names.append(name)
    not_roles = [n for n in names if not ROLE_WORDS.search(n)]
    return not_roles or names  # "Jane Doe, Senior Staff Technologist"; "Staff Writer" alone


def _conjoined(segment: str) -> list[str]:
    """A segment split on "and"/"và"/"&" when each side names someone ("Mac & i" is one)."""
    if OFFICE_PREFIX.match(segment):
        return [segment]  # "Ban Tuyên giáo và Dân vận"
    parts = _top_level_split(_CONJUNCTION, segment)
    if len(parts) > 1 and not all(any(w[:1].isupper() for w in p.split()) for p in parts):
        return [segment]  # "Mac & i": a side without a capital names no one
    return parts


def _names_in(part: str) -> list[str]:
    """The name in a fragment and the co-authors its parentheses name."""
    part = clean_text(part)
    inner = re.search(r"\(([^()]*)\)\s*$", part)
    name = _clean_author(part)
    if not inner or name is None:
        return [name] if name else []
    extra = re.sub(r"^(?:mit|with|avec|con|cùng|và|and|und)\s+", "", inner.group(1), flags=re.I)
    co = [_clean_author(p) for p in _top_level_split(_CONJUNCTION, extra)]
    people = [c for c in co if c and len(c.split()) >= 2]  # "(TTXVN)", "(obe)": not people
    return [name, *people] if people and len(people) == len(co) else [name]


def _clean_author(text: str) -> str | None:
    """A person's name from a byline fragment, or `None` for dates, roles and sources."""
    text = AUTHOR_PREFIX.sub("", clean_text(text))
    text = re.sub(r"\s*\([^()]*\)$", "", text).strip(" -–|:,.")  # "Minh Anh (TTXVN)"
    theo = _THEO.match(text)
    if theo:  # "Theo Phạm Trường" names a person, "Theo Tiền Phong" the paper it came from
        rest = theo.group("rest")
        if rest.split()[0].casefold() not in VN_SURNAMES:
            return None
        text = rest
    text = ROLE_PREFIX.sub("", text)
    # "Posted by Anna in Recipes": the category (or place) after "in" is no part of the name.
    if _IN_PLACE.match(text):
        return None
    text = _AFTER_IN.sub("", _ON_DATE.sub("", text))
    if not text or NOT_AUTHOR.match(text) or NOT_A_NAME.match(text):
        return None
    if re.search(r"\d|@|https?:|www\.|\.(?:de|com|net|org|vn)\b", text):
        return None
    if len(text) > 60 or len(text.split()) > 6:
        return None
    if OFFICE_PREFIX.match(text):
        return text
    if _paper_name(text):
        return None  # "Đời sống Pháp luật": a paper's name, not a person's
    return text


def _names_no_one(text: str) -> bool:
    """Whether a byline holds a job title alone ("Corresponsal en Atenas")."""
    return bool(ROLE_WORDS.search(text))


def _paper_name(text: str) -> bool:
    words = text.split()
    return any(
        w[:1].islower()
        and w.casefold() not in NAME_PARTICLES
        and a[:1].isupper()
        and b[:1].isupper()
        for a, w, b in zip(words, words[1:], words[2:], strict=False)
    )


def trailing_byline(main: HtmlElement) -> list[str]:
    """The names in a last paragraph that only signs the article, as Vietnamese portals do:
    "Phương Thảo", "Nguyễn Văn Tâm - Trần Thị Hương", "Thanh Tâm (Văn phòng UBND huyện)";
    the paragraph is dropped from the body."""
    # The last block with text, read from the end (most blocks are never read).
    last = next(
        (p for p in reversed(list(main.iter("p", "div"))) if p.text_content().strip()), None
    )
    if last is None:
        return []
    text = squash(last.text_content())
    source = _SOURCE_LINE.match(text)
    if (
        source is not None
        and len(text) <= MAX_SIGNATURE_CHARS
        # "Theo" a person signs the article; a source line names no one.
        and not (
            source.group("label").lower() in ("theo", "according to")
            and _is_person(source.group("source"))
        )
    ):
        last.drop_tree()  # "Theo TTXVN", "Nguồn: Báo Nhân Dân": where the story came from
        return trailing_byline(main)  # (the signature above it, if any)
    looks_signed = (
        last.find(".//strong") is not None
        or last.find(".//b") is not None
        or "right" in last.get("style", "") + last.get("align", "")
    )
    # The signers' office in brackets after them stays out of the names.
    signers = _UNIT_AFTER.sub("", text)
    if not looks_signed or not signers or len(signers) > MAX_SIGNATURE_CHARS:
        return []
    parts = _top_level_split(_SEPARATOR, signers)
    names = [name for part in parts if (name := _clean_author(part))]
    if (
        len(names) == len(parts)
        and all(w[:1].isupper() for part in parts for w in part.split())
        and all(2 <= len(part.split()) <= 5 for part in parts)
    ):
        last.drop_tree()
        return names
    return []
