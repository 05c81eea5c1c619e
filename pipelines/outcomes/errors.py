"""What goes wrong in a crawl, as recorded outcomes: the kind of a failed request, the drop of a refused item, and
the report of either (a stats counter `akhbar/errors/<kind>` and a CRAWL_ERROR signal, which the recorder in
crawler.extensions.crawl_errors turns into a `crawl_errors` document; a failed request also sends FETCH_FAILED, which
the error budget of crawler.extensions.error_budget counts). Extraction workers never import it: they
return an ExtractionFailure (pipelines.extraction.pool), which the extract pipeline turns into a Rejected drop."""

from __future__ import annotations

from urllib.parse import urlparse

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

# Download failures that mean the bytes did not arrive whole (or could not be decoded), by exception class name
# ("error" is zlib's).
_TRANSFER = frozenset({"DownloadFailedError", "ResponseDataLossError", "DownloadConnectionRefusedError",
                       "CannotResolveHostError", "ConnectionRefusedError", "ConnectionLost", "ConnectionDone",
                       "ResponseFailed", "ResponseNeverReceived", "DNSLookupError", "BadGzipFile", "error",
                       "BadStatusLine", "DecompressionError", "UnsupportedURLSchemeError", "EOFError"})
_TIMEOUT = frozenset({"DownloadTimeoutError", "TimeoutError", "TCPTimedOutError"})
# A response whose header lines or bytes exceed HEADERS_MAX_COUNT / HEADERS_MAX_BYTES (raised by the download handler).
_HEADERS_TOO_LARGE = "HeadersTooLarge"
# Scrapy's HTTP/1.1 handler cancels a body that grows past DOWNLOAD_MAXSIZE without a message (one announced larger by
# its Content-Length is refused with "... larger than download max size ...").
_CUT_AT_MAXSIZE = "body over DOWNLOAD_MAXSIZE: download cut"

_DEFAULT_PORTS = {"http": 80, "https": 443}

CRAWL_ERROR = object()  # signal sent for every recorded error: url, kind, message
FETCH_FAILED = object()  # signal sent for every failed request the spider records: url, kind, request


class RefusedRedirect(IgnoreRequest):
    """A redirect not followed, with the crawl_errors kind that says why (`offsite`, `refused_scheme`)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Rejected(DropItem):
    """An item dropped for a recorded reason: a crawl_errors kind, the page URL and what happened."""

    def __init__(self, url: str, kind: str, message: str, log_level: str = "WARNING") -> None:
        super().__init__(f"{url}: {kind}: {message}", log_level)
        self.url, self.kind, self.detail = url, kind, message


def classify(exc: BaseException) -> tuple[str, str]:
    """The kind of a failed request's exception, and a one-line message."""
    name = type(exc).__name__
    text = " ".join(str(exc).split())
    if isinstance(exc, HttpError):
        return "http_error", f"HTTP {exc.response.status}"
    if isinstance(exc, RefusedRedirect):
        return exc.kind, text
    if isinstance(exc, IgnoreRequest):
        for needle, kind in (("max redirections", "redirect_error"), ("DOWNLOAD_MAXSIZE", "too_large"),
                             ("robots.txt", "robots"), ("offsite", "offsite")):
            if needle in text:
                return kind, text
    if name in _TIMEOUT:
        return "timeout", text or name
    if name == _HEADERS_TOO_LARGE:
        return "too_large", text or name
    if name == "DownloadCancelledError":
        return ("too_large", text or _CUT_AT_MAXSIZE) if "max size" in text or not text else ("transfer_error", text)
    if name in _TRANSFER or isinstance(exc, OSError):
        return "transfer_error", f"{name}: {text}" if text else name
    return "request_failed", f"{name}: {text}"


def report_error(crawler: Crawler, url: str, kind: str, message: str) -> None:
    """Count an error as akhbar/errors/<kind> and have it recorded in crawl_errors."""
    crawler.stats.inc_value(f"akhbar/errors/{kind}")
    crawler.signals.send_catch_log(CRAWL_ERROR, url=url, kind=kind, message=message)


def report_failure(crawler: Crawler, failure: Failure) -> str:
    """Count and record a failed request (a spider errback's failure); returns its kind."""
    kind, message = classify(failure.value)
    request = getattr(failure, "request", None)
    url = getattr(request, "url", "?")
    if kind == "redirect_error":
        limit = crawler.settings.getint("REDIRECT_MAX_TIMES")
        message = f"more than REDIRECT_MAX_TIMES ({limit}) redirects, the last to {url}"
    chain = request.meta.get("redirect_urls") if request is not None else None
    found = chain[0] if chain else url  # the URL discovery found
    report_error(crawler, found, kind, message)
    crawler.signals.send_catch_log(FETCH_FAILED, url=found, kind=kind, request=request)
    return kind


def on_site(url: str, domains: list[str]) -> bool:
    """Whether the URL's host is one of the domains or a subdomain of one (ports ignored, as Scrapy's offsite
    filter does)."""
    try:
        host = (urlparse(url).hostname or "").lower()
    except ValueError:
        return False
    names = {d.lower().rsplit(":", 1)[0] for d in domains}
    return any(host == d or host.endswith(f".{d}") for d in names)


def other_port(url: str, origin: str) -> bool:
    """Whether the URL is on another port than origin: another site, though Scrapy's offsite filter and on_site only
    compare hosts. A scheme's default port counts as none, so http://h/ → https://h/ stays on the site."""
    return _explicit_port(url) != _explicit_port(origin)


def _explicit_port(url: str) -> int | None:
    parts = urlparse(url)
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range: no port anything could connect to
        return -1
    return None if port == _DEFAULT_PORTS.get(parts.scheme.lower()) else port
