"""Pipeline 100: FetchedPage → normalized Article in the extraction pool (pipelines.extraction.pool), each page within
EXTRACT_TIMEOUT seconds of CPU; pages refused, holding no article or over the limit are dropped and recorded."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.items import FetchedPage
from pipelines.extraction.pool import POOL, ExtractionFailure
from pipelines.extraction.precheck import refusal
from pipelines.outcomes.errors import Rejected, report_error


class ExtractPipeline:
    """Extract articles from fetched pages; pages refused or holding no article are dropped and recorded."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.workers = crawler.settings.getint("EXTRACT_WORKERS")
        self.max_bytes = crawler.settings.getint("EXTRACT_MAX_BYTES")
        self.max_tags = crawler.settings.getint("EXTRACT_MAX_TAGS")
        self.timeout = crawler.settings.getfloat("EXTRACT_TIMEOUT")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        POOL.acquire(self.workers)

    async def process_item(self, item: Any) -> Any:
        """Extract an Article from a FetchedPage; other items pass through."""
        if not isinstance(item, FetchedPage):
            return item
        refused = refusal(item, self.max_bytes, self.max_tags)
        if refused:
            raise Rejected(item.url, *refused)
        result, date_note = await POOL.run(item, self.timeout)
        if isinstance(result, ExtractionFailure):
            raise Rejected(item.url, result.kind, result.message)
        if date_note:
            report_error(self.crawler, item.url, "implausible_date", date_note)
        self.stats.inc_value("akhbar/extract/ok")
        return result

    def close_spider(self) -> None:
        POOL.release()
