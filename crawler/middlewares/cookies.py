"""Downloader middleware: Scrapy's cookie handling, bounded per host and kept off the network.

A site can set thousands of cookies: a home page that set 5,000 made every later request carry a 210 KB `Cookie`
header, which the site answered with 400, and no article was stored. Here one host keeps at most
COOKIES_PER_HOST_MAX cookies of at most COOKIES_BYTES_PER_HOST_MAX bytes (names and values) together; the others
are refused, counted as akhbar/cookies/refused and recorded once per host as a crawl error of kind `bounded`.

Scrapy asks tldextract whether a cookie's domain is a public suffix, and tldextract downloads the Public Suffix List
on first use: a crawl must never reach for a host it was not given, so the suffix list bundled with tldextract is
used instead, with no cache written.
"""

from __future__ import annotations

from collections.abc import Iterable
from http.cookiejar import Cookie

import scrapy.downloadermiddlewares.cookies as scrapy_cookies
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http.cookies import CookieJar
from scrapy.utils.httpobj import urlparse_cached
from tldextract import TLDExtract

from pipelines.outcomes.errors import report_error

# Scrapy reads its module-level extractor when it meets a cookie domain; replaced before any crawl starts.
scrapy_cookies._split_domain = TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)


def cookie_size(cookie: Cookie) -> int:
    """What a cookie adds to a `Cookie` header, roughly: its name and value."""
    return len(cookie.name) + len(cookie.value or "")


def _host_of(cookie: Cookie) -> str:
    return cookie.domain.removeprefix(".").lower()


class BoundedCookiesMiddleware(scrapy_cookies.CookiesMiddleware):
    """CookiesMiddleware that refuses a host's cookies beyond a count and a size."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings.getbool("COOKIES_DEBUG"))
        self.crawler = crawler
        self.max_count = crawler.settings.getint("COOKIES_PER_HOST_MAX")
        self.max_bytes = crawler.settings.getint("COOKIES_BYTES_PER_HOST_MAX")
        self.reported: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoundedCookiesMiddleware:
        if not crawler.settings.getbool("COOKIES_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def _process_cookies(self, cookies: Iterable[Cookie], *, jar: CookieJar, request: Request) -> None:
        host = (urlparse_cached(request).hostname or "").lower()
        held = [c for c in jar.jar if _host_of(c) == host or host.endswith(f".{_host_of(c)}")]
        names = {(c.domain, c.path, c.name) for c in held}
        count, size = len(held), sum(map(cookie_size, held))
        kept: list[Cookie] = []
        refused = 0
        for cookie in cookies:
            if (cookie.domain, cookie.path, cookie.name) in names:  # a new value for a held cookie
                kept.append(cookie)
            elif count < self.max_count and size + cookie_size(cookie) <= self.max_bytes:
                kept.append(cookie)
                count, size = count + 1, size + cookie_size(cookie)
            else:
                refused += 1
        if refused:
            self._refused(request, host, refused)
        super()._process_cookies(kept, jar=jar, request=request)

    def _refused(self, request: Request, host: str, refused: int) -> None:
        self.crawler.stats.inc_value("akhbar/cookies/refused", refused)
        if host not in self.reported:
            self.reported.add(host)
            report_error(self.crawler, request.url, "bounded", f"cookies of {host} over COOKIES_PER_HOST_MAX "
                         f"({self.max_count}) or COOKIES_BYTES_PER_HOST_MAX ({self.max_bytes} bytes): "
                         f"{refused} refused, later ones counted as akhbar/cookies/refused")


