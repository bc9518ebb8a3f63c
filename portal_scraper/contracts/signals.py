"""The project's own Scrapy signals and close reason, named once."""

from __future__ import annotations

# Sent with (item, response, spider) once an item's line is in every feed that takes it (and
# fsynced when PORTAL_FEED_FSYNC is on): the only signal that may count, remember or release it.
item_written = object()

# Sent with (report) when the run's report is built; the state store's owner keeps it. A
# receiver's exception is the sender's to report (a store that cannot be written fails the run).
report_built = object()

# Why a crawl stopped early: an item could not be written (to a feed, the state store, WARC).
WRITE_FAILED = "write_failed"
