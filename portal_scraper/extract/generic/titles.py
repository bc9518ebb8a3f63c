"""The headline, and the error pages a headline gives away."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from lxml.html import HtmlElement

from portal_scraper.extract.generic.hints import (
    ERROR_NAMES,
    ERROR_SELECTOR,
    ERROR_TITLE,
    HEADLINE_CANDIDATES,
    KICKER_TAGS,
    KICKER_WORDS,
    LOGO_DEPTH,
    MAX_HEADLINE_CHARS,
    MAX_KICKER_CHARS,
    SITE_NAME_KEYS,
    SITE_NAME_NAMES,
    SLUG_MIN_WORDS,
    SLUG_SHARE,
    TITLE_SEPARATORS,
    WORD,
)
from portal_scraper.extract.generic.names import Named, is_chrome_name
from portal_scraper.extract.metadata import Metadata
from portal_scraper.normalize.text import clean_text, fold


def find_title(
    doc: HtmlElement, meta: Metadata, url: str = ""
) -> tuple[str | None, HtmlElement | None]:
    """The headline: an `<h1>` the `<title>` or og:title confirms, else structured data, else
    a heading or title-named element that the `<title>` or the URL's slug confirms."""
    title_tag = page_title(doc)
    og = clean_text(meta.meta.get("og:title") or meta.meta.get("twitter:title"))
    reference = " ".join((og, meta.headline or "")).casefold()
    known = set(WORD.findall(" ".join((title_tag, reference)).casefold()))
    parts = [p for p in TITLE_SEPARATORS.split(title_tag) if p]
    # The site's name, as the page gives it.
    names = {clean_text(meta.meta.get(k)).casefold() for k in SITE_NAME_KEYS} - {""}
    h1s = [(h, _headline_text(h, known)) for h in doc.iter("h1") if not _in_logo(h)]
    h1s = [(h, t) for h, t in h1s if 3 <= len(t) <= MAX_HEADLINE_CHARS]
    best: tuple[int, str, HtmlElement] | None = None
    for h1, text in h1s:
        words = WORD.findall(text.casefold())
        # Confirmed when the <title> or og:title has its words (they add the site name).
        confirmed = sum(w in known for w in words)
        if not words or confirmed < 0.8 * len(words) or text.casefold() in names:
            continue
        if best is None or confirmed > best[0]:
            best = (confirmed, text, h1)
    if best is not None:
        return best[1], best[2]
    if meta.headline:
        return meta.headline, _showing(doc, meta.headline)
    if og:
        return og, _showing(doc, og)
    # No <h1> is the headline: a sub-heading or an element named as the title that the
    # <title> confirms (blog themes, portals writing the headline in an h2).
    candidates: list[HtmlElement] = HEADLINE_CANDIDATES(doc)
    for el in candidates:
        if _in_chrome(el) or _in_logo(el):
            continue
        text = clean_text(el.text_content())
        words = WORD.findall(text.casefold())
        if not 3 <= len(text) <= MAX_HEADLINE_CHARS or not words or text.casefold() in names:
            continue
        confirmed = sum(w in known for w in words)
        if confirmed >= 0.8 * len(words) and (best is None or confirmed > best[0]):
            best = (confirmed, text, el)
    if best is not None:
        return best[1], best[2]
    if len(h1s) == 1 and not (title_tag and _in_chrome(h1s[0][0])):
        return h1s[0][1], h1s[0][0]
    # A portal whose <title> is only its own name: the URL's slug spells the headline.
    slugged = _spelled_by_slug(candidates, url)
    if slugged is not None:
        return clean_text(slugged.text_content()), slugged
    return (max(parts, key=len) if parts else None), None


def _spelled_by_slug(candidates: list[HtmlElement], url: str) -> HtmlElement | None:
    """The headline candidate whose words the URL's last segment spells
    ("xa-tan-phu-ra-mat-to-cong-nghe-so" for "Xã Tân Phú ra mắt Tổ công nghệ số")."""
    last = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    slug = [w for w in re.split(r"[-_+]+", fold(last).casefold()) if w and not w.isdigit()]
    if len(slug) < SLUG_MIN_WORDS:
        return None
    for el in candidates:
        if _in_chrome(el) or _in_logo(el):
            continue
        text = clean_text(el.text_content())
        words = WORD.findall(fold(text).casefold())
        if len(text) > MAX_HEADLINE_CHARS or len(words) > 2 * len(slug) + 2:
            continue  # a block holding the headline, not the headline
        if sum(w in words for w in slug) >= SLUG_SHARE * len(slug):
            return el
    return None


def _showing(doc: HtmlElement, headline: str) -> HtmlElement | None:
    """The heading or title-named element that shows `headline` as it is, if one does."""
    wanted = headline.casefold()
    candidates: list[HtmlElement] = HEADLINE_CANDIDATES(doc)
    for el in candidates:
        if clean_text(el.text_content()).casefold() == wanted and not _in_chrome(el):
            return el
    return None


def page_title(doc: HtmlElement) -> str:
    """The text of the page's `<title>` (in its `<head>`, else wherever the markup put it)."""
    head = doc.find("head")
    title = head.find("title") if head is not None else None
    if title is None:
        title = doc.find(".//title")
    return clean_text(title.text_content()) if title is not None else ""


def site_name_beside(doc: HtmlElement, title: str | None) -> str | None:
    """The site's name as the `<title>` writes it beside the headline ("Headline | Site")."""
    parts = [p for p in TITLE_SEPARATORS.split(page_title(doc)) if p]
    if not title or len(parts) != 2:
        return None
    headline = title.casefold()
    if parts[0].casefold() == headline:
        return parts[1]
    if parts[1].casefold() == headline:
        return parts[0]
    return None


_HOME = re.compile(r"^(?:https?://[^/]+)?/?(?:index\.\w+)?$")


def _in_logo(h1: HtmlElement) -> bool:
    """Whether the `<h1>` is the site's name: in a link, a logo, a brand or a menu."""
    # The few elements around it: a page-wide class ("jet-desktop-menu-active") says nothing.
    for el in (h1, *list(h1.iterancestors())[:LOGO_DEPTH]):
        if el.tag in ("body", "html", "article", "main"):
            break
        if el.tag in ("a", "nav"):
            return True
        names = f"{el.get('class', '')} {el.get('id', '')}".lower()
        if names.strip() and SITE_NAME_NAMES.search(names):
            return True
    # A headline wrapped whole in a link is still a headline, unless the link leads home (the
    # site's name); a link with only an image is not.
    links = h1.findall(".//a")
    if len(links) == 1 and _HOME.match(links[0].get("href") or "x"):
        return clean_text(links[0].text_content()) == clean_text(h1.text_content())
    return h1.find(".//img") is not None and not clean_text(h1.text_content())


def _in_chrome(el: HtmlElement) -> bool:
    """Whether `el` stands in a sidebar, a widget or other page chrome."""
    for a in el.iterancestors():
        if a.tag == "aside" or is_chrome_name(f"{a.get('class', '')} {a.get('id', '')}"):
            return True
    return False


def _headline_text(h1: HtmlElement, known: set[str]) -> str:
    """The `<h1>`'s text without a kicker or section label glued before or after it."""
    text = clean_text(h1.text_content())
    for child in h1:
        label = clean_text(child.text_content()) if isinstance(child.tag, str) else ""
        if not label or len(label) > MAX_KICKER_CHARS or len(label) * 2 > len(text):
            continue
        if not (text.startswith(label) or text.endswith(label)):
            continue
        # A label (kicker, section) that neither <title> nor og:title confirms.
        if not all(w in known for w in WORD.findall(label.casefold())):
            rest = text[len(label) :] if text.startswith(label) else text[: -len(label)]
            text = clean_text(rest.strip(" :|-–—·»"))
    return text


def find_kicker(title_el: HtmlElement | None) -> HtmlElement | None:
    """The label set just above the headline ("Entretien", "Energy"): a section, no text."""
    above = title_el.getprevious() if title_el is not None else None
    while above is not None and not isinstance(above.tag, str):
        above = above.getprevious()  # comments
    if above is None or above.tag not in KICKER_TAGS or above.find(".//img") is not None:
        return None
    text = clean_text(above.text_content())
    words = text.split()
    if not 0 < len(words) <= KICKER_WORDS or len(text) > MAX_KICKER_CHARS:
        return None
    if text[-1] in ".!?…" or any(c.isdigit() for c in text):
        return None  # a sentence or a date: no label
    return above


def error_page(doc: HtmlElement, title: str | None, named: Named) -> str | None:
    """Why the page is an error page (SharePoint's, or a "not found" headline), if it is one;
    `named`, the page's named elements, tells whether any error element is named at all."""
    all_names = " ".join(names for _, names in named)
    message = ""
    if any(name in all_names for name in ERROR_NAMES):
        message = " ".join(clean_text(el.text_content()) for el in ERROR_SELECTOR(doc))
    if message:
        return f"error page: {message}"
    # An error page's <h1> says so even when its <title> is the site's usual one.
    h1 = doc.find(".//h1")
    for text in (title, clean_text(h1.text_content()) if h1 is not None else None):
        if text and ERROR_TITLE.match(text):
            return f"error page: {text}"
    return None
