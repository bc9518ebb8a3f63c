"""The article's photos: the captioned lead photo before its text, and captions written in
elements named as captions."""

from __future__ import annotations

from lxml.html import HtmlElement

from portal_scraper.extract.generic.boundaries import precedes
from portal_scraper.extract.generic.hints import LEAD_FIGURE_DEPTH
from portal_scraper.extract.generic.measure import squash
from portal_scraper.extract.generic.names import is_caption_name


def lead_figures(block: HtmlElement, title_el: HtmlElement | None) -> list[HtmlElement]:
    """A captioned lead photo standing between the headline and the body block, if any.

    Pages often put the article's first photo, with its caption and credit, just before the
    block holding the text: it is the article's, though that block does not hold it. Only a
    `<figure>` with an image and a caption qualifies, and only when nothing with text or another
    image stands between it and the block (empty ad slots may).
    """
    node: HtmlElement | None = block
    for _ in range(LEAD_FIGURE_DEPTH):
        if node is None:
            return []
        for sibling in node.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str):
                continue  # comments, processing instructions
            if sibling.tag == "figure" or _holds_a_photo(sibling):
                return [sibling] if _lead(sibling, title_el, block) else []
            if squash(sibling.text_content()) or sibling.find(".//img") is not None:
                return []  # text or another image between: not this body's lead photo
        node = node.getparent()
    return []


def _lead(figure: HtmlElement, title_el: HtmlElement | None, block: HtmlElement) -> bool:
    if not is_captioned_photo(figure):
        return False
    # After the headline: not the photo of another article above it.
    return title_el is None or precedes(block.getroottree().getroot(), title_el, figure)


def is_captioned_photo(figure: HtmlElement) -> bool:
    """A `<figure>` with an image and a caption (a `<figcaption>` or an element named one), or
    a block named as a caption holding an image and its text ("div.wp-caption")."""
    if _holds_a_photo(figure):
        return bool(squash(figure.text_content()))
    if figure.tag != "figure" or figure.find(".//img") is None:
        return False
    return any(_is_caption(el) and squash(el.text_content()) for el in figure.iterdescendants())


def _holds_a_photo(el: HtmlElement) -> bool:
    """A block named as a caption that holds an image: a figure written without `<figure>`."""
    return el.tag in ("div", "span", "p") and _is_caption(el) and el.find(".//img") is not None


def _is_caption(el: HtmlElement) -> bool:
    """A `<figcaption>`, or an element named as a caption."""
    if not isinstance(el.tag, str):
        return False
    return el.tag == "figcaption" or is_caption_name(f"{el.get('class', '')} {el.get('id', '')}")


def name_figure_captions(main: HtmlElement) -> None:
    """A figure's caption written in an element named as one (`p.wp-caption-text`), not in
    `<figcaption>`, becomes its `<figcaption>`."""
    for figure in main.iter("figure"):
        if figure.find(".//figcaption") is not None:
            continue
        caption = next(
            (
                el
                for el in figure.iterdescendants()
                if _is_caption(el) and squash(el.text_content())
            ),
            None,
        )
        if caption is not None:
            caption.tag = "figcaption"
