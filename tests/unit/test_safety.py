"""Pure safety checks: document sanitizing, password masking, failure kinds, discovery limits, extraction refusals."""

from __future__ import annotations

import asyncio
import gzip
import logging
from datetime import UTC, datetime

import bson
import pytest
from pymongo.errors import AutoReconnect, BulkWriteError, DuplicateKeyError, ServerSelectionTimeoutError
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest, ResponseDataLossError
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler

from crawler.discovery.guard import DiscoveryGuard, TooLarge, gunzip
from crawler.discovery.parsers import Entry
from crawler.extensions.log_mask import MaskPasswords, install_mask
from crawler.items import FetchedPage, SiteRules
from crawler.spiders.base import NewsSpider
from pipelines.extraction.precheck import implausible_date, refusal
from pipelines.outcomes.errors import CRAWL_ERROR, classify, on_site
from pipelines.storage.config import mask_secrets, mask_uri
from pipelines.storage.embedded import StoreError
from pipelines.storage.link import unavailable
from pipelines.storage.sanitize import sanitize_document
from tests.support.commands import project_settings

URI = "mongodb://akhbar:s3cr3t-P4ss@db.example:27017/?retryWrites=false"


def test_keys_from_page_data_are_made_plain_field_names() -> None:
    doc = sanitize_document({"ld": {"$where": "function () {}", "a.b": {"$gt": ""}, "x\x00": 1,
                                    "list": [{"$set": {"admin": True}}]}, "_id": 1})
    assert doc == {"ld": {"＄where": "function () {}", "a．b": {"＄gt": ""}, "x": 1,
                          "list": [{"＄set": {"admin": True}}]}, "_id": 1}
    bson.encode(doc)  # any MongoDB stores it as is


def test_values_bson_cannot_hold_are_neutralized() -> None:
    deep: dict = {}
    node = deep
    for _ in range(200):
        node["d"] = node = {}
    doc = sanitize_document({"views": 10**25 - 1, "neg": -(2**63), "big": 2**63, "flag": True, "text": "a\ud800b",
                             "tuple": (1, 2), "deep": deep})
    assert doc["views"] is None and doc["neg"] == -(2**63) and doc["big"] is None and doc["flag"] is True
    assert doc["text"] == "a?b" and doc["tuple"] == [1, 2]
    bson.encode(doc)


def test_mask_hides_passwords_anywhere() -> None:
    masked = "cannot reach mongodb://akhbar:***@db.example:27017/?retryWrites=false now"
    assert mask_uri(f"cannot reach {URI} now") == masked
    assert mask_secrets({"a": [URI, 3], "b": {"c": URI}}) == {"a": [mask_uri(URI), 3], "b": {"c": mask_uri(URI)}}


def test_log_filter_masks_messages_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("akhbar.test.mask")
    caplog.handler.addFilter(MaskPasswords())
    try:
        raise ValueError(f"bad store {URI}")
    except ValueError:
        logger.exception("store %s failed", URI)
    logger.warning("stats: %r", {"uri": URI})
    text = caplog.text
    assert "s3cr3t" not in text and text.count("akhbar:***@") >= 3


def test_install_mask_adds_one_filter_per_handler() -> None:
    logger = logging.getLogger("akhbar.test.install")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    install_mask(logger)
    install_mask(logger)
    assert sum(isinstance(f, MaskPasswords) for f in handler.filters) == 1


def test_store_errors_that_mean_retry_later() -> None:
    assert unavailable(ServerSelectionTimeoutError("no servers")) and unavailable(AutoReconnect("reset"))
    assert unavailable(StoreError("daemon did not start"))
    assert not unavailable(DuplicateKeyError("dup"))
    refused = BulkWriteError({"writeErrors": [{"index": 0, "code": 121, "errmsg": "Document failed validation"}]})
    stepping_down = BulkWriteError({"writeErrors": [{"index": 0, "code": 10107, "errmsg": "not primary"}]})
    assert not unavailable(refused) and unavailable(stepping_down)


def _response(status: int) -> Response:
    return Response("http://127.0.0.5/news/1", status=status, request=Request("http://127.0.0.5/news/1"))


@pytest.mark.parametrize(("exc", "kind"), [
    (HttpError(_response(404), "Ignoring non-200"), "http_error"),
    (IgnoreRequest("max redirections reached"), "redirect_error"),
    (IgnoreRequest("Ignored response <200 x> because its body exceeded DOWNLOAD_MAXSIZE (16 B) during decompression"),
     "too_large"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots"),
    (DownloadTimeoutError("took longer than 5.0 seconds"), "timeout"),
    (DownloadCancelledError("Expected to receive 52428800 bytes which is larger than download max size (16)"),
     "too_large"),
    (ResponseDataLossError(), "transfer_error"),
    (gzip.BadGzipFile("Not a gzipped file"), "transfer_error"),
    (RuntimeError("bug"), "request_failed"),
])
def test_failure_kinds(exc: Exception, kind: str) -> None:
    assert classify(exc)[0] == kind


def test_offsite_compares_hosts_without_ports() -> None:
    assert on_site("http://127.0.0.5:8780/news/1", ["127.0.0.5"])
    assert on_site("http://www.example.com/a", ["example.com"])
    assert not on_site("http://127.0.0.2:8780/", ["127.0.0.5"]) and not on_site("http://[/", ["127.0.0.5"])


def test_gunzip_stops_at_its_limit() -> None:
    data = gzip.compress(b"<urlset/>") + gzip.compress(b" ")
    assert gunzip(data, 100) == b"<urlset/> "
    with pytest.raises(TooLarge):
        gunzip(gzip.compress(bytes(10_000)), 1_000)
    with pytest.raises(EOFError):
        gunzip(gzip.compress(b"x" * 1000)[:20], 10_000)


HOME = "http://127.0.0.5/"
LIMITS = ("SITEMAP_MAX_URLS", "SITEMAP_MAX_BYTES", "LISTING_MAX_LINKS", "LISTING_MAX_BYTES", "LISTING_MAX_NEXT",
          "ROBOTS_MAX_SITEMAPS",
          "FEEDS_MAX_PER_PAGE", "FEED_MAX_ITEMS", "SITEMAP_INDEX_MAX_DEPTH", "SITEMAPS_MAX", "DISCOVERY_MAX_URLS",
          "PLAN_QUEUE_MAX")


def discovery_crawler(**settings: object) -> tuple[Crawler, list[tuple[str, str]]]:
    """A crawler with the project's discovery limits (and overrides), stats, and the crawl errors it records."""
    limits = project_settings(settings)
    crawler = get_crawler(NewsSpider, settings_dict={name: limits[name] for name in LIMITS})
    errors: list[tuple[str, str]] = []
    crawler.signals.connect(lambda url, kind, message: errors.append((kind, url)), signal=CRAWL_ERROR, weak=False)
    crawler.stats.open_spider()
    return crawler, errors


def _guard(**settings: object) -> tuple[DiscoveryGuard, list[tuple[str, str]]]:
    crawler, errors = discovery_crawler(**settings)
    return DiscoveryGuard(crawler, HOME), errors


def _urlset(count: int, host: str = HOME) -> bytes:
    urls = "".join(f"<url><loc>{host}news/{i}</loc></url>" for i in range(count))
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def test_sitemaps_are_capped_and_loops_read_once() -> None:
    guard, errors = _guard(SITEMAP_MAX_URLS=3)
    kind, entries = asyncio.run(guard.sitemap(HtmlResponse(f"{HOME}s.xml.gz", body=gzip.compress(_urlset(5)))))
    assert kind == "urlset" and len(entries) == 3 and errors == [("discovery_capped", f"{HOME}s.xml.gz")]
    assert guard.sitemaps_to_read(f"{HOME}robots.txt", [f"{HOME}i.xml"], 0) == [f"{HOME}i.xml"]
    assert guard.sitemaps_to_read(f"{HOME}i.xml", [f"{HOME}i.xml", f"{HOME}a.xml"], 1) == [f"{HOME}a.xml"]
    assert errors[-1] == ("bounded", f"{HOME}i.xml")
    kind, entries = asyncio.run(guard.sitemap(HtmlResponse(f"{HOME}t.xml", body=_urlset(3, "http://other/"))))
    assert kind == "urlset" and entries == [] and len(errors) == 2  # offsite URLs dropped, within the cap


def test_robots_sitemaps_are_capped_after_dropping_offsite_ones() -> None:
    lines = [f"Sitemap: http://other.example/s{i}.xml" for i in range(5)] + \
            [f"Sitemap: {HOME}s{i}.xml" for i in (1, 1, 2)] + ["sitemap: /s3.xml"]
    robots = TextResponse(f"{HOME}robots.txt", body="\n".join(lines).encode(), encoding="utf-8")
    guard, errors = _guard(ROBOTS_MAX_SITEMAPS=3)
    assert asyncio.run(guard.robots(robots)) == [f"{HOME}s1.xml", f"{HOME}s2.xml", f"{HOME}s3.xml"] and errors == []
    guard, errors = _guard(ROBOTS_MAX_SITEMAPS=2)
    assert asyncio.run(guard.robots(robots)) == [f"{HOME}s1.xml", f"{HOME}s2.xml"]
    assert errors == [("discovery_capped", f"{HOME}robots.txt")]


def test_feed_items_are_capped() -> None:
    guard, errors = _guard(FEED_MAX_ITEMS=3)
    items = "".join(f"<item><link>{HOME}news/{i}</link></item>" for i in range(5))
    entries = asyncio.run(guard.feed(XmlResponse(f"{HOME}rss.xml", body=f"<rss><channel>{items}</channel></rss>"
                                                 .encode())))
    assert [e.url for e in entries] == [f"{HOME}news/{i}" for i in range(3)]
    assert errors == [("discovery_capped", f"{HOME}rss.xml")]


def test_listing_pages_are_read_within_their_limits() -> None:
    guard, errors = _guard(FEEDS_MAX_PER_PAGE=2, LISTING_MAX_LINKS=6, LISTING_MAX_NEXT=1)
    feeds = "".join(f'<link rel="alternate" type="application/rss+xml" href="{host}f{i}.xml">'
                    for i, host in enumerate(["http://other.example/", HOME, HOME, HOME]))
    anchors = "".join(f'<li><a href="/news/{i}">خبر</a></li>' for i in range(101, 105)) + \
        '<a rel="next" href="/?page=2">2</a><a rel="next" href="/?page=3">3</a><a href="/news/109">x</a>'
    body = f"<html><head>{feeds}</head><body><ul>{anchors}</ul></body></html>".encode()
    page = asyncio.run(guard.listing(HtmlResponse(HOME, body=body, encoding="utf-8"), SiteRules("h", "UTC")))
    assert page.feeds == [f"{HOME}f1.xml", f"{HOME}f2.xml"] and page.next_pages == [f"{HOME}?page=2"]
    assert [e.url for e in page.links] == [f"{HOME}news/{i}" for i in range(101, 105)]  # the 7th link is not read
    assert sorted(errors) == [("bounded", HOME), ("bounded", HOME), ("discovery_capped", HOME)]


def test_a_listing_page_is_read_up_to_its_byte_limit() -> None:
    guard, errors = _guard(LISTING_MAX_BYTES=2_000)
    anchors = "".join(f'<li><a href="/news/{i}">خبر</a></li>' for i in range(101, 201))  # 38 bytes each
    body = f"<html><body><ul>{anchors}</ul></body></html>".encode()
    page = asyncio.run(guard.listing(HtmlResponse(HOME, body=body, encoding="utf-8"), SiteRules("h", "UTC")))
    assert 40 < len(page.links) < 60 and page.links[0].url == f"{HOME}news/101"  # the first 2,000 bytes' links
    assert errors == [("bounded", HOME)]


def test_run_wide_discovery_limits_are_recorded_once() -> None:
    guard, errors = _guard(SITEMAP_INDEX_MAX_DEPTH=2, SITEMAPS_MAX=3, DISCOVERY_MAX_URLS=4)
    assert guard.sitemaps_to_read(f"{HOME}deep.xml", [f"{HOME}d3.xml"], 3) == []
    assert guard.sitemaps_to_read(f"{HOME}deeper.xml", [f"{HOME}d4.xml"], 4) == []
    assert guard.sitemaps_to_read(f"{HOME}i.xml", [f"{HOME}s{i}.xml" for i in range(2)], 2) == [
        f"{HOME}s0.xml", f"{HOME}s1.xml"]
    assert guard.sitemaps_to_read(f"{HOME}j.xml", [f"{HOME}t{i}.xml" for i in range(3)], 1) == [f"{HOME}t0.xml"]
    assert guard.sitemaps_to_read(f"{HOME}k.xml", [f"{HOME}u.xml"], 1) == []
    entries = [Entry(f"{HOME}news/{i}") for i in range(3)]
    assert guard.discovered(f"{HOME}a.xml", entries, 0) == entries
    assert guard.discovered(f"{HOME}b.xml", entries, 3) == entries[:1]
    assert guard.discovered(f"{HOME}c.xml", entries, 4) == []
    assert errors == [("bounded", f"{HOME}deep.xml"), ("bounded", f"{HOME}j.xml"), ("bounded", f"{HOME}b.xml")]


def _page(body: bytes, content_type: str | None = "text/html; charset=utf-8") -> FetchedPage:
    return FetchedPage(url="http://127.0.0.5/news/1", final_url="http://127.0.0.5/news/1", site="s", body=body,
                       encoding=None, headers={"Content-Type": content_type} if content_type else {},
                       fetched_at=datetime(2026, 11, 15, tzinfo=UTC), rules=SiteRules("s", "Asia/Riyadh"))


@pytest.mark.parametrize(("body", "content_type", "kind"), [
    (b"  \n", "text/html", "no_article"),
    (b"%PDF-1.4\n...", "text/html; charset=utf-8", "no_article"),
    (b"\x89PNG\r\n\x1a\n....", None, "no_article"),
    (b"<html><p>x</p></html>", "application/json", "no_article"),
    (b"<html>" + b"<a href='/x'>x</a>" * 200_000 + b"</html>", "text/html", "too_large"),  # over EXTRACT_MAX_BYTES
    (b"<html>" + b"<p>x</p>" * 250_000 + b"</html>", "text/html", "too_large"),  # 2 MB, but 250,000 elements
    (b"<html>" + b"<p>x</p>" * 150_000 + b"</html>", "text/html", None),
    (b"<html><p>x</p></html>", "TEXT/HTML; charset=x-klingon", None),
    ("\ufeff<html></html>".encode("utf-16-le"), "text/html", None),
])
def test_pages_refused_before_extraction(body: bytes, content_type: str | None, kind: str | None) -> None:
    refused = refusal(_page(body, content_type), max_bytes=2 * 1024 * 1024, max_tags=200_000)
    assert (refused[0] if refused else None) == kind


def test_an_implausible_date_is_reported() -> None:
    page = '<html><head><meta property="article:published_time" content="{}"></head><body><p>x</p></body></html>'
    assert "after the page was fetched" in implausible_date(_page(page.format("2031-01-05T10:00:00Z").encode()))
    assert "before 1990" in implausible_date(_page(page.format("1975-01-05").encode()))
    assert implausible_date(_page(page.format("2026-11-14T10:00:00+03:00").encode())) is None
    assert implausible_date(_page(b"\x00\x01 not html")) is None


def test_fetched_page_repr_never_holds_the_body() -> None:
    assert "secret-body" not in repr(_page(b"secret-body" * 1000))
