"""The article's other fields: lead, portal footer, breadcrumbs, views, attachments, language."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

from portal_scraper.extract.footer import parse_footer
from portal_scraper.extract.generic.hints import (
    FILE_LINK,
    FOOTER_LABELS,
    LEAD_LABEL,
    LEAD_SOURCE_PREFIX,
    MAX_LEAD_CANDIDATES,
    MAX_LEAD_LINK_SHARE,
    MAX_PROSE_BEFORE_LEAD,
    VIEWS,
    VIEWS_ANYWHERE,
    VIEWS_TEXT,
    VIEWS_TEXT_WORDS,
)
from portal_scraper.extract.generic.measure import linked_chars, squash, text_len
from portal_scraper.extract.generic.names import (
    Named,
    is_chrome_name,
    is_summary_name,
)
from portal_scraper.extract.metadata import Metadata
from portal_scraper.normalize.text import clean_text


def find_summary(
    named: Named, title_place: int, title_el: HtmlElement | None
) -> tuple[str | None, HtmlElement | None]:
    """A lead paragraph (sapo, standfirst...) after the headline, and its element.

    The evidence: a lead name, the length of a paragraph or two, few links, no chrome around
    it, and its place: before the body, no paragraph of prose between it and the headline.
    """
    candidates = []
    for el, names in named[title_place:]:
        if el.tag in ("meta", "html", "body", "li") or el is title_el:
            continue
        if not is_summary_name(names) or is_chrome_name(names):
            continue
        text = squash(el.text_content())
        if not (40 <= len(text) <= 700 and len(el.findall(".//p")) <= 1):
            continue
        linked = linked_chars(el)
        if linked > MAX_LEAD_LINK_SHARE * len(text) or _in_chrome(el, title_el):
            continue
        candidates.append((el, text))
        if len(candidates) >= MAX_LEAD_CANDIDATES:
            break
    for el, text in candidates:
        if title_el is None or _right_after(title_el, el):
            return LEAD_SOURCE_PREFIX.sub("", LEAD_LABEL.sub("", text)), el
    return _header_lead(title_el)


def _header_lead(title_el: HtmlElement | None) -> tuple[str | None, HtmlElement | None]:
    """The paragraph after the headline inside the article's own `<header>`: its standfirst
    (a header holds no body text)."""
    header = None if title_el is None else next(title_el.iterancestors("header"), None)
    if header is None or title_el is None:
        return None, None
    if sum(1 for p in header.iter("p") if text_len(p) >= 40) > 2:
        return None, None  # a header left open by broken markup, around the article itself
    after = False
    for el in header.iter("p", str(title_el.tag)):
        if el is title_el:
            after = True
            continue
        text = squash(el.text_content())
        linked = linked_chars(el)
        if after and 40 <= len(text) <= 700 and linked <= MAX_LEAD_LINK_SHARE * len(text):
            return LEAD_SOURCE_PREFIX.sub("", LEAD_LABEL.sub("", text)), el
    return None, None


def _in_chrome(el: HtmlElement, title_el: HtmlElement | None) -> bool:
    """Whether an element above `el` is named as chrome, a list item or a side column (up to
    the region holding the headline: articles sit in "sidebar" layouts)."""
    headline_region = set() if title_el is None else set(title_el.iterancestors())
    for above in el.iterancestors():
        if above in headline_region:
            return False
        if above.tag in ("li", "aside", "nav", "footer"):
            return True
        if is_chrome_name(f"{above.get('class', '')} {above.get('id', '')}"):
            return True
    return False


def _right_after(title_el: HtmlElement, el: HtmlElement) -> bool:
    """Whether `el` comes after the headline with no paragraph of prose in between."""
    root = title_el.getroottree().getroot()
    after = False
    prose = 0
    for node in root.iter("p", "h1", "h2", "h3", str(el.tag)):
        if node is el:
            return after
        if node is title_el:
            after = True
        elif after and node.tag == "p" and node.getparent() is not None:
            prose += text_len(node)
            if prose > MAX_PROSE_BEFORE_LEAD:
                return False
    return False


def find_portal(named: Named) -> dict[str, Any] | None:
    """The portal footer, when it has labelled lines the `portal` object knows."""
    footers = [el for el, names in named if "footer" in names.lower() or el.tag == "footer"]
    if not footers:
        return None
    footer = max(footers, key=text_len)
    lowered = footer.text_content().lower()
    if not any(label in lowered for label in FOOTER_LABELS):
        return None
    lines: list[str] = []
    for block in footer.iter("p", "div", "li", "span", "td", "address"):
        # (One walk for both: no <p> and no <div> below the block.)
        if next(block.iterdescendants("p", "div"), None) is None and not _is_menu(block):
            for text in _block_lines(block):
                if text not in lines:
                    lines.append(text)
    lines = lines[:40] + _linked_contacts(footer)
    portal = parse_footer(lines)
    known = ("agency", "address", "editor_in_chief", "phones", "faxes", "emails")
    if portal is None or sum(bool(portal[k]) for k in known) < 2:
        return None
    return portal


def _is_menu(block: HtmlElement) -> bool:
    """Whether a block is a row of links (a menu), whose text names no portal fact."""
    links = [a for a in block.iter("a") if text_len(a)]
    linked = sum(text_len(a) for a in links)
    return len(links) >= 3 and linked >= 0.8 * text_len(block)


def _block_lines(block: HtmlElement) -> list[str]:
    """A block's text, one line per `<br>`-separated run."""
    parts = [block.text or ""]
    for el in block.iterdescendants():
        if el.tag == "br":
            parts.append("\n")
        elif isinstance(el.tag, str) and el.text:
            parts.append(el.text)
        parts.append(el.tail or "")
    return [line for line in (squash(t) for t in "".join(parts).split("\n")) if line]


def _linked_contacts(footer: HtmlElement) -> list[str]:
    """Labelled lines for what the footer says only by markup: `<address>`, the `tel:` links
    beside it, `mailto:` links."""
    found: list[str] = []
    for address in footer.iter("address"):
        found.append(f"Địa chỉ: {squash(address.text_content())}")
        holder = address.getparent()
        for _ in range(2):  # the contact block the address sits in
            if holder is not None and holder.find(".//a[@href]") is None:
                holder = holder.getparent()
        for a in holder.iter("a") if holder is not None else ():
            if (a.get("href") or "").startswith("tel:"):
                found.append(f"Điện thoại: {squash(a.text_content())}")
    for a in footer.iter("a"):
        if (a.get("href") or "").lower().startswith("mailto:"):
            found.append(f"Email: {a.get('href', '')[7:].split('?')[0]}")
    return found


def find_breadcrumbs(named: Named) -> list[str]:
    """The trail of a breadcrumb element, each crumb once."""
    trails = [el for el, names in named if "breadcrumb" in names.lower()]
    for trail in trails:
        items = [clean_text(e.text_content()) for e in trail.iter("a", "li", "span")
                 if e.find(".//a") is None and e.find(".//li") is None]  # fmt: skip
        crumbs = [t for t in items if t and t not in (">", "/", "»", "›", "|", "-")]
        deduped = [t for i, t in enumerate(crumbs) if t not in crumbs[:i]]
        if deduped:
            return deduped
    return []


def find_category(breadcrumbs: list[str], title: str | None) -> str | None:
    """The last breadcrumb before the article's own."""
    trail = [b for b in breadcrumbs if b != title]
    return trail[-1] if len(trail) > 1 else None


def find_view_count(root: HtmlElement) -> int | None:
    """A "Lượt xem: 1.234" / "Views: 1234" counter."""
    # One pass over the page's text rules out most pages before the per-text-node search;
    # the words every match holds rule out more, faster than the pattern itself.
    text = etree.tostring(root, method="text", encoding="unicode")
    if not any(word in text for word in VIEWS_TEXT_WORDS):
        return None
    text = _lowered_for_views(text)
    if not any(word in text and ending.search(text) for word, ending in VIEWS_ANYWHERE):
        return None
    for node in VIEWS_TEXT(root):
        holder = node.getparent()
        text = clean_text(holder.text_content()) if holder is not None else ""
        match = VIEWS.search(text) if len(text) < 60 else None
        digits = re.sub(r"\D", "", match.group(1)) if match else ""
        if digits:
            return int(digits)
    return None


def _lowered_for_views(text: str) -> str:
    """The text with the capitals VIEWS_ANYWHERE could read lowercased (A-Z, Đ, Ọ)."""
    # As good as str.lower() for that pattern (no other character lowers into one of its
    # letters) and a third of its time on a long non-ASCII text: bytes.lower() is ASCII-only.
    lowered = text.encode("utf-8").lower().decode("utf-8")
    return lowered.replace("Đ", "đ").replace("Ọ", "ọ")


def find_attachments(root: HtmlElement, url: str) -> list[tuple[str, str]]:
    """Linked documents (PDF, Office, archives) with their link text, each once."""
    found: list[tuple[str, str]] = []
    for a in root.iter("a"):
        href = a.get("href") or ""
        if FILE_LINK.search(href):
            absolute = urljoin(url, href)
            if absolute not in (f[0] for f in found):
                found.append((absolute, clean_text(a.text_content())))
    return found


def find_language(doc: HtmlElement, meta: Metadata) -> str | None:
    """The page's language code (`lang`, og:locale, Content-Language)."""
    lang = doc.get("lang") or meta.meta.get("og:locale") or meta.meta.get("content-language")
    tag = clean_text(lang or "").replace("_", "-").split("-")[0].lower()
    return tag if re.fullmatch(r"[a-z]{2,3}", tag) else None
