"""Robots, sitemaps, feeds and link classification; the spider's discovery callbacks on synthetic documents."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse

from crawler.discovery.parsers import (
    is_next_page_link,
    looks_like_article,
    parse_feed,
    parse_sitemap,
    same_site,
    sitemap_urls_from_robots,
)
from crawler.planning.planner import FetchPlanner
from crawler.spiders.base import SITEMAP_DEPTH, NewsSpider
from crawler.spiders.scheduling import FRESH_PRIORITY
from tests.unit.test_safety import HOME, discovery_crawler

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>http://127.0.0.3:1/2026/11/14/a-b-c/</loc><lastmod>2026-11-14T10:00:00+03:00</lastmod>
    <news:news><news:publication><news:name>x</news:name><news:language>ar</news:language></news:publication>
      <news:publication_date>2026-11-14T09:30:00+03:00</news:publication_date><news:title>t</news:title>
    </news:news></url>
</urlset>"""


def test_robots_sitemaps():
    text = "User-agent: *\nDisallow: /admin/\nSitemap: http://127.0.0.2:1/sitemap_index.xml\nsitemap:  /other.xml\n"
    assert sitemap_urls_from_robots(text) == ["http://127.0.0.2:1/sitemap_index.xml", "/other.xml"]


def test_news_sitemap_keeps_publication_date():
    kind, entries = parse_sitemap(NEWS_SITEMAP)
    assert kind == "urlset"
    assert entries[0].url == "http://127.0.0.3:1/2026/11/14/a-b-c/"
    assert entries[0].lastmod == "2026-11-14T10:00:00+03:00"
    assert entries[0].published == "2026-11-14T09:30:00+03:00"


def test_sitemap_index_and_garbage():
    index = b"<sitemapindex><sitemap><loc>http://h/s1.xml</loc><lastmod>2026-10-01</lastmod></sitemap></sitemapindex>"
    assert parse_sitemap(index)[0] == "index"
    assert parse_sitemap(index)[1][0].lastmod == "2026-10-01"
    assert parse_sitemap(b"\x89PNG not xml")[0] == "invalid"
    assert parse_sitemap(b"<html><body>hi</body></html>")[0] == "invalid"


def test_sitemap_entities_are_not_expanded():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' \
           b"<urlset><url><loc>http://h/&b;</loc></url></urlset>"
    _, entries = parse_sitemap(bomb)
    assert all("aaaa" not in e.url for e in entries)


def test_rss_and_atom():
    rss = b"<rss><channel><item><link>http://h/news/1</link><pubDate>Sat, 14 Nov 2026 09:00:00 +0300</pubDate>" \
          b"</item></channel></rss>"
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="http://h/news/2"/>' \
           b"<published>2026-11-14T09:00:00Z</published></entry></feed>"
    assert [(e.url, e.published) for e in parse_feed(rss)] == [("http://h/news/1", "Sat, 14 Nov 2026 09:00:00 +0300")]
    assert [(e.url, e.published) for e in parse_feed(atom)] == [("http://h/news/2", "2026-11-14T09:00:00Z")]
    broken = parse_feed(b"<rss><channel><item><link>http://h/news/3</link><title>broken")
    assert [e.url for e in broken] in ([], ["http://h/news/3"])  # recovered or empty, never raises


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("http://h/news/123", True),
        ("http://h/2026/09/15/some-slug/", True),
        ("http://h/article.php?id=5", True),
        ("http://h/page/2/", False),
        ("http://h/news?page=2", False),
        ("http://h/category/economy/", False),
        ("http://h/images/12.jpg", False),
        ("http://h/", False),
    ],
)
def test_looks_like_article(url, article):
    assert looks_like_article(url) is article


def test_next_page_and_same_site():
    assert is_next_page_link("الصفحة التالية", None)
    assert is_next_page_link("2", "next")
    assert not is_next_page_link("اقتصاد", None)
    assert same_site("/x", "http://127.0.0.2:8780/")
    assert not same_site("http://127.0.0.3:8780/x", "http://127.0.0.2:8780/")


class _Engine:
    """What the spider uses of the engine: the scheduler's length, and crawl() (which schedules)."""

    def __init__(self) -> None:
        self.scheduler: list[Request] = []

    def crawl(self, request: Request) -> None:
        self.scheduler.append(request)


def _spider(**settings: object) -> tuple[NewsSpider, list[tuple[str, str]]]:
    crawler, errors = discovery_crawler(**settings)
    crawler.engine = _Engine()
    spider = NewsSpider.from_crawler(crawler, url=HOME)
    spider.planner = FetchPlanner(spider.window, crawler.stats, spider.rules)
    return spider, errors


def _requests(callback: Callable[[Response], AsyncIterator[Request]], response: Response) -> list[Request]:
    async def drain() -> list[Request]:
        return [request async for request in callback(response)]
    return asyncio.run(drain())


def _index(*urls: str) -> bytes:
    return f"<sitemapindex>{''.join(f'<sitemap><loc>{u}</loc></sitemap>' for u in urls)}</sitemapindex>".encode()


def test_listed_and_fed_articles_go_before_sitemap_ones():
    spider, _ = _spider()
    page = b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>' \
           b'<a href="/news/101">x</a><a href="/news/102">y</a></body></html>'
    listed = _requests(spider.parse_listing, HtmlResponse(HOME, body=page, request=Request(HOME)))
    feed = b"<rss><channel><item><link>http://127.0.0.5/news/103</link></item></channel></rss>"
    fed = _requests(spider.parse_feed, XmlResponse(f"{HOME}rss.xml", body=feed))
    sitemap = b"<urlset><url><loc>http://127.0.0.5/news/101</loc></url><url><loc>http://127.0.0.5/news/104</loc>" \
              b"</url></urlset>"
    mapped = _requests(spider.parse_sitemap, XmlResponse(f"{HOME}s.xml", body=sitemap))
    assert [(r.url, r.priority) for r in listed + fed] == [(f"{HOME}rss.xml", FRESH_PRIORITY)] + [
        (f"{HOME}news/{i}", FRESH_PRIORITY) for i in (101, 102, 103)]
    assert [(r.url, r.priority) for r in mapped] == [(f"{HOME}news/104", 0)]  # 101 is planned once, from the listing


def test_sitemap_indexes_are_followed_to_their_depth_limit():
    spider, errors = _spider(SITEMAP_INDEX_MAX_DEPTH=1)
    robots = TextResponse(f"{HOME}robots.txt", body=f"Sitemap: {HOME}i0.xml".encode(), encoding="utf-8")
    (first,) = _requests(spider.parse_robots, robots)
    assert first.meta[SITEMAP_DEPTH] == 0
    (second,) = _requests(spider.parse_sitemap, XmlResponse(first.url, body=_index(f"{HOME}i1.xml"), request=first))
    assert second.meta[SITEMAP_DEPTH] == 1
    assert _requests(spider.parse_sitemap, XmlResponse(second.url, body=_index(f"{HOME}i2.xml"), request=second)) == []
    assert errors == [("bounded", f"{HOME}i1.xml")]


def test_discovery_stops_taking_article_urls_at_its_limit():
    spider, errors = _spider(DISCOVERY_MAX_URLS=1_200)
    urls = "".join(f"<url><loc>{HOME}news/{i}</loc></url>" for i in range(1_000, 2_000))
    sitemap = f"<urlset>{urls}</urlset>".encode()
    assert len(_requests(spider.parse_sitemap, XmlResponse(f"{HOME}a.xml", body=sitemap))) == 1_000
    assert len(_requests(spider.parse_sitemap, XmlResponse(f"{HOME}b.xml", body=sitemap.replace(b"/news/",
                                                                                              b"/story/")))) == 200
    assert errors == [("bounded", f"{HOME}b.xml")]


def test_a_sitemap_waits_in_the_backlog_and_is_scheduled_as_the_scheduler_drains():
    spider, _ = _spider(PLAN_QUEUE_MAX=4)
    urls = "".join(f"<url><loc>{HOME}news/{i}</loc></url>" for i in range(10))
    planned = _requests(spider.parse_sitemap, XmlResponse(f"{HOME}a.xml", body=f"<urlset>{urls}</urlset>".encode()))
    assert [r.url for r in planned] == [f"{HOME}news/{i}" for i in range(4)] and len(spider.backlog) == 6
    scheduler = spider.crawler.engine.scheduler
    scheduler.extend(planned)
    del scheduler[:1]
    spider.top_up()  # 3 waiting: more than half of 4, no top-up yet
    assert len(scheduler) == 3
    del scheduler[:1]
    spider.top_up()
    assert [r.url for r in scheduler[-2:]] == [f"{HOME}news/4", f"{HOME}news/5"] and len(spider.backlog) == 4
    scheduler.clear()
    with pytest.raises(DontCloseSpider):  # discovery ran dry: the rest is scheduled before the crawl may close
        spider.on_idle()
    assert [r.url for r in scheduler] == [f"{HOME}news/{i}" for i in range(6, 10)] and not spider.backlog


def test_a_stopping_crawl_drops_the_backlog_and_may_close():
    spider, _ = _spider(PLAN_QUEUE_MAX=2)
    urls = "".join(f"<url><loc>{HOME}news/{i}</loc></url>" for i in range(5))
    _requests(spider.parse_sitemap, XmlResponse(f"{HOME}a.xml", body=f"<urlset>{urls}</urlset>".encode()))
    assert spider.drop_held("the error budget ran out") == 3
    spider.on_idle()  # nothing held back: no DontCloseSpider
    assert spider.crawler.engine.scheduler == []
    later = _requests(spider.parse_sitemap, XmlResponse(f"{HOME}b.xml", body=f"<urlset>{urls}</urlset>".encode()
                                                        .replace(b"/news/", b"/story/")))
    assert later == [] and not spider.backlog  # a sitemap read after the stop plans nothing
