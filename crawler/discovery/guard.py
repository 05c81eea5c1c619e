"""Limits that keep discovery bounded whatever a site serves, each hit recorded (crawler.extensions.crawl_errors):
gzipped sitemaps inflated up to a size, at most SITEMAP_MAX_URLS URLs used per sitemap, every sitemap read once (index
loops), unsafe or broken XML refused or recovered, at most LISTING_MAX_LINKS links read per listing page."""

from __future__ import annotations

import zlib

from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from crawler.discovery.parsers import Entry, parse_feed, parse_sitemap
from pipelines.outcomes.errors import report_error

GZIP_MAGIC = b"\x1f\x8b"


class TooLarge(ValueError):
    """Inflated data over the size limit."""


def gunzip(data: bytes, limit: int) -> bytes:
    """Inflate gzip data (all members) without ever holding more than limit bytes; TooLarge beyond it."""
    out = bytearray()
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out += inflater.decompress(data, limit + 1 - len(out))
        if len(out) > limit:
            raise TooLarge(f"inflates to more than {limit} bytes")
        if not inflater.eof:
            raise EOFError("is cut short")
        data = inflater.unused_data.lstrip(b"\x00")
    return bytes(out)


def _summary(problems: list[str], kept: int) -> str:
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}; {kept} entries kept"


class DiscoveryGuard:
    """The discovery limits of one crawl."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.max_urls = settings.getint("SITEMAP_MAX_URLS")
        self.max_bytes = settings.getint("SITEMAP_MAX_BYTES")
        self.max_links = settings.getint("LISTING_MAX_LINKS")
        self.sitemaps: set[str] = set()
        self.paging_capped = False

    def sitemap(self, response: Response) -> tuple[str, list[Entry]]:
        """The kind and entries of a sitemap response, inflated if gzipped and capped."""
        try:
            body = gunzip(response.body, self.max_bytes) if response.body[:2] == GZIP_MAGIC else response.body
        except (TooLarge, zlib.error, EOFError) as exc:
            kind = "too_large" if isinstance(exc, TooLarge) else "discovery_rejected"
            report_error(self.crawler, response.url, kind, f"gzipped sitemap {exc}")
            return "invalid", []
        problems: list[str] = []
        kind, entries = parse_sitemap(body, problems)
        if problems:
            report_error(self.crawler, response.url, "discovery_rejected", _summary(problems, len(entries)))
        if len(entries) > self.max_urls:
            report_error(self.crawler, response.url, "discovery_capped",
                         f"{len(entries)} URLs, over SITEMAP_MAX_URLS: the first {self.max_urls} used")
            entries = entries[:self.max_urls]
        return kind, entries

    def first_visit(self, index_url: str, urls: list[str]) -> list[str]:
        """The sitemaps an index lists that were not requested before (a loop is recorded once per index)."""
        fresh = [u for u in dict.fromkeys(urls) if u not in self.sitemaps]
        if len(fresh) < len(set(urls)):
            seen = next(u for u in urls if u in self.sitemaps)
            report_error(self.crawler, index_url, "bounded", f"sitemap index lists {seen} again (a loop or a repeat): "
                         "every sitemap is read once")
        self.sitemaps.update(fresh)
        return fresh

    def feed(self, response: Response) -> list[Entry]:
        """The entries of a feed response."""
        problems: list[str] = []
        entries = parse_feed(response.body, problems)
        if problems:
            report_error(self.crawler, response.url, "discovery_rejected", _summary(problems, len(entries)))
        return entries

    def listing_links(self, response: TextResponse) -> int:
        """How many links of a listing page to read: up to LISTING_MAX_LINKS (a page with more is recorded)."""
        count = sum(1 for _ in response.selector.root.iter("a"))
        if count > self.max_links:
            report_error(self.crawler, response.url, "bounded",
                         f"{count} links on one page: the first {self.max_links} read (LISTING_MAX_LINKS)")
        return self.max_links

    def listing_pages_exhausted(self, home: str, limit: int) -> None:
        """Record (once) that the crawl stopped paging at its limit of listing pages."""
        if not self.paging_capped:
            self.paging_capped = True
            report_error(self.crawler, home, "bounded", f"listing pages capped at {limit}: no further page read")
