"""Named selectors of platform profiles, and the CSS or XPath overrides a site file gives."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from portal_scraper.normalize.text import clean_or_none

# A default selector longer than this is named, not quoted, in reasons.
DESCRIBE_MAX_CHARS = 60
# A selector: the elements it finds under (or from) a node, in document order.
Selector = Callable[[HtmlElement], list[HtmlElement]]


class Css:
    """A CSS selector (searched under the node it is applied to)."""

    def __init__(self, expression: str) -> None:
        self.expression = expression
        self._compiled = CSSSelector(expression)

    def __call__(self, root: HtmlElement) -> list[HtmlElement]:
        return list(self._compiled(root))

    def __repr__(self) -> str:
        return f"Css({self.expression!r})"


class XPath:
    """An XPath expression: `.//x` searches under the node it is applied to, `//x` the page.
    Only the elements it selects count (not strings or numbers)."""

    def __init__(self, expression: str) -> None:
        self.expression = expression
        self._compiled = etree.XPath(expression)

    def __call__(self, root: HtmlElement) -> list[HtmlElement]:
        found = self._compiled(root)
        if not isinstance(found, list):
            return []
        return [el for el in found if isinstance(el, HtmlElement)]

    def __repr__(self) -> str:
        return f"XPath({self.expression!r})"


def parse_selector(spec: Mapping[str, object]) -> Selector:
    """`{css = "..."}` or `{xpath = "..."}` as a selector; `ValueError` says what is wrong."""
    kinds = sorted(set(spec) & {"css", "xpath"})
    extra = sorted(set(spec) - {"css", "xpath"})
    if extra:
        raise ValueError(f"unknown key {extra[0]!r} (give css or xpath)")
    if len(kinds) != 1:
        raise ValueError("give exactly one of css or xpath")
    expression = spec[kinds[0]]
    if not isinstance(expression, str) or not expression.strip():
        raise ValueError(f"{kinds[0]} must be a non-empty string")
    try:
        return Css(expression) if kinds[0] == "css" else XPath(expression)
    except Exception as exc:  # cssselect's and lxml's parse errors share no base class
        raise ValueError(f"invalid {kinds[0]} {expression!r}: {exc}") from None


def first(selector: Selector, root: HtmlElement | None) -> HtmlElement | None:
    """The first element `selector` finds under `root`, or None."""
    if root is None:
        return None
    found = selector(root)
    return found[0] if found else None


def text_of(el: HtmlElement | None) -> str | None:
    """The element's clean text, None when it has none."""
    return clean_or_none(el.text_content()) if el is not None else None


class Selectors:
    """A platform's selectors by field name, with a site's overrides in place of some."""

    def __init__(
        self, defaults: Mapping[str, Selector], overrides: Mapping[str, Selector] | None = None
    ) -> None:
        unknown = sorted(set(overrides or {}) - set(defaults))
        if unknown:
            raise KeyError(unknown[0])
        self._table = {**defaults, **(overrides or {})}
        self._overridden = frozenset(overrides or {})

    def describe(self, name: str) -> str:
        """The selector `name` as a reason names it: the site file's override, or the platform's
        own (its expression when short): `title 'h1.x' (site file)`, `title 'h1.news-title'`."""
        expression = getattr(self._table[name], "expression", None)
        if name in self._overridden:
            return f"{name} {expression!r} (site file)" if expression else f"{name} (site file)"
        if expression and len(expression) <= DESCRIBE_MAX_CHARS:
            return f"{name} {expression!r}"
        return f"the platform's {name} selector"

    def __getitem__(self, name: str) -> Selector:
        return self._table[name]

    def first(self, name: str, root: HtmlElement | None) -> HtmlElement | None:
        """The first element of selector `name` under `root`."""
        return first(self._table[name], root)

    def text(self, name: str, root: HtmlElement | None) -> str | None:
        """The clean text of the first element of selector `name` under `root`."""
        return text_of(self.first(name, root))

    def all(self, name: str, root: HtmlElement) -> list[HtmlElement]:
        """Every element of selector `name` under `root`."""
        return self._table[name](root)
