"""Pure safety checks: document sanitizing, password masking, failure kinds, discovery limits, extraction refusals."""

from __future__ import annotations

import gzip
import logging
from datetime import UTC, datetime

import bson
import pytest
from pymongo.errors import AutoReconnect, BulkWriteError, DuplicateKeyError, ServerSelectionTimeoutError
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest, ResponseDataLossError
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler

from crawler.discovery.guard import DiscoveryGuard, TooLarge, gunzip
from crawler.extensions.log_mask import MaskPasswords, install_mask
from crawler.items import FetchedPage, SiteRules
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


def _guard(**settings: object) -> tuple[DiscoveryGuard, list[tuple[str, str]]]:
    limits = project_settings(settings)
    names = ("SITEMAP_MAX_URLS", "SITEMAP_MAX_BYTES", "LISTING_MAX_LINKS")
    crawler = get_crawler(settings_dict={name: limits[name] for name in names})
    errors: list[tuple[str, str]] = []
    crawler.signals.connect(lambda url, kind, message: errors.append((kind, url)), signal=CRAWL_ERROR, weak=False)
    crawler.stats.open_spider()
    return DiscoveryGuard(crawler), errors


def test_sitemaps_are_capped_and_loops_read_once() -> None:
    guard, errors = _guard(SITEMAP_MAX_URLS=3)
    urls = "".join(f"<url><loc>http://127.0.0.5/news/{i}</loc></url>" for i in range(5))
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()
    kind, entries = guard.sitemap(HtmlResponse("http://127.0.0.5/s.xml.gz", body=gzip.compress(body)))
    assert kind == "urlset" and len(entries) == 3 and errors == [("discovery_capped", "http://127.0.0.5/s.xml.gz")]
    assert guard.first_visit("http://127.0.0.5/robots.txt", ["http://127.0.0.5/i.xml"]) == ["http://127.0.0.5/i.xml"]
    assert guard.first_visit("http://127.0.0.5/i.xml", ["http://127.0.0.5/i.xml", "http://127.0.0.5/a.xml"]) == [
        "http://127.0.0.5/a.xml"]
    assert errors[-1] == ("bounded", "http://127.0.0.5/i.xml")


def _page(body: bytes, content_type: str | None = "text/html; charset=utf-8") -> FetchedPage:
    return FetchedPage(url="http://127.0.0.5/news/1", final_url="http://127.0.0.5/news/1", site="s", body=body,
                       encoding=None, headers={"Content-Type": content_type} if content_type else {},
                       fetched_at=datetime(2026, 11, 15, tzinfo=UTC), rules=SiteRules("s", "Asia/Riyadh"))


@pytest.mark.parametrize(("body", "content_type", "kind"), [
    (b"  \n", "text/html", "no_article"),
    (b"%PDF-1.4\n...", "text/html; charset=utf-8", "no_article"),
    (b"\x89PNG\r\n\x1a\n....", None, "no_article"),
    (b"<html><p>x</p></html>", "application/json", "no_article"),
    (b"<html>" + b"<a href='/x'>x</a>" * 200_000 + b"</html>", "text/html", "too_large"),
    (b"<html><p>x</p></html>", "TEXT/HTML; charset=x-klingon", None),
    ("\ufeff<html></html>".encode("utf-16-le"), "text/html", None),
])
def test_pages_refused_before_extraction(body: bytes, content_type: str | None, kind: str | None) -> None:
    refused = refusal(_page(body, content_type), max_bytes=2 * 1024 * 1024)
    assert (refused[0] if refused else None) == kind


def test_an_implausible_date_is_reported() -> None:
    page = '<html><head><meta property="article:published_time" content="{}"></head><body><p>x</p></body></html>'
    assert "after the page was fetched" in implausible_date(_page(page.format("2031-01-05T10:00:00Z").encode()))
    assert "before 1990" in implausible_date(_page(page.format("1975-01-05").encode()))
    assert implausible_date(_page(page.format("2026-11-14T10:00:00+03:00").encode())) is None
    assert implausible_date(_page(b"\x00\x01 not html")) is None


def test_fetched_page_repr_never_holds_the_body() -> None:
    assert "secret-body" not in repr(_page(b"secret-body" * 1000))
