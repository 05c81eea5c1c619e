"""Extension: a periodic progress line for backfills (pages, articles stored, days covered, rate, ETA)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.planning.window import DateWindow

logger = logging.getLogger("akhbar.progress")


def progress_line(site: str, window: DateWindow, stats: Mapping[str, Any], elapsed: float) -> str:
    """One line: pages fetched, articles stored, days of the window covered, article rate and ETA."""

    def count(key: str) -> int:
        return int(stats.get(key) or 0)

    articles = count("akhbar/pages/article")
    stored = sum(count(f"akhbar/articles/{k}") for k in ("new", "updated", "unchanged"))
    days = f"{count('akhbar/backfill/days_covered')}/{window.days}" if window.days else \
        str(count("akhbar/backfill/days_covered"))
    rate = articles / elapsed if elapsed > 0 else 0.0
    remaining = max(0, count("akhbar/plan/scheduled") - articles) + count("akhbar/plan/deferred")
    eta = str(timedelta(seconds=round(remaining / rate))) if rate > 0 else "unknown"
    return (f"backfill {site} {window.describe()}: {count('downloader/response_count')} pages fetched "
            f"({articles} articles), {stored} stored, {days} days covered, {rate:.1f} articles/s, ETA {eta}")


class BackfillProgress:
    """Log progress_line every PROGRESS_INTERVAL seconds while a backfill runs, and once at the end."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.started = 0.0
        self.timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackfillProgress:
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        progress = cls(crawler, interval)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider: Spider) -> None:
        """Start the timer for a backfill."""
        if getattr(spider, "mode", None) != "backfill":
            return
        self.started = time.monotonic()
        self.timer = task.LoopingCall(self.log, spider)
        self.timer.start(self.interval, now=False)

    def spider_closed(self, spider: Spider) -> None:
        """Stop the timer and log the final figures."""
        if self.timer is None:
            return
        if self.timer.running:
            self.timer.stop()
        self.log(spider)

    def log(self, spider: Spider) -> None:
        """Log one progress line."""
        logger.info(progress_line(getattr(spider, "site", spider.name), spider.window,
                                  self.crawler.stats.get_stats(), time.monotonic() - self.started))
