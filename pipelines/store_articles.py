"""Pipeline 900: batched idempotent upserts of articles into MongoDB."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.crawler import Crawler
from twisted.internet import task

from crawler.items import Article
from pipelines.batch_write import write_articles
from pipelines.config import mask_uri, store_config
from pipelines.store import article_document, connect, ensure_indexes

logger = logging.getLogger(__name__)


class StoreArticlesPipeline:
    """Buffer articles and upsert them in bulk: when the batch is full, every few seconds, and at close."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.batch_size = crawler.settings.getint("STORE_BATCH_SIZE")
        self.flush_interval = crawler.settings.getfloat("STORE_FLUSH_INTERVAL")
        self.buffer: list[dict[str, Any]] = []
        self.db = None
        self.timer: task.LoopingCall | None = None
        self.pending: set[asyncio.Task] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreArticlesPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        config = store_config()
        self.db = connect(config)
        ensure_indexes(self.db)
        logger.info("storing articles in %s / %s", mask_uri(config.uri or "embedded store"), config.database)
        self.timer = task.LoopingCall(self._flush_in_background)
        self.timer.start(self.flush_interval, now=False)

    async def process_item(self, item: Any) -> Any:
        """Queue an Article for the next bulk upsert."""
        if not isinstance(item, Article):
            return item
        self.buffer.append(article_document(item))
        if len(self.buffer) >= self.batch_size:
            await self._flush()
        return item

    def _flush_in_background(self) -> None:
        if self.buffer:
            flush = asyncio.ensure_future(self._flush())
            self.pending.add(flush)
            flush.add_done_callback(self.pending.discard)

    async def _flush(self) -> None:
        batch, self.buffer = self.buffer, []
        if batch:
            result = await asyncio.to_thread(write_articles, self.db, batch)
            self.stats.inc_value("akhbar/articles/new", result.new)
            self.stats.inc_value("akhbar/articles/updated", result.updated)
            self.stats.inc_value("akhbar/articles/unchanged", result.unchanged)

    async def close_spider(self) -> None:
        if self.timer and self.timer.running:
            self.timer.stop()
        await asyncio.gather(*self.pending)
        await self._flush()
        self.db.client.close()
