"""What a crawl asks the store before fetching: which URLs it has, which articles are young, when the last run was.

While the store does not answer, the view knows nothing: no URL counts as stored, so every discovered article is
fetched (and its article journaled until the store is back); a crawl never fails for want of these lookups.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from pymongo.database import Database
from scrapy.settings import BaseSettings

from crawler.extensions.crawl_runs import last_finished_start
from pipelines.storage.articles import ARTICLES
from pipelines.storage.link import StoreLink, link_for, unavailable

logger = logging.getLogger(__name__)
LOOKUP_CHUNK = 1000  # keys per $in query, so a 50,000-URL sitemap is 50 queries, not one huge one
T = TypeVar("T")


class StoreView:
    """Batched, read-only lookups on the article store, run in a thread so the reactor never waits."""

    def __init__(self, link: StoreLink) -> None:
        self.link = link

    @classmethod
    async def open(cls, settings: BaseSettings) -> StoreView | None:
        """A view of the store of these settings; None when it does not answer now."""
        link = link_for(settings)
        if await asyncio.to_thread(link.database) is None:
            logger.warning("%s is unreachable: stored articles cannot be skipped, every discovered article is "
                           "fetched", link.where)
            return None
        return cls(link)

    def _ask(self, query: Callable[[Database], T], otherwise: T) -> T:
        db = self.link.database(probe=False)
        if db is None:
            return otherwise
        try:
            return query(db)
        except Exception as exc:
            if not unavailable(exc):
                raise
            self.link.failed(exc)
            return otherwise

    async def last_seen(self, keys: list[str]) -> dict[str, datetime | None]:
        """url_hash → last_seen_at of the stored articles among keys (one query per LOOKUP_CHUNK keys)."""
        return await asyncio.to_thread(self._ask, lambda db: self._last_seen(db, keys), {})

    @staticmethod
    def _last_seen(db: Database, keys: list[str]) -> dict[str, datetime | None]:
        found: dict[str, datetime | None] = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start:start + LOOKUP_CHUNK]
            for doc in db[ARTICLES].find({"url_hash": {"$in": chunk}}, {"url_hash": 1, "last_seen_at": 1}):
                found[doc["url_hash"]] = doc.get("last_seen_at")
        return found

    async def young(self, site: str, published_since: datetime) -> list[dict[str, Any]]:
        """Stored articles of a site published since a time (the ones an incremental run revisits)."""
        query = {"site": site, "published_at": {"$gte": published_since}}
        fields = {"url": 1, "url_hash": 1, "published_at": 1, "published_local": 1}
        return await asyncio.to_thread(self._ask, lambda db: list(db[ARTICLES].find(query, fields)), [])

    async def watermark(self, site: str) -> datetime | None:
        """When the last finished incremental run of the site started."""
        return await asyncio.to_thread(self._ask, lambda db: last_finished_start(db, site, "incremental"), None)
