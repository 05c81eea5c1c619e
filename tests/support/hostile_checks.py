"""What a crawl of the hostile outlet must have recorded for each catalogued case (tests/demosite/hostile_cases.py),
with whatever settings it ran: shared by the quick and the default-settings crawl tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from urllib.parse import urlsplit

from pipelines.arabic.normalize import TOKEN_MAX_CHARS
from tests.demosite import HostileCase
from tests.demosite.hostile_articles import GIANT_H1_WORD
from tests.demosite.hostile_feeds import CHAIN_INDEX, DEAD_SITEMAP, INDEX_PATH
from tests.demosite.hostile_traps import FEED_STUB, NEXT_PAGE, SAME_TARGET
from tests.support.hostile_crawl import HostileCrawl

WEB = ("http://", "https://")
URL_FIELDS = ("url", "canonical_url", "lead_image")
SLOWDOWN_SLACK_S = 15.0  # over RETRY_AFTER_MAX_S: the longest pause between two requests to the outlet


def _prefix(pattern: str) -> str:
    return pattern.split("{")[0]


def same_page(crawl: HostileCrawl, path: str) -> list[dict]:
    """The stored documents of one page, whatever query string their URLs carry."""
    return [d for url, d in crawl.articles.items() if urlsplit(url).path == path and url.startswith(crawl.base)]


def _stored(crawl: HostileCrawl, case: HostileCase) -> None:
    docs = same_page(crawl, case.path)
    assert len(docs) == 1, [d["url"] for d in docs]
    doc, kinds = docs[0], crawl.kinds.get(docs[0]["url"], set())
    assert kinds == set() or (case.kind == "cookie-flood" and kinds == {"bounded"}), kinds
    text = (doc["title"] or "") + doc["body"]
    assert doc["body"] and "\ufffd" not in text and "\x00" not in text
    if case.kind == "exponent-count":
        assert doc["comments"] is None
    elif case.kind == "giant-h1":
        assert f"{GIANT_H1_WORD} {GIANT_H1_WORD}" not in text and len(doc["title"] or "") < 1000
    elif case.kind == "giant-word":
        assert max(len(t) for t in doc["tokens"]) <= TOKEN_MAX_CHARS


def _capped(crawl: HostileCrawl, case: HostileCase, url: str) -> None:
    """Recorded once; no more fetched than the limit lets through (the huge feed repeats pages fetched anyway)."""
    assert crawl.kinds.get(url) == {"discovery_capped"}, crawl.kinds.get(url)
    limits = {"huge-sitemap": ("/news/s", "SITEMAP_MAX_URLS"),
              "robots-many-sitemaps": (_prefix(DEAD_SITEMAP), "ROBOTS_MAX_SITEMAPS"),
              "many-feeds": (_prefix(FEED_STUB), "FEEDS_MAX_PER_PAGE")}
    if case.kind in limits:
        prefix, setting = limits[case.kind]
        assert len(crawl.fetched(prefix)) <= crawl.settings.getint(setting)


def _bounded(crawl: HostileCrawl, case: HostileCase, url: str) -> None:
    """A crawl trap: recorded as its catalogue row says, never followed beyond its limit."""
    kinds, settings = crawl.kinds.get(url, set()), crawl.settings
    if case.kind == "many-links":
        assert kinds == {"too_large"} and not crawl.fetched("/news/x")
    elif case.kind == "pagination-trap":
        assert kinds == {"no_article"} and not crawl.fetched("/news/9039?") + crawl.fetched("/news/t")
    elif case.kind == "sitemap-index-loop":
        assert kinds == {"bounded"} and [t for _, t in crawl.requests].count(INDEX_PATH) == 1
        assert [t for _, t in crawl.requests].count(case.path) == 1
    elif case.kind == "sitemap-index-chain":
        chain = crawl.fetched(_prefix(CHAIN_INDEX))
        assert any("bounded" in crawl.kinds.get(crawl.base + path, ()) for path in chain), chain
        assert len(chain) <= settings.getint("SITEMAP_INDEX_MAX_DEPTH")
    elif case.kind == "many-next-links":
        assert kinds == {"bounded"} and len(crawl.fetched(NEXT_PAGE.split("=")[0])) <= settings.getint(
            "LISTING_MAX_NEXT")
    elif case.kind == "same-article-anchors":
        assert kinds == set() and len(same_page(crawl, SAME_TARGET)) == 1
        assert [t for _, t in crawl.requests].count(case.path) == 1
    else:  # cookie-flood: the cookies over the limits refused, the article stored
        message = next(e["message"] for e in crawl.errors if e["url"] == url and e["kind"] == "bounded")
        assert "COOKIES_PER_HOST_MAX" in message and crawl.stats.get("akhbar/cookies/refused", 0) > 0
        _stored(crawl, case)


def _http_error(crawl: HostileCrawl, case: HostileCase, url: str) -> None:
    assert crawl.kinds.get(url) == {"http_error"} and not same_page(crawl, case.path)
    if case.kind == "retry-after-hour":  # retried a bounded number of times, the outlet never paused for an hour
        assert [t for _, t in crawl.requests].count(case.path) <= crawl.settings.getint("RETRY_TIMES") + 1
        times = [when for when, _ in crawl.requests]
        longest = max((b - a for a, b in itertools.pairwise(times)), default=0.0)
        assert longest <= crawl.settings.getfloat("RETRY_AFTER_MAX_S") + SLOWDOWN_SLACK_S, longest


def check_case(crawl: HostileCrawl, case: HostileCase) -> None:
    """Assert that the crawl recorded the case as its catalogue row says."""
    url = crawl.base + case.path
    outcome, kinds = case.expected_outcome, crawl.kinds.get(url, set())
    special: dict[str, Callable[[HostileCrawl, HostileCase, str], None]] = {
        "bounded": _bounded, "discovery_capped": _capped, "http_error": _http_error}
    if outcome in special:
        special[outcome](crawl, case, url)
    elif outcome == "stored":
        _stored(crawl, case)
    elif outcome == "implausible_date":
        stored = crawl.articles.get(url)
        assert kinds == {"implausible_date"} and (stored is None or stored["published_at"] is None), kinds
    else:
        assert kinds == {outcome} and not same_page(crawl, case.path), kinds


def false_urls(crawl: HostileCrawl) -> list[str]:
    """Stored URL fields (url, canonical_url, lead_image) that are not http(s)."""
    return [f"{d['url']} {name}={d.get(name)!r}" for d in crawl.articles.values() for name in URL_FIELDS
            if d.get(name) is not None and not str(d[name]).lower().startswith(WEB)]
