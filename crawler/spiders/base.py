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
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urljoin, urlparse

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings

from crawler.discovery.guard import DiscoveryGuard
from crawler.discovery.parsers import Entry
from crawler.distributed import pulls_start_requests
from crawler.extensions.shutdown import REQUESTS_DROPPED, CrawlStopping
from crawler.items import WEB_SCHEMES, FetchedPage, SiteRules
from crawler.planning.jobstate import JobState, finish_job, open_job, take_over_jobdir
from crawler.planning.planner import Candidate, FetchPlanner, StoreSkip
from crawler.planning.store_view import StoreView
from crawler.planning.window import DateWindow, day_archive_urls, latest_instant, sitemap_days
from crawler.spiders.arguments import SpiderArguments
from crawler.spiders.paging import ListingPaging
from crawler.spiders.scheduling import FRESH_PRIORITY, ArticleScheduling
from crawler.spiders.site_down import SiteDownWatch
from pipelines.outcomes.errors import report_failure

# A sitemap whose lastmod is this much older than the last finished incremental run holds nothing new.
WATERMARK_SLACK = timedelta(hours=1)
# Sitemaps robots.txt names come after the listed articles (a robots.txt may name hundreds, dead ones too); those an
# index lists come before every article, so a site's sitemap tree is known early whatever its depth.
SITEMAP_PRIORITY = 5
INDEXED_SITEMAP_PRIORITY = 20
SITEMAP_DEPTH = "sitemap_depth"  # request meta: how many indexes lead to a sitemap (robots.txt's are at 0)


class NewsSpider(SpiderArguments, SiteDownWatch, ListingPaging, ArticleScheduling, scrapy.Spider):
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
        self.stopping = False  # the crawl sends no new request (a stop signal, the error budget)
        self.watch_site()

    @functools.cached_property
    def page_maxsize(self) -> int:
        """The largest article page downloaded: no more than extraction takes (EXTRACT_MAX_BYTES; DOWNLOAD_MAXSIZE
        stays for sitemaps and listings). A larger one is cut short as too_large instead of being held whole."""
        limits = [self.crawler.settings.getint(name) for name in ("EXTRACT_MAX_BYTES", "DOWNLOAD_MAXSIZE")]
        return min((limit for limit in limits if limit > 0), default=0)  # 0: no limit

    @functools.cached_property
    def guard(self) -> DiscoveryGuard:
        """The discovery limits of this crawl (documents read off the reactor thread, each within its limits)."""
        return DiscoveryGuard(self.crawler, self.home)

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
        yield scrapy.Request(self.home, callback=self.parse_listing, errback=self.on_error, priority=FRESH_PRIORITY)
        for url in day_archive_urls(self.date_archive, self.home, self.window):
            # A day without articles is a 404 on most sites: an empty archive, not an error.
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, priority=FRESH_PRIORITY,
                                 meta={"archive": True, "handle_httpstatus_list": [404]})

    async def open_plan(self) -> list[Candidate]:
        """Set up the planner (job resume, store lookups, watermark); return the young articles to revisit."""
        settings = self.crawler.settings
        self.crawler.signals.connect(self.on_idle, signal=signals.spider_idle)
        self.crawler.signals.connect(self.top_up, signal=signals.request_reached_downloader)
        self.crawler.signals.connect(self.drop_held, signal=REQUESTS_DROPPED)
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

    async def parse_robots(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """Follow the sitemaps that robots.txt names, in its order (the scheduler takes the last one first)."""
        urls = self.guard.sitemaps_to_read(response.url, await self.guard.robots(response), 0)
        for url in reversed(urls):
            yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error, meta={SITEMAP_DEPTH: 0},
                                 priority=SITEMAP_PRIORITY)

    async def parse_sitemap(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """Follow the sub-sitemaps that can hold wanted articles, and plan the article URLs of a urlset."""
        kind, entries = await self.guard.sitemap(response)
        self.crawler.stats.inc_value(f"akhbar/sitemaps/{kind}")
        if kind == "index":
            depth = response.meta.get(SITEMAP_DEPTH, 0) + 1
            wanted = [e.url for e in entries if self.keep_sitemap(e)]
            for url in self.guard.sitemaps_to_read(response.url, wanted, depth):
                yield scrapy.Request(url, self.parse_sitemap, errback=self.on_error, meta={SITEMAP_DEPTH: depth},
                                     priority=INDEXED_SITEMAP_PRIORITY)
            return
        async for request in self.plan(response.url, entries, "sitemap", sitemap_days(response.url)):
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
        async for request in self.plan(response.url, await self.guard.feed(response), "feed"):
            yield request

    async def parse_listing(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """Follow feeds, plan the listed articles (with their shown dates), and page on while it can pay off."""
        if not isinstance(response, TextResponse):
            return
        page = await self.guard.listing(response, self.rules)
        for url in page.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.on_error, priority=FRESH_PRIORITY)
        own = [e for e in page.links if e.url not in self.listed]
        self.listed.update(e.url for e in page.links)
        unstored: set[str] = set()
        async for request in self.plan(response.url, page.links, "listing", unstored=unstored):
            yield request
        archive = response.meta.get("archive", False)
        fresh = any(e.url in unstored for e in own)
        for url in page.next_pages:
            if self.keep_paging(own, fresh, archive):
                self.listing_pages += 1
                self.crawler.stats.inc_value("akhbar/listing/pages")
                yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, priority=FRESH_PRIORITY,
                                     meta={"archive": archive})

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
        self.note_failure(failure)
        self.logger.warning("request failed (%s): %s", kind, getattr(failure.request, "url", "?"))
