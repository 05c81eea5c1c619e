"""The demo news site as served: robots, sitemaps, feeds, pages, links and its command line (no Scrapy, no database;
loopback HTTP only)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from tests.demosite import BOILERPLATE_PHRASES, OUTLET_NAMES, DemoSite
from tests.demosite.client import fetch, links, text_of

ROOT = Path(__file__).resolve().parents[2]
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
NEXT_LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>(?:الصفحة التالية|التالي)')
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite(port=None) as demo:
        yield demo


def test_index_robots_and_errors(site: DemoSite) -> None:
    status, headers, body = fetch(site.index_url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert {o.base_url for o in site.outlets} <= set(links(site.index_url, body.decode()))
    for outlet in site.outlets:
        status, headers, body = fetch(outlet.base_url + "robots.txt")
        assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
        assert f"Sitemap: {outlet.base_url}sitemap_index.xml" in body.decode() and "Disallow: /admin/" in body.decode()
        assert fetch(outlet.base_url + "admin/")[0] == 403
        status, headers, body = fetch(outlet.base_url + "no/such/page")
        assert status == 404 and headers.get_content_type() == "text/html"
        assert headers.get_content_charset() == outlet.encoding
        status, headers, body = fetch(outlet.base_url + "_truth.jsonl")
        assert status == 200 and headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
        assert [json.loads(line) for line in body.decode().splitlines()] == site.truth(outlet.name)


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_sitemaps_cover_truth(site: DemoSite, name: str) -> None:
    outlet, truth = site.outlet(name), site.truth(name)
    status, _, body = fetch(outlet.base_url + "sitemap_index.xml")
    assert status == 200
    maps = [(e.findtext(f"{SM}loc"), e.findtext(f"{SM}lastmod")) for e in ET.fromstring(body).iter(f"{SM}sitemap")]
    assert all(lastmod and datetime.fromisoformat(lastmod).tzinfo for _, lastmod in maps)
    seen, news = set(), []
    for loc, _ in maps:
        status, headers, body = fetch(loc)
        assert status == 200 and headers["Content-Type"] == "application/xml; charset=utf-8"
        for url in ET.fromstring(body).iter(f"{SM}url"):
            if url.find(f"{NEWS}news") is not None:
                news.append(url)
            else:
                assert datetime.fromisoformat(url.findtext(f"{SM}lastmod")).tzinfo
                seen.add(url.findtext(f"{SM}loc"))
    assert seen == {t["url"] for t in truth}
    by_url = {t["url"]: t for t in truth}
    assert news
    for url in news:
        t = by_url[url.findtext(f"{SM}loc")]
        assert url.findtext(f"{NEWS}news/{NEWS}publication_date") == t["published"]
        assert url.findtext(f"{NEWS}news/{NEWS}title") == t["title"]
        assert url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") == "ar"


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_home_feed_and_article(site: DemoSite, name: str) -> None:
    outlet, truth = site.outlet(name), site.truth(name)
    status, headers, body = fetch(outlet.base_url)
    home = text_of(headers, body)
    assert status == 200 and headers.get_content_charset() == outlet.encoding
    feed_url = re.search(r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"', home).group(1)
    status, headers, body = fetch(urljoin(outlet.base_url, feed_url))
    assert status == 200 and headers.get_content_type() == "application/rss+xml"
    xml_text = re.sub(r"^<\?xml[^>]*\?>", "", text_of(headers, body))  # expat cannot decode windows-1256 itself
    items = ET.fromstring(xml_text).findall("channel/item")
    assert [i.findtext("link") for i in items] == [t["url"] for t in truth[:20]]
    assert [parsedate_to_datetime(i.findtext("pubDate")) for i in items] == [
        datetime.fromisoformat(t["published"]) for t in truth[:20]]
    for t in truth[:6]:
        status, headers, body = fetch(t["url"])
        assert status == 200 and headers.get_content_charset() == outlet.encoding
        page = html.unescape(text_of(headers, body))
        assert re.search(r"<h1[^>]*>" + re.escape(t["title"]) + "</h1>", page)
        assert not [p for p in BOILERPLATE_PHRASES[name] if p not in page]
        published = datetime.fromisoformat(t["published"])
        if name == "nabaa":
            assert f"<li><i class=\"c-i1\"></i>{published.month}/{published.day}/{published.year}</li>" in page
        elif name == "wasat":
            ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
            assert ld["datePublished"] == t["published"] and ld["headline"] == t["title"]
            assert f'<meta property="article:published_time" content="{t["published"]}">' in page
            assert f"{t['views']:,} مشاهدة" in page
        else:
            assert "charset=windows-1256" in page and f"عدد القراءات: {str(t['views']).translate(INDIC)}" in page


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_pagination_reaches_every_truth_url(site: DemoSite, name: str) -> None:
    truth_urls = [t["url"] for t in site.truth(name)]
    found: set[str] = set()
    url: str | None = site.outlet(name).base_url
    pages = 0
    while url:
        status, headers, body = fetch(url)
        assert status == 200
        page = text_of(headers, body)
        on_page = set(links(url, page))
        assert set(truth_urls[pages * 20:(pages + 1) * 20]) <= on_page  # newest first, 20 per page
        found |= on_page
        nxt = NEXT_LINK.search(page)
        url = urljoin(url, html.unescape(nxt.group(1))) if nxt else None
        pages += 1
    assert set(truth_urls) <= found
    assert pages == -(-len(truth_urls) // 20)


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_every_internal_link_resolves(site: DemoSite, name: str) -> None:
    outlet = site.outlet(name)
    robots = RobotFileParser()
    robots.parse(fetch(outlet.base_url + "robots.txt")[2].decode().splitlines())
    queue, seen = [outlet.base_url], {outlet.base_url}
    while queue:
        url = queue.pop()
        status, headers, body = fetch(url)
        assert status == 200, url
        if headers.get_content_type() != "text/html":
            continue
        for link in links(url, text_of(headers, body)):
            link = link.split("#")[0]
            if urlsplit(link).netloc == urlsplit(outlet.base_url).netloc and link not in seen:
                seen.add(link)
                if robots.can_fetch("*", link):
                    queue.append(link)
    assert {t["url"] for t in site.truth(name)} <= seen


def test_cli_port_in_use_and_clean_shutdown(site: DemoSite) -> None:
    busy = subprocess.run([sys.executable, "-m", "tests.demosite", "--port", str(site.port)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert busy.returncode == 2 and "Traceback" not in busy.stderr and len(busy.stderr.strip().splitlines()) == 1
    proc = subprocess.Popen([sys.executable, "-m", "tests.demosite", "--articles-per-outlet", "2000"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        lines = [proc.stdout.readline().split() for _ in OUTLET_NAMES]
        assert time.monotonic() - started < 20
        assert [line[0] for line in lines] == list(OUTLET_NAMES)
        status, _, body = fetch(lines[0][1] + "_truth.jsonl")
        assert status == 200 and len(body.decode().splitlines()) == 2000
        proc.terminate()
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
