"""Downloader middleware: Scrapy's retries, with a host that answers 429 or 503 slowed down, within a cap.

Scrapy retries a 429 at once: three attempts within 0.1 s, whatever the server asked. Here a 429 or 503 raises the
delay of the host's download slot to what its `Retry-After` asks (seconds or an HTTP date), or doubles it when it
asks nothing, never beyond RETRY_AFTER_MAX_S; the retry then waits in the slot like every later request to that host.
Once that wait is over, the host's next answer that is neither 429 nor 503 gives the slot its delay back. Each
slow-down is counted as akhbar/retry_after/slowed. A request whose server asks for a longer wait than the cap is not
retried (a retry after the cap would come before the time the server named): it ends as its HTTP error at once,
counted as akhbar/retry_after/given_up.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

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
        self.raised: dict[str, tuple[float, float]] = {}  # slot key → (its delay before, end of the asked wait)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PoliteRetryMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None
                         ) -> Request | Response:
        """Slow the host down on 429/503 (or give it its delay back), then let Scrapy decide about the retry."""
        engine = self.crawler.engine
        key = engine.downloader.get_slot_key(request) if engine else None
        slot = engine.downloader.slots.get(key) if engine and key else None
        if slot is not None and response.status in SLOW_STATUSES and not request.meta.get("dont_retry", False):
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            wanted = asked if asked is not None else max(slot.delay * 2, FIRST_DELAY_S)
            wait = min(wanted, self.max_delay)
            before = self.raised.get(key, (slot.delay, 0.0))[0]
            self.raised[key] = (before, time.monotonic() + wait)
            slot.delay = max(slot.delay, wait)
            self.crawler.stats.inc_value("akhbar/retry_after/slowed")
            if asked is not None and asked > self.max_delay:
                self.crawler.stats.inc_value("akhbar/retry_after/given_up")
                return response
        elif slot is not None and key in self.raised and time.monotonic() >= self.raised[key][1]:
            slot.delay = min(slot.delay, self.raised.pop(key)[0])
        return super().process_response(request, response)
