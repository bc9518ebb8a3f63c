"""The generic profile: any page of a site without a profile of its own.

Structured data (JSON-LD, OpenGraph, `<meta>`, `<time>`) comes first; then the page's own text:
the headline, a visible date line, the byline, and the block of paragraphs that carries the
article, found by scoring text density after the page's navigation, share bars, related lists,
comments and footers are removed.
"""

from __future__ import annotations

import copy
from urllib.parse import unquote, urlsplit

from lxml.html import HtmlElement

from portal_scraper.extract.base import Listing, ListingEntry, NotAnArticle, Profile, RawArticle
from portal_scraper.extract.figures import (
    mark_figures,
    unwrap_amp_images,
    unwrap_noscript_images,
)
from portal_scraper.extract.generic.body import (
    drop_loose_captions,
    lead_body,
    outside_body,
    photo_story,
    prune,
    strip_fields_and_chrome,
    structured_body,
)
from portal_scraper.extract.generic.boundaries import contains, drop_author_bio, is_teaser_block
from portal_scraper.extract.generic.bylines import (
    find_authors,
    trailing_byline,
    with_signature,
)
from portal_scraper.extract.generic.dates import find_published, utc_offset
from portal_scraper.extract.generic.fields import (
    find_attachments,
    find_breadcrumbs,
    find_category,
    find_language,
    find_portal,
    find_summary,
    find_view_count,
)
from portal_scraper.extract.generic.hints import (
    ARTICLE_LINK,
    LEAD_BODY_CHARS,
    LENIENT_GAIN,
    LISTING_TITLE_MIN_CHARS,
    MIN_BODY_CHARS,
    NEXT_PAGE,
    REGION_LINK_DENSITY,
    SHAREPOINT_ITEM,
    SHORT_BODY_CHARS,
    STRUCTURED_BODY_SHARE,
)
from portal_scraper.extract.generic.measure import link_density
from portal_scraper.extract.generic.names import named_before, named_elements
from portal_scraper.extract.generic.photos import name_figure_captions
from portal_scraper.extract.generic.scoring import main_content, wrap
from portal_scraper.extract.generic.titles import (
    error_page,
    find_kicker,
    find_title,
    site_name_beside,
)
from portal_scraper.extract.metadata import Metadata, read_metadata
from portal_scraper.extract.page import parse_html
from portal_scraper.extract.sharepoint import item_id, paging_urls
from portal_scraper.normalize.body import body_text
from portal_scraper.normalize.text import clean_or_none, clean_text
from portal_scraper.normalize.urls import absolute_url, document_base, url_key


class Generic(Profile):
    """Any site: used when no site profile claims the page."""

    id = "generic"
    version = "1"
    base_url = ""
    required_fields = ("title", "body_text")

    def matches(self, url: str) -> bool:
        """The generic profile takes any URL (it is only asked when no other does)."""
        return True

    def is_article_url(self, url: str) -> bool:
        """Article-like URLs: long slugs or numeric ids."""
        parts = urlsplit(url)
        last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
        return bool(ARTICLE_LINK.search(last + ("?" + parts.query if parts.query else "")))

    def extract(self, url: str, doc: HtmlElement, source: str | None = None) -> RawArticle:
        """Read the page's metadata, then find and clean its article body."""
        meta = read_metadata(doc)
        root = doc.find("body")
        if root is None:
            root = doc
        title, title_el = find_title(doc, meta, url)
        site = site_name_beside(doc, title)
        if site is not None:
            meta.publishers.append(site)  # a byline naming it names no person
        # Built once: every field step below looks for its hints among these.
        named = named_elements(doc)
        title_place = named_before(named, title_el) if title_el is not None else 0
        language = find_language(doc, meta)
        published_raw, date_lines = find_published(
            doc, named, title_place, meta, url, title_el, language
        )
        authors, bylines = find_authors(named, meta, date_lines)
        summary, lead = find_summary(named, title_place, title_el)
        # Read before pruning, which keeps these elements, and passed on so that the body
        # steps skip them and drop their copies.
        not_body = outside_body([title_el, find_kicker(title_el), *date_lines, *bylines, lead])
        portal = find_portal(named)
        breadcrumbs = meta.breadcrumbs or find_breadcrumbs(named)
        view_count = find_view_count(root)
        attachments = find_attachments(root, url)
        unwrap_noscript_images(root)
        unwrap_amp_images(root)
        # For a second, lenient reading: pruning by names and landmarks can remove an article,
        # or most of it, whose containers are misnamed ("section--ads", "print-step"); a short
        # or empty body is read again from the unpruned page, and a page is rejected only when
        # that reading finds no article either. The page is parsed again from `source` then;
        # without it, a copy is kept now (copying every page costs more than parsing the few
        # short ones again).
        kept = copy.deepcopy(doc) if source is None else None
        tree = doc.getroottree()
        places = (
            None if title_el is None else tree.getpath(title_el),
            [tree.getpath(el) for el in not_body],
        )
        prune(root, title_el, not_body)
        error = error_page(doc, title, named)
        if error:
            raise NotAnArticle(error)
        main, text, authors = _read_body(root, title_el, not_body, meta, authors)
        if len(text) < SHORT_BODY_CHARS:

            def unpruned() -> HtmlElement:
                return copy.deepcopy(kept) if kept is not None else _parsed_again(str(source))

            # Read again keeping misnamed containers, then as the region around the headline
            # (an article in short blocks: captions, a product's text, a story's header apart
            # from its body); a reading is kept when it finds twice the text.
            for reading in (_lenient_body, _headline_region_body):
                # (A page whose only text is in an overlay is read from the overlay.)
                again = reading(unpruned(), places, meta, authors, keep_overlays=not text)
                if len(again[1]) >= max(MIN_BODY_CHARS, LENIENT_GAIN * len(text)):
                    main, text, authors = again
                if len(text) >= SHORT_BODY_CHARS:
                    break
        if len(text) < MIN_BODY_CHARS and summary is not None and len(summary) >= LEAD_BODY_CHARS:
            # A page whose only text is its lead (a video's description, a brief): the lead is
            # the article's text.
            main = lead_body(summary)
            text, summary = summary, None
        if main is None:
            raise NotAnArticle("no block of article text on the page")
        if not title:
            raise NotAnArticle("no headline on the page")
        if len(text) < MIN_BODY_CHARS:
            raise NotAnArticle(f"too little text for an article ({len(text)} characters)")
        return RawArticle(
            title=title,
            body=main,
            summary=summary,
            published_raw=published_raw,
            modified_raw=meta.modified,
            authors=authors,
            category=clean_or_none(meta.section) or find_category(breadcrumbs, title),
            breadcrumbs=breadcrumbs,
            attachments=attachments,
            view_count=view_count,
            portal=portal,
            source_id=item_id(url) if SHAREPOINT_ITEM.search(url) else None,
            language=language,
            utc_offset=utc_offset(url, language),
            body_text=text,
        )

    def parse_listing(self, url: str, doc: HtmlElement) -> Listing:
        """Same-host article-like links, each once, and "next page" links."""
        host = urlsplit(url).hostname
        # SharePoint portals page their lists through RefreshPageTo(...) links.
        listing = Listing(next_pages=paging_urls(doc, url))
        # Per article (by url_key): the first href linking it and its longest label. A listing
        # entry often links its thumbnail (no text) before its title, so the first link is no
        # judge of whether the URL is an article.
        articles: dict[str, tuple[str, int]] = {}
        paging = {url_key(u) for u in listing.next_pages}
        base = document_base(url, doc)
        for a in doc.iter("a"):
            href = absolute_url(base, a.get("href"))
            if not href or urlsplit(href).hostname != host:
                continue
            key = url_key(href)
            label = clean_text(a.text_content())
            # A headline that starts "Sau ..." or "Tiếp tục ..." is no "next" arrow.
            is_next = "next" in (a.get("rel") or "").lower().split() or (
                len(label) < LISTING_TITLE_MIN_CHARS and NEXT_PAGE.match(label)
            )
            if is_next:
                if key not in paging:
                    paging.add(key)
                    listing.next_pages.append(href)
            elif key in articles or self.is_article_url(href):
                first_href, best = articles.get(key, (href, 0))
                if best < LISTING_TITLE_MIN_CHARS:
                    best = max(best, _link_label_chars(a, label))
                articles[key] = (first_href, best)
        listing.articles.extend(
            ListingEntry(url=href)
            for key, (href, best) in articles.items()
            if best >= LISTING_TITLE_MIN_CHARS and key not in paging
        )
        return listing


def _read_body(
    root: HtmlElement,
    title_el: HtmlElement | None,
    not_body: frozenset[HtmlElement],
    meta: Metadata,
    authors: list[str],
) -> tuple[HtmlElement | None, str, list[str]]:
    """The pruned page's article block, its text, and the authors with a trailing signature."""
    main = main_content(root, title_el, not_body)
    if main is not None:
        strip_fields_and_chrome(main, not_body)
        authors = with_signature(authors, trailing_byline(main), meta)
        drop_author_bio(main, authors)
        name_figure_captions(main)
        mark_figures(main)
        drop_loose_captions(main)
    text = body_text(main) if main is not None else ""
    structured = structured_body(meta.article_body)
    if structured is not None and len(text) < STRUCTURED_BODY_SHARE * len(body_text(structured)):
        # The page renders its text with scripts; its structured data still carries it.
        main, text = structured, body_text(structured)
    if len(text) < MIN_BODY_CHARS and title_el is not None:
        # A photo story: its captions are its text.
        main, text = photo_story(root, main) or (main, text)
    return main, text, authors


def _parsed_again(source: str) -> HtmlElement:
    """The page parsed from its text, its `<noscript>` images unwrapped as the first reading's."""
    doc = parse_html(source)
    body = doc.find("body")
    unwrap_noscript_images(body if body is not None else doc)
    unwrap_amp_images(body if body is not None else doc)
    return doc


def _lenient_body(
    doc: HtmlElement,
    places: tuple[str | None, list[str]],
    meta: Metadata,
    authors: list[str],
    keep_overlays: bool = False,
) -> tuple[HtmlElement | None, str, list[str]]:
    """The body read again from the unpruned page, removing only code, menus and hidden parts."""
    root, title_el, not_body = _placed(doc, places)
    prune(root, title_el, not_body, by_name=False, keep_overlays=keep_overlays)
    return _read_body(root, title_el, not_body, meta, authors)


def _headline_region_body(
    doc: HtmlElement,
    places: tuple[str | None, list[str]],
    meta: Metadata,
    authors: list[str],
    keep_overlays: bool = False,
) -> tuple[HtmlElement | None, str, list[str]]:
    """The body read as the region around the headline: its widest ancestor, in the pruned
    page, whose text is not mostly links."""
    root, title_el, not_body = _placed(doc, places)
    if title_el is None:
        return None, "", authors
    prune(root, title_el, not_body, keep_overlays=keep_overlays)
    region = None
    for node in title_el.iterancestors():
        if node is root or link_density(node) > REGION_LINK_DENSITY:
            break
        region = node
    if region is None:
        return None, "", authors
    main = wrap([region])
    for block in list(main.iter("div", "section", "ul", "ol", "aside")):
        # (The headline's own branch aside: lists of other stories beside it are no body.)
        if (
            block.getparent() is not None
            and not contains(block, title_el)
            and is_teaser_block(block)
        ):
            block.drop_tree()
    strip_fields_and_chrome(main, not_body)
    authors = with_signature(authors, trailing_byline(main), meta)
    drop_author_bio(main, authors)
    name_figure_captions(main)
    mark_figures(main)
    drop_loose_captions(main)
    return main, body_text(main), authors


def _placed(
    doc: HtmlElement, places: tuple[str | None, list[str]]
) -> tuple[HtmlElement, HtmlElement | None, frozenset[HtmlElement]]:
    """A fresh copy of the page: its body, and its headline and field elements found again
    at the `places` (XPaths) they had in the first reading."""
    tree = doc.getroottree()

    def at(place: str | None) -> HtmlElement | None:
        hits = tree.xpath(place) if place else []
        return hits[0] if hits else None

    root = doc.find("body")
    return (
        doc if root is None else root,
        at(places[0]),
        frozenset(el for el in map(at, places[1]) if el is not None),
    )


def _link_label_chars(a: HtmlElement, text: str) -> int:
    """Length of the longest label of link `a`: its text, its title, or an image's alt/title."""
    labels = [text, a.get("title"), a.get("aria-label")]
    for img in a.iter("img"):
        labels += [img.get("alt"), img.get("title")]
    return max(len(clean_text(label)) for label in labels)
