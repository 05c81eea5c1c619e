"""Discovery on hostile documents: seconds per parse step, and how long the spider callbacks hold the event loop.

Nothing is served: synthetic documents (a robots.txt of 100,000 Sitemap: lines, a 50,000-URL sitemap, a
110,000-item feed, a listing with 100,000 rel=next links, one with 1,500 anchors to the same URL, one with 520,000
anchors) are timed in the parse steps, then handed to the spider's callbacks in an asyncio loop whose ticker
measures the longest stall (garbage collection tuned as in a crawl: GC_THRESHOLDS). One line per case:
case=… step=seconds … callback_s=… stall_max_s=… requests=N

Measured on 2 shared cores (callback seconds / longest stall, before → after the discovery limits and the worker
thread): robots_100000 2.0/1.06 → 0.03/0.02; sitemap_50000 2.6/2.5 → 2.0/0.01; feed_110000 5.7/5.2 (110,000
requests) → 0.20/0.01 (1,000); next_100000 84/84 → 0.20/0.01; same_url_1500 78/78 → 0.05/0.01; anchors_520000
17/15 → 0.76/0.02. Steps: next_page_links 60 s → 0.000 (100,000 rel=next) and 18 s → 0.012 (520,000 anchors);
dated_links 91 s → 0.06 (1,500 anchors to one URL).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from lxml import html
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.discovery.listing import dated_links, feed_links, next_page_links
from crawler.planning.planner import FetchPlanner
from crawler.spiders.base import NewsSpider
from tests.support.commands import project_settings

HOME = "http://127.0.0.5:8780/"
TICK_S = 0.005
LIMITS = ("SITEMAP_MAX_URLS", "SITEMAP_MAX_BYTES", "LISTING_MAX_LINKS", "LISTING_MAX_NEXT", "ROBOTS_MAX_SITEMAPS",
          "FEEDS_MAX_PER_PAGE", "FEED_MAX_ITEMS", "SITEMAP_INDEX_MAX_DEPTH", "SITEMAPS_MAX", "DISCOVERY_MAX_URLS")
Case = tuple[dict[str, float], str, Response]  # parse step seconds, the callback reading it, its response


def robots() -> bytes:
    """A robots.txt naming 100,000 same-site sitemaps."""
    return ("User-agent: *\n" + "".join(f"Sitemap: {HOME}sitemaps/s{i}.xml\n" for i in range(100_000))).encode()


def sitemap() -> bytes:
    """A urlset of 50,000 article URLs."""
    urls = "".join(f"<url><loc>{HOME}news/{i}</loc><lastmod>2026-01-01</lastmod></url>" for i in range(50_000))
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def feed() -> bytes:
    """An RSS feed of 110,000 items."""
    items = "".join(f"<item><title>t</title><link>{HOME}news/{i}</link>"
                    "<pubDate>Sat, 14 Nov 2026 09:00:00 +0300</pubDate></item>" for i in range(110_000))
    return f"<rss><channel>{items}</channel></rss>".encode()


def listing(anchors: str) -> bytes:
    """A listing page holding the anchors."""
    return f"<html><head><title>x</title></head><body><div>{anchors}</div></body></html>".encode()


LISTINGS: dict[str, Callable[[], bytes]] = {
    "next_100000": lambda: listing("".join(f'<a rel="next" href="/list?page={i}">التالي</a>' for i in range(100_000))),
    "same_url_1500": lambda: listing("<ul>" + "".join(f'<li><a href="/news/1001">عنوان الخبر {i}</a><p>ملخص الخبر رقم '
                                                      f'{i} كما نشره الموقع</p></li>' for i in range(1_500)) + "</ul>"),
    "anchors_520000": lambda: listing("".join(f'<a href="/news/{i}">x</a>' for i in range(520_000))),
}


def timed(step: Callable[[], Any]) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def spider_for(settings: dict[str, Any]) -> NewsSpider:
    """A news spider on HOME with a crawler (stats, signals, settings) and a planner without a store."""
    crawler = get_crawler(NewsSpider, settings_dict=settings)
    crawler.stats.open_spider()
    spider = NewsSpider.from_crawler(crawler, url=HOME)
    spider.planner = FetchPlanner(spider.window, crawler.stats, spider.rules)
    return spider


def robots_case(settings: dict[str, Any]) -> Case:
    """robots.txt with 100,000 Sitemap: lines."""
    response = TextResponse(HOME + "robots.txt", body=robots(), encoding="utf-8")
    guard = spider_for(settings).guard
    return {"robots_read": timed(lambda: asyncio.run(guard.robots(response)))}, "parse_robots", response


def sitemap_case(settings: dict[str, Any]) -> Case:
    """A urlset of 50,000 URLs."""
    response = XmlResponse(HOME + "sitemap.xml", body=sitemap())
    guard = spider_for(settings).guard
    return {"sitemap_read": timed(lambda: asyncio.run(guard.sitemap(response)))}, "parse_sitemap", response


def feed_case(settings: dict[str, Any]) -> Case:
    """A feed of 110,000 items."""
    response = XmlResponse(HOME + "rss.xml", body=feed())
    guard = spider_for(settings).guard
    return {"feed_read": timed(lambda: asyncio.run(guard.feed(response)))}, "parse_feed", response


def listing_case(make: Callable[[], bytes]) -> Callable[[dict[str, Any]], Case]:
    """A listing page case built by make: the seconds of each listing step on it."""
    def case(settings: dict[str, Any]) -> Case:
        body = make()
        tree: list[Any] = []
        rules = spider_for(settings).rules
        max_links, max_next, max_feeds = (settings[n] for n in ("LISTING_MAX_LINKS", "LISTING_MAX_NEXT",
                                                                 "FEEDS_MAX_PER_PAGE"))
        steps = {"html_parse": timed(lambda: tree.append(html.fromstring(body))),
                 "count_anchors": timed(lambda: sum(1 for _ in itertools.islice(tree[0].iter("a"), max_links + 1))),
                 "dated_links": timed(lambda: dated_links(tree[0], HOME, rules, max_links=max_links)),
                 "next_page_links": timed(lambda: next_page_links(tree[0], HOME, HOME, max_links, max_next + 1)),
                 "feed_links": timed(lambda: feed_links(tree[0], HOME, HOME, max_feeds + 1))}
        return steps, "parse_listing", HtmlResponse(HOME, body=body, encoding="utf-8", request=Request(HOME))
    return case


CASES: dict[str, Callable[[dict[str, Any]], Case]] = {
    "robots_100000": robots_case, "sitemap_50000": sitemap_case, "feed_110000": feed_case,
    **{name: listing_case(make) for name, make in LISTINGS.items()},
}


async def drain(callback: Callable[[Response], AsyncIterator[Any]], response: Response) -> tuple[float, float, int]:
    """Run a callback to its end as Scrapy does (one yielded request at a time); wall seconds, longest stall, count."""
    stalls = [0.0]
    running = True

    async def ticker() -> None:
        while running:
            due = time.perf_counter() + TICK_S
            await asyncio.sleep(TICK_S)
            stalls.append(time.perf_counter() - due)

    tick = asyncio.ensure_future(ticker())
    await asyncio.sleep(TICK_S * 2)
    started, count = time.perf_counter(), 0
    async for _ in callback(response):
        count += 1
        await asyncio.sleep(0)
    wall = time.perf_counter() - started
    running = False
    await tick
    return wall, max(stalls), count


def main(argv: list[str] | None = None) -> int:
    """Time every case and print one line each."""
    parser = argparse.ArgumentParser(prog="python -m bench.discovery_speed", description=__doc__)
    parser.add_argument("--case", action="append", help="only this case (repeatable)")
    args = parser.parse_args(argv)
    project = project_settings()
    settings = {name: project[name] for name in LIMITS}
    gc.collect()  # as crawler.extensions.gc_tuning does when a crawl starts
    gc.freeze()
    gc.set_threshold(*(int(n) for n in project.getlist("GC_THRESHOLDS")))
    for name, case in CASES.items():
        if args.case and name not in args.case:
            continue
        steps, callback, response = case(settings)
        spider = spider_for(settings)
        wall, stall, count = asyncio.run(drain(getattr(spider, callback), response))
        shown = " ".join(f"{step}={seconds:.3f}" for step, seconds in steps.items())
        print(f"case={name} {shown} callback_s={wall:.3f} stall_max_s={stall:.3f} requests={count}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
