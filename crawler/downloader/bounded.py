"""Scrapy's HTTP/1.1 download handler with bounded response headers.

DOWNLOAD_MAXSIZE counts only the body: a server sending header lines for ever grew a crawl by gigabytes until the
download timed out, and then again on every retry. Here a response's header section may hold at most
HEADERS_MAX_COUNT lines and HEADERS_MAX_BYTES bytes (status line excluded; continuation lines count too): beyond
either the connection is dropped at once and the download fails with HeadersTooLarge, which is not retried
(RETRY_EXCEPTIONS does not name it) and is recorded as `too_large` (pipelines.outcomes.errors).

A body cut at DOWNLOAD_MAXSIZE while it arrives (no Content-Length, or a chunked one) fails in Scrapy with a
DownloadCancelledError without a message; here it says which limit it hit, as Scrapy's does for a Content-Length
over the limit.

Scrapy's handler already swaps the class of Twisted's response parser for a lenient subclass on each request
(scrapy.core.downloader.handlers.http11); this module does the same with a subclass of that one, which counts the
lines it receives. The connection pool builds its protocols from the factory this handler gives it, so nothing of
Twisted or Scrapy is patched.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, DownloadFailedError
from scrapy.http import Response
from twisted.internet.defer import Deferred
from twisted.web._newclient import HEADER
from twisted.web.client import ResponseFailed
from twisted.web.iweb import IResponse


class HeadersTooLarge(Exception):
    """A response whose header section went over HEADERS_MAX_COUNT lines or HEADERS_MAX_BYTES bytes."""


@dataclass(frozen=True)
class HeaderLimits:
    """The most header lines and header bytes a response may send."""

    max_lines: int
    max_bytes: int


class BoundedHeadersParser(_LenientHTTPClientParser):
    """Scrapy's lenient response parser, raising HeadersTooLarge past the limits (the protocol then drops the
    connection: HTTP11ClientProtocol.dataReceived gives up on any exception of its parser)."""

    limits: HeaderLimits
    header_lines: int
    header_bytes: int

    def bound(self, limits: HeaderLimits) -> None:
        """Start counting header lines against limits."""
        self.limits, self.header_lines, self.header_bytes = limits, 0, 0

    def lineReceived(self, line: bytes) -> None:
        if self.state == HEADER and line.rstrip(b"\r"):
            self.header_lines += 1
            self.header_bytes += len(line) + 1  # and its \n
            if self.header_lines > self.limits.max_lines:
                raise HeadersTooLarge(f"more than HEADERS_MAX_COUNT ({self.limits.max_lines}) header lines")
            if self.header_bytes > self.limits.max_bytes:
                raise HeadersTooLarge(f"headers over HEADERS_MAX_BYTES ({self.limits.max_bytes} bytes)")
        super().lineReceived(line)


class BoundedHeadersProtocol(_LenientHTTP11ClientProtocol):
    """Scrapy's HTTP/1.1 client protocol whose response parser counts header lines and bytes."""

    def __init__(self, quiescent_callback: object, limits: HeaderLimits) -> None:
        super().__init__(quiescent_callback)  # type: ignore[no-untyped-call]
        self.limits = limits

    def request(self, request: object) -> Deferred[IResponse]:
        d = super().request(request)  # type: ignore[arg-type]
        # The same swap as Scrapy's (its parser subclass holds no state of its own; this one's is set by bound()).
        self._parser.__class__ = BoundedHeadersParser
        self._parser.bound(self.limits)
        return d


class BoundedHeadersFactory(_LenientHTTP11ClientFactory):
    """Builds BoundedHeadersProtocol connections for the handler's pool."""

    def __init__(self, quiescent_callback: object, metadata: object, limits: HeaderLimits) -> None:
        super().__init__(quiescent_callback, metadata)  # type: ignore[no-untyped-call]
        self.limits = limits

    def buildProtocol(self, addr: object) -> BoundedHeadersProtocol:
        return BoundedHeadersProtocol(self._quiescentCallback, self.limits)


def explained(exc: DownloadFailedError | DownloadCancelledError, request: Request, maxsize: int) -> Exception:
    """The exception a failed download should raise: the HeadersTooLarge that Scrapy's DownloadFailedError wraps
    (inside Twisted's ResponseFailed), a DownloadCancelledError naming DOWNLOAD_MAXSIZE for a body cut at that size,
    else exc itself."""
    cause = exc.__cause__
    if isinstance(exc, DownloadFailedError) and isinstance(cause, ResponseFailed):
        for reason in cause.reasons:
            if isinstance(reason.value, HeadersTooLarge):
                return reason.value
    # Scrapy's HTTP/1.1 handler cancels a download without a message only when the body it receives goes over the
    # size limit (its timeouts are DownloadTimeoutError, a Content-Length over the limit has a message).
    if isinstance(exc, DownloadCancelledError) and not str(exc):
        limit = request.meta.get("download_maxsize", maxsize)
        return DownloadCancelledError(f"Received more bytes than download max size (DOWNLOAD_MAXSIZE, {limit}) in "
                                      f"request {request}: download cut")
    return exc


class BoundedDownloadHandler(HTTP11DownloadHandler):
    """HTTP(S) downloads whose response headers are bounded by HEADERS_MAX_COUNT and HEADERS_MAX_BYTES."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        limits = HeaderLimits(settings.getint("HEADERS_MAX_COUNT"), settings.getint("HEADERS_MAX_BYTES"))
        self._pool._factory = partial(BoundedHeadersFactory, limits=limits)

    async def download_request(self, request: Request) -> Response:
        """Download as Scrapy does; a response over a header limit fails with HeadersTooLarge itself, a body cut at
        DOWNLOAD_MAXSIZE with a DownloadCancelledError that says so."""
        try:
            return await super().download_request(request)
        except (DownloadFailedError, DownloadCancelledError) as exc:
            failure = explained(exc, request, self._default_maxsize)
            if failure is exc:
                raise
            raise failure from None
