"""Tie body images to their captions by rewriting them as `<figure><img><figcaption>`."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from portal_scraper.normalize.text import clean_text

# Caption paragraphs are short; longer centred text is body.
MAX_CAPTION_CHARS = 400
_CREDIT_ONLY = re.compile(r"^\(?\s*(?:nguồn\s+)?ảnh\s*:", re.IGNORECASE)
_CAPTION_HINT = re.compile(r"caption|chu-?thich|image-?desc|photo-?desc|legend|wp-caption-text")
# A caption line with no mark of its own is shorter than this and ends in no sentence mark.
MAX_LABEL_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?…:;]\s*$")
_BLOCK_TAGS = ("p", "div", "ul", "ol", "table", "h2", "h3", "h4", "h5", "h6", "blockquote")
# Where lazy loaders keep the image address until the image is shown.
_LAZY_ATTRIBUTES = ("data-src", "data-srcset", "data-original", "data-lazy-src", "data-bg")
_ALIGN_CENTER = re.compile(r"text-align\s*:\s*center|^center$", re.IGNORECASE)


def mark_figures(body: HtmlElement) -> None:
    """Wrap each body image, with the caption written after it, in `<figure>`.

    Handles a caption paragraph after the image's paragraph (centred, italic or a photo credit),
    a caption table (image row, caption row) and an existing `<figure>` (left as it is).
    """
    for table in list(body.iter("table")):
        _caption_table_to_figure(table)
    for img in list(body.iter("img")):
        if next(img.iterancestors("figure"), None) is not None:
            continue
        holder = img.getparent()
        if holder is None:
            continue
        figure = holder.makeelement("figure", {})
        img.addprevious(figure)
        tail, img.tail = img.tail, None
        figure.append(img)
        figure.tail = tail
        block = _enclosing_block(holder, body)
        if block is None:
            continue
        caption = block.getnext()
        if _is_caption(caption) and _last_image_of(block, img):
            assert caption is not None
            _move_into_figcaption(caption, figure)
            caption.drop_tree()


def unwrap_noscript_images(root: HtmlElement) -> None:
    """An image written only in `<noscript>` (its lazy loader left no `<img>`) is the image."""
    for noscript in list(root.iter("noscript")):
        images = list(noscript.iter("img"))
        parent = noscript.getparent()
        if len(images) != 1 or parent is None:
            continue
        if any(next(i.iterancestors("noscript"), None) is None for i in parent.iter("img")):
            continue  # the lazy `<img>` is there: the `<noscript>` copy is a duplicate
        if not any(_is_lazy_placeholder(el) for el in (parent, *parent.iterchildren())):
            continue  # no lazy loader's placeholder beside it: an ad's or a tracker's pixel
        img = images[0]
        img.tail = None
        noscript.addprevious(img)
        noscript.drop_tree()


def unwrap_amp_images(root: HtmlElement) -> None:
    """An AMP page's `<amp-img>` is its image: an `<img>` (its fallback `<img>`, if it has one)."""
    for amp in list(root.iter("amp-img")):
        if amp.find(".//img") is not None:
            amp.drop_tag()
            continue
        for child in list(amp):
            amp.remove(child)
        amp.text = None
        amp.tag = "img"


def _is_lazy_placeholder(el: HtmlElement) -> bool:
    """An element a lazy loader fills in: it carries the image address or says "lazy"."""
    if not isinstance(el.tag, str) or el.tag == "noscript":
        return False
    return any(el.get(a) for a in _LAZY_ATTRIBUTES) or "lazy" in (el.get("class") or "").lower()


def unwrap_figure_holder(holder: HtmlElement) -> None:
    """A block named as a caption that holds an image: it is the figure's holder.

    Its figures stay where it was; its other text is the caption of its one figure when that
    has none ("<span class=caption><img><span>Text (Credit)</span></span>"), else dropped.
    """
    figures = list(holder.iter("figure"))
    skip = {id(f) for f in figures}
    outside = clean_text(" ".join(_texts_outside(holder, skip)))
    if (
        outside
        and len(figures) == 1
        and figures[0].find(".//figcaption") is None
        and len(outside) <= MAX_CAPTION_CHARS
    ):
        figcaption = figures[0].makeelement("figcaption", {})
        figcaption.text = outside
        figures[0].append(figcaption)
    for figure in figures:
        figure.tail = None
        holder.addprevious(figure)
    holder.drop_tree()


def _texts_outside(el: HtmlElement, skip: set[int]) -> list[str]:
    """The texts under `el`, in order, leaving out the elements of `skip`."""
    texts = [el.text or ""]
    for child in el:
        if id(child) not in skip and isinstance(child.tag, str):
            texts += _texts_outside(child, skip)
        texts.append(child.tail or "")
    return texts


def _enclosing_block(el: HtmlElement | None, body: HtmlElement) -> HtmlElement | None:
    """The paragraph (or lone-image div) that holds an image, below `body`."""
    while el is not None and el is not body:
        if el.tag in ("p", "div", "center") and not clean_text(el.text_content()):
            return el
        if el.tag == "p":
            return el
        # (lxml nests an `<img>` inside the `<source>` of its `<picture>`.)
        if el.tag not in (
            "a",
            "span",
            "strong",
            "b",
            "em",
            "i",
            "center",
            "font",
            "picture",
            "source",
        ):
            return None
        el = el.getparent()
    return None


def _caption_table_to_figure(table: HtmlElement) -> None:
    """A small table holding an image and a short text becomes a figure with that caption."""
    images = list(table.iter("img"))
    rows = list(table.iter("tr"))
    if not images or len(rows) > 3 or table.find(".//table") is not None:
        return
    text_cells = [
        cell
        for cell in table.iter("td", "th", "caption")
        if cell.find(".//img") is None and clean_text(cell.text_content())
    ]
    text = " ".join(clean_text(c.text_content()) for c in text_cells)
    # (The whole table's text counts: a layout table's image cell may hold the article.)
    if len(text) > MAX_CAPTION_CHARS or len(clean_text(table.text_content())) > MAX_CAPTION_CHARS:
        return
    figure = table.makeelement("figure", {})
    for img in images:
        img.tail = None
        figure.append(img)
    if text:
        figcaption = figure.makeelement("figcaption", {})
        figcaption.text = text
        figure.append(figcaption)
    figure.tail = table.tail
    parent = table.getparent()
    if parent is not None:
        parent.replace(table, figure)


def _move_into_figcaption(caption: HtmlElement, figure: HtmlElement) -> None:
    figcaption = figure.makeelement("figcaption", {})
    figcaption.text = caption.text
    for child in caption:
        figcaption.append(child)
    figure.append(figcaption)


def _last_image_of(block: HtmlElement, img: HtmlElement) -> bool:
    images = list(block.iter("img"))
    return bool(images) and images[-1] is img


def _is_caption(el: HtmlElement | None) -> bool:
    """A short text block with no image: italic, centred, marked as caption, or a photo credit."""
    if el is None or el.tag not in ("p", "div", "span", "em", "i") or el.find(".//img") is not None:
        return False
    text = clean_text(el.text_content())
    if not text or len(text) > MAX_CAPTION_CHARS:
        return False
    italic = clean_text("".join(e.text_content() for e in el.iter("em", "i")))
    centred = bool(_ALIGN_CENTER.search(el.get("style", "") + el.get("align", "")))
    hinted = bool(_CAPTION_HINT.search(f"{el.get('class', '')} {el.get('id', '')}".lower()))
    return (
        italic == text
        or centred
        or hinted
        or bool(_CREDIT_ONLY.match(text))
        or _is_label_line(el, text)
    )


def _is_label_line(el: HtmlElement, text: str) -> bool:
    """A short line of plain text in a `<div>` under an image, no sentence: a caption."""
    return (
        el.tag == "div"
        and len(text) <= MAX_LABEL_CHARS
        and not _SENTENCE_END.search(text)
        and el.find(".//a") is None
        and next(el.iterdescendants(*_BLOCK_TAGS), None) is None
    )
