"""The hostile outlet's newer cases (tests/demosite/hostile_traps.py): each answers as catalogued, and the endless
families its traps point to are served cheaply."""

from __future__ import annotations

import base64
import http.client
import re
import socket
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest

from tests.demosite import HOSTILE_CASES, HOSTILE_NAME, DemoSite, HostileCase
from tests.demosite.hostile_client import answers_as_catalogued, request, xml_fails

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
MIB = 1 << 20
ARABIC = re.compile("[\u0621-\u064a]{3,}")


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with DemoSite(port=None) as demo:
        yield demo.outlet(HOSTILE_NAME).base_url.rstrip("/")


# kind -> (status, Content-Type, check of the whole body) for the cases a plain GET can verify.
SIMPLE: dict[str, tuple[int, str, Callable[[bytes], bool]]] = {
    "comment-forms": (200, HTML, lambda b: b.count(b"<form>") == 12_000 and 400_000 < len(b) < 440_000),
    "big-paragraph": (200, HTML, lambda b: len(b) == 1_900_000 and b.count(b"<p>") == 1),
    "slow-extraction": (200, HTML, lambda b: b.count("<p>ك</p>".encode()) == 210_000 and len(b) < 2 * MIB),
    "session-id-trap": (200, HTML, lambda b: b.count(b"<p>") >= 3),
    "script-urls": (200, HTML, lambda b: b'rel="canonical" href="javascript:alert(document.cookie)"' in b
                    and b'"og:image" content="file:///etc/passwd"' in b),
    "exponent-count": (200, HTML, lambda b: "1e30 تعليق" in b.decode() and b'class="views"' not in b),
    "giant-h1": (200, HTML, lambda b: b.count(b"<h1>") == 2 and b.index(b"</h1>") - b.index(b"<h1>") > 999_000),
    "giant-word": (200, HTML, lambda b: max(map(len, b.decode().split())) >= 500_000),
    "year-9999": (200, HTML, lambda b: all(x in b for x in (b'"datePublished": "9999-', b'content="9999-',
                                                            b'<time datetime="9999-'))),
    "year-0": (200, HTML, lambda b: all(x in b for x in (b'"datePublished": "0000-', b'content="0000-',
                                                         b'<time datetime="0000-'))),
    "utf16-no-bom": (200, "text/html; charset=utf-16", lambda b: b[:2] == "<".encode("utf-16-le")
                     and bool(ARABIC.search(b.decode("utf-16-le")))),
    "ebcdic-cp037": (200, "text/html; charset=cp037", lambda b: b"<h1>" not in b
                     and "&#1605;" in b.decode("cp037") and 'charset="cp037"' in b.decode("cp037")),
    "deep-nesting": (200, HTML, lambda b: b.count(b"<div>") == 150_000 and len(b) < 2 * MIB),
    "sitemap-index-chain": (200, XML, lambda b: b"<sitemapindex" in b and b"/sitemaps/chain/2.xml</loc>" in b),
    "huge-feed": (200, RSS, lambda b: b.count(b"<item>") == 110_000 and not xml_fails(b)
                  and len(set(re.findall(rb"<link>([^<]+)</link>", b))) < 100),
    "robots-many-sitemaps": (200, "text/plain; charset=utf-8", lambda b: b.count(b"\nSitemap: ") == 100_001
                             and b.split(b"Sitemap: ")[1].endswith(b"/sitemap_index.xml\n")),
    "many-feeds": (200, HTML, lambda b: b.count(b'<link rel="alternate" type="application/rss+xml"') == 50_000),
    "many-next-links": (200, HTML, lambda b: b.count(b'rel="next"') == 100_000 and b.count(b'href="/news/') == 1),
    "same-article-anchors": (200, HTML, lambda b: b.count(b"<a ") == b.count(b'href="/news/7003"') == 1_500
                             and not re.search(rb"\d", re.sub(rb"<[^>]*>", b"", b))),
}


def _raw_head(url: str, limit: int) -> bytes:
    """The first bytes of a response, up to the end of its header block or `limit` bytes (any number of lines)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as conn:
        conn.sendall(f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        head = b""
        while len(head) < limit and b"\r\n\r\n" not in head:
            head += conn.recv(65536)
    return head


def _endless_headers(base: str, url: str) -> None:
    head = _raw_head(url, 256 * 1024)
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and head.count(b"\r\nX-Pad-") > 4000 and b"\r\n\r\n" not in head


def _unsized(base: str, url: str) -> None:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", parts.path)
    reply = conn.getresponse()
    assert reply.getheader("Content-Length") is None and reply.getheader("Transfer-Encoding") == "chunked"
    assert len(reply.read(17 * MIB)) == 17 * MIB  # over DOWNLOAD_MAXSIZE, and more to come
    conn.close()


def _cookie_flood(base: str, url: str) -> None:
    head = _raw_head(url, 1 << 20).split(b"\r\n\r\n", 1)[0]
    cookies = [line for line in head.split(b"\r\n") if line.startswith(b"Set-Cookie: ")]
    assert head.startswith(b"HTTP/1.1 200") and len(cookies) == 150 and head.count(b"\r\n") < 200
    assert sum(map(len, cookies)) > 7_000 and len(head) < 64 * 1024


def _retry_after_hour(base: str, url: str) -> None:
    reply = request(url)
    assert reply.status == 429 and reply.headers["Retry-After"] == "3600"


def _redirect_to(scheme: str) -> Callable[[str, str], None]:
    def check(base: str, url: str) -> None:
        reply = request(url)
        location = urlsplit(reply.headers["Location"])
        assert reply.status == 302 and location.scheme == scheme
        if scheme == "data":
            assert b"<h1>" in base64.b64decode(location.path.split(",", 1)[1])
        if scheme == "http":  # the same host on another port
            assert location.hostname == urlsplit(base).hostname and location.port != urlsplit(base).port

    return check


SPECIAL: dict[str, Callable[[str, str], None]] = {
    "endless-headers": _endless_headers,
    "unsized-download": _unsized,
    "cookie-flood": _cookie_flood,
    "redirect-other-port": _redirect_to("http"),
    "redirect-file": _redirect_to("file"),
    "redirect-ftp": _redirect_to("ftp"),
    "redirect-data": _redirect_to("data"),
    "redirect-javascript": _redirect_to("javascript"),
    "retry-after-hour": _retry_after_hour,
}
NEWER = frozenset(SIMPLE) | frozenset(SPECIAL)  # the kinds this module checks


@pytest.mark.parametrize("case", [c for c in HOSTILE_CASES if c.kind in NEWER], ids=lambda c: c.kind)
def test_case_answers_as_catalogued(base: str, case: HostileCase) -> None:
    answers_as_catalogued(base, case, SIMPLE, SPECIAL)


def test_trap_families_are_endless_and_cheap(base: str) -> None:
    chain = request(base + "/sitemaps/chain/12345.xml")
    assert chain.status == 200 and b"/sitemaps/chain/12346.xml</loc>" in chain.body
    stub = request(base + "/feeds/49999.xml")
    assert stub.status == 200 and not xml_fails(stub.body) and b"<item>" not in stub.body
    page = request(base + "/archive/next?page=99999")
    assert page.status == 200 and b'rel="next"' not in page.body and len(page.body) < 1024
    assert request(base + "/sitemaps/dead/000007.xml").status == 404
    assert request(base + "/news/n000001").status == 404

