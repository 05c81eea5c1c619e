"""Downloader middlewares: a redirect is followed only within its site, and only to the web.

Scrapy follows a redirect to any port of an allowed host (its offsite filter compares host names only), so a page of
another server on the same host was stored under the URL that redirected there. It refuses a redirect to file:, ftp:
or data: by handing the 3xx on (recorded `http_error «HTTP 302»`), and fails one to javascript: or mailto: building
the request (`request_failed «Missing scheme»`). Here:

- SiteRedirectMiddleware drops a redirect to another port than the URL its chain started from before it is scheduled
  (crawler.extensions.crawl_errors records it `offsite`), and fails an HTTP redirect to a scheme other than http(s)
  as `refused_scheme`, naming the scheme. It must come after Scrapy's RedirectMiddleware (600): its responses are
  seen first.
- MetaRefreshSchemeMiddleware does the same for a meta refresh Scrapy would follow; it must come between
  HttpCompressionMiddleware (590: the body is decompressed) and MetaRefreshMiddleware (580).
"""

from __future__ import annotations

from urllib.parse import urlparse

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.response import get_meta_refresh
from w3lib.url import safe_url_string

from crawler.items import WEB_SCHEMES
from pipelines.outcomes.errors import RefusedRedirect, other_port, report_error

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def refuse_other_scheme(target: str, how: str) -> None:
    """RefusedRedirect (`refused_scheme`) when a redirect's target is not an http(s) URL."""
    scheme = urlparse(target).scheme.lower()
    if scheme and scheme not in WEB_SCHEMES:
        raise RefusedRedirect("refused_scheme", f"{how} to a {scheme}: URL refused (only http and https are "
                                                f"followed): {target[:200]}")


def follows_redirects(request: Request, response: Response) -> bool:
    """Whether Scrapy's redirect middlewares may act on this response (dont_redirect and handled statuses)."""
    return not (request.meta.get("dont_redirect") or request.meta.get("handle_httpstatus_all")
                or response.status in request.meta.get("handle_httpstatus_list", ()))


class SiteRedirectMiddleware:
    """A redirect stays on its origin's port and on http(s) (see the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteRedirectMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        return middleware

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        """Record and drop a redirect to another port than its chain's first URL (IgnoreRequest: the engine drops
        it)."""
        chain = request.meta.get("redirect_urls")
        if chain and not request.meta.get("allow_offsite") and other_port(request.url, chain[0]):
            self.crawler.stats.inc_value("akhbar/offsite/other_port")
            report_error(self.crawler, chain[0], "offsite", f"redirect to {request.url} refused: another port than "
                         f"{chain[0]}, another site")
            raise IgnoreRequest(f"redirect to another port refused: {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        """Fail an HTTP redirect whose Location is not an http(s) URL."""
        location = response.headers.get("Location")
        if location and response.status in REDIRECT_STATUSES and follows_redirects(request, response):
            refuse_other_scheme(safe_url_string(location), f"HTTP {response.status} redirect")
        return response


class MetaRefreshSchemeMiddleware:
    """A meta refresh Scrapy would follow stays on http(s)."""

    def __init__(self, crawler: Crawler) -> None:
        self.enabled = crawler.settings.getbool("METAREFRESH_ENABLED")
        self.max_delay = crawler.settings.getfloat("METAREFRESH_MAXDELAY")
        self.ignore_tags = crawler.settings.getlist("METAREFRESH_IGNORE_TAGS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MetaRefreshSchemeMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        """Fail a page whose meta refresh (one Scrapy follows: shorter than METAREFRESH_MAXDELAY) is not http(s)."""
        if self.enabled and isinstance(response, HtmlResponse) and request.method != "HEAD" \
                and not request.meta.get("dont_redirect"):
            interval, url = get_meta_refresh(response, ignore_tags=self.ignore_tags)  # cached for Scrapy's own
            if url and interval is not None and interval < self.max_delay:
                refuse_other_scheme(url, "meta refresh")
        return response
