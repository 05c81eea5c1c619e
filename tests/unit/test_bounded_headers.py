"""Bounded response headers: the parser of crawler.downloader.bounded counts header lines and bytes, drops the
connection past HEADERS_MAX_COUNT or HEADERS_MAX_BYTES, and the failure is HeadersTooLarge, never retried."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DownloadCancelledError, DownloadFailedError
from scrapy.utils.test import get_crawler
from twisted.internet.testing import StringTransport
from twisted.python.failure import Failure
from twisted.web._newclient import Request as TxRequest
from twisted.web.client import ResponseFailed
from twisted.web.http_headers import Headers

from crawler.downloader.bounded import (
    BoundedHeadersProtocol,
    HeaderLimits,
    HeadersTooLarge,
    explained,
)
from pipelines.outcomes.errors import classify

LIMITS = HeaderLimits(max_lines=10, max_bytes=400)
REQUEST = Request("http://127.0.0.9/news/1")


def _respond(data: bytes) -> tuple[list[object], StringTransport]:
    """Feed a raw response to a bounded protocol; returns what its request's Deferred gave, and the transport."""
    transport = StringTransport()
    protocol = BoundedHeadersProtocol(lambda _: None, LIMITS)
    protocol.makeConnection(transport)
    outcome: list[object] = []
    request = TxRequest(b"GET", b"/", Headers({b"host": [b"127.0.0.9"]}), None)
    protocol.request(request).addBoth(outcome.append)
    protocol.dataReceived(data)
    return outcome, transport


def _headers(count: int, size: int = 10) -> bytes:
    return b"".join(b"X-%d: %s\r\n" % (i, b"v" * size) for i in range(count))


def test_a_response_within_the_limits_is_read() -> None:
    outcome, _ = _respond(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + _headers(8) + b"\r\nok")
    assert outcome[0].code == 200 and outcome[0].headers.getRawHeaders(b"x-7") == [b"v" * 10]


@pytest.mark.parametrize(("headers", "setting"), [(_headers(11), "HEADERS_MAX_COUNT"),
                                                  (_headers(3, size=200), "HEADERS_MAX_BYTES"),
                                                  (b"X-Long: a\r\n" + b" continued%s\r\n" % (b"." * 50) * 9,
                                                   "HEADERS_MAX_BYTES")])
def test_headers_over_a_limit_drop_the_connection(headers: bytes, setting: str) -> None:
    outcome, transport = _respond(b"HTTP/1.1 200 OK\r\n" + headers)
    assert transport.disconnecting
    [failure] = outcome
    assert isinstance(failure, Failure) and failure.check(ResponseFailed)
    [reason] = failure.value.reasons
    assert isinstance(reason.value, HeadersTooLarge) and setting in str(reason.value)


def test_the_handler_surfaces_headers_too_large_from_scrapys_wrapping() -> None:
    too_large = HeadersTooLarge("more than HEADERS_MAX_COUNT (10) header lines")
    wrapped = DownloadFailedError("[...]")
    wrapped.__cause__ = ResponseFailed([Failure(too_large)])
    assert explained(wrapped, REQUEST, 100) is too_large
    other = DownloadFailedError("lost")
    other.__cause__ = ResponseFailed([Failure(ConnectionError("reset"))])
    assert explained(other, REQUEST, 100) is other


def test_a_body_cut_at_the_size_limit_names_the_limit() -> None:
    cut = explained(DownloadCancelledError(), Request("http://127.0.0.9/big", meta={"download_maxsize": 64}), 100)
    assert isinstance(cut, DownloadCancelledError) and "DOWNLOAD_MAXSIZE, 64" in str(cut)
    assert classify(cut)[0] == "too_large"
    expected = DownloadCancelledError("Expected to receive 500 bytes which is larger than download max size (100)")
    assert explained(expected, REQUEST, 100) is expected


def test_headers_too_large_is_not_retried() -> None:
    retry = RetryMiddleware(get_crawler().settings)
    assert not isinstance(HeadersTooLarge("x"), retry.exceptions_to_retry)
