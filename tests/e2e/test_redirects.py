"""Redirects end in their own recorded outcome: one to the same host on another port is another site (`offsite`, never
fetched, nothing stored under the URL that redirected), one (HTTP or meta refresh) to file:, ftp:, data:,
javascript: or mailto: is `refused_scheme` naming the scheme, and a body cut at DOWNLOAD_MAXSIZE is `too_large`."""

from __future__ import annotations

import contextlib
from http.server import BaseHTTPRequestHandler
from typing import ClassVar

import pytest

from tests.support.crawl import crawl
from tests.support.http import serve

pytestmark = pytest.mark.e2e
HOST = "127.0.0.24"  # a loopback address no demo outlet or other test uses: the site name is the host
MAXSIZE = 100_000
SCHEMES = {"/news/103": "file:///etc/passwd", "/news/104": "javascript:alert(1)", "/news/105": "ftp://127.0.0.24/x",
           "/news/106": "data:text/html,<p>x</p>", "/news/107": "mailto:desk@127.0.0.24"}
ARTICLE = ("<html><head><title>خبر</title></head><body><article><h1>خبر</h1><p>نص الخبر كاملا في هذه الفقرة.</p>"
           "</article></body></html>")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle(self) -> None:
        with contextlib.suppress(ConnectionResetError):  # the crawler hung up on the endless body
            super().handle()

    def answer(self, status: int, html: str = "", **headers: str) -> None:
        body = html.encode()
        self.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class OtherPort(_Handler):
    """Another server on the same host: serves an article to whoever asks, and counts who did."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.answer(200, ARTICLE)


class Redirecting(_Handler):
    """A home page listing articles that redirect elsewhere, and one whose body never ends."""

    other: ClassVar[str] = ""  # the home URL of the server on the other port

    def do_GET(self) -> None:
        if self.path == "/":
            links = "".join(f'<li><a href="/news/{n}">خبر {n}</a></li>' for n in range(101, 110))
            self.answer(200, f"<html><body><ul>{links}</ul></body></html>")
        elif self.path == "/news/101":
            self.answer(200, ARTICLE)
        elif self.path == "/news/102":
            self.answer(302, Location=f"{self.other}news/102")
        elif self.path in SCHEMES:
            self.answer(301 if self.path == "/news/105" else 302, Location=SCHEMES[self.path])
        elif self.path == "/news/108":
            self.answer(200, '<html><head><meta http-equiv="refresh" content="0; url=javascript:alert(1)"></head>'
                             "<body>moved</body></html>")
        elif self.path == "/news/109":
            self.endless()
        else:
            self.answer(404)

    def endless(self) -> None:
        """A chunked body without end (no Content-Length): cut at DOWNLOAD_MAXSIZE."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"<p>" + b"x" * 8_000 + b"</p>"
        try:
            for _ in range(10 * MAXSIZE // len(chunk)):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:  # the crawler hung up at its limit
            return
        self.wfile.write(b"0\r\n\r\n")


def test_redirects_and_cut_downloads_are_recorded_as_what_they_are(store_env, store_db):
    OtherPort.hits = []
    with serve(OtherPort, HOST) as other, serve(Redirecting, HOST) as home:
        Redirecting.other = other
        done = crawl("news", store_env, "-a", f"url={home}", "-s", "DOWNLOAD_DELAY=0", "-s",
                     "AUTOTHROTTLE_ENABLED=False", "-s", f"DOWNLOAD_MAXSIZE={MAXSIZE}", timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    assert OtherPort.hits == []  # not even its robots.txt
    run = store_db.crawl_runs.find_one({"site": HOST}, sort=[("started_at", -1)])
    errors = {}
    for error in store_db.crawl_errors.find({"run_id": run["_id"]}):
        errors.setdefault(error["url"].removeprefix(home.rstrip("/")), []).append(error)
    kinds = {path: [e["kind"] for e in found] for path, found in errors.items()}
    assert kinds["/news/102"] == ["offsite"] and "another port" in errors["/news/102"][0]["message"]
    for path, target in SCHEMES.items():
        scheme = target.split(":")[0]
        assert kinds[path] == ["refused_scheme"], (path, kinds.get(path))
        assert f"a {scheme}: URL refused" in errors[path][0]["message"]
    assert kinds["/news/108"] == ["refused_scheme"] and "meta refresh" in errors["/news/108"][0]["message"]
    assert kinds["/news/109"] == ["too_large"]
    assert store_db.articles.count_documents({"url": f"{home}news/102"}) == 0
    assert store_db.raw_pages.count_documents({"url": f"{home}news/102"}) == 0
