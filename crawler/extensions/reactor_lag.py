"""Extension: how late the reactor runs a timer, as crawl stats. Work done on the reactor thread (extraction in a
callback, a blocking store call) delays every download and timer behind it; this makes such a stall visible.

A timer asks to run every REACTOR_LAG_INTERVAL seconds; how much later than asked it runs is its lag. Lags are
counted in whole milliseconds (a histogram, so memory does not grow with the crawl), and when the spider closes
the stats akhbar/reactor/lag_p50_ms, lag_p99_ms and lag_max_ms are set (in every run record).
"""

from __future__ import annotations

import time
from collections import Counter

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import reactor
from twisted.internet.base import DelayedCall

STAT_PREFIX = "akhbar/reactor/"


def percentile(histogram: Counter[int], fraction: float) -> int:
    """The value below which `fraction` of the counted values lie (nearest rank); 0 for an empty histogram."""
    total = sum(histogram.values())
    if not total:
        return 0
    rank, seen = max(1, round(fraction * total)), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


class ReactorLag:
    """Measure the reactor's timer lag while the spider runs; off with REACTOR_LAG_INTERVAL = 0."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.lags_ms: Counter[int] = Counter()
        self.due = 0.0
        self.call: DelayedCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReactorLag:
        interval = crawler.settings.getfloat("REACTOR_LAG_INTERVAL")
        if interval <= 0:
            raise NotConfigured("REACTOR_LAG_INTERVAL is 0")
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        """Start the timer."""
        self._schedule()

    def _schedule(self) -> None:
        self.due = time.monotonic() + self.interval
        self.call = reactor.callLater(self.interval, self._tick)

    def _tick(self) -> None:
        self.lags_ms[max(0, round(1000 * (time.monotonic() - self.due)))] += 1
        self._schedule()

    def spider_closed(self) -> None:
        """Stop the timer and set the lag stats."""
        if self.call is not None and self.call.active():
            self.call.cancel()
        stats = self.crawler.stats
        stats.set_value(f"{STAT_PREFIX}lag_p50_ms", percentile(self.lags_ms, 0.5))
        stats.set_value(f"{STAT_PREFIX}lag_p99_ms", percentile(self.lags_ms, 0.99))
        stats.set_value(f"{STAT_PREFIX}lag_max_ms", max(self.lags_ms, default=0))
