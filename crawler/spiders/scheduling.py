"""How the news spider schedules the article URLs discovery finds: listed ones (a site's newest) at once and first,
a sitemap's through a backlog that keeps the scheduler at most PLAN_QUEUE_MAX long (crawler/planning/backlog.py),
the undated ones once discovery has run dry; a crawl that stops sending requests drops what is held back."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider

from crawler.discovery.guard import DiscoveryGuard
from crawler.discovery.parsers import Entry
from crawler.distributed import distributed
from crawler.extensions.error_budget import ARTICLE
from crawler.planning.backlog import Backlog
from crawler.planning.planner import Candidate, FetchPlanner

# Listing pages, feeds and the articles they list (a site's newest) are fetched before those only a sitemap lists: a
# huge old sitemap, or one full of dead URLs, never starves them.
FRESH_PRIORITY = 10
FRESH_SOURCES = ("listing", "feed")
PLAN_SLICE = 500  # article URLs planned at a time; the reactor runs between slices


class ArticleScheduling:
    """Mixin of the news spider: from planned candidates to scheduled article requests."""

    crawler: Crawler
    guard: DiscoveryGuard
    planner: FetchPlanner | None
    page_maxsize: int
    logger: logging.LoggerAdapter
    stopping: bool  # the crawl sends no new request (a stop signal, the error budget)
    _releasing: asyncio.Future | None
    parse_article: Any
    on_error: Any
    close_if_down: Any

    async def plan(self, url: str, entries: list[Entry], found_in: str, days: tuple[date, date] | None = None,
                   unstored: set[str] | None = None) -> AsyncIterator[scrapy.Request]:
        """Requests for the entries (of the document at url) the planner fetches now, planned a slice at a time while
        the run takes more URLs; the URLs the store does not have are added to unstored. Listed articles are
        scheduled at once, a sitemap's wait in the backlog for room in the scheduler."""
        for start in range(0, len(entries), PLAN_SLICE):
            if self.stopping:  # the rest would only be dropped
                return
            taken = self.guard.discovered(url, entries[start:start + PLAN_SLICE], len(self.planner.seen))
            if not taken:
                return
            plan = await self.planner.plan(taken, found_in, days)
            if unstored is not None:
                unstored |= plan.fresh
            if found_in in FRESH_SOURCES:
                for candidate in plan.fetch:
                    yield self.article_request(candidate, found_in)
            else:
                self.backlog.add(plan.fetch)
                for candidate in self.backlog.take(self.requests_waiting()):
                    yield self.article_request(candidate)
            await asyncio.sleep(0)

    @functools.cached_property
    def backlog(self) -> Backlog:
        """The planned article URLs waiting for room in the scheduler (PLAN_QUEUE_MAX; none in distributed mode,
        whose queue is in Redis)."""
        settings = self.crawler.settings
        return Backlog(0 if distributed(settings) else settings.getint("PLAN_QUEUE_MAX"))

    def requests_waiting(self) -> int:
        """How many requests wait in the scheduler."""
        return len(self.crawler.engine.scheduler)

    def top_up(self) -> None:
        """Schedule waiting article URLs while the scheduler has room (a request has just left it)."""
        if self.backlog and not self.stopping:
            for candidate in self.backlog.take(self.requests_waiting()):
                self.crawler.engine.crawl(self.article_request(candidate))

    def drop_held(self, why: str) -> int:
        """The crawl sends no new request: forget the waiting article URLs and the undated ones; how many."""
        self.stopping = True
        held = self.backlog.drop() + len(self.planner.deferred if self.planner else ())
        if self.planner:
            self.planner.deferred.clear()
        if held:
            self.logger.info("%d planned article URLs not fetched: %s", held, why)
        return held

    def article_request(self, candidate: Candidate, found_in: str | None = None) -> scrapy.Request:
        """A request for an article page carrying the discovery hints, first if listed (found_in) on a page or feed."""
        priority = FRESH_PRIORITY if (found_in or candidate.found_in) in FRESH_SOURCES else 0
        return scrapy.Request(candidate.url, callback=self.parse_article, errback=self.on_error, priority=priority,
                              meta={"hints": candidate.hints, ARTICLE: True, "download_maxsize": self.page_maxsize})

    def on_idle(self) -> None:
        """When discovery has run dry, fetch the waiting article URLs, then those no date could place: they may be in
        the window."""
        if self.planner is None:
            return
        if not self.stopping and self.backlog:
            self.top_up()
            raise DontCloseSpider
        if not self.stopping and self._releasing is None and self.planner.deferred:
            self._releasing = asyncio.ensure_future(self._release_deferred())
        if self._releasing is not None:
            raise DontCloseSpider
        self.close_if_down()

    async def _release_deferred(self) -> None:
        try:
            released = await self.planner.release_deferred()
            if not self.stopping:
                self.backlog.add(released)
                self.top_up()
        except Exception:
            self.logger.exception("could not schedule the undated article URLs")
        finally:
            self._releasing = None
