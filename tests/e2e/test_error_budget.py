"""A site whose URLs are mostly dead stops its crawl by itself: once ERROR_BUDGET_MAX_SHARE of its last
ERROR_BUDGET_WINDOW fetches failed, what is still queued is dropped unsent, one `error_budget` crawl error says why,
and `scrapy crawl` exits EX_ERROR_BUDGET. (A healthy crawl never trips it: tests/e2e/test_e2e_crawl.py.)"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler
from typing import ClassVar

import pytest

from crawler.commands.crawl import EX_ERROR_BUDGET
from tests.support.crawl import crawl
from tests.support.http import serve

pytestmark = pytest.mark.e2e
HOST = "127.0.0.23"  # a loopback address no demo outlet or other test uses: the site name is the host
SITEMAP_HOST = "127.0.0.25"  # the same site with its article URLs in a sitemap
DEAD, GOOD = 300, 5
FIRST = 1001  # article ids: discovery takes /news/<3 digits or more> for an article URL
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "-s", "RETRY_TIMES=0")


class MostlyDead(BaseHTTPRequestHandler):
    """A home page listing a few live article URLs and many dead ones (404), counting the requests it gets."""

    requests: ClassVar[int] = 0
    listed: ClassVar[bool] = True  # the article URLs on the home page, or in a sitemap robots.txt names
    lock = threading.Lock()

    def do_GET(self) -> None:
        with self.lock:
            type(self).requests += 1
        if self.path == "/":
            links = [f'<li><a href="/news/{n}">خبر {n}</a></li>' for n in range(FIRST, FIRST + GOOD + DEAD)]
            self.answer(200, f"<html><body><ul>{''.join(links) if self.listed else ''}</ul></body></html>")
        elif self.path == "/robots.txt" and not self.listed:
            self.answer(200, "Sitemap: /sitemap.xml\n", "text/plain")
        elif self.path == "/sitemap.xml" and not self.listed:
            urls = "".join(f"<url><loc>http://{SITEMAP_HOST}:{self.server.server_port}/news/{n}</loc></url>"
                           for n in range(FIRST, FIRST + GOOD + DEAD))
            self.answer(200, f"<urlset>{urls}</urlset>", "application/xml")
        elif self.path.startswith("/news/") and int(self.path.rsplit("/", 1)[1]) < FIRST + GOOD:
            self.answer(200, "<html><head><title>خبر</title></head><body><article><p>نص الخبر.</p></article></body>"
                             "</html>")
        else:
            self.answer(404, "<html><body>not found</body></html>")

    def answer(self, status: int, text: str, content_type: str = "text/html") -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_mostly_dead_site_ends_its_crawl_by_itself(store_env, store_db):
    MostlyDead.requests, MostlyDead.listed = 0, True
    with serve(MostlyDead, HOST) as home:
        done = crawl("news", store_env, "-a", f"url={home}", *FAST, timeout=180)
    log = done.stderr
    assert done.returncode == EX_ERROR_BUDGET and "Traceback" not in log, log[-3000:]
    assert "'finish_reason': 'error_budget'" in log
    assert f"{HOST}: crawl stopped, its error budget ran out: " in log  # the closing line
    assert MostlyDead.requests < 150, MostlyDead.requests  # of 300 dead URLs: a window of 50 and what was under way
    run = store_db.crawl_runs.find_one({"site": HOST}, sort=[("started_at", -1)])
    assert run["finish_reason"] == "error_budget" and run["status"] == "failed"
    assert run["stats"]["akhbar/error_budget/dropped"] > 0  # still queued when it ran out: never sent
    budget = list(store_db.crawl_errors.find({"run_id": run["_id"], "kind": "error_budget"}))
    assert len(budget) == 1 and budget[0]["url"] == home
    assert "of the last 50 fetches failed" in budget[0]["message"] and "HTTP 404 ×" in budget[0]["message"]
    dead = store_db.crawl_errors.count_documents({"run_id": run["_id"], "kind": "http_error"})
    assert 45 <= dead < 100  # the dropped requests are counted, not recorded one by one


def test_the_sitemap_urls_waiting_for_room_are_dropped_and_counted_when_the_budget_runs_out(store_env, store_db):
    MostlyDead.requests, MostlyDead.listed = 0, False
    with serve(MostlyDead, SITEMAP_HOST) as home:
        done = crawl("news", store_env, "-a", f"url={home}", *FAST, "-s", "PLAN_QUEUE_MAX=20", timeout=180)
    assert done.returncode == EX_ERROR_BUDGET and "Traceback" not in done.stderr, done.stderr[-3000:]
    run = store_db.crawl_runs.find_one({"site": SITEMAP_HOST}, sort=[("started_at", -1)])
    assert run["stats"]["akhbar/plan/scheduled"] == GOOD + DEAD  # all planned, at most 20 scheduled at a time
    fetched = MostlyDead.requests - 3  # robots.txt, the home page, the sitemap
    assert fetched < 150 and fetched + run["stats"]["akhbar/error_budget/dropped"] >= GOOD + DEAD, run["stats"]
    assert "planned article URLs not fetched: the error budget ran out" in done.stderr  # dropped as candidates
