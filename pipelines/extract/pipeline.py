"""Pipeline 100: FetchedPage → Article, in a process pool so the reactor never stalls."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import Article, FetchedPage
from pipelines.article import ExtractionError, extract_article

logger = logging.getLogger(__name__)


def extract_or_error(page: FetchedPage) -> Article | str:
    """Run in a worker: the Article, or the reason it could not be extracted (exceptions stay in the worker)."""
    try:
        return extract_article(page)
    except ExtractionError as exc:
        return f"no_article: {exc}"
    except Exception as exc:  # a bad page must never take the crawl down
        logger.exception("extraction crashed on %s", page.url)
        return f"crash: {type(exc).__name__}: {exc}"


def make_pool(workers: int) -> Executor | None:
    """A forkserver process pool (safe with a running reactor); None means extract inline."""
    if workers <= 0:
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipelines.article"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


class ExtractPipeline:
    """Extract articles from fetched pages; pages that hold no article are dropped and counted."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.pool = make_pool(crawler.settings.getint("EXTRACT_WORKERS"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        """Extract an Article from a FetchedPage; other items pass through."""
        if not isinstance(item, FetchedPage):
            return item
        if self.pool is None:
            result = extract_or_error(item)
        else:
            result = await asyncio.wrap_future(self.pool.submit(extract_or_error, item))
        if isinstance(result, str):
            kind = result.split(":", 1)[0]
            self.stats.inc_value(f"akhbar/extract/{kind}")
            raise DropItem(f"{item.url}: {result}")
        self.stats.inc_value("akhbar/extract/ok")
        return result

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
