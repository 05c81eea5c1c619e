"""Downloader middleware: Scrapy's retries, with a host that answers 429 or 503 slowed down, within a cap.

Scrapy retries a 429 at once: three attempts within 0.1 s, whatever the server asked. Here a 429 or 503 raises the
delay of the host's download slot to what its `Retry-After` asks (seconds or an HTTP date), or doubles it when it
asks nothing, never beyond RETRY_AFTER_MAX_S; the retry then waits in the slot like every later request to that host.
Once that wait is over, the slot gets its delay back (a timer: the next request went out with the raised delay, the
one after it goes with the usual one). Each slow-down is counted as akhbar/retry_after/slowed. A request whose
server asks for a longer wait than the cap is not retried (a retry after the cap would come before the time the
server named): it ends as its HTTP error at once, counted as akhbar/retry_after/given_up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from twisted.internet import reactor

SLOW_STATUSES = frozenset({429, 503})
FIRST_DELAY_S = 1.0  # a 429 without Retry-After on a host without delay


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """The wait a Retry-After header asks for, in seconds (delta-seconds or an HTTP date); None when unreadable."""
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that slows a host down on 429 and 503 before retrying."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_delay = crawler.settings.getfloat("RETRY_AFTER_MAX_S")
        self.raised: dict[str, tuple[float, float]] = {}  # slot key → its delay and jitter before
        self.timers: dict[str, Any] = {}  # slot key → the call that gives them back

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PoliteRetryMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response, spider: Spider | None = None
                         ) -> Request | Response:
        """Slow the host down on 429/503, then let Scrapy decide about the retry."""
        engine = self.crawler.engine
        key = engine.downloader.get_slot_key(request) if engine else None
        slot = engine.downloader.slots.get(key) if engine and key else None
        if slot is not None and response.status in SLOW_STATUSES and not request.meta.get("dont_retry", False):
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            wanted = asked if asked is not None else max(slot.delay * 2, FIRST_DELAY_S)
            self.slow_down(key, slot, min(wanted, self.max_delay))
            if asked is not None and asked > self.max_delay:
                self.crawler.stats.inc_value("akhbar/retry_after/given_up")
                return response
        return super().process_response(request, response)

    def slow_down(self, key: str, slot: Any, wait: float) -> None:
        """Hold the host's slot at `wait` seconds between requests (exactly: no jitter) for `wait` seconds."""
        self.raised.setdefault(key, (slot.delay, slot.jitter))
        slot.delay, slot.jitter = max(slot.delay, wait), 0.0
        timer = self.timers.pop(key, None)
        if timer is not None and timer.active():
            timer.cancel()
        self.timers[key] = reactor.callLater(wait, self.give_back, key)
        self.crawler.stats.inc_value("akhbar/retry_after/slowed")

    def give_back(self, key: str) -> None:
        """The asked wait is over: the slot gets its delay and jitter back."""
        self.timers.pop(key, None)
        before = self.raised.pop(key, None)
        slot = self.crawler.engine.downloader.slots.get(key) if self.crawler.engine else None
        if before is not None and slot is not None:
            slot.delay, slot.jitter = before

    def spider_closed(self) -> None:
        """No wait outlives the crawl."""
        for timer in self.timers.values():
            if timer.active():
                timer.cancel()
        self.timers.clear()
