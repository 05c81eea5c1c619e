"""Pipeline 200: keep Arabic articles only; every language seen is counted in the crawl stats."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.items import Article
from pipelines.outcomes.errors import Rejected


class LanguageFilterPipeline:
    """Count `akhbar/language/<code>` for every Article and drop (and record as `filtered`) the others."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LanguageFilterPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        """Pass Arabic articles and other items; drop articles in any other language."""
        if not isinstance(item, Article):
            return item
        language = item.language or "und"
        self.stats.inc_value(f"akhbar/language/{language}")
        if language != "ar":
            # An expected skip (a Persian page on a mixed site), not a crawl problem: INFO, not WARNING.
            raise Rejected(item.url, "filtered", f"language {language}, not Arabic", log_level="INFO")
        return item
