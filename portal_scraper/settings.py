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
# Retries: transient errors only, each after a wait (Retry-After, or exponential backoff).
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
PORTAL_RETRY_BACKOFF_BASE = 0.5  # seconds before the first retry, doubled each time
PORTAL_RETRY_BACKOFF_MAX = 30.0
PORTAL_RETRY_AFTER_MAX = 120.0  # a longer Retry-After is cut to this
# Size: a larger response (or one that decompresses larger) is dropped and rejected.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
# A <meta> refresh is followed by the spider (a page refreshing itself is read as it is).
METAREFRESH_ENABLED = False
# Listing pages read per listing path at most: a paging trap ends here (and the report says so).
PORTAL_LISTING_MAX_PAGES = 10_000

ITEM_PIPELINES = {
    # extract, normalize, validate: the same `process_page` the command line and tools run
    "portal_scraper.crawl.pipelines.StagesPipeline": 300,
    "portal_scraper.crawl.incremental.IncrementalPipeline": 400,  # only with PORTAL_STATE_PATH
}
DOWNLOADER_MIDDLEWARES = {
    "portal_scraper.crawl.incremental.IncrementalMiddleware": 50,  # only with PORTAL_STATE_PATH
    "portal_scraper.crawl.guard.PrivateAddressMiddleware": 60,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "portal_scraper.crawl.retry.BackoffRetryMiddleware": 550,
    # Above redirects (600) and decompression (590): the archive keeps responses as received.
    "portal_scraper.crawl.warc.WarcMiddleware": 650,  # only with PORTAL_WARC_DIR
}
ADDONS = {
    # Settings given by their names before the PORTAL_ prefix still work, with a warning.
    "portal_scraper.contracts.config.RenamedSettings": -10,
    "portal_scraper.export.feeds.RecordFeeds": 0,
    "portal_scraper.crawl.distributed.RedisScheduling": 10,  # only with REDIS_URL
}
EXTENSIONS = {
    # After the feed export (0): sees what it wrote, sends item_written, stops on a failure.
    "portal_scraper.export.durable.WriteLedger": 100,
    "portal_scraper.crawl.ledger.LedgerAccounts": 200,
    "portal_scraper.report.extension.RunReport": 500,
    # Opens the state store, keeps the run's report in it and closes it. After RunReport (whose
    # report it keeps at engine_stopped), before ArchiveState (which reads the store when built).
    "portal_scraper.crawl.state.StateStoreOwner": 505,  # only with PORTAL_STATE_PATH
    "portal_scraper.crawl.incremental.ArchiveState": 510,  # only with PORTAL_STATE_PATH
    "portal_scraper.crawl.gc_tuning.GcTuning": 900,  # only with PORTAL_GC_THRESHOLD
    "portal_scraper.report.progress.CrawlProgress": 950,  # only when stderr is a terminal
}
# Cyclic GC every 20,000 allocations instead of 700: +11-14% pages/s on real-size pages
# (benchmarks/RESULTS.md); None keeps Python's defaults.
PORTAL_GC_THRESHOLD = (20000, 50, 100)
# Each record reaches the file whole and counts as written only then (export/durable.py).
FEED_EXPORTERS = {
    name: f"portal_scraper.export.durable.{cls}"
    for name, cls in (
        ("jsonlines", "DurableJsonLinesExporter"),
        ("jsonl", "DurableJsonLinesExporter"),
        ("json", "DurableJsonExporter"),
        ("csv", "DurableCsvExporter"),
        ("xml", "DurableXmlExporter"),
    )
}
PORTAL_FEED_FSYNC = False  # fsync each line before it counts (scrapy archive turns it on)
FEED_STORAGES = {
    "": "portal_scraper.export.storage.LineAtomicFileStorage",
    "file": "portal_scraper.export.storage.LineAtomicFileStorage",
}
COMMANDS_MODULE = "portal_scraper.commands"

# Distributed mode (see README, "Many workers"): set REDIS_URL, as a setting (-s) or in the
# environment, and optionally PORTAL_REDIS_JOB (the namespace of the job's keys; default: spider
# name), PORTAL_REDIS_WORKER (this worker's name; archive jobs: host and job directory),
# PORTAL_REDIS_IDLE_WAIT (10 s) and PORTAL_REDIS_WORKER_TIMEOUT (60 s without a heartbeat: the
# worker is gone, its requests go back).
# Not defined here: the add-on that applies them may only fill settings nobody else set.

# Archiving (see README, "Nightly archiving"); all off unless set.
PORTAL_STATE_PATH = None  # SQLite state store: skip archived articles, flag changed ones
PORTAL_INCREMENTAL_REFRESH = False  # fetch archived articles again to find changes
PORTAL_WARC_DIR = None  # write every response to WARC files here
PORTAL_WARC_MAX_BYTES = 100 * 1024 * 1024  # start a new WARC file past this size
PORTAL_REPORT_PATH = None  # write the run report (JSON) here
PORTAL_REPORT_MAX_REJECT_RATE = 0.05  # exit status 3 above this share of rejected pages
PORTAL_REPORT_MAX_COVERAGE_DROP = 20.0  # exit status 3 when a field's coverage falls more (points)

# Records are UTF-8 JSON Lines without ASCII escapes; rejects go next to them (PORTAL_REJECTS_URI).
FEED_EXPORT_ENCODING = "utf-8"
PORTAL_REJECTS_URI = None
PORTAL_RUN_REPORT_ENABLED = True
# On a terminal, a progress line on stderr every PORTAL_PROGRESS_INTERVAL seconds (not in cron).
PORTAL_PROGRESS = True
PORTAL_PROGRESS_INTERVAL = 2.0

LOG_LEVEL = "INFO"

# An unattended crawler opens no control ports.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
