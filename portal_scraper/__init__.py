"""portal-scraper: crawl government and news portals into validated JSON article records."""

__version__ = "0.1.0"
SCHEMA_VERSION = "1"
