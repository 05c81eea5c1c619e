"""Extension: garbage-collector settings for a long crawl.

A full collection walks every live container object while holding the GIL. With the 400,000 objects of a crawl in
progress it took 300 ms and stalled the reactor every few seconds (akhbar/reactor/lag_p99_ms ≈ 310 ms). So when
the engine starts, the objects alive then (modules, tables, settings, the spider) are frozen out of all future
collections (gc.freeze), and collections run less often (GC_THRESHOLDS, gc.set_threshold's three numbers). Measured
on the demo site (3 outlets × 1,200 articles, one process): reactor lag p99 310 → 157 ms, p50 11 → 6 ms.
"""

from __future__ import annotations

import gc
import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


class GcTuning:
    """Apply GC_THRESHOLDS and freeze the objects alive when the engine starts; off with GC_THRESHOLDS = []."""

    def __init__(self, thresholds: tuple[int, int, int]) -> None:
        self.thresholds = thresholds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcTuning:
        values = crawler.settings.getlist("GC_THRESHOLDS")
        if not values:
            raise NotConfigured("GC_THRESHOLDS is empty")
        try:
            numbers = [int(v) for v in values]
        except ValueError:
            numbers = []
        if len(numbers) != 3 or min(numbers) < 1:
            logger.error("GC_THRESHOLDS needs three positive whole numbers, not %r: garbage collection left as it is",
                         values)
            raise NotConfigured("bad GC_THRESHOLDS")
        extension = cls((numbers[0], numbers[1], numbers[2]))
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self) -> None:
        """Freeze what is alive now and raise the collection thresholds."""
        gc.collect()  # what is garbage already should not be frozen with the rest
        gc.freeze()
        gc.set_threshold(*self.thresholds)
