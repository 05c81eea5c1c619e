"""What a crawl asks the store before fetching: which URLs it has, which articles are young, when the last run was."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from pymongo.database import Database

from pipelines.crawl_runs import last_finished_start
from pipelines.store import ARTICLES, connect

LOOKUP_CHUNK = 1000  # keys per $in query, so a 50,000-URL sitemap is 50 queries, not one huge one


class StoreView:
    """Batched, read-only lookups on the article store, run in a thread so the reactor never waits."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    async def open(cls) -> StoreView:
        """Connect to the configured store."""
        return cls(await asyncio.to_thread(connect))

    async def last_seen(self, keys: list[str]) -> dict[str, datetime | None]:
        """url_hash → last_seen_at of the stored articles among keys (one query per LOOKUP_CHUNK keys)."""
        return await asyncio.to_thread(self._last_seen, keys)

    def _last_seen(self, keys: list[str]) -> dict[str, datetime | None]:
        found: dict[str, datetime | None] = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start:start + LOOKUP_CHUNK]
            for doc in self.db[ARTICLES].find({"url_hash": {"$in": chunk}}, {"url_hash": 1, "last_seen_at": 1}):
                found[doc["url_hash"]] = doc.get("last_seen_at")
        return found

    async def young(self, site: str, published_since: datetime) -> list[dict[str, Any]]:
        """Stored articles of a site published since a time (the ones an incremental run revisits)."""
        query = {"site": site, "published_at": {"$gte": published_since}}
        fields = {"url": 1, "url_hash": 1, "published_at": 1, "published_local": 1}
        return await asyncio.to_thread(lambda: list(self.db[ARTICLES].find(query, fields)))

    async def watermark(self, site: str) -> datetime | None:
        """When the last finished incremental run of the site started."""
        return await asyncio.to_thread(last_finished_start, self.db, site, "incremental")

    def close(self) -> None:
        """Close the connection."""
        self.db.client.close()
