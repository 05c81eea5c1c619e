"""Property-based fuzzing: extraction, normalization and discovery never crash on random or mutated input.

Runs the same examples every time (derandomized, no example database); AKHBAR_FUZZ_RANDOM=1 explores new ones
and AKHBAR_FUZZ_SCALE=10 runs ten times as many. No input may reach the network: see `no_network`.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from typing import Any

import htmldate.utils
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.discovery.parsers import looks_like_article, parse_feed, parse_sitemap, sitemap_urls_from_robots
from crawler.items import FetchedPage, SiteRules
from pipelines.arabic.language import detect_language
from pipelines.arabic.text import clean_display, fold, tokens
from pipelines.extraction.agency import parse_dateline
from pipelines.extraction.article import ExtractionError, extract_article
from pipelines.extraction.counters import counters_from_text, parse_count
from pipelines.extraction.dates.parse import find_dates, parse_date, to_utc
from pipelines.extraction.decode import decode_html
from tests.demosite.hostile_fuzz import (
    CONTENT_TYPES,
    NOW,
    ORDERS,
    TEXT,
    URL,
    ZONES,
    fetched_pages,
    mutated,
    paragraphs,
    random_html,
)

RANDOM = bool(os.environ.get("AKHBAR_FUZZ_RANDOM"))
SCALE = float(os.environ.get("AKHBAR_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    """Hypothesis settings for one fuzz test: no deadline, reproducible unless AKHBAR_FUZZ_RANDOM is set."""
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None, derandomize=not RANDOM,
                    database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module", autouse=True)
def no_network() -> Iterator[list[str]]:
    """htmldate's downloader and every non-loopback name lookup refuse, and are recorded, while fuzzing."""
    attempts: list[str] = []
    lookup = socket.getaddrinfo

    def refuse_fetch(url: str) -> None:
        attempts.append(url)

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not (isinstance(host, str) and (host.startswith("127.") or host == "localhost")):
            attempts.append(f"lookup {host!r}")
            raise OSError(f"fuzz tests never reach the network (lookup of {host!r})")
        return lookup(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(htmldate.utils, "fetch_url", refuse_fetch)
        patch.setattr(socket, "getaddrinfo", loopback_only)
        yield attempts


def _extract_or_no_article(page: FetchedPage) -> None:
    try:
        article = extract_article(page)
    except ExtractionError:
        return
    assert article.body and article.url == page.url


# --- never raise -----------------------------------------------------------------------------------------------


@fuzz(400)
@given(TEXT)
def test_text_normalization_never_raises(text: str) -> None:
    assert isinstance(clean_display(text), str)
    assert fold(text) == " ".join(tokens(text))
    assert detect_language(text) in ("ar", "fa", "ur", "ckb", "other", "und")


@fuzz(300)
@given(TEXT, st.sampled_from(ZONES), st.sampled_from(ORDERS))
def test_date_parsing_never_raises(text: str, tz: str, order: str) -> None:
    parse_date(text, tz=tz, date_order=order, now=NOW)
    for match in find_dates(text, tz=tz, date_order=order, now=NOW):
        assert 0 <= match.start <= match.end <= len(text)
    to_utc(text, tz=tz)


@fuzz(300)
@given(TEXT)
def test_counters_and_datelines_never_raise(text: str) -> None:
    counters_from_text(text)
    parse_count(text)
    parse_dateline(text, ("الاتحاد", "النبأ"))


@fuzz(150)
@given(st.one_of(st.binary(max_size=400), mutated()), CONTENT_TYPES)
def test_decode_html_never_raises(body: bytes, content_type: str | None) -> None:
    encoding, text = decode_html(body, content_type)
    assert isinstance(encoding, str) and isinstance(text, str)


@fuzz(200)
@given(st.one_of(st.binary(max_size=300), mutated()))
def test_sitemap_and_feed_parsers_never_raise(body: bytes) -> None:
    kind, entries = parse_sitemap(body)
    assert kind in ("index", "urlset", "invalid") and all(e.url for e in entries)
    assert all(e.url for e in parse_feed(body))
    sitemap_urls_from_robots(body.decode("utf-8", "replace"))


@fuzz(300)
@given(URL)
def test_looks_like_article_never_raises(url: str) -> None:
    assert looks_like_article(url) in (True, False)


@fuzz(60)
@given(fetched_pages(st.binary(max_size=2000)))
def test_extract_article_on_random_bytes(page: FetchedPage) -> None:
    _extract_or_no_article(page)


@fuzz(150)
@given(fetched_pages(random_html()))
def test_extract_article_on_random_documents(page: FetchedPage) -> None:
    _extract_or_no_article(page)


@fuzz(120)
@given(fetched_pages(mutated()))
def test_extract_article_on_mutated_pages(page: FetchedPage) -> None:
    _extract_or_no_article(page)


# --- crashes found by fuzzing, in modules owned elsewhere: minimal inputs, fixed by their owners ------------------


def _page(html: str | bytes) -> FetchedPage:
    body = html.encode() if isinstance(html, str) else html
    return FetchedPage(url="http://127.0.0.5:8780/news/1", final_url="http://127.0.0.5:8780/news/1", site="hostile",
                       body=body, encoding=None, headers={"Content-Type": "text/html; charset=utf-8"},
                       fetched_at=NOW, rules=SiteRules("hostile", "Asia/Riyadh", "DMY"))


def _article(head: str = "", header: str = "") -> str:
    text = "".join(f"<p>{p}</p>" for p in paragraphs()[:3])
    return f"<html><head>{head}</head><body><h1>عنوان خبر تجريبي للاختبار</h1>{header}{text}</body></html>"


def _extracts(page: FetchedPage) -> None:
    with contextlib.suppress(ExtractionError):  # the only exception extract_article may raise
        extract_article(page)


# Crashes fuzzing found once, kept as regression tests with their minimal inputs.


def test_crash_counter_of_309_digits() -> None:
    assert parse_count("9" * 309) is None
    assert counters_from_text("9" * 309 + " مشاهدة")["views"] is None


def test_crash_extract_meta_list_counter_of_309_digits() -> None:
    items = "".join(f"<li>{v}</li>" for v in ("3/7/2026", "10:30", "9" * 309, "1", "2"))
    _extracts(_page(_article(header=f"<ul>{items}</ul>")))


def test_crash_looks_like_article_bracket_host() -> None:
    assert looks_like_article("http://[") is False
    assert looks_like_article("http://[]") is False


def test_crash_extract_image_with_bracket_host() -> None:
    _extracts(_page(_article(head='<meta property="og:image" content="http://[x">')))


def test_crash_extract_jsonld_type_object() -> None:
    _extracts(_page(_article(head='<script type="application/ld+json">{"@type": {}}</script>')))


def test_crash_extract_jsonld_date_not_a_string() -> None:
    for ld in ('{"@type": "NewsArticle", "datePublished": 1}', '{"@type": "NewsArticle", "headline": "x", '
               '"dateModified": ["2026-11-15"]}'):
        _extracts(_page(_article(head=f'<script type="application/ld+json">{ld}</script>')))


def test_crash_sitemap_and_feed_with_surrogate_reference() -> None:
    assert parse_sitemap(b"<urlset><url><loc>&#xD800;</loc></url></urlset>")[0] in ("urlset", "invalid")
    assert isinstance(parse_feed(b"<rss><channel><item><link>&#xD800;</link></item></channel></rss>"), list)


def test_crash_extract_control_character_after_script() -> None:
    _extracts(_page(b"<html><body><script></script>\x01x</body></html>"))


def test_crash_extract_downloads_a_body_that_looks_like_a_url(no_network: list[str]) -> None:
    before = len(no_network)
    with pytest.raises(ExtractionError):
        extract_article(_page("http://127.0.0.9:9/canary"))
    assert no_network[before:] == []
