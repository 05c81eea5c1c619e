"""The parts of unattended runs that need no crawl: which `running` records are abandoned, which crawls write run
records, the status of a finish reason, network failures logged without a traceback, the kinds of failed requests and
refused redirects, and the room each kind gets in crawl_errors."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from scrapy import Request
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    IgnoreRequest,
    NotConfigured,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.extensions.crawl_errors import CrawlErrorRecorder
from crawler.extensions.crawl_runs import CrawlRunRecorder, abandoned_runs, status_of
from crawler.extensions.quiet_failures import NetworkFailureFilter
from crawler.middlewares.offsite import MetaRefreshSchemeMiddleware, SiteRedirectMiddleware
from pipelines.outcomes.errors import RefusedRedirect, classify, other_port

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_running_record_is_abandoned_when_its_process_is_gone():
    fresh = NOW - timedelta(seconds=30)
    runs = [
        {"_id": 1, "host": "here", "pid": _dead_pid(), "started_at": fresh, "heartbeat_at": fresh},  # killed here
        {"_id": 2, "host": "here", "pid": os.getpid(), "started_at": fresh},  # still running here
        {"_id": 3, "host": "there", "pid": 1, "started_at": NOW - timedelta(hours=2),
         "heartbeat_at": NOW - timedelta(minutes=11)},  # elsewhere, silent for 11 minutes
        {"_id": 4, "host": "there", "pid": 1, "started_at": NOW - timedelta(hours=2), "heartbeat_at": fresh},
        {"_id": 5, "host": "there", "pid": 1, "started_at": (NOW - timedelta(hours=1)).replace(tzinfo=None)},
    ]
    assert abandoned_runs(runs, "here", NOW, stale_after=600) == [1, 3, 5]
    assert abandoned_runs(runs, "here", NOW, stale_after=0) == [1]  # no heartbeat: only the pid tells


def test_finish_reasons_and_statuses():
    assert [status_of(r) for r in ("finished", "site_down", "error_budget", "shutdown", "closespider_timeout")] == [
        "finished", "failed", "failed", "stopped", "stopped"]


def test_only_the_crawl_commands_write_run_records():
    with pytest.raises(NotConfigured):
        CrawlRunRecorder.from_crawler(get_crawler(settings_dict={}))  # shell, parse, push: RUN_RECORDS unset
    assert CrawlRunRecorder.from_crawler(get_crawler(settings_dict={"RUN_RECORDS": True}))


def _record(exc: BaseException) -> logging.LogRecord:
    try:
        raise exc
    except type(exc):
        return logging.LogRecord("scrapy.downloadermiddlewares.robotstxt", logging.ERROR, __file__, 1,
                                 "Error downloading %s", ("robots.txt",), sys.exc_info())


def test_an_expected_network_failure_is_logged_without_its_traceback():
    refused = _record(DownloadConnectionRefusedError("Connection was refused by other side: 111"))
    assert NetworkFailureFilter().filter(refused)
    assert refused.exc_info is None and refused.levelname == "WARNING"
    bug = _record(KeyError("robots"))
    assert NetworkFailureFilter().filter(bug)
    assert bug.exc_info is not None and bug.levelname == "ERROR"  # a bug keeps its traceback


class HeadersTooLarge(Exception):
    """Stands for the download handler's exception of that name (classify goes by the name)."""


@pytest.mark.parametrize(("exc", "kind", "message"), [
    (HeadersTooLarge("240 header lines, over HEADERS_MAX_COUNT (200)"), "too_large",
     "240 header lines, over HEADERS_MAX_COUNT (200)"),
    (DownloadCancelledError(""), "too_large", "body over DOWNLOAD_MAXSIZE: download cut"),  # chunked, cut by Scrapy
    (DownloadCancelledError("Expected to receive 52428800 bytes which is larger than download max size (16)"),
     "too_large", "Expected to receive 52428800 bytes which is larger than download max size (16)"),
    (DownloadCancelledError("cancelled by the peer"), "transfer_error", "cancelled by the peer"),
    (ResponseDataLossError(), "transfer_error", "ResponseDataLossError"),
    (RefusedRedirect("refused_scheme", "HTTP 302 redirect to a file: URL refused"), "refused_scheme",
     "HTTP 302 redirect to a file: URL refused"),
    (RefusedRedirect("offsite", "redirect to http://h:81/ refused"), "offsite", "redirect to http://h:81/ refused"),
    (IgnoreRequest("Filtered offsite request to 'x'"), "offsite", "Filtered offsite request to 'x'"),
])
def test_failure_kinds_of_limits_and_refused_redirects(exc: Exception, kind: str, message: str) -> None:
    assert classify(exc) == (kind, message)


def test_another_port_is_another_site():
    assert other_port("http://h:8781/news/1", "http://h:8780/news/1")
    assert other_port("http://h/news/1", "http://h:8780/news/1")
    assert not other_port("https://h/news/1", "http://h/news/1")  # http → https keeps the default port
    assert not other_port("http://h:80/a", "http://h/b") and not other_port("http://h:8780/a", "https://h:8780/b")
    assert other_port("http://h:99999/a", "http://h/a")  # no port anything could connect to


def _redirect(location: str, status: int = 302, **meta: object) -> tuple[Request, Response]:
    request = Request("http://h/news/1", meta=meta)
    return request, Response(request.url, status=status, headers={"Location": location}, request=request)


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://h/x", "data:text/html,hi", "javascript:alert(1)",
                                      "mailto:a@h", "JavaScript:void(0)"])
def test_a_redirect_to_another_scheme_is_refused_naming_it(location: str) -> None:
    middleware = SiteRedirectMiddleware(get_crawler())
    with pytest.raises(RefusedRedirect) as refused:
        middleware.process_response(*_redirect(location))
    scheme = location.split(":")[0].lower()
    assert refused.value.kind == "refused_scheme" and f"a {scheme}: URL refused" in str(refused.value)


@pytest.mark.parametrize(("location", "status", "meta"), [
    ("https://h/news/1", 301, {}), ("/news/2", 302, {}), ("//h/news/3", 307, {}),
    ("javascript:alert(1)", 200, {}),  # not a redirect status
    ("file:///etc/passwd", 302, {"dont_redirect": True}), ("file:///etc/passwd", 302, {"handle_httpstatus_all": True}),
])
def test_redirects_scrapy_follows_or_leaves_are_let_through(location: str, status: int, meta: dict) -> None:
    request, response = _redirect(location, status, **meta)
    assert SiteRedirectMiddleware(get_crawler()).process_response(request, response) is response


def _meta_refresh(target: str, delay: int = 0) -> tuple[Request, HtmlResponse]:
    request = Request("http://h/news/1")
    body = f'<html><head><meta http-equiv="refresh" content="{delay}; url={target}"></head></html>'.encode()
    return request, HtmlResponse(request.url, body=body, request=request)


def test_a_meta_refresh_to_another_scheme_is_refused_when_scrapy_would_follow_it():
    middleware = MetaRefreshSchemeMiddleware(get_crawler())
    with pytest.raises(RefusedRedirect, match="meta refresh to a javascript: URL refused"):
        middleware.process_response(*_meta_refresh("javascript:alert(1)"))
    for request, response in (_meta_refresh("/news/2"), _meta_refresh("mailto:a@h", delay=600)):
        assert middleware.process_response(request, response) is response


def test_a_redirect_to_another_port_is_dropped_before_it_is_scheduled():
    middleware = SiteRedirectMiddleware(get_crawler())
    middleware.crawler.stats.open_spider()
    hop = Request("http://h:8781/news/1", meta={"redirect_urls": ["http://h:8780/news/1"]})
    with pytest.raises(IgnoreRequest):
        middleware.request_scheduled(hop, None)
    for request in (Request("http://h:8781/news/1"),  # discovered there, not redirected: the offsite filter's call
                    Request("https://h:8780/news/1", meta={"redirect_urls": ["http://h:8780/news/1"]})):
        middleware.request_scheduled(request, None)


def test_one_kind_of_crawl_error_leaves_room_for_the_others():
    crawler = get_crawler(settings_dict={"CRAWL_ERRORS_MAX": 6, "CRAWL_ERRORS_MAX_PER_KIND": 3})
    crawler.stats.open_spider()
    recorder = CrawlErrorRecorder(crawler)
    for n in range(50):
        recorder.error(f"http://h/news/{n}", "http_error", "HTTP 404")
    for kind in ("timeout", "timeout", "too_large", "offsite", "offsite"):
        recorder.error("http://h/x", kind, "…")
    assert [doc["kind"] for doc in recorder.buffer] == ["http_error"] * 3 + ["timeout", "timeout", "too_large"]
    assert crawler.stats.get_value("akhbar/crawl_errors/not_kept") == 47 + 2  # beyond the kind's room, then the run's
