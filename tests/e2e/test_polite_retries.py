"""A host that answers 429 is slowed down, as its Retry-After asks but within RETRY_AFTER_MAX_S: the retries are
spaced, and a Retry-After of an hour neither stalls the crawl nor is ignored."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import ClassVar

import pytest

from crawler.middlewares.retry_after import retry_after_seconds
from tests.support.crawl import crawl
from tests.support.http import serve

HOST = "127.0.0.22"  # a loopback address no demo outlet uses: the site name is the host


def test_retry_after_in_seconds_or_as_a_date():
    now = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(format_datetime(now + timedelta(minutes=5), usegmt=True), now) == 300.0
    assert retry_after_seconds(format_datetime(now - timedelta(minutes=5), usegmt=True), now) == 0.0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None


class TooManyRequests(BaseHTTPRequestHandler):
    """A home page linking two articles always answered 429: one asks for an hour (Retry-After: 3600), one for a
    second."""

    hits: ClassVar[dict[str, list[float]]] = {}
    ASKED: ClassVar[dict[str, str]] = {"/news/1001": "3600", "/news/1002": "1"}

    def do_GET(self) -> None:
        if self.path == "/":
            body, status = b'<html><body><a href="/news/1001">x</a> <a href="/news/1002">y</a></body></html>', 200
        elif self.path in self.ASKED:
            type(self).hits.setdefault(self.path, []).append(time.monotonic())
            body, status = b"slow down", 429
        else:
            body, status = b"", 404
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", self.ASKED[self.path])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.e2e
def test_a_429_slows_the_host_down_within_the_cap(store_env, store_db):
    TooManyRequests.hits = {}
    with serve(TooManyRequests, HOST) as home:
        started = time.monotonic()
        done = crawl("news", store_env, "-a", f"url={home}", "-s", "RETRY_AFTER_MAX_S=2", "-s", "RETRY_TIMES=2",
                     "-s", "AUTOTHROTTLE_ENABLED=False", timeout=120)
        elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    hour, second = TooManyRequests.hits["/news/1001"], TooManyRequests.hits["/news/1002"]
    assert len(hour) == 1  # a wait over the cap: not retried before the time the server named
    assert len(second) == 3, second  # the first attempt and RETRY_TIMES retries
    assert min(b - a for a, b in itertools.pairwise(second)) >= 0.9  # each after the second asked, not within 0.1 s
    assert elapsed < 60  # the hour asked for was capped
    assert "akhbar/retry_after/slowed" in done.stderr and "akhbar/retry_after/given_up': 1" in done.stderr
    for path in TooManyRequests.ASKED:
        errors = list(store_db.crawl_errors.find({"url": f"{home}{path.lstrip('/')}"}))
        assert [e["kind"] for e in errors] == ["http_error"] and "429" in errors[0]["message"]
