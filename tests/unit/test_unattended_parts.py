"""The parts of unattended runs that need no crawl: which `running` records are abandoned, which crawls write run
records, the status of a finish reason, and network failures logged without a traceback."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from scrapy.exceptions import DownloadConnectionRefusedError, NotConfigured
from scrapy.utils.test import get_crawler

from crawler.extensions.crawl_runs import CrawlRunRecorder, abandoned_runs, status_of
from crawler.extensions.quiet_failures import NetworkFailureFilter

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
    assert [status_of(r) for r in ("finished", "site_down", "shutdown", "closespider_timeout")] == [
        "finished", "failed", "stopped", "stopped"]


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
