"""Limits that keep discovery bounded whatever a site serves, each hit recorded once per document or run
(crawler.extensions.crawl_errors): per document (discovery_capped) the Sitemap: lines of robots.txt, the URLs of a
sitemap, the items of a feed, the feeds a page announces; per run (bounded) the depth of sitemap indexes, the
sitemaps read, the article URLs taken; per listing page (bounded) the links read and the next pages followed. Index
loops end (every sitemap is read once), gzipped sitemaps are inflated up to a size, unsafe or broken XML is refused
or recovered; a listing page is read up to LISTING_MAX_BYTES. Documents are parsed in one worker thread (lxml
releases the GIL while parsing), so a huge one never holds the reactor, and one at a time, so their trees never add
up in memory; what they break is reported back on the reactor thread."""

from __future__ import annotations

import asyncio
import ctypes
import itertools
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urljoin

from lxml import html as lxml_html
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from crawler.discovery.listing import dated_links, feed_links, next_page_links
from crawler.discovery.parsers import Entry, parse_feed, parse_sitemap, same_site, sitemap_urls_from_robots
from crawler.items import SiteRules
from pipelines.outcomes.errors import report_error

GZIP_MAGIC = b"\x1f\x8b"
INFLATE_CHUNK = 1 << 20
_PARSER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="discovery")  # every crawl of the process
try:  # glibc keeps what a thread freed in that thread's arena: a parsed 60,000-URL sitemap's tree held 64 MB on
    _MALLOC_TRIM = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):  # not glibc: its allocator is left alone
    _MALLOC_TRIM = None


def _read_and_trim(read: Callable[..., Any], *args: Any) -> Any:
    """read(*args) in the parser thread, then the memory its trees used handed back to the system."""
    try:
        return read(*args)
    finally:
        if _MALLOC_TRIM is not None:
            _MALLOC_TRIM(0)


class TooLarge(ValueError):
    """Inflated data over the size limit."""


def gunzip(data: bytes, limit: int) -> bytes:
    """Inflate gzip data (all members) without ever holding more than limit bytes; TooLarge beyond it. Inflated a
    chunk at a time, so a bomb costs the limit once, not twice."""
    out = bytearray()
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending, produced = data, INFLATE_CHUNK
        while not inflater.eof and (pending or produced == INFLATE_CHUNK):
            chunk = inflater.decompress(pending, INFLATE_CHUNK)
            out += chunk
            if len(out) > limit:
                raise TooLarge(f"inflates to more than {limit} bytes")
            pending, produced = inflater.unconsumed_tail, len(chunk)
        if not inflater.eof:
            raise EOFError("is cut short")
        data = inflater.unused_data.lstrip(b"\x00")
    return bytes(out)


def _summary(problems: list[str], kept: int) -> str:
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}; {kept} entries kept"


Notes = list[tuple[str, str]]  # what a document broke or passed, to record: (crawl_errors kind, message)
T = TypeVar("T")


def _cut(found: list[T], limit: int, notes: Notes, kind: str, message: str) -> list[T]:
    """The first limit of found; more is noted."""
    if len(found) > limit:
        notes.append((kind, message))
    return found[:limit]


@dataclass
class ListingPage:
    """What a listing page offers discovery, each list within its limit."""

    feeds: list[str]
    links: list[Entry]
    next_pages: list[str]


class DiscoveryGuard:
    """The discovery limits of one crawl of the site at home."""

    def __init__(self, crawler: Crawler, home: str) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.home = home
        self.max_urls = settings.getint("SITEMAP_MAX_URLS")
        self.max_bytes = settings.getint("SITEMAP_MAX_BYTES")
        self.max_links = settings.getint("LISTING_MAX_LINKS")
        self.max_listing_bytes = settings.getint("LISTING_MAX_BYTES")
        self.max_next = settings.getint("LISTING_MAX_NEXT")
        self.max_robots_sitemaps = settings.getint("ROBOTS_MAX_SITEMAPS")
        self.max_feeds = settings.getint("FEEDS_MAX_PER_PAGE")
        self.max_items = settings.getint("FEED_MAX_ITEMS")
        self.max_depth = settings.getint("SITEMAP_INDEX_MAX_DEPTH")
        self.max_sitemaps = settings.getint("SITEMAPS_MAX")
        self.max_discovered = settings.getint("DISCOVERY_MAX_URLS")
        self.sitemaps: set[str] = set()
        self.reached: set[str] = set()  # the run-wide limits already recorded

    async def _off_thread(self, url: str, read: Callable[..., tuple[T, Notes]], *args: Any) -> T:
        """Read a document in a worker thread, then record its notes here, on the reactor thread."""
        found, notes = await asyncio.get_running_loop().run_in_executor(_PARSER, _read_and_trim, read, *args)
        for kind, message in notes:
            report_error(self.crawler, url, kind, message)
        return found

    def _once(self, limit: str, url: str, message: str) -> None:
        """Record a run-wide limit the first time it is reached."""
        if limit not in self.reached:
            self.reached.add(limit)
            report_error(self.crawler, url, "bounded", message)

    async def robots(self, response: Response) -> list[str]:
        """The same-site sitemaps robots.txt names, up to ROBOTS_MAX_SITEMAPS (offsite ones do not count)."""
        return await self._off_thread(response.url, self._read_robots, response)

    def _read_robots(self, response: Response) -> tuple[list[str], Notes]:
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        found: dict[str, None] = {}
        for url in sitemap_urls_from_robots(text):
            if len(found) > self.max_robots_sitemaps:
                break
            if same_site(url, self.home):
                found[urljoin(response.url, url)] = None
        notes: Notes = []
        return _cut(list(found), self.max_robots_sitemaps, notes, "discovery_capped", f"more than "
                    f"{self.max_robots_sitemaps} Sitemap: lines: the first {self.max_robots_sitemaps} read "
                    "(ROBOTS_MAX_SITEMAPS)"), notes

    async def sitemap(self, response: Response) -> tuple[str, list[Entry]]:
        """The kind and same-site entries of a sitemap response, inflated if gzipped, up to SITEMAP_MAX_URLS."""
        return await self._off_thread(response.url, self._read_sitemap, response.body)

    def _read_sitemap(self, body: bytes) -> tuple[tuple[str, list[Entry]], Notes]:
        try:
            body = gunzip(body, self.max_bytes) if body[:2] == GZIP_MAGIC else body
        except (TooLarge, zlib.error, EOFError) as exc:
            kind = "too_large" if isinstance(exc, TooLarge) else "discovery_rejected"
            return ("invalid", []), [(kind, f"gzipped sitemap {exc}")]
        problems: list[str] = []
        kind, entries = parse_sitemap(body, problems, self.max_urls + 1)
        notes = [("discovery_rejected", _summary(problems, len(entries)))] if problems else []
        entries = _cut(entries, self.max_urls, notes, "discovery_capped", f"more than {self.max_urls} URLs: the "
                       f"first {self.max_urls} used (SITEMAP_MAX_URLS)")
        return (kind, [e for e in entries if same_site(e.url, self.home)]), notes

    async def feed(self, response: Response) -> list[Entry]:
        """The same-site entries among the first FEED_MAX_ITEMS items of a feed response."""
        return await self._off_thread(response.url, self._read_feed, response.body)

    def _read_feed(self, body: bytes) -> tuple[list[Entry], Notes]:
        problems: list[str] = []
        entries = parse_feed(body, problems, self.max_items + 1)
        notes = [("discovery_rejected", _summary(problems, len(entries)))] if problems else []
        entries = _cut(entries, self.max_items, notes, "discovery_capped", f"more than {self.max_items} items: the "
                       f"first {self.max_items} used (FEED_MAX_ITEMS)")
        return [e for e in entries if same_site(e.url, self.home)], notes

    async def listing(self, response: TextResponse, rules: SiteRules) -> ListingPage:
        """The feeds, dated article links and next pages of a listing page, each within its limit."""
        return await self._off_thread(response.url, self._read_listing, response, rules)

    def _read_listing(self, response: TextResponse, rules: SiteRules) -> tuple[ListingPage, Notes]:
        url, notes = response.url, []
        if 0 < self.max_listing_bytes < len(response.body):
            notes.append(("bounded", f"a listing page of {len(response.body)} bytes: the first "
                          f"{self.max_listing_bytes} read (LISTING_MAX_BYTES)"))
            parser = lxml_html.HTMLParser(encoding=response.encoding)
            root = lxml_html.document_fromstring(response.body[:self.max_listing_bytes], parser=parser)
        else:
            root = response.selector.root
        if sum(1 for _ in itertools.islice(root.iter("a"), self.max_links + 1)) > self.max_links:
            notes.append(("bounded", f"more than {self.max_links} links on one page: the first {self.max_links} "
                          "read (LISTING_MAX_LINKS)"))
        feeds = _cut(feed_links(root, url, self.home, self.max_feeds + 1), self.max_feeds, notes,
                     "discovery_capped", f"more than {self.max_feeds} feeds announced: the first {self.max_feeds} "
                     "read (FEEDS_MAX_PER_PAGE)")
        pages = _cut(next_page_links(root, url, self.home, self.max_links, self.max_next + 1), self.max_next, notes,
                     "bounded", f"more than {self.max_next} next-page links: the first {self.max_next} followed "
                     "(LISTING_MAX_NEXT)")
        return ListingPage(feeds, dated_links(root, url, rules, max_links=self.max_links), pages), notes

    def sitemaps_to_read(self, source_url: str, urls: list[str], depth: int) -> list[str]:
        """The sitemaps that source_url (robots.txt or an index) lists, at depth (robots.txt's are 0), that are read:
        none deeper than SITEMAP_INDEX_MAX_DEPTH, none read before (a loop is recorded once per index), at most
        SITEMAPS_MAX in the run."""
        if depth > self.max_depth:
            if urls:
                self._once("SITEMAP_INDEX_MAX_DEPTH", source_url, f"sitemap indexes nested more than {self.max_depth} "
                           "deep: the sitemaps this one lists are not read (SITEMAP_INDEX_MAX_DEPTH)")
            return []
        unique = list(dict.fromkeys(urls))
        fresh = [u for u in unique if u not in self.sitemaps]
        if len(fresh) < len(unique):
            seen = next(u for u in unique if u in self.sitemaps)
            report_error(self.crawler, source_url, "bounded", f"sitemap index lists {seen} again (a loop or a "
                         "repeat): every sitemap is read once")
        room = max(self.max_sitemaps - len(self.sitemaps), 0)
        if len(fresh) > room:
            self._once("SITEMAPS_MAX", source_url, f"{self.max_sitemaps} sitemaps read in this run: no further "
                       "sitemap read (SITEMAPS_MAX)")
            del fresh[room:]
        self.sitemaps.update(fresh)
        return fresh

    def discovered(self, url: str, entries: list[Entry], known: int) -> list[Entry]:
        """The entries of a document that the run can still take when it knows `known` article URLs: at most
        DISCOVERY_MAX_URLS in all."""
        room = max(self.max_discovered - known, 0)
        if len(entries) <= room:
            return entries
        self._once("DISCOVERY_MAX_URLS", url, f"{self.max_discovered} article URLs discovered in this run: no "
                   "further URL taken (DISCOVERY_MAX_URLS)")
        return entries[:room]

    def listing_pages_exhausted(self, limit: int) -> None:
        """Record (once) that the crawl stopped paging at its limit of listing pages."""
        self._once("max_listing_pages", self.home, f"listing pages capped at {limit}: no further page read")
