"""End to end: a site that floods its visitors with cookies is still crawled with bounded `Cookie` headers, and a
crawl opens connections and looks up names only for its site and its store (every socket call audited)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlparse

import pytest

from tests.support.crawl import PROJECT_ROOT
from tests.support.http import serve

pytestmark = pytest.mark.e2e
HOST = "127.0.0.21"  # a loopback address no demo outlet uses: the site name is the host
# Over COOKIES_PER_HOST_MAX, under HEADERS_MAX_COUNT: a response of more header lines (5,000 Set-Cookie lines) is
# refused whole, as too_large (tests/unit/test_bounded_headers.py).
COOKIES = 150
ARTICLE = ("<html><head><title>خبر</title></head><body><h1>وزارة الصحة تطلق حملة للتطعيم في المدارس</h1>"
           + "<p>" + "أعلنت وزارة الصحة اليوم إطلاق حملة وطنية للتطعيم في المدارس الحكومية والخاصة. " * 6 + "</p>"
           + "</body></html>")
# Runs the crawl with an audit hook that writes down every connection and every name lookup of the process.
AUDITED = """
import json, sys
log = open(sys.argv[1], "a", encoding="utf-8")
def audit(event, args):
    if event == "socket.connect":
        log.write(json.dumps({"connect": args[1] if isinstance(args[1], str) else list(args[1])[:2]}) + "\\n")
    elif event == "socket.getaddrinfo":
        log.write(json.dumps({"lookup": str(args[0])}) + "\\n")
    else:
        return
    log.flush()
sys.addaudithook(audit)
from scrapy.cmdline import execute
execute(["scrapy", *sys.argv[2:]])
"""


class CookieFlood(BaseHTTPRequestHandler):
    """A home page that sets more cookies than a host may keep, one article; every request's Cookie header size is
    noted."""

    cookie_sizes: ClassVar[list[int]] = []

    def do_GET(self) -> None:
        type(self).cookie_sizes.append(len(self.headers.get("Cookie", "")))
        if self.path == "/":
            body = b'<html><body><a href="/news/1001">\xd8\xae\xd8\xa8\xd8\xb1</a></body></html>'
            cookies = [f"c{n}=v{n}; Path=/" for n in range(COOKIES)]
        elif self.path == "/news/1001":
            body, cookies = ARTICLE.encode(), []
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for cookie in cookies:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flood_site():
    """The cookie-flooding site on a loopback address of its own."""
    CookieFlood.cookie_sizes = []
    with serve(CookieFlood, HOST) as home:
        yield home


def test_flooded_cookies_are_bounded_and_no_other_host_is_reached(flood_site, store_env, store_db, tmp_path: Path):
    audit = tmp_path / "sockets.jsonl"
    args = ["crawl", "news", "-a", f"url={flood_site}", "-s", "CLOSESPIDER_TIMEOUT=60"]
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_proxy", "_PROXY"))}
    done = subprocess.run([sys.executable, "-c", AUDITED, str(audit), *args], cwd=PROJECT_ROOT,
                          env={**env, **store_env}, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]

    after_home = CookieFlood.cookie_sizes[2:]  # robots.txt and the home page went out before any cookie was set
    assert after_home and max(after_home) <= 7_500, CookieFlood.cookie_sizes
    assert store_db.articles.count_documents({"url": f"{flood_site}news/1001"}) == 1, done.stderr[-6000:]
    errors = list(store_db.crawl_errors.find({"kind": "bounded", "url": {"$regex": f"^{flood_site}"}}))
    assert len(errors) == 1 and "COOKIES_PER_HOST_MAX" in errors[0]["message"]

    store_host = urlparse(store_env["MONGO_URI"]).hostname
    calls = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    hosts = {c["connect"][0] for c in calls if "connect" in c and isinstance(c["connect"], list)}
    lookups = {c["lookup"] for c in calls if "lookup" in c}
    assert hosts and hosts <= {HOST, store_host}, hosts
    assert lookups <= {HOST, store_host, "localhost"}, lookups
