"""Pipeline 120: count the fields of every extracted article, the coverage the drift alarm
(crawler.extensions.drift_alarm) compares with the site's recent runs."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.items import Article
from pipelines.outcomes.drift import STAT_PREFIX, STAT_TOTAL, fields_present


class CoveragePipeline:
    """Count `akhbar/coverage/articles` and `akhbar/coverage/<field>` for every Article, before any filter."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CoveragePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        """Count the article's fields; pass every item on."""
        if isinstance(item, Article):
            self.stats.inc_value(STAT_TOTAL)
            for name in fields_present(item):
                self.stats.inc_value(STAT_PREFIX + name)
        return item
