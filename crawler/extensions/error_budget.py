"""The error budget of a site: a crawl whose site keeps failing stops, instead of fetching its dead URLs for days.

Every fetch ends as a success (a response the spider takes: 2xx, a 3xx not followed, a status its request accepts such
as a day archive's 404) or a failure (a response with an HTTP error status, or a request the spider records as failed:
timeout, transfer error, too large, refused redirect, …). A redirect hop or a retry is no fetch of its own, and a
request refused by robots.txt was never sent. When the last ERROR_BUDGET_WINDOW fetches are in and at least
ERROR_BUDGET_MAX_SHARE of them failed, the crawl stops: the requests waiting in the downloader and the scheduler are
dropped unsent (counted as akhbar/error_budget/dropped, not recorded one by one), one `error_budget` crawl error says
what failed, and the crawl closes with finish reason `error_budget` (`scrapy crawl` exits EX_ERROR_BUDGET).
ERROR_BUDGET_WINDOW=0 turns it off.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, deque

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from crawler.extensions.shutdown import drop_queued
from pipelines.outcomes.errors import FETCH_FAILED, report_error

logger = logging.getLogger(__name__)
ERROR_BUDGET = "error_budget"  # finish reason and crawl_errors kind
STAT_ERROR_BUDGET = "akhbar/error_budget/why"  # what failed, in one line
STAT_DROPPED = "akhbar/error_budget/dropped"  # requests never sent because the budget ran out
NOT_SENT = frozenset({"robots"})  # failed-request kinds of requests that never reached the site
KINDS_SHOWN = 3


class ErrorWindow:
    """The outcomes of a site's last `size` fetches, and whether too many of them failed."""

    def __init__(self, size: int, max_share: float) -> None:
        self.size, self.max_share = size, max_share
        self.outcomes: deque[str | None] = deque(maxlen=size)  # what failed, or None for a success
        self.failures = 0

    def add(self, failure: str | None) -> bool:
        """Add one fetch (what failed, None for a success); whether the budget has now run out."""
        if len(self.outcomes) == self.size and self.outcomes[0] is not None:
            self.failures -= 1
        self.outcomes.append(failure)
        if failure is not None:
            self.failures += 1
        return self.exhausted

    @property
    def exhausted(self) -> bool:
        """Whether the window is full and at least max_share of it failed."""
        return len(self.outcomes) == self.size and self.failures / self.size >= self.max_share

    def describe(self) -> str:
        """The window in one line: how many failed, the share, the commonest failures."""
        common = Counter(o for o in self.outcomes if o is not None).most_common(KINDS_SHOWN)
        return (f"{self.failures} of the last {self.size} fetches failed ({self.failures / self.size:.0%}, "
                f"ERROR_BUDGET_MAX_SHARE {self.max_share:.0%}): " + ", ".join(f"{k} ×{n}" for k, n in common))


def accepted(response: Response, request: Request, spider: Spider | None) -> bool:
    """Whether the spider takes this response (an HTTP error status it asked for, such as a day archive's 404)."""
    return (response.status < 400 or request.meta.get("handle_httpstatus_all", False)
            or response.status in request.meta.get("handle_httpstatus_list", ())
            or response.status in getattr(spider, "handle_httpstatus_list", ()))


class ErrorBudget:
    """Extension: stop the crawl of a site whose fetches mostly fail (see the module docstring)."""

    def __init__(self, crawler: Crawler, window: ErrorWindow) -> None:
        self.crawler = crawler
        self.window = window
        self.last_failed = "?"
        self.ran_out = False
        self.closing: asyncio.Future | None = None
        self.dropped = 0  # requests failed unsent in the downloader's slots

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ErrorBudget:
        size = crawler.settings.getint("ERROR_BUDGET_WINDOW")
        if size <= 0:
            raise NotConfigured("ERROR_BUDGET_WINDOW is 0: no error budget")
        budget = cls(crawler, ErrorWindow(size, crawler.settings.getfloat("ERROR_BUDGET_MAX_SHARE")))
        crawler.signals.connect(budget.response_received, signal=signals.response_received)
        crawler.signals.connect(budget.fetch_failed, signal=FETCH_FAILED)
        crawler.signals.connect(budget.spider_closed, signal=signals.spider_closed)
        return budget

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        """A fetch ended with a response (a redirect hop or a retried one never gets here)."""
        if accepted(response, request, spider):
            self.add(None)
        else:
            self.last_failed = request.url
            self.add(f"HTTP {response.status}")

    def fetch_failed(self, url: str, kind: str) -> None:
        """A request the spider records as failed; those with an HTTP error status were counted as responses."""
        if kind != "http_error" and kind not in NOT_SENT:
            self.last_failed = url
            self.add(kind)

    def add(self, failure: str | None) -> None:
        if not self.ran_out and self.window.add(failure):
            self.run_out()

    def run_out(self) -> None:
        """Record why, drop what waits, and close the crawl."""
        self.ran_out = True
        why = self.window.describe()
        spider = self.crawler.spider
        report_error(self.crawler, getattr(spider, "home", None) or self.last_failed, ERROR_BUDGET, why)
        self.crawler.stats.set_value(STAT_ERROR_BUDGET, why)
        logger.warning("%s: the error budget ran out, stopping the crawl: %s",
                       getattr(spider, "site", getattr(spider, "name", "the site")), why)
        self.dropped = drop_queued(self.crawler.engine, "the error budget ran out")
        self.closing = asyncio.ensure_future(self.crawler.engine.close_spider_async(reason=ERROR_BUDGET))

    def spider_closed(self, spider: Spider) -> None:
        """Count what was never sent: the requests dropped from the downloader, and those left in the scheduler (the
        spider's callbacks still under way go on scheduling while the crawl closes)."""
        if not self.ran_out:
            return
        stats = self.crawler.stats
        left = max(0, (stats.get_value("scheduler/enqueued") or 0) - (stats.get_value("scheduler/dequeued") or 0))
        stats.set_value(STAT_DROPPED, self.dropped + left)
        logger.info("error budget: %d requests dropped unsent", self.dropped + left)
