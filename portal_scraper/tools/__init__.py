"""Tools around the crawl: fixture regeneration, the offline demo portal, the demo run."""
