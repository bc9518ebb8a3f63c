"""Where the article body ends: what follows its last paragraph, and what interrupts it.

The main block often holds more than the article: share bars, source links and hotlines after
the last paragraph, related-article cards between paragraphs, the next story of an endless
page. Each rule names its evidence: position relative to the article's last paragraph, link
structure (a thumbnail and a title linking the same page), a second headline.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import (
    AFTER_ARTICLE_HEADING,
    DIRECT_TEXT_TAGS,
    MAX_BIO_CHARS,
    MAX_CARD_CHARS,
    MAX_CARD_FRAME_CHARS,
    MAX_RELATED_CANDIDATES,
    MAX_TAIL_JUNK_CHARS,
    MIN_BIO_NAME_CHARS,
    MIN_PROSE_CHARS,
    PARAGRAPH_TAGS,
    RELATED_AFTER_SHARE,
    RELATED_HEADING,
    RELATED_HEADING_CHARS,
    TAIL_PHONE,
    TAIL_TAG,
    TAIL_URL,
    TAIL_URL_TEXT,
)
from portal_scraper.extract.generic.hints import (
    MAX_JUNK_LINE_CHARS as MAX_LABEL_CHARS,
)
from portal_scraper.extract.generic.measure import linked_chars, squash, text_len

PROSE_TAGS = (*PARAGRAPH_TAGS, "blockquote")
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
RELATED_LINE_TAGS = ("h2", "h3", "h4", "h5", "h6", "p", "div", "strong", "b", "span", "li")


def _own_text(el: HtmlElement) -> str:
    """The element's own text for containers, its whole text for paragraphs."""
    if el.tag in DIRECT_TEXT_TAGS:
        parts = [el.text or ""] + [child.tail or "" for child in el]
        return squash(" ".join(parts))
    return squash(el.text_content())


def _link_density(el: HtmlElement, total: int) -> float:
    if not total:
        return 0.0
    return linked_chars(el) / total


def is_prose(el: HtmlElement) -> bool:
    """A paragraph of article text: long own text (web addresses aside), few links."""
    text = _own_text(el)
    if TAIL_URL.search(text):
        text = TAIL_URL_TEXT.sub("", text)
    if len(text) < MIN_PROSE_CHARS or next(el.iterancestors("figure"), None) is not None:
        return False
    # A sentence may link most of its words; a block of mostly links is a link list.
    limit = 0.8 if el.tag in ("p", "li", "blockquote") else 0.5
    return _link_density(el, text_len(el)) < limit


def mostly_prose(el: HtmlElement, exclude: HtmlElement | None = None) -> bool:
    """Whether prose paragraphs make most of `el`'s text, with few links: article text.

    The text of `exclude` (the headline) does not count.
    """
    total = text_len(el)
    if exclude is not None:
        total -= text_len(exclude)
    prose = sum(text_len(p) for p in el.iter("p", "blockquote") if is_prose(p))
    return total > 0 and prose >= 0.8 * total and _link_density(el, total) < 0.25


def holds_prose(el: HtmlElement) -> bool:
    """Whether a paragraph of article text lies in `el`."""
    return any(is_prose(p) for p in el.iter(*PROSE_TAGS))


def _tail_junk(el: HtmlElement, own_holder: bool) -> bool:
    """Whether `el`, after the article's last paragraph, is chrome (share bar, hotline, tag)."""
    text = squash(el.text_content())
    if not text:
        return el.find(".//img") is None or el.find(".//a//img") is not None
    if len(text) - linked_chars(el) > MAX_TAIL_JUNK_CHARS:
        return False  # chrome is short: this much text of its own is the article's (a list)
    if TAIL_URL.search(text) or TAIL_PHONE.search(text) or TAIL_TAG.match(text):
        return True
    if own_holder:
        return False  # beside the last paragraph: closing lines and signatures stay
    # Outside the paragraphs' container: a block without prose that links somewhere is the
    # page's (share bars, "follow us", source links); plain lines (a signature) stay.
    return el.tag != "figure" and el.find(".//a") is not None


def cut_related(main: HtmlElement) -> None:
    """Cut the body at a "Related" / "Lesen Sie auch" line in its second half, and all after."""
    candidates = []
    for el in main.iter(*RELATED_LINE_TAGS):
        # (Its own first words first: a whole text is read only for the few that may match.)
        own = (el.text or "").lstrip()
        if not own or not (RELATED_HEADING.match(own) or AFTER_ARTICLE_HEADING.match(own)):
            continue
        text = squash(el.text_content())
        # (A sentence, "Xem thêm tại trang liên hệ.", is no heading; a heading may exclaim.)
        if len(text) <= RELATED_HEADING_CHARS and (el.tag in HEADINGS or text[-1] not in ".!?…"):
            candidates.append((el, text))
            if len(candidates) >= MAX_RELATED_CANDIDATES:
                break
    if not candidates:
        return
    total = sum(len(t) for t in main.xpath("descendant::text()"))
    for el, text in candidates:
        before = sum(len(t) for t in el.xpath("preceding::text()"))
        if before < RELATED_AFTER_SHARE * total:
            continue
        later = el.xpath("following::*")
        if not AFTER_ARTICLE_HEADING.match(text) and any(
            is_prose(p) and not _in_card(p) for p in later if p.tag in ("p", "blockquote")
        ):
            continue  # the article goes on after a box of links ("Lesen Sie auch" inline)
        for after in later:
            if after.getparent() is not None:
                after.drop_tree()
        el.drop_tree()
        return


def drop_dangling_heading(main: HtmlElement) -> None:
    """Drop a "Related" / "Mehr zum Thema" line left last in the body once what it introduced
    is gone."""
    last = None
    for el in main.iter():
        if isinstance(el.tag, str) and (el.text or "").strip():
            last = el
    if last is None or last.tag not in RELATED_LINE_TAGS:
        return
    text = squash(last.text_content())
    if (
        len(text) <= RELATED_HEADING_CHARS
        and (last.tag in HEADINGS or text[-1] not in ".!?…")
        and (RELATED_HEADING.match(text) or AFTER_ARTICLE_HEADING.match(text))
    ):
        last.drop_tree()


def drop_author_bio(main: HtmlElement, authors: list[str]) -> None:
    """Drop a short paragraph opening or closing the body that starts with an author's name
    ("Jane Doe leads the politics desk..."): the author's bio, not the article."""
    names = [name for name in authors if len(name) >= MIN_BIO_NAME_CHARS]
    if not names:
        return
    paragraphs = [p for p in main.iter("p") if squash(p.text_content())]
    if len(paragraphs) <= 2:
        return  # (never the article itself)
    for p in (paragraphs[0], paragraphs[-1]):
        text = squash(p.text_content())
        if len(text) <= MAX_BIO_CHARS and any(
            text.startswith(name) and text[len(name) : len(name) + 1] in (" ", ",")
            for name in names
        ):
            p.drop_tree()


def _in_card(paragraph: HtmlElement) -> bool:
    """Whether the paragraph is a teaser's blurb: a short block around it (or one holding
    little but it: a headline, a "more" link) links elsewhere."""
    parent = paragraph.getparent()
    own = text_len(paragraph)
    for block in (parent, None if parent is None else parent.getparent()):
        size = text_len(block) if block is not None else 0
        if block is None or (size > MAX_CARD_CHARS and size - own > MAX_CARD_FRAME_CHARS):
            return False
        for a in block.iter("a"):
            if _leads_elsewhere(a.get("href")) and not contains(paragraph, a):
                return True
    return False


def trim_tail(main: HtmlElement) -> None:
    """Drop the blocks after the article's last paragraph that show they are page chrome."""
    last = next((el for el in reversed(list(main.iter(*PROSE_TAGS))) if is_prose(el)), None)
    if last is None:
        return
    holder = last.getparent()
    node = last
    while node is not main:
        parent = node.getparent()
        if parent is None:
            break
        for sibling in list(node.itersiblings()):
            if not isinstance(sibling.tag, str) or holds_prose(sibling):
                continue
            if _tail_junk(sibling, own_holder=parent is holder):
                sibling.drop_tree()
        node = parent


def drop_cards(main: HtmlElement) -> None:
    """Drop related-article cards: a thumbnail and a title linking the same other page."""
    links: dict[str, list[HtmlElement]] = {}
    for a in main.iter("a"):
        href = a.get("href")
        if href and not href.startswith("#"):
            links.setdefault(href, []).append(a)
    for group in links.values():
        if len(group) < 2:
            continue
        thumb = next((a for a in group if a.find(".//img") is not None), None)
        title = next((a for a in group if text_len(a) >= 15), None)
        if thumb is None or title is None or thumb is title:
            continue
        card = common_ancestor(thumb, title)
        if card is None or card is main or card.getparent() is None:
            continue
        text = squash(card.text_content())
        if len(text) <= MAX_CARD_CHARS and sum(map(is_prose, card.iter(*PROSE_TAGS))) <= 1:
            box = card.getparent()
            card.drop_tree()
            # The box the cards stood in, left with its label alone ("Read more", "Tin liên quan").
            if (
                box is not None
                and box is not main
                and box.getparent() is not None
                and text_len(box) <= MAX_LABEL_CHARS
                and box.find(".//img") is None
            ):
                box.drop_tree()


def contains(el: HtmlElement, inner: HtmlElement | None) -> bool:
    """Whether `inner` lies below `el`."""
    return inner is not None and any(a is el for a in inner.iterancestors())


def common_ancestor(a: HtmlElement, b: HtmlElement) -> HtmlElement | None:
    """The lowest element holding both `a` and `b`."""
    above_a = {id(x): x for x in a.iterancestors()}
    return next((x for x in b.iterancestors() if id(x) in above_a), None)


def cut_next_story(main: HtmlElement, not_body: frozenset[HtmlElement]) -> None:
    """Cut a second story after the article: a later headline in an `<article>` nested in the
    article (endless pages append the next story inside the first)."""
    if not any(
        sum(1 for a in h1.iterancestors("article") if a is not main) >= 2 for h1 in main.iter("h1")
    ):
        return  # (most pages: no article in the article)
    seen_prose = False
    for el in main.iter(*PROSE_TAGS, "h1"):
        if el.tag != "h1":
            seen_prose = seen_prose or is_prose(el)
            continue
        if not seen_prose or el in not_body:
            continue
        # An article inside the article: the next story (a headline alone may head a section).
        if sum(1 for a in el.iterancestors("article") if a is not main) < 2:
            continue
        block = el
        # Up to the block that follows the article's paragraphs.
        parent = block.getparent()
        while parent is not None and parent is not main:
            if any(holds_prose(s) for s in block.itersiblings(preceding=True)):
                break
            block, parent = parent, parent.getparent()
        for after in list(block.itersiblings()):
            after.drop_tree()
        block.drop_tree()
        return


def is_teaser_list(node: HtmlElement) -> bool:
    """Whether `node` is a list of teasers: three or more items, each opening with a link."""
    while len(node) == 1 and isinstance(node[0].tag, str):
        node = node[0]  # the list inside its wrappers
    return opening_with_links([child for child in node if isinstance(child.tag, str)], 3)


def opening_with_links(items: list[HtmlElement], least: int) -> bool:
    """Whether there are at least `least` items and nearly all open with a link."""
    if len(items) < least:
        return False
    opening = 0
    for item in items:
        link = item.find(".//a")
        if link is not None and squash(item.text_content()).startswith(
            squash(link.text_content()) or "\x00"
        ):
            opening += 1
    return opening >= 0.8 * len(items)


def is_teaser_block(node: HtmlElement) -> bool:
    """Whether the block is a list of teasers: three or more items (under its own headings),
    each a linked headline block followed by more (a blurb, a date)."""
    items = [c for c in node if isinstance(c.tag, str) and c.tag not in HEADINGS]
    while len(items) == 1 and len(items[0]):
        items = [c for c in items[0] if isinstance(c.tag, str) and c.tag not in HEADINGS]
    if len(items) < 3:
        return False
    return sum(map(_teaser_item, items)) >= 0.8 * len(items)


def _teaser_item(item: HtmlElement) -> bool:
    """An item opening with a block that is only a link (a story's headline), then more."""
    head = next((c for c in item if isinstance(c.tag, str)), None)
    if head is None or head.tag not in (*HEADINGS, "div", "p", "header", "strong"):
        return False
    link = head.find(".//a")
    if link is None or (item.text or "").strip():
        return False
    headline = squash(head.text_content())
    return bool(headline) and headline == squash(link.text_content()) != squash(item.text_content())


def drop_related_boxes(main: HtmlElement) -> None:
    """Drop boxes of links to other stories set in the article: a "Related" / "Mehr zum
    Thema" heading, then teasers that each open with a link (wherever the box stands)."""
    for heading in list(main.iter(*HEADINGS, "strong", "b", "p", "span", "div")):
        own = (heading.text or "").strip()
        if not own or not RELATED_HEADING.match(own) or heading.getparent() is None:
            continue
        if text_len(heading) > RELATED_HEADING_CHARS:
            continue
        box = heading.getparent()
        if box is None or box is main:
            continue
        items = [c for c in box if isinstance(c.tag, str) and c is not heading]
        while len(items) == 1 and len(items[0]) and isinstance(items[0][0].tag, str):
            items = [c for c in items[0] if isinstance(c.tag, str)]  # the list in its wrapper
        if opening_with_links(items, 2) or _one_teaser(items, text_len(box) - text_len(heading)):
            box.drop_tree()


def _one_teaser(items: list[HtmlElement], size: int) -> bool:
    """Whether a box's items are one teaser: a link to another story first, then its blurb."""
    if not items or size > MAX_CARD_CHARS:
        return False
    first = items[0]
    link = first if first.tag == "a" else first.find(".//a")
    return (
        link is not None
        and _leads_elsewhere(link.get("href"))
        and squash(first.text_content()).startswith(squash(link.text_content()) or "\x00")
    )


def is_card_list(node: HtmlElement) -> bool:
    """Whether list `node` is a list of cards: three or more short items, each linking a page."""
    items = [child for child in node if isinstance(child.tag, str)]
    if len(items) < 3:
        return False
    cards = 0
    for item in items:
        linked = any(_leads_elsewhere(a.get("href")) for a in item.iter("a"))
        cards += linked and text_len(item) <= MAX_CARD_CHARS
    return cards >= 0.8 * len(items)


def _leads_elsewhere(href: str | None) -> bool:
    """A link to another page (not an anchor in this one, not a script)."""
    href = (href or "").strip()
    return bool(href) and not href.startswith("#") and not href.lower().startswith("javascript:")


def precedes(root: HtmlElement, first: HtmlElement | None, then: HtmlElement) -> bool:
    """Whether `first` comes before `then` in the page (the headline above the article)."""
    if first is None:
        return False
    for el in root.iter():
        if el is first:
            return True
        if el is then:
            return False
    return False
