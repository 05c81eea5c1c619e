"""Pipeline 900: batched idempotent upserts of articles into MongoDB, journaled while the store is unreachable; no
article once one of Scrapy's close conditions holds (CloseConditions)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from twisted.internet import task

from crawler.items import Article, url_hash
from pipelines.delivery.outbox import ARTICLE, Delivery, Outbox, outbox_for, record
from pipelines.outcomes.errors import report_error
from pipelines.storage.articles import article_document, ensure_indexes

logger = logging.getLogger(__name__)
STAT_CLOSING = "akhbar/articles/not_stored/closing"


class CloseConditions:
    """Scrapy's close conditions (CLOSESPIDER_ITEMCOUNT, _PAGECOUNT, _TIMEOUT, _ERRORCOUNT) as the store sees them.

    When one holds, Scrapy's CloseSpider extension starts closing the crawl, but the requests in flight are still
    fetched and every page fetched still goes through the pipelines: with extraction in a process pool that was every
    page of a fast site (120 articles stored for CLOSESPIDER_ITEMCOUNT=5). So the articles of pages fetched once a
    condition held are not stored, nor given a story: they are dropped and counted (akhbar/articles/not_stored/
    closing), and a later run fetches them again. The item count is kept here, from the articles let through (at the
    first of the stories and store pipelines, so every article given a story is stored): exactly
    CLOSESPIDER_ITEMCOUNT articles are stored. Pages, errors and the timeout are counted from the signals Scrapy's
    extension counts (response_received, spider_error, spider_opened)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.itemcount = settings.getint("CLOSESPIDER_ITEMCOUNT")
        self.pagecount = settings.getint("CLOSESPIDER_PAGECOUNT")
        self.errorcount = settings.getint("CLOSESPIDER_ERRORCOUNT")
        self.timeout = settings.getfloat("CLOSESPIDER_TIMEOUT")
        self.items = self.pages = self.errors = self.refused = 0
        self.deadline: float | None = None
        self.late: set[str] = set()  # url_hash of the pages fetched once a condition held
        self.admitted: dict[int, str] = {}  # id → url_hash of the articles let through by an earlier pipeline
        self.active = bool(self.itemcount or self.pagecount or self.errorcount or self.timeout)
        if self.active:
            crawler.signals.connect(self._response, signal=signals.response_received)
        if self.errorcount:
            crawler.signals.connect(self._error, signal=signals.spider_error)
        if self.timeout:
            crawler.signals.connect(self._opened, signal=signals.spider_opened)

    def _opened(self) -> None:
        self.deadline = time.monotonic() + self.timeout

    def _error(self) -> None:
        self.errors += 1

    def _response(self, request: Any) -> None:
        self.pages += 1
        if self.reached(fetching=True):
            self.late.add(url_hash(request.meta.get("redirect_urls", [request.url])[0]))

    def reached(self, fetching: bool = False) -> str | None:
        """The close reason of the first condition that holds (Scrapy's names), or None; with fetching, for the page
        just received (the CLOSESPIDER_PAGECOUNT-th page is within the limit)."""
        if self.itemcount and self.items >= self.itemcount:
            return "closespider_itemcount"
        if self.pagecount and self.pages > self.pagecount - (0 if fetching else 1):
            return "closespider_pagecount"
        if self.errorcount and self.errors >= self.errorcount:
            return "closespider_errorcount"
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return "closespider_timeout"
        return None

    def admit(self, article: Article, stats: Any, last: bool) -> None:
        """Let an article through, or DropItem: it comes from a page fetched once a condition held, or
        CLOSESPIDER_ITEMCOUNT articles are through already. An article is counted once, by the first pipeline that
        asks (last: the store pipeline, which lets through what an earlier one did)."""
        if not self.active or (last and self.admitted.pop(id(article), None) == article.url_hash):
            return
        if article.url_hash in self.late:
            reason = self.reached() or "a close condition"
        elif self.itemcount and self.items >= self.itemcount:
            reason = "closespider_itemcount"
        else:
            self.items += 1
            if not last:
                self.admitted[id(article)] = article.url_hash
            return
        self.refused += 1
        stats.inc_value(STAT_CLOSING)
        if self.refused == 1:
            logger.info("%s: the crawl is closing; articles beyond the limit are not stored (a later run fetches "
                        "them again)", reason)
        raise DropItem(f"not stored: the crawl is closing ({reason})", log_level="DEBUG")


_CONDITIONS: weakref.WeakKeyDictionary[Crawler, CloseConditions] = weakref.WeakKeyDictionary()
_CONDITIONS_LOCK = threading.Lock()


def close_conditions_for(crawler: Crawler) -> CloseConditions:
    """The close conditions of a crawl, shared by the pipelines that refuse articles once one holds (500 and 900);
    ask for them in from_crawler, before the spider opens."""
    with _CONDITIONS_LOCK:
        if crawler not in _CONDITIONS:
            _CONDITIONS[crawler] = CloseConditions(crawler)
        return _CONDITIONS[crawler]


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
        self.conditions = close_conditions_for(crawler)

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
        """Queue an Article for the next bulk upsert; DropItem once a close condition holds (CloseConditions)."""
        if not isinstance(item, Article):
            return item
        self.conditions.admit(item, self.stats, last=True)
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
