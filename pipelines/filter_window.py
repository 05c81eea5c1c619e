"""Pipeline 150: a backfill stores only articles published in its window, by the extracted date.

Discovery hints decide what is fetched; this decides what is stored, on the extracted `published_at` in the
site's local calendar. In a backfill an article without a publication date cannot be placed, so it is dropped
(counted as akhbar/backfill/no_date) rather than stored under a range it may not belong to.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import Article


class WindowFilterPipeline:
    """Drop articles outside the spider's date window; count the days of the window covered so far."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.days: set[date] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WindowFilterPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        """Pass articles inside the window (or every article when there is none); drop the others."""
        window = getattr(self.crawler.spider, "window", None)
        if not isinstance(item, Article) or window is None or not window.bounded:
            return item
        if item.published_at is None:
            self.stats.inc_value("akhbar/backfill/no_date")
            raise DropItem(f"{item.url}: no publication date, cannot place it in {window.describe()}",
                           log_level="INFO")
        day = window.local_day(item.published_at)
        if not window.contains(item.published_at):
            self.stats.inc_value("akhbar/backfill/out_of_range")
            raise DropItem(f"{item.url}: published {day}, outside {window.describe()}", log_level="DEBUG")
        self.days.add(day)
        self.stats.set_value("akhbar/backfill/days_covered", len(self.days))
        return item
