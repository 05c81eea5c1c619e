"""The error budget of a site: a crawl whose site keeps failing stops, instead of fetching its dead URLs for days.

Only article pages count (requests whose meta holds ARTICLE: a site's dead sitemaps are not its articles). Every
fetch ends as a success (a response the spider takes: 2xx, a 3xx not followed, a status its request accepts such
as a day archive's 404) or a failure (a response with an HTTP error status, or a request the spider records as failed:
timeout, transfer error, too large, refused redirect, …). A redirect hop or a retry is no fetch of its own, and a
request refused by robots.txt was never sent. When the last ERROR_BUDGET_WINDOW fetches are in and at least
ERROR_BUDGET_MAX_SHARE of them failed, the crawl stops: the requests not yet sent, waiting in the downloader or the
scheduler or scheduled later, are dropped (counted as akhbar/error_budget/dropped, not recorded one by one); the
retries and redirect hops of requests already sent go on (at most RETRY_TIMES and REDIRECT_MAX_TIMES each), so every
URL that was tried ends recorded; one `error_budget` crawl error says what failed, and the crawl closes with finish
reason `error_budget` (`scrapy crawl` exits EX_ERROR_BUDGET) once those are done. ERROR_BUDGET_WINDOW=0 turns it off.
"""

from __future__ import annotations

import logging
from collections import Counter, deque

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, IgnoreRequest, NotConfigured
from scrapy.http import Request, Response

from crawler.extensions.shutdown import drop_queued
from pipelines.outcomes.errors import FETCH_FAILED, report_error

logger = logging.getLogger(__name__)
ERROR_BUDGET = "error_budget"  # finish reason and crawl_errors kind
STAT_ERROR_BUDGET = "akhbar/error_budget/why"  # what failed, in one line
STAT_DROPPED = "akhbar/error_budget/dropped"  # requests never sent because the budget ran out
ARTICLE = "article"  # request meta key the spiders set on article page requests: those are the fetches counted
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
        self.dropped = 0  # requests never sent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ErrorBudget:
        size = crawler.settings.getint("ERROR_BUDGET_WINDOW")
        if size <= 0:
            raise NotConfigured("ERROR_BUDGET_WINDOW is 0: no error budget")
        budget = cls(crawler, ErrorWindow(size, crawler.settings.getfloat("ERROR_BUDGET_MAX_SHARE")))
        crawler.signals.connect(budget.response_received, signal=signals.response_received)
        crawler.signals.connect(budget.fetch_failed, signal=FETCH_FAILED)
        crawler.signals.connect(budget.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(budget.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(budget.spider_closed, signal=signals.spider_closed)
        return budget

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        """A fetch ended with a response (a redirect hop or a retried one never gets here)."""
        if not request.meta.get(ARTICLE):
            return
        if accepted(response, request, spider):
            self.add(None)
        else:
            self.last_failed = request.url
            self.add(f"HTTP {response.status}")

    def fetch_failed(self, url: str, kind: str, request: Request | None = None) -> None:
        """A request the spider records as failed; those with an HTTP error status were counted as responses."""
        if request is not None and request.meta.get(ARTICLE) and kind != "http_error" and kind not in NOT_SENT:
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
        engine = self.crawler.engine
        self.dropped += drop_queued(engine, "the error budget ran out", keep=is_retry)
        scheduler = engine.scheduler
        waiting = []
        while scheduler is not None and (request := scheduler.next_request()) is not None:
            waiting.append(request)
        for request in waiting:
            if is_retry(request):
                request.dont_filter = True  # a redirect hop was seen on its way in: put back, it is no duplicate
                scheduler.enqueue_request(request)
            else:
                self.dropped += 1

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        """Once the budget ran out, a new request is dropped before the scheduler; a retry goes on."""
        if self.ran_out and not is_retry(request):
            self.dropped += 1
            raise IgnoreRequest("not sent: the error budget ran out")

    def spider_idle(self, spider: Spider) -> None:
        """Close the crawl once the retries under way are done."""
        if self.ran_out:
            raise CloseSpider(ERROR_BUDGET)

    def spider_closed(self, spider: Spider) -> None:
        """Count what was never sent."""
        if self.ran_out:
            self.crawler.stats.set_value(STAT_DROPPED, self.dropped)
            logger.info("error budget: %d requests dropped unsent", self.dropped)


def is_retry(request: Request) -> bool:
    """Whether the request continues one already sent: a retry or a redirect hop (their middlewares count them in
    meta)."""
    return request.meta.get("retry_times", 0) > 0 or request.meta.get("redirect_times", 0) > 0
