"""Pipeline 50: keep every fetched article page's raw HTML, gzip-compressed, in `raw_pages` (one per URL).

It runs before extraction (100), which replaces the FetchedPage with an Article, so the page is kept even when
extraction fails or a later pipeline drops the article. Documents are {_id: url_hash, url, final_url, site,
fetched_at, content_type, encoding, hints, size, html_gzip} (pipelines.storage.raw_pages); `scrapy reextract`
rebuilds articles from them. Turn it off with the setting STORE_RAW_PAGES = False.
While the store does not answer, pages are not kept (counted as akhbar/raw_pages/not_stored): they are a cache for
re-extraction, and the articles made from them wait in the spill journal (pipelines.delivery.outbox).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.items import FetchedPage
from pipelines.delivery.outbox import outbox_for
from pipelines.storage.link import StoreLink, unavailable
from pipelines.storage.raw_pages import ensure_raw_indexes, store_raw_pages

logger = logging.getLogger(__name__)


class RawPagesPipeline:
    """Buffer fetched pages and store them in bulk, off the reactor: like the article store, batch or timer."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.batch_size = crawler.settings.getint("STORE_BATCH_SIZE")
        self.flush_interval = crawler.settings.getfloat("STORE_FLUSH_INTERVAL")
        self.crawler = crawler
        self.buffer: list[FetchedPage] = []
        self.link: StoreLink | None = None
        self.indexed = False
        self.timer: task.LoopingCall | None = None
        self.pending: set[asyncio.Future] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawPagesPipeline:
        if not crawler.settings.getbool("STORE_RAW_PAGES"):
            raise NotConfigured("STORE_RAW_PAGES is off")
        return cls(crawler)

    def open_spider(self) -> None:
        self.link = outbox_for(self.crawler).link
        self.timer = task.LoopingCall(self._flush_in_background)
        self.timer.start(self.flush_interval, now=False)

    async def process_item(self, item: Any) -> Any:
        """Queue a FetchedPage for the next bulk write; every item passes on unchanged."""
        if isinstance(item, FetchedPage):
            self.buffer.append(item)
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
            stored = await asyncio.to_thread(self._store, batch)
            if stored is None:
                self.stats.inc_value("akhbar/raw_pages/not_stored", len(batch))
            else:
                self.stats.inc_value("akhbar/raw_pages/stored", stored)

    def _store(self, pages: list[FetchedPage]) -> int | None:
        """Store a batch of pages; None when the store does not answer."""
        assert self.link is not None
        if not self.indexed:
            self.indexed = self.link.run_if_up(ensure_raw_indexes, probe=False)
        db = self.link.database(probe=False)
        if db is None:
            return None
        try:
            return store_raw_pages(db, pages)
        except Exception as exc:
            if not unavailable(exc):
                raise
            self.link.failed(exc)
            return None

    async def close_spider(self) -> None:
        if self.timer and self.timer.running:
            self.timer.stop()
        await asyncio.gather(*self.pending)
        await self._flush()
