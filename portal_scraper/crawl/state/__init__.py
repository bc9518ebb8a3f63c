"""The state store: what each article looked like when it was last archived, and run reports."""

from portal_scraper.crawl.state.base import Seen, StateStore
from portal_scraper.crawl.state.extension import StateStoreOwner, state_owner, state_store
from portal_scraper.crawl.state.redis import RedisStateStore
from portal_scraper.crawl.state.sqlite import SqliteStateStore

__all__ = [
    "RedisStateStore",
    "Seen",
    "SqliteStateStore",
    "StateStore",
    "StateStoreOwner",
    "state_owner",
    "state_store",
]
