"""Pipeline 900: batched idempotent upserts of articles into MongoDB, journaled while the store is unreachable."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from crawler.items import Article
from pipelines.outcomes.errors import report_error
from pipelines.storage.articles import article_document, ensure_indexes
from pipelines.storage.outbox import ARTICLE, Delivery, Outbox, outbox_for, record

logger = logging.getLogger(__name__)


class StoreArticlesPipeline:
    """Buffer articles and upsert them in bulk: when the batch is full, every few seconds, and at close. While the
    store does not answer, batches go to the spill journal (fsynced), replayed as soon as it answers again."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = crawler.settings.getint("STORE_BATCH_SIZE")
        self.flush_interval = crawler.settings.getfloat("STORE_FLUSH_INTERVAL")
        self.buffer: list[dict[str, Any]] = []
        self.outbox: Outbox | None = None
        self.indexed = False
        self.timer: task.LoopingCall | None = None
        self.pending: set[asyncio.Task] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreArticlesPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.engine_stopped, signal=signals.engine_stopped)
        return pipeline

    async def open_spider(self) -> None:
        self.outbox = outbox_for(self.crawler)
        logger.info("storing articles in %s, database %s", self.outbox.link.where, self.outbox.link.config.database)
        await self._deliver([])  # what earlier runs journaled goes first
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
        retry = self.outbox is not None and self.outbox.maybe_pending and self.outbox.link.backoff.due()
        if self.buffer or retry:
            flush = asyncio.ensure_future(self._flush())
            self.pending.add(flush)
            flush.add_done_callback(self.pending.discard)

    async def _flush(self, force: bool = False) -> None:
        batch, self.buffer = self.buffer, []
        await self._deliver([record(ARTICLE, doc) for doc in batch], force)

    async def _deliver(self, records: list[dict[str, Any]], force: bool = False) -> None:
        delivery = await asyncio.to_thread(self._put, records, force)
        self.stats.inc_value("akhbar/articles/new", delivery.new)
        self.stats.inc_value("akhbar/articles/updated", delivery.updated)
        self.stats.inc_value("akhbar/articles/unchanged", delivery.unchanged)
        for url, reason in delivery.rejected:
            report_error(self.crawler, url, "store_rejected", reason)

    def _put(self, records: list[dict[str, Any]], force: bool) -> Delivery:
        assert self.outbox is not None
        if not self.indexed:
            self.indexed = self.outbox.link.run_if_up(ensure_indexes)
        return self.outbox.put(records, force=force)

    async def close_spider(self) -> None:
        if self.timer and self.timer.running:
            self.timer.stop()
        await asyncio.gather(*self.pending)
        await self._flush(force=True)  # the store is tried now, whatever the backoff says
        assert self.outbox is not None
        waiting = await asyncio.to_thread(self.outbox.waiting)
        self.stats.set_value("akhbar/spill/waiting", waiting[ARTICLE])

    def engine_stopped(self) -> None:
        """The crawl's last line: what waits in the spill journal, if anything."""
        if self.outbox is None:
            return
        waiting = self.outbox.waiting()
        if waiting:
            others = sum(waiting.values()) - waiting[ARTICLE]
            logger.warning("%d articles%s wait in the spill journal %s: %s did not answer; the next run "
                           "delivers them", waiting[ARTICLE], f" (and {others} other records)" if others else "",
                           self.outbox.journal.path, self.outbox.link.where)
        elif self.stats.get_value("akhbar/spill/journaled"):
            logger.info("spill journal delivered: nothing waits in %s", self.outbox.journal.path)
