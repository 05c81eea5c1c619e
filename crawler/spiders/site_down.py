"""Telling a site that never answers from one that does: while no response of the site has a status below 400, the
first failed requests are kept, and a crawl that runs dry that way closes with reason `site_down` and one
`site_down` crawl error saying what failed. A worker of a distributed run sees only part of the site: it judges only
when the home page failed for it (one worker fetches it), so a worker given only dead article URLs does not call a
site down that answered another."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from crawler.distributed import pulls_start_requests
from pipelines.outcomes.errors import classify, report_error

SITE_DOWN = "site_down"  # finish reason and crawl_errors kind of a crawl whose site never answered
STAT_SITE_DOWN = "akhbar/site_down"  # what failed, in one line
KEPT_FAILURES = 10


class SiteDownWatch:
    """Mixin of the news spider: whether the site answered, and closing the crawl when it never did."""

    crawler: Crawler
    home: str

    def watch_site(self) -> None:
        """Start watching: nothing answered, no failure kept."""
        self.answered = False  # some response of the site had a status below 400
        self.home_failed = False  # the request for the home page failed (after its redirects and retries)
        self.failures: dict[str, str] = {}  # the first failed requests, while nothing answered: URL → what happened

    def on_response(self, response: Response) -> None:
        """A response downloaded from the site (a redirect too): the site answers, unless with an HTTP error."""
        if response.status < 400:
            self.answered = True

    def note_failure(self, failure: Any) -> None:
        """Keep one of the first failed requests while nothing has answered."""
        url = getattr(failure.request, "url", "?")
        if (getattr(failure.request, "meta", {}).get("redirect_urls") or [url])[0] == self.home:
            self.home_failed = True
        if not self.answered and len(self.failures) < KEPT_FAILURES:
            self.failures.setdefault(url, classify(failure.value)[1])

    def close_if_down(self) -> None:
        """Close the crawl as `site_down` when every request so far failed (called when the crawl runs dry)."""
        if not self.answered and self.failures and (self.home_failed
                                                    or not pulls_start_requests(self.crawler.settings)):
            self.site_down("every request failed (" + self.describe_failures() + ")")

    def describe_failures(self) -> str:
        """The failed requests in one line, grouped by what happened."""
        by_message: dict[str, list[str]] = {}
        for url, message in self.failures.items():
            by_message.setdefault(message, []).append(url)
        return "; ".join(f"{', '.join(urls[:3])}{' and more' if len(urls) > 3 else ''}: {message}"
                         for message, urls in list(by_message.items())[:3])

    def site_down(self, why: str) -> None:
        """Record that the site never answered (a crawl error, and the stat the crawl commands report) and close."""
        if self.crawler.stats.get_value(STAT_SITE_DOWN) is None:  # once, however often the spider is idle
            report_error(self.crawler, self.home, SITE_DOWN, why)
            self.crawler.stats.set_value(STAT_SITE_DOWN, why)
        raise CloseSpider(SITE_DOWN)
