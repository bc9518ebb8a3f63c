"""The article body: plain text, sanitized HTML and images with their captions."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from functools import cache
from urllib.parse import unquote, urlsplit

import nh3
from lxml import html as lxml_html
from lxml.html import HtmlElement

from portal_scraper.normalize.captions import split_credit
from portal_scraper.normalize.text import clean_or_none, clean_text
from portal_scraper.normalize.urls import absolute_url, http_url

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote",
        "h2", "h3", "h4", "h5", "h6", "a", "img", "figure", "figcaption",
        "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Elements that start a new paragraph in `body_text`.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "blockquote", "ul", "ol", "li", "table", "thead",
        "tbody", "tfoot", "tr", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
        "pre", "dl", "dt", "dd", "address", "center", "header", "footer", "main",
    }
)  # fmt: skip
# Elements whose text never belongs to `body_text` (captions are reported with their image).
TEXT_EXCLUDED_TAGS = frozenset(
    {"figure", "figcaption", "script", "style", "noscript", "template", "iframe", "object"}
)
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*(?:<br>\s*)*</p>")
# Leading/trailing spaces inside a text block are not content.
_BLOCK = r"p|li|td|th|h[2-6]|figcaption|blockquote|caption"
_SPACE_AFTER_OPEN = re.compile(rf"(<(?:{_BLOCK})>)\s+")
# Split on, not searched as `\s+</p>`: a pattern starting with `\s+` is tried at every space of
# the body (a millisecond per page); `str.rstrip` drops the same white space (`\s`).
_CLOSE = re.compile(rf"(</(?:{_BLOCK})>)")
# White space between a closing and an opening block tag carries no text.
_BETWEEN_TAGS = re.compile(
    r"(</(?:p|li|h[2-6]|figure|figcaption|tr|ul|ol|table|blockquote)>)\s+(?=<)"
)

# Attributes that hold a lazy-loaded image's address, most specific first.
LAZY_SRC_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-large-src")
# What lazy loaders put in `src` until the image is shown.
_PLACEHOLDER_SRC = re.compile(r"^(?:data:|about:blank)", re.IGNORECASE)
# One `srcset` candidate: a URL (commas allowed inside it) and its descriptor up to a comma. The
# separators before it are skipped by the search itself: matching them in the pattern made a run
# of 200,000 commas take minutes (every start position retried the whole run).
_SRCSET_TOKEN = re.compile(r"(?P<url>[^\s,]\S*)(?:(?<!,)\s+(?P<descriptor>[^,]*))?")
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)[wx]\s*$")

# Between paragraphs while they are cleaned in one pass (lxml text never holds a NUL).
_PARAGRAPH_BREAK = "\x00"


def body_text(body: HtmlElement) -> str:
    """Paragraph texts of `body` joined by a blank line, captions and scripts left out."""
    paragraphs: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        if text and not text.isspace():
            paragraphs.append(text)
        run.clear()

    def walk(el: HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in TEXT_EXCLUDED_TAGS or not tag:
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        if tag == "br":
            previous = el.getprevious()
            if previous is not None and previous.tag == "br" and not (previous.tail or "").strip():
                flush()  # a blank line between two runs of text: a paragraph break
            else:
                run.append(" ")
        elif tag in ("td", "th") and el.getprevious() is not None:
            run.append(" | ")  # a table row is one paragraph, its cells separated
        run.append(el.text or "")
        for child in el:
            walk(child)
            run.append(child.tail or "")
        if block:
            flush()

    walk(body)
    flush()
    # One clean_text over all paragraphs: NFC and white space never cross the NUL breaks.
    cleaned = (
        p.strip() for p in clean_text(_PARAGRAPH_BREAK.join(paragraphs)).split(_PARAGRAPH_BREAK)
    )
    return "\n\n".join(p for p in cleaned if p)


def images(body: HtmlElement, base_url: str) -> list[dict[str, str | None]]:
    """Images of `body` in reading order; captions come from the enclosing `<figure>`."""
    found: list[dict[str, str | None]] = []
    for img in body.iter("img"):
        if _fallback_copy(img):
            continue
        url = http_url(base_url, image_source(img))
        if url is None:
            continue
        caption_el: HtmlElement | None = None
        figure = next((a for a in img.iterancestors("figure")), None)
        if figure is not None:
            caption_el = next(iter(figure.iter("figcaption")), None)
        caption, credit = split_credit(
            caption_el.text_content() if caption_el is not None else None
        )
        found.append(
            {"url": url, "caption": caption, "credit": credit, "alt": _alt(img.get("alt"), url)}
        )
    return found


def image_source(img: HtmlElement) -> str | None:
    """The image's address: `src`, unless it is a lazy-loading placeholder.

    Lazy-loaded images carry a `data:` GIF (or nothing) in `src` and the real address in
    `data-src`, `data-original`, `data-lazy-src`, a `srcset`/`data-srcset` (the largest
    candidate) or a `<picture>`'s `<source srcset>`.
    """
    src = (img.get("src") or "").strip()
    if src and not _PLACEHOLDER_SRC.search(src):
        return src
    for attr in LAZY_SRC_ATTRIBUTES:
        value = (img.get(attr) or "").strip()
        if value and not _PLACEHOLDER_SRC.search(value):
            return value
    sets = [img.get("data-srcset"), img.get("srcset")]
    # (lxml's parser nests the `<img>` inside an unclosed `<source>`.)
    picture = next(img.iterancestors("picture"), None)
    if picture is not None:
        for source in picture.iter("source"):
            sets += [source.get("data-srcset"), source.get("srcset")]
    for srcset in sets:
        best = largest_candidate(srcset)
        if best is not None:
            return best
    return src or None


def largest_candidate(srcset: str | None) -> str | None:
    """The URL of the largest candidate of a `srcset` ("a.jpg 1x, b.jpg 2x", "a.jpg 640w")."""
    best: tuple[float, str] | None = None
    for url, descriptor in _srcset_candidates(srcset or ""):
        if _PLACEHOLDER_SRC.search(url):
            continue
        size = _SIZE.match(descriptor)
        value = float(size.group(1)) if size else 1.0
        if best is None or value > best[0]:
            best = (value, url)
    return best[1] if best else None


def _srcset_candidates(srcset: str) -> list[tuple[str, str]]:
    """(URL, descriptor) pairs as HTML reads them: a URL may hold commas, never white space."""
    found = []
    for token in _SRCSET_TOKEN.finditer(srcset):
        url = token.group("url")
        if url.endswith(","):  # "a.jpg, b.jpg 2x": no descriptor
            found.append((url.rstrip(","), ""))
        else:
            found.append((url, token.group("descriptor") or ""))
    return found


def _fallback_copy(img: HtmlElement) -> bool:
    """An image in `<noscript>` next to the lazy-loaded image it stands in for."""
    noscript = next(img.iterancestors("noscript"), None)
    if noscript is None:
        return False
    holder = noscript.getparent()
    return holder is not None and any(
        other is not img and next(other.iterancestors("noscript"), None) is None
        for other in holder.iter("img")
    )


def _alt(alt: str | None, url: str) -> str | None:
    """`alt` unless it only repeats the image's file name."""
    text = clean_or_none(alt)
    if text is None:
        return None
    name = unicodedata.normalize("NFC", unquote(posixpath.basename(urlsplit(url).path)))
    stem = posixpath.splitext(name)[0]
    if text.casefold() in {name.casefold(), stem.casefold()}:
        return None
    return text


@cache
def _sanitizer() -> nh3.Cleaner:
    """The allow-list sanitizer, built once (its rules are compiled in Rust)."""
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )


def body_html(body: HtmlElement, base_url: str) -> str:
    """Sanitized HTML of the body's content with absolute URLs (allow-listed tags only)."""
    parts = [body.text or ""]
    for child in body:
        _absolutize(child, base_url)
        parts.append(lxml_html.tostring(child, encoding="unicode", with_tail=True))
    clean = _sanitizer().clean("".join(parts))
    clean = _collapse_spaces(unicodedata.normalize("NFC", clean).replace("&nbsp;", " "))
    clean = _trim_block_edges(clean)
    clean = _EMPTY_PARAGRAPH.sub("", clean)
    return _BETWEEN_TAGS.sub(r"\1", clean).strip()


def _collapse_spaces(html: str) -> str:
    """Each run of white space in `html` as one space (split: four times a pattern's speed)."""
    words = html.split()
    if not words:
        return " " if html else ""
    head = " " if html[0].isspace() else ""
    tail = " " if html[-1].isspace() else ""
    return head + " ".join(words) + tail


def _trim_block_edges(html: str) -> str:
    """`html` without white space just inside its text blocks' tags."""
    parts = _CLOSE.split(_SPACE_AFTER_OPEN.sub(r"\1", html))
    for i in range(0, len(parts) - 1, 2):  # the text before each closing tag
        parts[i] = parts[i].rstrip()
    return "".join(parts)


def _absolutize(root: HtmlElement, base_url: str) -> None:
    """Rewrite `href`/`src` under `root` to absolute URLs, in place."""
    for el in root.iter("a", "img"):
        attr = "href" if el.tag == "a" else "src"
        value = el.get(attr) if el.tag == "a" else image_source(el)
        if value is not None:
            resolved = absolute_url(base_url, value)
            if resolved is None:
                del el.attrib[attr]
            else:
                el.set(attr, resolved)
