"""Every `request.meta` key the project's components pass to each other, named once."""

from __future__ import annotations

# The ledger (crawl/ledger.py): a URL's identity, what it is, where it came from, its fate.
META_KEY = "ledger_key"  # the URL's identity in the ledger (kept across redirects)
META_ROLE = "ledger_role"  # LISTING or ARTICLE
META_ROOT = "listing_root"  # the listing path a listing page was reached from
META_SKIP = "ledger_skip"  # a middleware skipped the request on purpose: why
META_UNFINISHED = "ledger_unfinished"  # the crawl is stopping: the request stays open
LISTING, ARTICLE = "listing", "article"  # values of META_ROLE
SITEMAP, FEED = "sitemap", "feed"  # values of META_ROLE: robots.txt and sitemaps; RSS/Atom feeds
SOURCE_ROLES = (SITEMAP, FEED)  # documents that list URLs and are no page of their own

# The spider.
META_START = "start_url"  # a start URL: read as a listing or as an article, whichever it is
META_ARTICLE = "article"  # an article request: the incremental middleware may skip it
META_LISTING_URL = "listing_url"  # the listing URL a start request or listing page stands for

# Discovery from a home page (crawl/spiders/discovery.py).
META_ROUTE = "discovery_route"  # which route found the URL: one of ROUTES
ROUTE_SITEMAP, ROUTE_FEED, ROUTE_LISTING, ROUTE_POSTBACK = "sitemap", "feed", "listing", "postback"
ROUTES = (ROUTE_SITEMAP, ROUTE_FEED, ROUTE_LISTING, ROUTE_POSTBACK)  # in order of trust
META_HOME = "home_page"  # the home page a discovery crawl starts from
META_GUESSED = "guessed"  # a well-known address (robots.txt, /sitemap.xml): absent is no error
META_PAGE_NUMBER = "listing_page_number"  # a postback page's number in its list, when known
META_POSTED_FROM = "posted_from"  # a postback page: the fingerprint of the page it was posted from
# A listing's status when a postback answered the page it was posted from (an alert).
STATUS_POSTBACK_SAME_PAGE = "postback paging returned the same page"

# The WARC middleware (crawl/warc.py) to the spider: when and where the response was archived.
META_FETCHED_AT = "fetched_at"
META_WARC = "warc"  # {"file", "record_id"}

# The retry middleware (crawl/retry.py): why each earlier attempt failed.
META_RETRY_REASONS = "retry_reasons"
