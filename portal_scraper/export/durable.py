"""Records that count as written only once they are on disk."""

from __future__ import annotations

# Sent with (item, response, spider) once an item's line is in every feed that takes it
# (and fsynced when FEED_FSYNC is on): the only signal that may count, remember or release it.
item_written = object()
