"""Pipeline 50: keep every fetched article page's raw HTML, gzip-compressed, in `raw_pages` (one per URL).

It runs before extraction (100), which replaces the FetchedPage with an Article, so the page is kept even when
extraction fails or a later pipeline drops the article. Documents are {_id: url_hash, url, final_url, site,
fetched_at, content_type, encoding, hints, size, html_gzip}; the latest fetch of a URL replaces the previous one.
`python -m pipelines.analysis.reextract` rebuilds articles from them. Turn it off with the setting STORE_RAW_PAGES = False.
While the store does not answer, pages are not kept (counted as akhbar/raw_pages/not_stored): they are a cache for
re-extraction, and the articles made from them wait in the spill journal (pipelines.storage.outbox).
"""

from __future__ import annotations

import asyncio
import gzip
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pymongo
from bson import Binary
from pymongo import ReplaceOne
from pymongo.database import Database
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.items import FetchedPage, SiteRules
from pipelines.storage.articles import url_hash
from pipelines.storage.link import StoreLink, unavailable
from pipelines.storage.outbox import outbox_for

logger = logging.getLogger(__name__)
RAW_PAGES = "raw_pages"
COMPRESSION_LEVEL = 6  # gzip's default 9 is several times slower for a few percent
MAX_STORED = 15 * 1024 * 1024  # under MongoDB's 16 MiB document limit
_HINT_TYPES = (str, int, float, bool, datetime, type(None))


def ensure_raw_indexes(db: Database) -> None:
    """The index re-extraction filters on (idempotent)."""
    db[RAW_PAGES].create_index([("site", pymongo.ASCENDING), ("fetched_at", pymongo.ASCENDING)],
                               name="site_fetched_at")


def content_type(headers: Mapping[str, str]) -> str | None:
    """The page's Content-Type header, whatever its case."""
    return next((v for k, v in headers.items() if k.lower() == "content-type"), None)


def raw_page_document(page: FetchedPage) -> dict[str, Any]:
    """The stored form of a fetched page."""
    return {
        "_id": url_hash(page.url),
        "url": page.url,
        "final_url": page.final_url,
        "site": page.site,
        "fetched_at": page.fetched_at,
        "content_type": content_type(page.headers),
        "encoding": page.encoding,
        "hints": {k: v for k, v in page.hints.items() if isinstance(v, _HINT_TYPES)},
        "size": len(page.body),
        "html_gzip": Binary(gzip.compress(page.body, COMPRESSION_LEVEL)),
    }


def page_from_document(doc: Mapping[str, Any], rules: SiteRules) -> FetchedPage:
    """The FetchedPage a stored raw page came from, with today's rules for its site."""
    headers = {"Content-Type": doc["content_type"]} if doc.get("content_type") else {}
    return FetchedPage(url=doc["url"], final_url=doc["final_url"], site=doc["site"],
                       body=gzip.decompress(doc["html_gzip"]), encoding=doc.get("encoding"), headers=headers,
                       fetched_at=doc["fetched_at"], rules=rules, hints=dict(doc.get("hints") or {}))


def store_raw_pages(db: Database, pages: Iterable[FetchedPage]) -> int:
    """Compress and upsert pages in one bulk write; returns how many were stored (oversized pages are skipped)."""
    ops = []
    for page in pages:
        doc = raw_page_document(page)
        if len(doc["html_gzip"]) > MAX_STORED:
            logger.warning("raw page too large to keep (%d bytes compressed): %s", len(doc["html_gzip"]), page.url)
            continue
        ops.append(ReplaceOne({"_id": doc["_id"]}, doc, upsert=True))
    if ops:
        db[RAW_PAGES].bulk_write(ops, ordered=False)
    return len(ops)


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
