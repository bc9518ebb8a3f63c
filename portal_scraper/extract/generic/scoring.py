"""Choosing the article's main block: paragraphs scored by their text, the best block widened
to the article's sections or joined by the siblings that continue it."""

from __future__ import annotations

import re
from collections import defaultdict

from lxml.html import HtmlElement

from portal_scraper.extract.generic.boundaries import (
    common_ancestor,
    contains,
    holds_prose,
    is_card_list,
    is_teaser_block,
    is_teaser_list,
    mostly_prose,
    precedes,
)
from portal_scraper.extract.generic.hints import (
    BODY_SELECTOR,
    DIRECT_TEXT_TAGS,
    MIN_INLINE_PARAGRAPH_CHARS,
    MIN_PARAGRAPH_CHARS,
    PARAGRAPH_TAGS,
    SECTION_HEADINGS,
    SPREAD_PARAGRAPH_CHARS,
    SPREAD_SHARE,
    TEASER_LIST_WEIGHT,
    TEASER_SHARE,
    WRAPPER_SLACK,
)
from portal_scraper.extract.generic.measure import link_density, squash, text_len
from portal_scraper.extract.generic.names import is_body_name
from portal_scraper.extract.generic.photos import is_captioned_photo, lead_figures


def _direct_text(el: HtmlElement) -> str:
    """The element's own text, not its children's."""
    parts = [el.text or ""] + [child.tail or "" for child in el]
    return squash(" ".join(parts))


def main_content(
    root: HtmlElement, title_el: HtmlElement | None, not_body: frozenset[HtmlElement]
) -> HtmlElement | None:
    """The article's paragraphs gathered into one `<div>` (moved out of the page)."""
    scores: dict[HtmlElement, float] = defaultdict(float)
    mass: dict[HtmlElement, int] = defaultdict(int)  # paragraph text held, at any depth
    for el in root.iter(*PARAGRAPH_TAGS):
        parent = el.getparent()
        if el in not_body or parent in not_body:
            continue  # headline, date line, byline, lead: known not to be body
        inline = el.tag in ("span", "font")
        text = _direct_text(el) if el.tag in DIRECT_TEXT_TAGS else squash(el.text_content())
        if len(text) < (MIN_INLINE_PARAGRAPH_CHARS if inline else MIN_PARAGRAPH_CHARS):
            continue
        score = 1 + text.count(",") + text.count("،") + min(len(text) / 100, 3)
        holder = el if el.tag in ("div", "section", "td") else el.getparent()
        for depth, node in enumerate((holder, holder.getparent() if holder is not None else None)):
            if node is not None and node is not root.getparent():
                scores[node] += score / (depth + 1)
        if len(text) >= SPREAD_PARAGRAPH_CHARS:
            for node in el.iterancestors():
                mass[node] += len(text)
                if node is root:
                    break
    if not scores:
        return None
    scored = Scores(scores)
    best = scored.best()
    assert best is not None  # (there are scores)
    if _teasers_beside_the_headlines_text(best, title_el, scored):
        # A list of teasers beside the article is no article: read the page without it.
        best.drop_tree()
        return main_content(root, title_el, not_body)
    best = _spread(best, root, mass, scored)
    explicit = [el for el in BODY_SELECTOR(root) if text_len(el) >= 200]
    if explicit:
        # The article element holding the headline, else the one with the most text.
        chosen = max(explicit, key=lambda el: (contains(el, title_el), text_len(el)))
        inside = any(a is chosen for a in best.iterancestors())
        if (
            best is chosen
            or inside
            or (contains(chosen, title_el) and not contains(best, chosen))
            or (
                any(a is best for a in chosen.iterancestors())
                and text_len(chosen) >= 0.6 * text_len(best)
            )
            or (
                not contains(best, title_el)
                and is_teaser_list(best)
                and precedes(root, title_el, chosen)
            )
            or _teasers_beside(best, chosen)
        ):
            return wrap([*lead_figures(chosen, title_el), chosen])
    sections = _headline_sections(best, title_el, root)
    if sections:
        return wrap(sections)
    kept = _with_siblings(best, scored)
    unit = best
    while len(kept) == 1 and (wrapper := unit.getparent()) is not None and wrapper is not root:
        # A block alone in its wrapper: the article's other blocks are the wrapper's siblings.
        if text_len(wrapper) > WRAPPER_SLACK * text_len(unit):
            break
        scored.raise_to(wrapper, scored.of(unit))
        unit = wrapper
        kept = _with_siblings(unit, scored)
    return wrap(kept if len(kept) > 1 else [best])


class Scores:
    """Each block's paragraph score, weighted by its name and discounted by its links.

    The discount is measured when a score is first read: the best block is found reading
    blocks from the highest undiscounted score down, and most blocks are never read.
    """

    def __init__(self, raw: dict[HtmlElement, float]) -> None:
        self._raw = raw
        self._final: dict[HtmlElement, float] = {}

    def of(self, node: HtmlElement) -> float:
        """The node's score (0 for a node holding no paragraph)."""
        final = self._final.get(node)
        if final is None:
            raw = self._raw.get(node)
            if raw is None:
                return 0.0
            weight = self._name_weight(node)
            if node.tag in ("ul", "ol") and (is_teaser_list(node) or is_card_list(node)):
                weight *= TEASER_LIST_WEIGHT
            final = self._final[node] = raw * (weight * (1 - link_density(node)))
        return final

    def raise_to(self, node: HtmlElement, score: float) -> None:
        """Give `node` at least `score`."""
        self._final[node] = max(self.of(node), score)

    def best(self, outside: HtmlElement | None = None) -> HtmlElement | None:
        """The highest-scored node (the first in document order on a tie), or the highest
        outside the block `outside` (None when no node there holds a paragraph)."""
        # A discount only lowers a score, so a node whose weighted score is below the best
        # found so far cannot win.
        order = {node: i for i, node in enumerate(self._raw)}
        bounds = sorted(
            ((raw * self._name_weight(node), order[node], node) for node, raw in self._raw.items()),
            key=lambda item: (-item[0], item[1]),
        )
        best: tuple[float, int, HtmlElement] | None = None
        for bound, place, node in bounds:
            if best is not None and bound < best[0]:
                break
            if outside is not None and (node is outside or contains(outside, node)):
                continue
            score = self.of(node)
            if best is None or score > best[0] or (score == best[0] and place < best[1]):
                best = (score, place, node)
        return None if best is None else best[2]

    @staticmethod
    def _name_weight(node: HtmlElement) -> float:
        names = f"{node.get('class', '')} {node.get('id', '')}"
        return 1.25 if is_body_name(names) else 1.0


def _teasers_beside_the_headlines_text(
    best: HtmlElement, title_el: HtmlElement | None, scored: Scores
) -> bool:
    """Whether the best block is a list of teasers outside the headline's block, and text
    scores in that block: the headline and that text share a block the list is not in (a
    post whose text is a list of linked stories keeps its list)."""
    if title_el is None or best.getparent() is None or contains(best, title_el):
        return False
    if not is_teaser_block(best):
        return False
    beside = scored.best(outside=best)
    shared = None if beside is None else common_ancestor(beside, title_el)
    return shared is not None and not contains(shared, best) and shared is not best


def _teasers_beside(best: HtmlElement, chosen: HtmlElement) -> bool:
    """Whether the best block is lists of teasers or cards, and the article element outside
    it holds the text: most of the block's own text is in those lists."""
    if contains(best, chosen) or not holds_prose(chosen):
        return False
    lists = [el for el in best.iter("ul", "ol") if is_teaser_list(el) or is_card_list(el)]
    in_lists = sum(text_len(el) for el in lists if not any(a in lists for a in el.iterancestors()))
    return text_len(best) - in_lists < TEASER_SHARE * text_len(chosen)


def _spread(
    best: HtmlElement,
    root: HtmlElement,
    mass: dict[HtmlElement, int],
    scores: Scores,
) -> HtmlElement:
    """Widen to an ancestor when the best block holds little of the page's long paragraphs."""
    # Landing pages, recipes and guides spread their text over many modules; an article is one
    # block. Widening stops once the region holds most of that text.
    total = mass[root]
    node = best
    while total and mass[node] < SPREAD_SHARE * total:
        parent = node.getparent()
        if parent is None or parent is root:
            break
        node = parent
    if node is not best:
        scores.raise_to(node, scores.of(best))
    return node


def _headline_sections(
    best: HtmlElement, title_el: HtmlElement | None, root: HtmlElement
) -> list[HtmlElement] | None:
    """The article's sections, when the best block is one of several under the headline.

    An article split into sections (one block per sub-heading, editor components) scores
    block by block. The block holding both the headline and the best block, when it is all
    article text, holds the rest: its parts that hold prose.
    """
    if title_el is None or contains(best, title_el):
        return None
    region = common_ancestor(best, title_el)
    if region is None or region is root or not contains(root, region):
        return None
    if not mostly_prose(region, exclude=title_el):
        return None
    children = [child for child in region if isinstance(child.tag, str)]
    first = next(i for i, c in enumerate(children) if c is title_el or contains(c, title_el))
    last = next(i for i, c in enumerate(children) if c is best or contains(c, best))
    if first > last:
        return None  # the best block above the headline: another story's
    # From the headline to the best block, the parts that are article text; after it, the
    # parts built like it (the next sections), sub-headings between them.
    # (A captioned photo between the headline and the text is the article's too.)
    kept = [
        child
        for child in children[first : last + 1]
        if holds_prose(child) or is_captioned_photo(child)
    ]
    if children[last] not in kept:
        kept.append(children[last])
    model = children[last]
    pending: list[HtmlElement] = []
    for child in children[last + 1 :]:
        if child.tag in SECTION_HEADINGS:
            pending.append(child)
        elif child.tag == model.tag:
            if holds_prose(child) and (
                child.get("class") == model.get("class") or mostly_prose(child)
            ):
                kept += [*pending, child]
            pending = []
        else:
            break
    return kept


def _with_siblings(best: HtmlElement, scores: Scores) -> list[HtmlElement]:
    """The best node and the siblings that continue it (more paragraphs of the same text)."""
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, scores.of(best) * 0.2)
    kept: list[HtmlElement] = []
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        if (
            sibling is best
            or scores.of(sibling) >= threshold
            or (
                kept
                and kept[-1] is sibling.getprevious()
                and _continues(sibling, parent, best, scores)
            )
            or _same_part(sibling, best, scores)
        ):
            kept.append(sibling)
        elif sibling.tag in ("p", "h2", "h3", "h4", "blockquote", "ul", "ol", "figure", "table"):
            text = squash(sibling.text_content())
            density = link_density(sibling, len(text))
            if (
                (len(text) > 80 and density < 0.25)
                or (0 < len(text) <= 80 and density == 0 and re.search(r"[.!?:…”\"]$", text))
                or sibling.tag == "figure"
                or (sibling.find(".//img") is not None and not text)
            ):
                kept.append(sibling)
        elif is_captioned_photo(sibling):
            kept.append(sibling)  # "div.wp-caption": a figure written without `<figure>`
    return kept


def _same_part(sibling: HtmlElement, best: HtmlElement, scores: Scores) -> bool:
    """Whether a sibling is another part of the article built like the best one: the same tag
    and class, with text of its own and few links (a story told in captioned sections)."""
    if (
        sibling.tag != best.tag
        or not best.get("class")
        or sibling.get("class") != best.get("class")
    ):
        return False
    text = squash(sibling.text_content())
    return scores.of(sibling) > 0 and link_density(sibling, len(text)) < 0.1


def _continues(
    sibling: HtmlElement, parent: HtmlElement, best: HtmlElement, scores: Scores
) -> bool:
    """Whether a block right after the article's, built like it, holds more of its prose (a
    second column, a continuation): prose paragraphs make most of its text."""
    # (Not beside the page's own wrapper: what follows it is banners and overlays.)
    if sibling.tag != best.tag or scores.of(sibling) <= 0 or parent.tag == "body":
        return False
    return mostly_prose(sibling)


def wrap(nodes: list[HtmlElement]) -> HtmlElement:
    """The nodes moved, in order, into a new `<div>`."""
    container = nodes[0].makeelement("div", {})
    for node in nodes:
        tail, node.tail = node.tail, None
        container.append(node)
        node.tail = tail
    return container
