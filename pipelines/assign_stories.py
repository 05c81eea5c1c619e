"""Pipeline 500: give every article its story (story_id, duplicate_of) in batches, through the store
(pipelines.stories.assign)."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from pymongo.database import Database
from scrapy.crawler import Crawler

from crawler.items import Article
from pipelines.storage.articles import ensure_indexes
from pipelines.storage.config import store_config
from pipelines.storage.link import StoreLink, link_for, unavailable
from pipelines.store_articles import close_conditions_for
from pipelines.stories.assign import GATHER_S, MAX_BATCH, assign_stories, lease_owner, story_index_for
from pipelines.stories.index import StoryIndex, ensure_copy_indexes


def _ensure_indexes(db: Database) -> None:
    """The indexes of the articles and of their story copies."""
    ensure_indexes(db)
    ensure_copy_indexes(db)

class StoriesPipeline:
    """Assign stories in batches: articles arriving while a batch is in the store wait for the next one. While the
    store does not answer, articles go on without a story (akhbar/stories/unassigned); the store pipeline assigns
    it when it delivers them (pipelines.delivery.outbox)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.settings = crawler.settings
        self.owner = lease_owner()
        self.link: StoreLink | None = None
        self.index: StoryIndex | None = None
        self.indexed = False
        self.queue: list[tuple[Article, asyncio.Future[None]]] = []
        self.worker: asyncio.Task[None] | None = None
        self.conditions = close_conditions_for(crawler)  # the store refuses articles once one holds: so does this

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoriesPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.link = link_for(self.settings)
        self.index = story_index_for(store_config(self.settings))

    async def process_item(self, item: Any) -> Any:
        """Give an Article its story_id and duplicate_of; other items pass through."""
        if not isinstance(item, Article):
            return item
        self.conditions.admit(item, self.stats, last=False)  # no story for an article that is not to be stored
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.queue.append((item, done))
        if self.worker is None or self.worker.done():
            self.worker = asyncio.ensure_future(self._drain())
        await done
        return item

    async def _drain(self) -> None:
        while self.queue:
            if len(self.queue) < MAX_BATCH:
                await asyncio.sleep(GATHER_S)  # a few more articles per lease: fewer store round trips each
            batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
            try:
                outcome = await asyncio.to_thread(self._assign, [a for a, _ in batch])
            except Exception as exc:  # fail these items, keep serving the next batches
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            if outcome is None:
                outcome = Counter(unassigned=len(batch))
            for kind, count in outcome.items():
                self.stats.inc_value(f"akhbar/stories/{kind}", count)
            for _, done in batch:
                if not done.done():
                    done.set_result(None)

    def _assign(self, articles: list[Article]) -> Counter[str] | None:
        """assign_stories through the shared store link; None when the store does not answer."""
        assert self.link is not None
        if not self.indexed:
            self.indexed = self.link.run_if_up(_ensure_indexes, probe=False)
        db = self.link.database(probe=False)
        if db is not None:
            try:
                return assign_stories(db, articles, self.owner, self.index)
            except Exception as exc:
                if not unavailable(exc):
                    raise
                self.link.failed(exc)
        for article in articles:  # nothing half-assigned: the fingerprints may not have been recorded
            article.story_id = article.duplicate_of = article.story_similarity = None
        return None

    async def close_spider(self) -> None:
        if self.worker is not None:
            await self.worker
