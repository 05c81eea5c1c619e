"""The hostile outlet (127.0.0.5): each catalogued case is reachable, answers as described, and the server survives."""

from __future__ import annotations

import contextlib
import gzip
import html
import http.client
import json
import re
import struct
import time
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.error import URLError
from urllib.parse import urljoin, urlsplit

import pytest

from tests.demosite import DEFAULT_END_DATE, HOSTILE_CASES, HOSTILE_NAME, OUTCOMES, TRUTH_KEYS, DemoSite, HostileCase
from tests.demosite.client import links
from tests.demosite.hostile import HostileSite
from tests.demosite.hostile_client import answers_as_catalogued, is_utf8, jsonld_of, request, xml_fails
from tests.demosite.model import make_outlet
from tests.unit.test_hostile_traps import NEWER

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MIB = 1 << 20
ALTERNATE = re.compile(r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"')
ARABIC = re.compile("[\u0621-\u064a]{3,}")
NETWORK_ERRORS = (URLError, OSError, http.client.HTTPException)


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite(port=None) as demo:
        yield demo


@pytest.fixture(scope="module")
def base(site: DemoSite) -> str:
    return site.outlet(HOSTILE_NAME).base_url.rstrip("/")


# kind -> (status, Content-Type, check of the whole body) for the cases a plain GET can verify.
SIMPLE: dict[str, tuple[int, str, Callable[[bytes], bool]]] = {
    "empty-body": (200, HTML, lambda b: b == b""),
    "pdf-as-html": (200, HTML, lambda b: b.startswith(b"%PDF-1.4\n%\xe2") and b.endswith(b"%%EOF\n")),
    "png-as-html": (200, "text/html", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n") and b.endswith(b"IEND\xaeB`\x82")),
    "truncated-html": (200, HTML, lambda b: b.endswith(b"</p") and b"</html>" not in b and b.count(b"<p>") >= 3),
    "wrong-charset": (200, HTML, lambda b: not is_utf8(b) and b'charset="utf-8"' in b
                      and bool(ARABIC.search(b.decode("cp1256")))),
    "no-charset-cp1256": (200, "text/html", lambda b: b"charset" not in b and not is_utf8(b)
                          and bool(ARABIC.search(b.decode("cp1256")))),
    "mixed-encoding": (200, HTML, lambda b: not is_utf8(b) and bool(ARABIC.search(b[:b.index(b"</h1>")].decode()))
                       and bool(ARABIC.search(b[b.rindex(b"<p>"):].decode("cp1256")))),
    "js-only": (200, HTML, lambda b: b"atob(d)" in b and b"<p>" not in b and b"<h1" not in b),
    "english": (200, HTML, lambda b: b'lang="en"' in b and not ARABIC.search(b.decode()) and b.count(b"<p>") == 4),
    "persian": (200, HTML, lambda b: b'lang="fa"' in b and all(ch in b.decode() for ch in "پچژگیک\u200c")),
    "no-title": (200, HTML, lambda b: not re.search(rb"<title|<h1|headline|og:title", b) and b.count(b"<p>") >= 3),
    "no-date": (200, HTML, lambda b: not re.search(rb"datePublished|published_time|<time|20\d\d", b)),
    "future-date": (200, HTML, lambda b: b'"datePublished": "2031-' in b and b'content="2031-' in b
                    and b"<time datetime=\"2031-" in b),
    "ancient-date": (200, HTML, lambda b: b'"datePublished": "1975-' in b and b'content="1975-' in b),
    "deep-tables": (200, HTML, lambda b: b.count(b"<table>") == b.count(b"</table>") == 10_000),
    "status-404": (404, HTML, lambda b: b"404" in b),
    "status-410": (410, HTML, lambda b: b"410" in b),
    "status-500": (500, "text/plain; charset=utf-8", lambda b: b"error" in b),
    "jsonld-mongo-keys": (200, HTML, lambda b: {"$where", "a.b", "$set", "headline"} <= set(jsonld_of(b) or {})),
    "jsonld-not-json": (200, HTML, lambda b: b'type="application/ld+json"' in b and jsonld_of(b) is None),
    "many-links": (200, HTML, lambda b: b.count(b'<a href="/news/x') == 100_000),
    "invalid-utf8": (200, HTML, lambda b: not is_utf8(b)
                     and all(x in b for x in (b"\xff", b"\xc0\xaf", b"\xed\xa0\x80"))),
    "nul-bytes": (200, HTML, lambda b: is_utf8(b) and b.count(b"\x00") >= 4 and b"<arti\x00cle>" in b),
    "html-as-json": (200, "application/json; charset=utf-8", lambda b: b.startswith(b"<!DOCTYPE html>")),
    "many-h1": (200, HTML, lambda b: b.count(b"<h1>") == 5_001),
    "utf16-bom": (200, HTML, lambda b: b.startswith(b"\xff\xfe") and "<h1>" in b.decode("utf-16")),
    "soft-404": (200, HTML, lambda b: "الصفحة المطلوبة غير موجودة" in b.decode() and b.count(b"<p>") <= 2),
    "invisible-marks": (200, HTML, lambda b: all(m in b.decode() for m in "\u202b\u200f\u200b\u200d\ufeff\ufefb")),
    "url-as-body": (200, HTML, lambda b: re.fullmatch(rb"http://127\.0\.0\.5:\d+/_canary/9043", b) is not None),
    "control-chars": (200, HTML, lambda b: b"</script>\x01" in b and b"\x1f" in b and b"datePublished" not in b),
    "huge-counter": (200, HTML, lambda b: "9,999,999,999,999,999,999,999,999 مشاهدة" in b.decode()),
    "unknown-charset": (200, "text/html; charset=x-klingon", lambda b: is_utf8(b) and b'charset="x-klingon"' in b),
    "malformed-sitemap": (200, XML, lambda b: xml_fails(b) and b"/news/7001</loc>" in b),
    "huge-sitemap": (200, XML, lambda b: b.count(b"<url>") == 60_000 and b.endswith(b"</urlset>\n")),
    "entity-expansion-sitemap": (200, XML, lambda b: b"<!ENTITY lol9" in b and b"&lol9;</loc>" in b and len(b) < 2048),
    "xxe-sitemap": (200, XML, lambda b: b'<!ENTITY xxe SYSTEM "file:///etc/hostname">' in b and b"&xxe;</loc>" in b),
    "sitemap-index-loop": (200, XML, lambda b: b"/sitemaps/loop-index.xml</loc>" in b
                           and b"/sitemap_index.xml</loc>" in b),
    "broken-rss": (200, RSS, xml_fails),
}


def _huge_page(base: str, url: str) -> None:
    head = request(url, method="HEAD")
    assert head.status == 200 and head.length == 50 * MIB and head.body == b""
    assert request(url, limit=64 * 1024).body.startswith(b"<!DOCTYPE html>")


def _bomb(url: str, content_type: str, encoding: str | None) -> None:
    head = request(url, method="HEAD")
    assert head.content_type == content_type and head.headers.get("Content-Encoding") == encoding
    assert head.length and head.length < 1.1 * MIB
    body = request(url).body  # ~1 MiB compressed; only its first MiB is ever inflated here
    assert len(body) == head.length and body[:2] == b"\x1f\x8b"
    assert struct.unpack("<I", body[-4:])[0] == 1 << 30  # gzip ISIZE: 1 GiB once inflated
    assert zlib.decompressobj(31).decompress(body, MIB) == bytes(MIB)


def _giant_paragraph(base: str, url: str) -> None:
    assert request(url, method="HEAD").length == 10 * MIB
    body = request(url, limit=2 * MIB).body
    start = body.index(b'<div class="body">\n<p>') + 22
    assert len(body) == 2 * MIB and b"\n" not in body[start:]


def _slow(base: str, url: str) -> None:
    started = time.monotonic()
    with pytest.raises((URLError, TimeoutError)):
        request(url, timeout=1)
    assert time.monotonic() - started < 5


def _reset(base: str, url: str) -> None:
    with pytest.raises(NETWORK_ERRORS):
        request(url, timeout=5)


def _content_length_lie(base: str, url: str) -> None:
    assert request(url, method="HEAD").length == 200_000
    with pytest.raises(http.client.IncompleteRead) as lie:
        request(url, timeout=5)
    assert len(lie.value.partial) == 300


def _redirect_loop(base: str, url: str) -> None:
    first = request(url)
    assert first.status == 302 and first.headers["Location"] == "/loop/9022"
    back = request(base + "/loop/9022")
    assert back.status == 302 and back.headers["Location"] == "/news/9022"


def _redirect_offsite(base: str, url: str) -> None:
    reply = request(url)
    location = reply.headers["Location"]
    assert reply.status == 302 and location.startswith("http://127.0.0.2:") and location != base + "/"
    assert request(location).status == 200  # another demo outlet, still loopback


def _redirect_chain(base: str, url: str) -> None:
    hops = 0
    reply = request(url)
    while reply.status == 302 and hops < 50:
        hops += 1
        url = urljoin(url, reply.headers["Location"])
        reply = request(url)
    assert hops == 25 and reply.status == 200 and url == base + "/news/7001"


def _meta_refresh_loop(base: str, url: str) -> None:
    assert b'http-equiv="refresh" content="0; url=/refresh/9034"' in request(url).body
    assert b'http-equiv="refresh" content="0; url=/news/9034"' in request(base + "/refresh/9034").body


def _pagination_trap(base: str, url: str) -> None:
    assert b'rel="next" href="/news/9039?page=2"' in request(url).body
    last = request(url + "?page=100000")
    assert last.status == 200 and b'rel="next"' not in last.body and last.body.count(b"/news/t") == 20
    assert request(url + "?page=100001").status == 404


def _status_503(base: str, url: str) -> None:
    reply = request(url)
    assert reply.status == 503 and reply.headers["Retry-After"] == "1"


def _bad_gzip(base: str, url: str) -> None:
    reply = request(url)
    assert reply.headers["Content-Encoding"] == "gzip" and reply.body.startswith(b"<!DOCTYPE html>")
    with pytest.raises((OSError, EOFError)):
        gzip.decompress(reply.body)


SPECIAL: dict[str, Callable[[str, str], None]] = {
    "huge-page": _huge_page,
    "gzip-bomb": lambda base, url: _bomb(url, HTML, "gzip"),
    "sitemap-gzip-bomb": lambda base, url: _bomb(url, "application/gzip", None),
    "giant-paragraph": _giant_paragraph,
    "slow-response": _slow,
    "connection-reset": _reset,
    "content-length-lie": _content_length_lie,
    "redirect-loop": _redirect_loop,
    "redirect-offsite": _redirect_offsite,
    "redirect-chain": _redirect_chain,
    "meta-refresh-loop": _meta_refresh_loop,
    "pagination-trap": _pagination_trap,
    "status-503": _status_503,
    "bad-gzip": _bad_gzip,
}


def test_catalogue(base: str) -> None:
    kinds = [c.kind for c in HOSTILE_CASES]
    assert len(kinds) >= 30 and len(set(kinds)) == len(kinds) == len({c.path for c in HOSTILE_CASES})
    assert all(c.expected_outcome in OUTCOMES and c.description for c in HOSTILE_CASES)
    assert set(SIMPLE) | set(SPECIAL) | set(NEWER) == set(kinds) and not set(SIMPLE) & set(SPECIAL)
    assert set(HostileSite(make_outlet(HOSTILE_NAME, 1), DEFAULT_END_DATE).builders) == set(kinds)
    reply = request(base + "/_cases.jsonl")
    assert reply.status == 200 and reply.content_type == "application/x-ndjson; charset=utf-8"
    assert [HostileCase(**json.loads(line)) for line in reply.body.decode().splitlines()] == HOSTILE_CASES


def test_index_home_robots_and_truth(site: DemoSite, base: str) -> None:
    assert base + "/" in links(site.index_url, request(site.index_url).body.decode())
    home = request(base + "/")
    assert home.status == 200 and b"<title>hostile</title>" in home.body
    assert f"Sitemap: {base}/sitemap_index.xml" in request(base + "/robots.txt").body.decode()
    records = [json.loads(line) for line in request(base + "/_truth.jsonl").body.decode().splitlines()]
    assert records == site.truth(HOSTILE_NAME) and len(records) >= 5
    home_links = links(base + "/", home.body.decode())
    for record in records:
        assert tuple(record) == TRUTH_KEYS and record["url"] in home_links
        page = request(record["url"])
        assert page.status == 200 and f"<h1>{html.escape(record['title'])}</h1>" in page.body.decode()


def test_every_case_is_reachable(base: str) -> None:
    home_url = base + "/"
    home = request(home_url).body.decode()
    feeds = [urljoin(home_url, href) for href in ALTERNATE.findall(home)]
    robots = request(base + "/robots.txt").body.decode()
    index_url = re.search(r"^Sitemap: (\S+)$", robots, re.MULTILINE).group(1)
    maps = [e.text or "" for e in ET.fromstring(request(index_url).body).iter(f"{SM}loc")]
    in_sitemap = {e.text for e in ET.fromstring(request(maps[0]).body).iter(f"{SM}loc")}
    in_feed = {item.findtext("link") for item in ET.fromstring(request(feeds[0]).body).iter("item")}
    home_links = {urlsplit(u)._replace(query="").geturl() for u in links(home_url, home)}  # the sid trap's sids
    found = home_links | set(feeds) | set(maps) | in_sitemap | in_feed | {base + "/robots.txt"}
    assert [c.kind for c in HOSTILE_CASES if base + c.path not in found] == []
    pages = {base + c.path for c in HOSTILE_CASES if c.path.startswith("/news/")}
    assert pages <= home_links and pages <= in_sitemap and len(pages & in_feed) >= 5
    sids = [u for u in links(home_url, home) if "?sid=" in u]
    assert len(sids) == len(set(sids)) == 50 and base + "/news/9052" not in links(home_url, home)
    assert base + "/rss-broken.xml" in feeds and {base + "/sitemaps/huge.xml", base + "/sitemaps/lol.xml"} <= set(maps)


@pytest.mark.parametrize("case", [c for c in HOSTILE_CASES if c.kind not in NEWER], ids=lambda c: c.kind)
def test_case_answers_as_catalogued(base: str, case: HostileCase) -> None:
    answers_as_catalogued(base, case, SIMPLE, SPECIAL)


def test_canary_counts_fetches(base: str) -> None:
    before = json.loads(request(base + "/_canary.json").body)["hits"]
    assert request(request(base + "/news/9043").body.decode()).status == 200
    assert json.loads(request(base + "/_canary.json").body)["hits"] == before + 1


def test_server_survives_everything_at_once(site: DemoSite, base: str) -> None:
    def hit(case: HostileCase) -> None:  # bounded: 1 s timeout, at most 256 KiB read per response
        with contextlib.suppress(NETWORK_ERRORS):
            request(base + case.path, timeout=1, limit=256 * 1024)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(hit, HOSTILE_CASES * 2))
    for url in (base + "/", base + "/news/7001", site.outlet("nabaa").base_url, site.index_url):
        started = time.monotonic()
        assert request(url, timeout=2).status == 200
        assert time.monotonic() - started < 1
    assert request(base + "/news/x000123").status == 404
