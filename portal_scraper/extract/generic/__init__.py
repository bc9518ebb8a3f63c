"""The generic profile: any page of a site without a profile of its own."""

from __future__ import annotations

from portal_scraper.extract.generic.profile import Generic

__all__ = ["Generic"]
