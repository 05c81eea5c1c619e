"""The generic news spider: robots.txt → sitemaps, feed autodiscovery and listing pages → article pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urljoin, urlparse

import scrapy
from scrapy.http import Response, TextResponse

from crawler.discovery import (
    Entry,
    is_next_page_link,
    looks_like_article,
    parse_feed,
    parse_sitemap,
    same_site,
    sitemap_urls_from_robots,
)
from crawler.items import FetchedPage, SiteRules

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/xml")


class NewsSpider(scrapy.Spider):
    """Crawl any news site from its home page: `scrapy crawl news -a url=http://host/`."""

    name = "news"
    home_url: ClassVar[str | None] = None
    site_name: ClassVar[str | None] = None
    timezone: ClassVar[str] = "UTC"
    date_order: ClassVar[str] = "unknown"
    staff_names: ClassVar[tuple[str, ...]] = ()
    url_date_pattern: ClassVar[str | None] = None
    max_listing_pages: ClassVar[int] = 500

    def __init__(self, url: str | None = None, site: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.home = url or self.home_url
        if not self.home:
            raise ValueError(f"spider {self.name!r} needs a home page: scrapy crawl {self.name} -a url=http://host/")
        if not urlparse(self.home).scheme:
            raise ValueError(f"url must be absolute (http://...), got {self.home!r}")
        host = urlparse(self.home).hostname or ""
        self.site = site or self.site_name or (host if type(self) is NewsSpider else self.name)
        self.allowed_domains = [host]
        self.rules = self.site_rules(self.site)
        self.listing_pages = 0

    @classmethod
    def site_rules(cls, site: str) -> SiteRules:
        """The extraction rules this spider declares for its site."""
        return SiteRules(site=site, timezone=cls.timezone, date_order=cls.date_order, staff_names=cls.staff_names,
                         url_date_pattern=cls.url_date_pattern)

    async def start(self) -> Any:
        """Start from robots.txt (for sitemaps) and the home page (for feeds and listings)."""
        yield scrapy.Request(urljoin(self.home, "/robots.txt"), callback=self.parse_robots,
                             errback=self.on_error, dont_filter=True)
        yield scrapy.Request(self.home, callback=self.parse_listing, errback=self.on_error)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow every sitemap that robots.txt names."""
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        for url in sitemap_urls_from_robots(text):
            if same_site(url, self.home):
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow sub-sitemaps of an index and article URLs of a urlset, keeping their dates as hints."""
        kind, entries = parse_sitemap(response.body)
        self.crawler.stats.inc_value(f"akhbar/sitemaps/{kind}")
        for entry in entries:
            if not same_site(entry.url, self.home):
                continue
            if kind == "index":
                yield scrapy.Request(entry.url, callback=self.parse_sitemap, errback=self.on_error)
            else:
                yield self.article_request(entry, "sitemap")

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow the items of an RSS or Atom feed."""
        for entry in parse_feed(response.body):
            if same_site(entry.url, self.home):
                yield self.article_request(entry, "feed")

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow feeds, article links and the next listing page."""
        if not isinstance(response, TextResponse):
            return
        for link in response.xpath("//link[@rel='alternate'][@href]"):
            if (link.attrib.get("type") or "").lower() in FEED_TYPES:
                yield response.follow(link.attrib["href"], callback=self.parse_feed, errback=self.on_error)
        for anchor in response.xpath("//a[@href]"):
            url = response.urljoin(anchor.attrib["href"])
            if not same_site(url, self.home):
                continue
            text = " ".join(anchor.xpath(".//text()").getall())
            if looks_like_article(url):
                yield self.article_request(Entry(url), "listing")
            elif is_next_page_link(text, anchor.attrib.get("rel")) and self.listing_pages < self.max_listing_pages:
                self.listing_pages += 1
                yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error)

    def article_request(self, entry: Entry, found_in: str) -> scrapy.Request:
        """A request for an article page carrying the discovery hints."""
        hints = {k: v for k, v in (("lastmod", entry.lastmod), ("published", entry.published)) if v}
        hints["found_in"] = found_in
        return scrapy.Request(entry.url, callback=self.parse_article, errback=self.on_error, meta={"hints": hints})

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

    def on_error(self, failure: Any) -> None:
        """Count and log a failed request; the crawl goes on."""
        kind = getattr(failure.value, "__class__", type(failure)).__name__
        self.crawler.stats.inc_value(f"akhbar/errors/{kind}")
        self.logger.warning("request failed (%s): %s", kind, getattr(failure.request, "url", "?"))
