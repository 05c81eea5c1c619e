"""CloseConditions: once one of Scrapy's close conditions holds, the articles of pages fetched afterwards are refused,
and CLOSESPIDER_ITEMCOUNT articles at most are let through (tests/e2e/test_close_conditions.py crawls)."""

from __future__ import annotations

import time
from collections import Counter
from types import SimpleNamespace

import pytest
from scrapy import Request, Spider, signals
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from twisted.python.failure import Failure

from crawler.items import Article
from pipelines.store_articles import STAT_CLOSING, CloseConditions
from tests.support.articles import make_article


class _Stats(Counter):
    def inc_value(self, key: str, n: int = 1) -> None:
        self[key] += n

    def get_value(self, key: str) -> int:
        return self[key]


def _conditions(**settings: float) -> tuple[CloseConditions, object]:
    """Close conditions of a crawl of these CLOSESPIDER_* settings, whose spider has just opened."""
    crawler = SimpleNamespace(settings=Settings({f"CLOSESPIDER_{k.upper()}": v for k, v in settings.items()}),
                              signals=SignalManager(), stats=_Stats())
    conditions = CloseConditions(crawler)
    crawler.signals.send_catch_log(signals.spider_opened, spider=Spider("s"))
    return conditions, crawler


def _fetched(crawler, url: str, redirected_from: str | None = None) -> None:
    request = Request(url, meta={"redirect_urls": [redirected_from]} if redirected_from else {})
    crawler.signals.send_catch_log(signals.response_received, response=HtmlResponse(url, request=request),
                                   request=request, spider=Spider("s"))


def _let_through(conditions: CloseConditions, crawler, url: str | Article, last: bool = True) -> bool:
    try:
        conditions.admit(make_article(url) if isinstance(url, str) else url, crawler.stats, last=last)
    except DropItem:
        return False
    return True


def test_pagecount_refuses_the_articles_of_pages_fetched_after_the_limit():
    conditions, crawler = _conditions(pagecount=2)
    for url in ("http://h/news/1", "http://h/news/2", "http://h/news/3"):
        _fetched(crawler, url)
    _fetched(crawler, "http://h/news/5", redirected_from="http://h/news/4")  # the article is the URL discovered
    assert [_let_through(conditions, crawler, f"http://h/news/{n}") for n in (1, 2, 3, 4)] == [True, True, False, False]
    assert crawler.stats.get_value(STAT_CLOSING) == 2


def test_timeout_refuses_the_articles_of_pages_fetched_after_it():
    conditions, crawler = _conditions(timeout=0.3)
    _fetched(crawler, "http://h/news/1")
    time.sleep(0.4)
    _fetched(crawler, "http://h/news/2")
    assert _let_through(conditions, crawler, "http://h/news/1")  # fetched in time, extracted after: stored
    assert not _let_through(conditions, crawler, "http://h/news/2")
    assert conditions.reached() == "closespider_timeout"


def test_errorcount_refuses_the_articles_of_pages_fetched_after_it():
    conditions, crawler = _conditions(errorcount=2)
    _fetched(crawler, "http://h/news/1")
    for _ in range(2):
        crawler.signals.send_catch_log(signals.spider_error, failure=Failure(ValueError("x")), response=None,
                                       spider=Spider("s"))
    _fetched(crawler, "http://h/news/2")
    assert _let_through(conditions, crawler, "http://h/news/1")
    assert not _let_through(conditions, crawler, "http://h/news/2")


def test_itemcount_lets_exactly_that_many_through_counted_once():
    conditions, crawler = _conditions(itemcount=3)
    articles = [make_article(f"http://h/news/{n}") for n in range(5)]
    for article in articles:
        _fetched(crawler, article.url)
    first = [_let_through(conditions, crawler, a, last=False) for a in articles]  # the stories pipeline asks first
    assert first == [True, True, True, False, False]
    assert [_let_through(conditions, crawler, a) for a in articles[:3]] == [True] * 3  # the store: not counted again
    assert not _let_through(conditions, crawler, "http://h/news/9")


@pytest.mark.parametrize("setting", [{}, {"itemcount": 0, "timeout": 0}])
def test_no_condition_refuses_nothing(setting):
    conditions, crawler = _conditions(**setting)
    for n in range(50):
        _fetched(crawler, f"http://h/news/{n}")
        assert _let_through(conditions, crawler, f"http://h/news/{n}")
