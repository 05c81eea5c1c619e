"""Resumable job files, the per-site crawl lock, and JOBDIR kept away from Scrapy's own queue files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.commands.crawlall import scheduled_spiders
from crawler.commands.runguard import all_spiders
from crawler.commands.runlock import SiteLock
from crawler.planning.jobstate import finish_job, open_job, take_over_jobdir

IDENTITY = {"spider": "sham", "since": "2026-09-01", "until": "2026-09-30"}


def test_job_is_resumed_until_it_finishes(tmp_path):
    first = open_job(tmp_path / "job", IDENTITY, now=datetime(2026, 11, 1, tzinfo=UTC))
    assert not first.resumed and not first.replaced
    again = open_job(tmp_path / "job", IDENTITY, now=datetime(2026, 11, 2, tzinfo=UTC))
    assert again.resumed and again.started_at == datetime(2026, 11, 1, tzinfo=UTC)
    finish_job(again)
    fresh = open_job(tmp_path / "job", IDENTITY, now=datetime(2026, 11, 3, tzinfo=UTC))
    assert not fresh.resumed and fresh.started_at == datetime(2026, 11, 3, tzinfo=UTC)


def test_another_crawl_in_the_jobdir_starts_a_new_job(tmp_path):
    open_job(tmp_path, IDENTITY)
    other = open_job(tmp_path, {**IDENTITY, "until": "2026-10-31"})
    assert not other.resumed and other.replaced
    (tmp_path / "akhbar-job.json").write_text("{not json")
    assert not open_job(tmp_path, IDENTITY).resumed


def test_jobdir_is_taken_over():
    runner = Settings({"JOBDIR": "crawls/x"}, priority="cmdline")
    settings = runner.copy()
    take_over_jobdir(settings)
    settings.update(runner)  # what CrawlerProcess.crawl(crawler) does before starting it
    assert settings.get("JOBDIR") is None and settings.get("AKHBAR_JOBDIR") == "crawls/x"
    untouched = Settings()
    take_over_jobdir(untouched)
    assert untouched.get("AKHBAR_JOBDIR") is None


def test_lock_is_exclusive_and_names_its_holder(tmp_path):
    first, second = SiteLock("sham", tmp_path), SiteLock("sham", tmp_path)
    assert first.acquire()
    assert not second.acquire()
    assert f"pid {os.getpid()}" in second.busy_message() and "'sham'" in second.busy_message()
    assert SiteLock("nabaa", tmp_path).acquire()  # other sites are independent
    first.release()
    assert second.acquire()
    second.release()
    assert SiteLock("127.0.0.2:8780/x", tmp_path).path.name == "127.0.0.2_8780_x.lock"


def test_lock_of_a_killed_process_is_free(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from crawler.commands.runlock import SiteLock\n"
        f"lock = SiteLock('sham', Path({str(tmp_path)!r}))\nassert lock.acquire()\nprint('held', flush=True)\n"
        "time.sleep(60)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert not SiteLock("sham", tmp_path).acquire()
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    deadline = time.monotonic() + 5
    while not SiteLock("sham", tmp_path).acquire():
        assert time.monotonic() < deadline, "lock still held after kill -9"
        time.sleep(0.05)


def test_crawlall_runs_the_site_spiders_and_the_demo_outlets_only_when_named():
    spiders = all_spiders(get_project_settings())
    chosen = scheduled_spiders(list(spiders), spiders)
    assert chosen and {"nabaa", "wasat", "sham", "news"}.isdisjoint(chosen)
    assert all(spiders[name].home_url for name in chosen)
