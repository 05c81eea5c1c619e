"""End to end: date-window backfills pruned before fetching, argument errors, kill -9 resume and the site lock."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.demosite.model import OUTLET_NAMES as OUTLETS
from tests.demosite.model import OUTLET_TIMEZONES as TIMEZONES
from tests.support.crawl import PROJECT_ROOT, SCRAPY, scrapy, separate_database

pytestmark = pytest.mark.e2e
SINCE, UNTIL = date(2026, 10, 1), date(2026, 10, 7)
EX_TEMPFAIL = 75


def window_urls(demo_site, outlet: str, since: date, until: date) -> set[str]:
    """The truth: URLs of an outlet's articles published on since..until in its own calendar."""
    zone = ZoneInfo(TIMEZONES[outlet])
    return {t["url"] for t in demo_site.truth(outlet)
            if since <= datetime.fromisoformat(t["published"]).astimezone(zone).date() <= until}


@pytest.fixture(scope="module")
def backfill(demo_site, store_env, store_db, tmp_path_factory):
    """One `scrapy crawlall` backfill of a 7-day window over the three demo outlets, into its own database."""
    env, db = separate_database(store_env, store_db, "backfill", tmp_path_factory.mktemp("data"))
    env["AKHBAR_DEMO_PORT"] = str(demo_site.port)
    result = scrapy(env, "crawlall", *OUTLETS, "-a", f"since={SINCE}", "-a", f"until={UNTIL}",
                    "-s", "PROGRESS_INTERVAL=0.5")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    yield env, db, result.stderr
    store_db.client.drop_database(db.name)


@pytest.mark.parametrize("outlet", OUTLETS)
def test_backfill_stores_exactly_the_window(backfill, demo_site, outlet):
    _, db, _ = backfill
    want = window_urls(demo_site, outlet, SINCE, UNTIL)
    stored = [d["url"] for d in db.articles.find({"site": outlet})]
    assert len(want) >= 5
    assert sorted(stored) == sorted(want)


@pytest.mark.parametrize("outlet", OUTLETS)
def test_backfill_fetches_few_pages_outside_the_window(backfill, demo_site, outlet):
    _, db, _ = backfill
    run = db.crawl_runs.find_one({"site": outlet})
    assert (run["mode"], run["finish_reason"], run["status"]) == ("backfill", "finished", "finished")
    assert run["arguments"] == {"since": str(SINCE), "until": str(UNTIL)}
    fetched, outside = run["pages"]["articles"], run["articles"]["out_of_range"] + run["articles"]["no_date"]
    assert fetched >= len(window_urls(demo_site, outlet, SINCE, UNTIL))
    assert outside / fetched <= 0.10, run
    assert sum(run["pruned"].values()) > 5 * fetched  # most of the site was never requested
    assert run["articles"]["new"] == len(window_urls(demo_site, outlet, SINCE, UNTIL))
    assert run["errors"] == {}


def test_backfill_pages_listings_only_as_far_as_since(backfill):
    _, db, _ = backfill
    stats = {r["site"]: r["stats"] for r in db.crawl_runs.find()}
    assert stats["nabaa"]["akhbar/listing/stopped/past_since"] == 1
    assert stats["nabaa"]["akhbar/listing/pages"] < 6  # the site has 6 listing pages
    assert "akhbar/listing/pages" not in stats["wasat"]  # it jumps to day archives instead
    assert stats["sham"]["akhbar/pruned/sitemap/name"] >= 2


def test_backfill_logs_progress(backfill):
    _, _, log = backfill
    pattern = (r"backfill (nabaa|wasat|sham) 2026-10-01\.\.2026-10-07: \d+ pages fetched \(\d+ articles\), "
               r"\d+ stored, 7/7 days covered, [\d.]+ articles/s, ETA \S+")
    assert set(re.findall(pattern, log)) == set(OUTLETS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "sham", "-a", "since=2026-10-1"], "since must be a date written YYYY-MM-DD, got '2026-10-1'"),
        (["crawl", "sham", "-a", "since=2026-10-07", "-a", "until=2026-10-01"],
         "since (2026-10-07) is after until (2026-10-01)"),
        (["crawl", "sham", "-a", "sinse=2026-10-07"],
         "unknown argument 'sinse' (accepted: url, site, since, until, timezone)"),
        (["crawlall", "nabaa", "-a", "until=yesterday"], "until must be a date written YYYY-MM-DD, got 'yesterday'"),
        (["crawl", "news", "-a", "since=2026-10-01"],
         "spider 'news' needs a home page: scrapy crawl news -a url=http://host/"),
    ],
)
def test_bad_arguments_are_one_error_line_and_crawl_nothing(store_env, store_db, tmp_path, args, message):
    env, db = separate_database(store_env, store_db, "badargs", tmp_path)
    result = scrapy(env, *args)
    assert (result.returncode, result.stderr.strip(), result.stdout) == (2, f"error: {message}", "")
    assert db.name not in store_db.client.list_database_names()


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_kill_9_then_resume_with_jobdir_and_the_overlap_lock(demo_site, store_env, store_db, tmp_path):
    env, db = separate_database(store_env, store_db, "resume", tmp_path / "data")
    sham, since, until = demo_site.outlet("sham").base_url, date(2026, 9, 1), date(2026, 10, 31)
    want = window_urls(demo_site, "sham", since, until)
    args = ["crawl", "sham", "-a", f"url={sham}", "-a", f"since={since}", "-a", f"until={until}"]
    job = ["-s", f"JOBDIR={tmp_path / 'job'}"]
    slow = ["-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "STORE_BATCH_SIZE=1"]
    with (tmp_path / "killed.log").open("w") as log:
        killed = subprocess.Popen([*SCRAPY, *args, *job, *slow], cwd=PROJECT_ROOT, env={**os.environ, **env},
                                  stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    try:
        _wait_for(lambda: db.articles.count_documents({}) >= 5, 60, "the first stored articles")
        assert killed.poll() is None, "the slowed-down backfill finished before it could be interrupted"
        started = time.monotonic()
        busy = scrapy(env, *args)
        assert busy.returncode == EX_TEMPFAIL and "another crawl of 'sham' is still running" in busy.stderr
        assert time.monotonic() - started < 30
        demo_port = {**env, "AKHBAR_DEMO_PORT": str(demo_site.port)}  # the demo spiders' home URLs use it
        both = scrapy(demo_port, "crawlall", "sham", "nabaa", "-a", "since=2026-11-15", "-a", "until=2026-11-15")
        assert both.returncode == EX_TEMPFAIL and "skipped sham" in both.stderr, both.stderr[-2000:]
        assert db.crawl_runs.find_one({"site": "nabaa"})["finish_reason"] == "finished"
        assert killed.poll() is None
    finally:
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait()
    stored_at_kill = db.articles.count_documents({"site": "sham"})
    # Scrapy's own queue and seen-set do not survive kill -9, so they are never written
    assert [p.name for p in (tmp_path / "job").iterdir()] == ["akhbar-job.json"]
    assert 5 <= stored_at_kill < len(want)
    assert db.crawl_runs.find_one({"site": "sham"})["status"] == "running"  # the killed run never closed

    resumed = scrapy(env, *args, *job)
    assert resumed.returncode == 0 and "Traceback" not in resumed.stderr, resumed.stderr[-3000:]
    urls = [d["url"] for d in db.articles.find({"site": "sham"})]
    assert sorted(urls) == sorted(want)  # the uninterrupted run's set, each article once
    run = db.crawl_runs.find_one({"site": "sham", "finish_reason": "finished"})
    assert run["plan"]["resumed"] is True
    assert run["skipped_stored"] >= stored_at_kill
    assert run["pages"]["articles"] <= len(want) - stored_at_kill

    again = scrapy(env, *args)  # without JOBDIR: everything again, safely
    assert again.returncode == 0
    assert sorted(d["url"] for d in db.articles.find({"site": "sham"})) == sorted(want)
    store_db.client.drop_database(db.name)
