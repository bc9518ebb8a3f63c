"""Finding the article body: pruning the page, choosing the main block, cleaning it.

The field steps (headline, date lines, bylines, lead) hand in the elements they read as
`not_body`: pruning keeps them, scoring skips them and cleaning drops their copies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from portal_scraper.extract.figures import unwrap_figure_holder
from portal_scraper.extract.generic.boundaries import (
    contains,
    cut_next_story,
    cut_related,
    drop_cards,
    drop_dangling_heading,
    drop_related_boxes,
    holds_prose,
    is_prose,
    is_teaser_block,
    mostly_prose,
    trim_tail,
)
from portal_scraper.extract.generic.hints import (
    ANNOTATION_TAG,
    CODE_TAGS,
    CONTINUATION_NAMES,
    CREDIT_LINE,
    DROP_TAGS,
    FALLBACK_TAG,
    FORM_CONTROLS,
    GATED_CONTENT,
    JUNK_LINE,
    LANDMARK_ARTICLE_PARAGRAPHS,
    LANDMARK_TAGS,
    LINK_LIST_MAX_CHARS,
    MARKED,
    MAX_CREDIT_LINE_CHARS,
    MAX_FIELD_CHARS,
    MAX_JUNK_LINE_CHARS,
    MIN_BODY_CHARS,
    MIN_STORY_CAPTION_CHARS,
    MIN_STORY_FIGURES,
    NAMED,
    NON_LANDMARK_DROP_TAGS,
    OVERLAY_NAMES,
    PAGE_SHARE,
    RELATED_HEADING,
    STRONG_CHROME,
    TAXONOMY_LINE,
    UI_LINE,
    WHOLE_PAGE_SHARE,
)
from portal_scraper.extract.generic.measure import (
    link_density,
    squash,
    squashed_len,
    squashes_to_at_least,
    text_len,
)
from portal_scraper.extract.generic.names import (
    is_caption_name,
    is_hiding_style,
    is_strong_chrome_name,
    name_marks,
)
from portal_scraper.extract.generic.scoring import wrap
from portal_scraper.normalize.captions import split_credit


def outside_body(fields: list[HtmlElement | None]) -> frozenset[HtmlElement]:
    """The field elements short enough to hold nothing but their field: never body text."""
    return frozenset(el for el in fields if el is not None and text_len(el) <= MAX_FIELD_CHARS)


def lead_body(lead: str) -> HtmlElement:
    """A body of one paragraph: the lead's text."""
    container = lxml_html.fragment_fromstring("<div></div>")
    paragraph = container.makeelement("p", {})
    paragraph.text = lead
    container.append(paragraph)
    return container


def structured_body(article_body: str | None) -> HtmlElement | None:
    """JSON-LD `articleBody` as paragraphs (it may be plain text or HTML)."""
    if not article_body or len(article_body) < MIN_BODY_CHARS:
        return None
    if "<" in article_body and ">" in article_body:
        container = lxml_html.fragment_fromstring(article_body, create_parent="div")
        for el in list(container.iter(*DROP_TAGS)):
            el.drop_tree()
        return container
    container = lxml_html.fragment_fromstring("<div></div>")
    for line in article_body.splitlines():
        if line.strip():
            paragraph = container.makeelement("p", {})
            paragraph.text = line.strip()
            container.append(paragraph)
    return container


def prune(
    root: HtmlElement,
    title_el: HtmlElement | None,
    not_body: frozenset[HtmlElement],
    by_name: bool = True,
    keep_overlays: bool = False,
) -> None:
    """Remove elements that never hold article text: scripts, navigation, hidden and chrome.

    With `by_name` false (for a page that read as no article the first time), `<header>` and
    `<aside>` stay, and of the elements named as chrome only those named strongly so (comments,
    related lists, footers) go. An overlay (a modal, a consent layer) goes whatever text it holds,
    unless `keep_overlays` (a page whose only text is in one).
    """
    # A region holding form controls is a form (feedback, sign-up): never the article.
    # Sets of elements, not of id()s: a set keeps lxml's element proxies alive, and an id of a
    # freed proxy can come back as another element's.
    with_controls = {a for c in root.iter(*FORM_CONTROLS) for a in c.iterancestors()}
    dropped_first = (*CODE_TAGS, ANNOTATION_TAG, etree.Comment, etree.ProcessingInstruction)
    for el in list(root.iter(*dropped_first)):
        parent = el.getparent()
        if parent is None:
            continue
        if el.tag != ANNOTATION_TAG or parent.find(FALLBACK_TAG) is None:
            el.drop_tree()
    page = max(text_len(root), 1)
    # The page's prose, counted only when a landmark asks (rarely): over the paragraphs the
    # page had before any landmark was removed.
    paragraphs = list(root.iter("p"))
    counted: list[int] = []

    def prose() -> int:
        if not counted:
            counted.append(sum(1 for p in paragraphs if is_prose(p)))
        return counted[0]

    dropped = (*DROP_TAGS, "header", "footer") if by_name else (*NON_LANDMARK_DROP_TAGS, "footer")
    holding_headline = set() if title_el is None else set(title_el.iterancestors())
    for el in list(root.iter(*dropped)):
        # A `<header>`, `<nav>` or `<noscript>` left open by broken markup holds the whole page,
        # or the headline with the article's paragraphs after it; a page built by scripts keeps
        # its article in `<noscript>` for readers without them.
        if el.getparent() is None:
            continue
        # (Collapsing white space only shortens a text: a short raw text needs no collapsing.)
        raw = el.text_content()
        whole = len(raw) >= WHOLE_PAGE_SHARE * page and squashed_len(raw) >= WHOLE_PAGE_SHARE * page
        if el.tag == "noscript" and (whole or _prose_paragraphs(el) >= LANDMARK_ARTICLE_PARAGRAPHS):
            el.drop_tag()  # its content is the page's
        elif not whole and not (
            (el.tag in LANDMARK_TAGS or el in holding_headline)
            and _is_the_article(el, title_el, prose)
        ):
            el.drop_tree()
    total = max(text_len(root), 1)
    doomed = []
    # A region holding the headline or a named article body is kept whatever its class says
    # (articles sit in "banner placeholders" and "sidebar" layouts).
    anchors = [] if title_el is None else [title_el]
    for el in MARKED(root):
        get = el.get
        style = get("style")
        hidden = (
            (style is not None and is_hiding_style(style))
            or get("hidden") is not None
            or get("aria-hidden") == "true"
        )
        names = f"{get('class', '')} {get('id', '')}"
        body_mark, chrome, strong = name_marks(names)
        body_named = body_mark or get("itemprop") == "articleBody"
        if body_named and not hidden:
            anchors.append(el)
        elif (hidden or (chrome if by_name else strong)) and el not in not_body:
            if not hidden and GATED_CONTENT.search(names.lower()) and holds_prose(el):
                continue  # "subscriber-only": the article's text, gated
            if not hidden and not STRONG_CHROME.search(names.lower()) and _is_article_text(el):
                continue  # "entry share": the article, named for the buttons inside it
            doomed.append(el)
    protected = {a for anchor in anchors for a in anchor.iterancestors()}
    # Inside the named article body, a block of prose is the article continued ("read more").
    in_body = {a for a in anchors if a is not title_el}
    limit = PAGE_SHARE * total
    for el in doomed:
        if el.getparent() is None or el in protected:
            continue
        if in_body and is_continuation(el) and any(a in in_body for a in el.iterancestors()):
            continue
        # A region holding most of the page's text is the page, whatever its class says.
        # (Collapsing white space only shortens a text: a short raw text needs no collapsing.)
        raw = el.text_content()
        if (
            len(raw) < limit
            or squashed_len(raw) < limit
            or (el in with_controls and _outweighed_by_headline(el, title_el, len(raw)))
            or (not keep_overlays and _never_the_page(el, by_name))
        ):
            el.drop_tree()


def _never_the_page(el: HtmlElement, by_name: bool) -> bool:
    """Whether a region is never the article however much of the page it holds: an overlay; or
    named as comments, related stories, a side column, when read by names or when it is a list
    of teasers (a page laid out as a "sidebar" may hold its article in one: the lenient reading
    keeps such a region when it holds most of the page)."""
    names = f"{el.get('class', '')} {el.get('id', '')}"
    if OVERLAY_NAMES.search(names.lower()):
        return True
    return is_strong_chrome_name(names) and (by_name or is_teaser_block(el))


def _is_the_article(
    el: HtmlElement, title_el: HtmlElement | None, page_prose: Callable[[], int]
) -> bool:
    """Whether landmark `el` is the article, not a banner or a side column: it holds the
    headline and paragraphs of prose, or most of the page's prose (not in a footer, where
    comments sit, nor named a sidebar)."""
    own = _prose_paragraphs(el)
    if own < LANDMARK_ARTICLE_PARAGRAPHS:
        return False
    if contains(el, title_el):
        return True
    names = f"{el.get('class', '')} {el.get('id', '')}".lower()
    return el.tag != "footer" and 2 * own > page_prose() and not STRONG_CHROME.search(names)


def _is_article_text(el: HtmlElement) -> bool:
    """Paragraphs of prose making most of the element's text: an article, whatever its name."""
    return _prose_paragraphs(el) >= LANDMARK_ARTICLE_PARAGRAPHS and mostly_prose(el)


def _prose_paragraphs(el: HtmlElement) -> int:
    """How many paragraphs of prose `el` holds."""
    return sum(1 for p in el.iter("p") if is_prose(p))


def _outweighed_by_headline(el: HtmlElement, title_el: HtmlElement | None, size: int) -> bool:
    """Whether the branch of the page beside `el` that holds the headline holds more text."""
    parent = el.getparent()
    if title_el is None or parent is None:
        return False
    branch = next((a for a in title_el.iterancestors() if a.getparent() is parent), None)
    return branch is not None and len(branch.text_content()) > size


def is_continuation(el: HtmlElement) -> bool:
    """A visible block named as the rest of the article ("read-more-content") holding prose."""
    if not CONTINUATION_NAMES.search(f"{el.get('class', '')} {el.get('id', '')}".lower()):
        return False
    style = el.get("style")
    hidden = (style is not None and is_hiding_style(style)) or el.get("hidden") is not None
    return not hidden and el.get("aria-hidden") != "true" and mostly_prose(el)


def strip_fields_and_chrome(main: HtmlElement, not_body: frozenset[HtmlElement]) -> None:
    """Remove headline, lead, date and byline copies and link lists from the body."""
    cut_next_story(main, not_body)
    drop_cards(main)
    for el in list(main.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el in not_body or el.tag == "h1":
            el.drop_tree()
    markers: list[HtmlElement] = []
    for el in list(main.iter("p", "div", "ul", "ol", "table", "section", "span", "li", "a")):
        if el.getparent() is None:
            continue
        if el.tag == "a":
            # A link on a line of its own is asked only whether it is an interface line
            # ("Zurück zu allen Meldungen"); a link inside a sentence is the sentence's.
            if _on_its_own_line(el) and _is_ui_line(squash(el.text_content())):
                el.drop_tree()
            continue
        if next(el.iterancestors("figure"), None) is not None:
            continue
        raw = el.text_content()
        if squashes_to_at_least(raw, LINK_LIST_MAX_CHARS):
            continue  # too long for a link list, a junk line or a credit
        text = squash(raw)
        if el.find(".//img") is not None and len(text) < 20:
            continue
        if not text:
            continue
        if link_density(el, len(text)) > _max_link_density(el):
            el.drop_tree()
        elif len(text) <= MAX_JUNK_LINE_CHARS and (JUNK_LINE.match(text) or UI_LINE.match(text)):
            if RELATED_HEADING.match(text):
                markers.append(el)  # "Tin liên quan": where the article may end; dropped after
            else:
                el.drop_tree()
        elif len(text) <= MAX_CREDIT_LINE_CHARS and (
            CREDIT_LINE.search(text) is not None or TAXONOMY_LINE.match(text) is not None
        ):
            el.drop_tree()
    cut_related(main)
    drop_related_boxes(main)  # (after the cut: a box in the tail marks where the article ends)
    for el in markers:
        if el.getparent() is not None:
            el.drop_tree()
    trim_tail(main)
    drop_dangling_heading(main)


def _is_ui_line(text: str) -> bool:
    """Whether a line is only an interface string ("Loading", "Zurück zu allen Meldungen")."""
    return 0 < len(text) <= MAX_JUNK_LINE_CHARS and UI_LINE.match(text) is not None


def _on_its_own_line(el: HtmlElement) -> bool:
    """Whether no text stands right before or after the element in its parent."""
    if (el.tail or "").strip():
        return False
    before = el.getprevious()
    parent = el.getparent()
    text = (before.tail if before is not None else parent.text if parent is not None else "") or ""
    return not text.strip()


def drop_loose_captions(main: HtmlElement) -> None:
    """Caption and photo-credit blocks not tied to an image are not body text."""
    for el in list(NAMED(main)):
        if el.getparent() is None or next(el.iterancestors("figure"), None) is not None:
            continue
        names = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag != "figure" and is_caption_name(names) and text_len(el) < 400:
            if el.find(".//figure") is None:
                el.drop_tree()
            else:  # it holds the image itself: the figure's holder, not a loose caption
                unwrap_figure_holder(el)


def _max_link_density(el: HtmlElement) -> float:
    """A sentence may link half its words; a block of mostly links is a link list."""
    return 0.8 if el.tag in ("p", "li", "span") else 0.5


def photo_story(root: HtmlElement, main: HtmlElement | None) -> tuple[HtmlElement, str] | None:
    """A photo story's body and text: its captioned figures, whose captions carry the article.

    Asked only when the body holds too little text of its own. The evidence: several figures
    with captions in one block (the chosen body, else the block holding most of them) and
    enough caption text; the text is the captions, credits split off, in reading order.
    """
    block = main
    if block is None or len(_captions(block)) < MIN_STORY_FIGURES:
        holders: dict[HtmlElement, int] = defaultdict(int)
        for figure in root.iter("figure"):
            parent = figure.getparent()
            if parent is not None and _caption_of(figure):
                holders[parent] += 1
        if not holders:
            return None
        block = wrap([max(holders, key=lambda h: holders[h])])
    captions = _captions(block)
    if len(captions) < MIN_STORY_FIGURES or sum(map(len, captions)) < MIN_STORY_CAPTION_CHARS:
        return None
    return block, "\n\n".join(captions)


def _captions(block: HtmlElement) -> list[str]:
    """The caption texts of the block's figures, credits split off."""
    return [text for figure in block.iter("figure") if (text := _caption_of(figure))]


def _caption_of(figure: HtmlElement) -> str:
    caption = next(figure.iter("figcaption"), None)
    if caption is None:
        return ""
    return split_credit(caption.text_content())[0] or ""
