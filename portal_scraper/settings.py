"""Scrapy settings of portal-scraper: polite by default; override with -s NAME=VALUE."""

BOT_NAME = "portal_scraper"
SPIDER_MODULES = ["portal_scraper.crawl.spiders"]
NEWSPIDER_MODULE = "portal_scraper.crawl.spiders"

USER_AGENT = "portal-scraper/0.1 (public-records archiving; polite crawler)"
ROBOTSTXT_OBEY = True

# Politeness: government portals are small servers.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 3

ITEM_PIPELINES = {
    "portal_scraper.crawl.pipelines.ExtractPipeline": 100,
    "portal_scraper.crawl.pipelines.NormalizePipeline": 200,
    "portal_scraper.crawl.pipelines.ValidatePipeline": 300,
}
ADDONS = {"portal_scraper.export.feeds.RecordFeeds": 0}
EXTENSIONS = {"portal_scraper.export.summary.RunSummary": 500}

# Records are UTF-8 JSON Lines without ASCII escapes; rejects go next to them (REJECTS_URI).
FEED_EXPORT_ENCODING = "utf-8"
REJECTS_URI = None
RUN_SUMMARY_ENABLED = True

LOG_LEVEL = "INFO"

# An unattended crawler opens no control ports.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
