"""The generic profile: any page of a site without a profile of its own.

`profile` wires the steps: `hints` (word lists, patterns, selectors), `names` and `measure`
(matching class/id names, measuring text), the field steps `titles`, `dates`, `bylines` and
`fields`, and `body` (pruning the page, choosing and cleaning the article block).
"""

from __future__ import annotations

from portal_scraper.extract.generic.profile import Generic

__all__ = ["Generic"]
