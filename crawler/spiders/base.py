"""The generic news spider: robots.txt → sitemaps, feed autodiscovery and listing pages → article pages.

Without dates it runs incrementally (skips stored articles, revisits young ones); with `-a since=… -a until=…`
it backfills that window, pruning every URL whose sitemap, feed, listing or URL date puts it outside. A site that never
answers (every request failed: connection refused, DNS, timeouts, HTTP errors; or a home page that is not http(s))
closes the crawl with reason `site_down` and a `site_down` crawl error.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urljoin, urlparse

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings

from crawler.discovery.guard import DiscoveryGuard
from crawler.discovery.listing import dated_links, feed_links, next_page_links
from crawler.discovery.parsers import Entry, same_site, sitemap_urls_from_robots
from crawler.distributed import pulls_start_requests
from crawler.extensions.shutdown import CrawlStopping
from crawler.items import FetchedPage, SiteRules
from crawler.planning.jobstate import JobState, finish_job, open_job, take_over_jobdir
from crawler.planning.planner import Candidate, FetchPlanner, StoreSkip
from crawler.planning.store_view import StoreView
from crawler.planning.window import DateWindow, day_archive_urls, latest_instant, sitemap_days, url_days
from crawler.spiders.arguments import SpiderArguments
from pipelines.outcomes.errors import classify, report_error, report_failure

# A sitemap whose lastmod is this much older than the last finished incremental run holds nothing new.
WATERMARK_SLACK = timedelta(hours=1)
SITE_DOWN = "site_down"  # finish reason and crawl_errors kind of a crawl whose site never answered
STAT_SITE_DOWN = "akhbar/site_down"  # what failed, in one line
WEB_SCHEMES = ("http", "https")


class NewsSpider(SpiderArguments, scrapy.Spider):
    """Crawl any news site from its home page: `scrapy crawl news -a url=http://host/ [-a since=… -a until=…]`."""

    name = "news"
    home_url: ClassVar[str | None] = None
    site_name: ClassVar[str | None] = None
    timezone: ClassVar[str] = "UTC"
    date_order: ClassVar[str] = "unknown"
    staff_names: ClassVar[tuple[str, ...]] = ()
    url_date_pattern: ClassVar[str | None] = None
    max_listing_pages: ClassVar[int] = 500
    # Day-archive listing path such as "/{day:%Y/%m/%d}/": backfills jump there instead of paging from the home page.
    date_archive: ClassVar[str | None] = None
    scheduled: ClassVar[bool] = True  # `scrapy crawlall` runs it when no spider is named

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        take_over_jobdir(settings)

    @classmethod
    def site_for(cls, url: str | None = None, site: str | None = None) -> str:
        """The site articles are stored under: -a site, the spider's site_name, its name, or the host for `news`."""
        host = urlparse(cls.home_for(url)).hostname or ""
        return site or cls.site_name or (host if cls is NewsSpider else cls.name)

    @classmethod
    def site_rules(cls, site: str) -> SiteRules:
        """The extraction rules this spider declares for its site."""
        return SiteRules(site=site, timezone=cls.timezone, date_order=cls.date_order, staff_names=cls.staff_names,
                         url_date_pattern=cls.url_date_pattern)

    def __init__(self, url: str | None = None, site: str | None = None, since: str | None = None,
                 until: str | None = None, timezone: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.home = self.home_for(url)
        self.site = self.site_for(url, site)
        self.allowed_domains = [urlparse(self.home).hostname or ""]
        zone = self.timezone_for(timezone)
        self.window = DateWindow.from_arguments(since, until, zone)
        self.mode = "backfill" if self.window.bounded else "incremental"
        self.arguments = {k: v for k, v in (("url", url), ("site", site), ("since", since), ("until", until),
                                            ("timezone", timezone)) if v}
        self.rules = dataclasses.replace(self.site_rules(self.site), timezone=zone)
        self.listing_pages = 0
        self.listed: set[str] = set()  # article URLs seen on listing pages so far (sidebars repeat on every page)
        self.planner: FetchPlanner | None = None
        self.store: StoreView | None = None
        self.job: JobState | None = None
        self.watermark: datetime | None = None
        self.plan_info: dict[str, Any] = {"window": self.window.describe() if self.window.bounded else None}
        self._releasing: asyncio.Future | None = None
        self.answered = False  # some response of the site had a status below 400
        self.failures: dict[str, str] = {}  # the first failed requests, while nothing answered: URL → what happened

    @functools.cached_property
    def guard(self) -> DiscoveryGuard:
        """The discovery limits of this crawl (sitemap size and URL count, loops, links per page)."""
        return DiscoveryGuard(self.crawler)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Revisits first, then robots.txt (for sitemaps), the home page (feeds, listings) and any day archives."""
        scheme = urlparse(self.home).scheme.lower()
        if scheme not in WEB_SCHEMES:
            self.site_down(f"{self.home} is not a web address (only http:// and https:// are crawled)")
        self.crawler.signals.connect(self.on_response, signal=signals.response_downloaded)
        revisits = await self.open_plan()
        if pulls_start_requests(self.crawler.settings):  # a distributed worker: `scrapy push` queued them in Redis
            return
        for candidate in revisits:
            yield self.article_request(candidate)
        yield scrapy.Request(urljoin(self.home, "/robots.txt"), callback=self.parse_robots,
                             errback=self.on_error, dont_filter=True)
        yield scrapy.Request(self.home, callback=self.parse_listing, errback=self.on_error)
        for url in day_archive_urls(self.date_archive, self.home, self.window):
            # A day without articles is a 404 on most sites: an empty archive, not an error.
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                                 meta={"archive": True, "handle_httpstatus_list": [404]})

    async def open_plan(self) -> list[Candidate]:
        """Set up the planner (job resume, store lookups, watermark); return the young articles to revisit."""
        settings = self.crawler.settings
        self.crawler.signals.connect(self.on_idle, signal=signals.spider_idle)
        if settings.get("AKHBAR_JOBDIR"):
            self.job = open_job(settings["AKHBAR_JOBDIR"], {"spider": self.name, **self.arguments})
            if self.job.replaced:
                self.logger.warning("JOBDIR held an unfinished job of another crawl; starting a new job")
            if self.job.resumed:
                self.logger.info("resuming the job started %s: articles stored since then are skipped",
                                 self.job.started_at.isoformat())
            self.plan_info.update(job_started_at=self.job.started_at, resumed=self.job.resumed)
        skip = None
        if self.mode == "incremental":
            skip = StoreSkip(None, "akhbar/incremental/skipped_stored")
        elif self.job and self.job.resumed:
            skip = StoreSkip(self.job.started_at, "akhbar/resume/skipped_stored")
        if skip:
            self.store = await StoreView.open(settings)
        self.planner = FetchPlanner(self.window, self.crawler.stats, self.rules, self.store, skip)
        if self.mode != "incremental" or self.store is None:
            return []
        self.watermark = await self.store.watermark(self.site)
        self.plan_info["watermark"] = self.watermark
        hours = settings.getfloat("REVISIT_MAX_AGE_HOURS")
        if hours <= 0:
            return []
        cutoff = datetime.now(UTC) - timedelta(hours=hours)
        self.plan_info["revisit_cutoff"] = cutoff
        return self.planner.add_revisits(await self.store.young(self.site, cutoff))

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow every sitemap that robots.txt names."""
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        for url in self.guard.first_visit(response.url, [u for u in sitemap_urls_from_robots(text)
                                                         if same_site(u, self.home)]):
            yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error)

    async def parse_sitemap(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """Follow the sub-sitemaps that can hold wanted articles, and plan the article URLs of a urlset."""
        kind, entries = self.guard.sitemap(response)
        self.crawler.stats.inc_value(f"akhbar/sitemaps/{kind}")
        entries = [e for e in entries if same_site(e.url, self.home)]
        if kind == "index":
            for url in self.guard.first_visit(response.url, [e.url for e in entries if self.keep_sitemap(e)]):
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error)
            return
        for request in await self.plan(entries, "sitemap", sitemap_days(response.url)):
            yield request

    def keep_sitemap(self, entry: Entry) -> bool:
        """Whether a sub-sitemap may list wanted articles: by its name and lastmod, or unchanged since last run."""
        place, evidence = self.window.place_of_sitemap(entry.url, entry.lastmod)
        if place in ("before", "after"):
            self.crawler.stats.inc_value(f"akhbar/pruned/sitemap/{evidence}")
            return False
        changed = latest_instant(entry.lastmod, self.window.timezone)
        if self.watermark and changed and changed < self.watermark - WATERMARK_SLACK:
            self.crawler.stats.inc_value("akhbar/pruned/sitemap/unchanged")
            return False
        return True

    async def parse_feed(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """Plan the items of an RSS or Atom feed."""
        for request in await self.plan([e for e in self.guard.feed(response) if same_site(e.url, self.home)], "feed"):
            yield request

    async def parse_listing(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """Follow feeds, plan the listed articles (with their shown dates), and page on while it can pay off."""
        if not isinstance(response, TextResponse):
            return
        for url in feed_links(response.selector.root, response.url):
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.on_error)
        links = dated_links(response.selector.root, response.url, self.rules,
                            max_links=self.guard.listing_links(response))
        own = [e for e in links if e.url not in self.listed]
        self.listed.update(e.url for e in links)
        plan = await self.planner.plan(links, "listing")
        for candidate in plan.fetch:
            yield self.article_request(candidate)
        archive = response.meta.get("archive", False)
        fresh = any(e.url in plan.fresh for e in own)
        for url in next_page_links(response.selector.root, response.url, self.home):
            if self.keep_paging(own, fresh, archive):
                self.listing_pages += 1
                self.crawler.stats.inc_value("akhbar/listing/pages")
                yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, meta={"archive": archive})

    def keep_paging(self, own: list[Entry], fresh: bool, archive: bool) -> bool:
        """Incremental: while pages list unstored articles. Backfill: until a page lies wholly before since."""
        if self.listing_pages >= self.max_listing_pages:
            self.guard.listing_pages_exhausted(self.home, self.max_listing_pages)
            return False
        if self.mode == "incremental":
            if not fresh:
                self.crawler.stats.inc_value("akhbar/listing/stopped/nothing_new")
            return fresh
        if self.date_archive and self.window.since and not archive:
            return False
        days = [d for e in own if (d := self.latest_day(e))]
        if self.window.since and days and max(days) < self.window.since:
            self.crawler.stats.inc_value("akhbar/listing/stopped/past_since")
            return False
        return True

    def latest_day(self, entry: Entry) -> date | None:
        """The latest day a listed article can be from: its shown date, else its URL date."""
        day = self.window.hint_day(entry.published, self.date_order)
        days = url_days(entry.url, self.url_date_pattern)
        return day or (days[1] if days else None)

    async def plan(self, entries: list[Entry], found_in: str,
                   days: tuple[date, date] | None = None) -> list[scrapy.Request]:
        """Requests for the entries the planner decides to fetch now."""
        plan = await self.planner.plan(entries, found_in, days)
        return [self.article_request(c) for c in plan.fetch]

    def article_request(self, candidate: Candidate) -> scrapy.Request:
        """A request for an article page carrying the discovery hints."""
        return scrapy.Request(candidate.url, callback=self.parse_article, errback=self.on_error,
                              meta={"hints": candidate.hints})

    def parse_article(self, response: Response) -> Iterator[FetchedPage]:
        """Hand the raw page to the pipelines; no extraction here."""
        self.crawler.stats.inc_value("akhbar/pages/article")
        yield FetchedPage(
            url=response.meta.get("redirect_urls", [response.url])[0],
            final_url=response.url,
            site=self.site,
            body=response.body,
            encoding=response.encoding if isinstance(response, TextResponse) else None,
            headers={k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
            fetched_at=datetime.now(UTC),
            rules=self.rules,
            hints=response.meta.get("hints", {}),
        )

    def on_idle(self) -> None:
        """When discovery has run dry, fetch the URLs no date could place: they may be in the window."""
        if self.planner is None:
            return
        if self._releasing is None and self.planner.deferred:
            self._releasing = asyncio.ensure_future(self._release_deferred())
        if self._releasing is not None:
            raise DontCloseSpider
        if not self.answered and self.failures:
            self.site_down("every request failed (" + self.describe_failures() + ")")

    def on_response(self, response: Response) -> None:
        """A response downloaded from the site (a redirect too): the site answers, unless with an HTTP error."""
        if response.status < 400:
            self.answered = True

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

    async def _release_deferred(self) -> None:
        try:
            for candidate in await self.planner.release_deferred():
                self.crawler.engine.crawl(self.article_request(candidate))
        except Exception:
            self.logger.exception("could not schedule the undated article URLs")
        finally:
            self._releasing = None

    def closed(self, reason: str) -> None:
        """A job that finished normally is done (its JOBDIR can start a new one)."""
        if self.job is not None and reason == "finished":
            finish_job(self.job)

    def on_error(self, failure: Any) -> None:
        """Count, record (crawl_errors) and log a failed request; the crawl goes on. A request dropped unsent
        because the crawl is stopping is only counted (akhbar/shutdown/dropped)."""
        if failure.check(CrawlStopping):
            return
        kind = report_failure(self.crawler, failure)
        if not self.answered and len(self.failures) < 10:
            self.failures.setdefault(getattr(failure.request, "url", "?"), classify(failure.value)[1])
        self.logger.warning("request failed (%s): %s", kind, getattr(failure.request, "url", "?"))
