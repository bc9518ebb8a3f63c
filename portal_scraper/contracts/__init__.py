"""Names the Scrapy components share: `request.meta` keys, stats keys, signals, settings."""
