"""The `crawl_errors` collection: every error reported in a crawl (pipelines.outcomes.errors), every refused item,
redirect loop and offsite redirect is kept as one document {url, kind, message, run_id, at, site, spider}, written with
the crawl's other writes (pipelines.delivery.outbox, so journaled while the store is down), at most CRAWL_ERRORS_MAX per
run and CRAWL_ERRORS_MAX_PER_KIND of one kind (the rest only counted: the akhbar/errors/<kind> stats stay exact), so a
flood of one kind leaves room for the others."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pymongo
from bson import ObjectId
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Request
from twisted.internet import task
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from pipelines.delivery.outbox import CRAWL_ERRORS, ERROR, Outbox, outbox_for, record
from pipelines.outcomes.errors import CRAWL_ERROR, Rejected, on_site, report_error
from pipelines.storage.config import mask_uri

logger = logging.getLogger(__name__)
RUN_ID_STAT = "akhbar/run_id"  # the crawl_runs _id of this crawl, as a string
MESSAGE_MAX = 500
FLUSH_SIZE = 100


def ensure_error_indexes(db: pymongo.database.Database) -> None:
    """The indexes behind 'errors of a run' and 'latest errors of a site' (idempotent)."""
    db[CRAWL_ERRORS].create_index("run_id", name="run_id")
    db[CRAWL_ERRORS].create_index([("site", pymongo.ASCENDING), ("at", pymongo.DESCENDING)], name="site_at")


class CrawlErrorRecorder:
    """Extension: turn errors, refused items, redirect loops and offsite redirects into crawl_errors documents."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limit = crawler.settings.getint("CRAWL_ERRORS_MAX")
        self.limit_per_kind = crawler.settings.getint("CRAWL_ERRORS_MAX_PER_KIND")
        self.interval = crawler.settings.getfloat("STORE_FLUSH_INTERVAL")
        self.buffer: list[dict[str, Any]] = []
        self.kept_by_kind: Counter[str] = Counter()
        self.indexed = False
        self.outbox: Outbox | None = None
        self.timer: task.LoopingCall | None = None
        self.pending: set[asyncio.Future] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlErrorRecorder:
        recorder = cls(crawler)
        for handler, signal in ((recorder.error, CRAWL_ERROR), (recorder.item_dropped, signals.item_dropped),
                                (recorder.request_dropped, signals.request_dropped),
                                (recorder.request_scheduled, signals.request_scheduled),
                                (recorder.spider_error, signals.spider_error),
                                (recorder.item_error, signals.item_error),
                                (recorder.spider_opened, signals.spider_opened),
                                (recorder.spider_closed, signals.spider_closed)):
            crawler.signals.connect(handler, signal=signal)
        return recorder

    def spider_opened(self, spider: Spider) -> None:
        """Start the periodic writes."""
        self.outbox = outbox_for(self.crawler)
        self.timer = task.LoopingCall(self._flush_in_background)
        self.timer.start(self.interval, now=False)

    def error(self, url: str, kind: str, message: str) -> None:
        """Keep one error document (a CRAWL_ERROR signal)."""
        if self.kept_by_kind.total() >= self.limit or self.kept_by_kind[kind] >= self.limit_per_kind:
            self.crawler.stats.inc_value("akhbar/crawl_errors/not_kept")
            return
        self.kept_by_kind[kind] += 1
        spider = self.crawler.spider
        run_id = self.crawler.stats.get_value(RUN_ID_STAT)
        self.buffer.append({"_id": ObjectId(), "url": url, "kind": kind, "message": mask_uri(message)[:MESSAGE_MAX],
                            "run_id": ObjectId(run_id) if run_id else None, "at": datetime.now(UTC),
                            "site": getattr(spider, "site", None), "spider": getattr(spider, "name", None)})
        if len(self.buffer) >= FLUSH_SIZE:
            self._flush_in_background()

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Spider) -> None:
        """A page or article refused for a recorded reason (Rejected)."""
        if isinstance(exception, Rejected):
            report_error(self.crawler, exception.url, exception.kind, exception.detail)

    def spider_error(self, failure: Failure, response: Any, spider: Spider) -> None:
        """A spider callback raised (Scrapy logs the traceback): recorded, the crawl goes on."""
        url = getattr(response, "url", "?")
        report_error(self.crawler, url, "spider_error", f"{type(failure.value).__name__}: {failure.value}")

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Failure) -> None:
        """A pipeline raised on an item (Scrapy logs the traceback): recorded, the crawl goes on."""
        url = getattr(item, "url", None) or getattr(response, "url", "?")
        report_error(self.crawler, url, "pipeline_error", f"{type(failure.value).__name__}: {failure.value}")

    def request_dropped(self, request: Request, spider: Spider) -> None:
        """A redirect back to a URL of its own chain (HTTP or meta refresh): a loop the dupe filter broke."""
        chain = request.meta.get("redirect_urls") or []
        if canonicalize_url(request.url) in {canonicalize_url(u) for u in chain}:
            loop = " → ".join([*chain, request.url])
            report_error(self.crawler, chain[0], "redirect_error", f"redirect loop: {loop}")

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        """A request to a host outside the spider's allowed_domains (Scrapy's offsite filter drops it silently; a
        redirect to another port is recorded by crawler.middlewares.offsite, which drops it)."""
        if request.meta.get("allow_offsite"):
            return
        allowed = [d for d in getattr(spider, "allowed_domains", None) or [] if d]
        chain = request.meta.get("redirect_urls") or []
        origin = chain[0] if chain else request.url
        if allowed and not request.dont_filter and not on_site(request.url, allowed):
            report_error(self.crawler, origin, "offsite", f"{'redirect' if chain else 'request'} to {request.url} "
                         f"refused: not in allowed_domains {allowed}")

    def _flush_in_background(self) -> None:
        if self.buffer:
            flush = asyncio.ensure_future(self._flush())
            self.pending.add(flush)
            flush.add_done_callback(self.pending.discard)

    async def _flush(self, probe: bool = True) -> None:
        batch, self.buffer = self.buffer, []
        if batch and self.outbox is not None:
            await asyncio.to_thread(self._write, batch, probe)

    def _write(self, batch: list[dict[str, Any]], probe: bool) -> None:
        assert self.outbox is not None
        self.indexed = self.indexed or self.outbox.link.run_if_up(ensure_error_indexes, probe)
        self.outbox.put([record(ERROR, doc) for doc in batch], probe=probe)

    async def spider_closed(self, spider: Spider) -> None:
        """Write what is left."""
        if self.timer and self.timer.running:
            self.timer.stop()
        await asyncio.gather(*self.pending)
        await self._flush(probe=False)  # the store pipeline's close has just tried the store
        if kept := self.kept_by_kind.total():
            logger.info("%d crawl errors recorded in %s (run_id %s)", kept, CRAWL_ERRORS,
                        self.crawler.stats.get_value(RUN_ID_STAT))
