"""CloseConditions: once one of Scrapy's close conditions holds, the articles of pages fetched afterwards are refused,
and CLOSESPIDER_ITEMCOUNT articles at most are let through (tests/e2e/test_close_conditions.py crawls). The error
budget: which fetches it counts, and when its window runs out; a distributed worker's idle close."""

from __future__ import annotations

import time
from collections import Counter
from types import SimpleNamespace

import pytest
from scrapy import Request, Spider, signals
from scrapy.core.downloader import Downloader
from scrapy.core.scheduler import Scheduler
from scrapy.exceptions import CloseSpider, DontCloseSpider, DropItem, NotConfigured
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.distributed import IdleClose
from crawler.extensions.error_budget import ARTICLE, ErrorBudget, ErrorWindow
from crawler.extensions.shutdown import REQUESTS_DROPPED
from crawler.items import Article
from crawler.spiders.base import NewsSpider
from pipelines.outcomes.errors import FETCH_FAILED
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


# The error budget (crawler.extensions.error_budget; tests/e2e/test_error_budget.py crawls).


def test_the_error_window_runs_out_only_when_full_and_failing_enough():
    window = ErrorWindow(10, 0.7)
    assert not any(window.add("HTTP 404") for _ in range(9))  # 9 failures, but the window is not full yet
    assert window.add(None)  # 9 of 10 failed
    window = ErrorWindow(10, 0.7)
    outcomes = [None, None, None, *["timeout"] * 6, None]  # 6 of 10: under the share
    assert not any(window.add(o) for o in outcomes)
    assert window.add("timeout")  # the oldest success leaves the window: 7 of 10
    assert window.failures == 7


def test_the_error_window_forgets_old_failures():
    window = ErrorWindow(4, 0.75)
    for outcome in ["HTTP 500", "HTTP 500", "HTTP 500", None, None, None]:
        window.add(outcome)
    assert window.failures == 1 and not window.exhausted


def test_the_error_window_names_the_commonest_failures():
    window = ErrorWindow(10, 0.9)
    for outcome in ["HTTP 404"] * 6 + ["timeout"] * 3 + ["too_large"]:
        window.add(outcome)
    assert window.describe() == ("10 of the last 10 fetches failed (100%, ERROR_BUDGET_MAX_SHARE 90%): "
                                 "HTTP 404 ×6, timeout ×3, too_large ×1")


class _Budget(ErrorBudget):
    """The error budget without an engine: counts the times it ran out."""

    times_run_out = 0

    def run_out(self) -> None:
        self.ran_out = True
        self.times_run_out += 1


def _budget(window: int, share: float = 0.5) -> tuple[_Budget, object]:
    crawler = SimpleNamespace(settings=Settings({"ERROR_BUDGET_WINDOW": window, "ERROR_BUDGET_MAX_SHARE": share}),
                              signals=SignalManager(), stats=_Stats())
    return _Budget.from_crawler(crawler), crawler


def _answered(crawler, status: int, **meta: object) -> None:
    request = Request("http://h/news/1", meta={ARTICLE: True, **meta})
    crawler.signals.send_catch_log(signals.response_received, response=HtmlResponse(request.url, status=status,
                                                                                     request=request),
                                   request=request, spider=Spider("s"))


def test_the_budget_counts_fetches_not_hops_nor_requests_never_sent():
    budget, crawler = _budget(4)
    _answered(crawler, 404)
    article = Request("http://h/news/1", meta={ARTICLE: True})
    crawler.signals.send_catch_log(FETCH_FAILED, url=article.url, kind="http_error", request=article)  # the same 404
    crawler.signals.send_catch_log(FETCH_FAILED, url=article.url, kind="robots", request=article)  # never sent
    _answered(crawler, 404, **{ARTICLE: False})  # a dead sitemap: not an article
    _answered(crawler, 404, handle_httpstatus_list=[404])  # an empty day archive: accepted
    _answered(crawler, 301)  # a redirect not followed reached the spider
    assert list(budget.window.outcomes) == ["HTTP 404", None, None] and not budget.times_run_out
    crawler.signals.send_catch_log(FETCH_FAILED, url=article.url, kind="timeout", request=article)
    assert list(budget.window.outcomes) == ["HTTP 404", None, None, "timeout"] and budget.times_run_out == 1
    _answered(crawler, 500)
    assert budget.times_run_out == 1  # once


def test_running_out_drops_what_waits_but_the_retries_and_redirect_hops_under_way():
    crawler = get_crawler(Spider, settings_dict={"ERROR_BUDGET_WINDOW": 1, "ERROR_BUDGET_MAX_SHARE": 1.0})
    crawler.spider = Spider("s")
    crawler.stats.open_spider()
    crawler.engine = SimpleNamespace(downloader=Downloader(crawler), signals=crawler.signals)
    crawler.engine.scheduler = scheduler = Scheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    budget = ErrorBudget.from_crawler(crawler)
    waiting = [Request("http://h/news/1", meta={ARTICLE: True}),
               Request("http://h/news/2", meta={ARTICLE: True, "retry_times": 1}, dont_filter=True),
               Request("http://h/news/3", meta={ARTICLE: True, "redirect_times": 1})]
    for request in waiting:
        scheduler.enqueue_request(request)
    crawler.signals.send_catch_log(FETCH_FAILED, url="http://h/news/0", kind="timeout", request=waiting[0])
    kept = []
    while (request := scheduler.next_request()) is not None:
        kept.append(request.url)
    assert budget.ran_out and budget.dropped == 1 and sorted(kept) == ["http://h/news/2", "http://h/news/3"]


def test_a_window_of_zero_turns_the_budget_off():
    with pytest.raises(NotConfigured):
        _budget(0)


def test_an_idle_distributed_worker_waits_for_work_unless_it_stops_sending_requests():
    crawler = SimpleNamespace(signals=SignalManager())
    idle = IdleClose(crawler, max_idle=600)
    with pytest.raises(DontCloseSpider):  # others may still discover: their requests reach it through Redis
        idle.on_idle()
    crawler.signals.send_catch_log(REQUESTS_DROPPED, why="the error budget ran out")
    idle.on_idle()  # its budget ran out: it closes at once


def _failed(url: str) -> Failure:
    failure = Failure(ConnectionRefusedError("Connection refused"))
    failure.request = Request(url)
    return failure


@pytest.mark.parametrize(("redis_url", "failed", "down"), [
    ("", ["http://h/news/1"], True),  # one process sees the whole site
    ("redis://127.0.0.1:1/0", ["http://h/news/1"], False),  # a worker given only dead article URLs
    ("redis://127.0.0.1:1/0", ["http://h/news/1", "http://h/"], True),  # the worker that fetched the home page
])
def test_a_site_is_down_when_nothing_answered_and_a_worker_judges_by_the_home_page(redis_url, failed, down):
    crawler = get_crawler(NewsSpider, settings_dict={"REDIS_URL": redis_url})
    spider = NewsSpider.from_crawler(crawler, url="http://h/")
    for url in failed:
        spider.note_failure(_failed(url))
    if down:
        with pytest.raises(CloseSpider):
            spider.close_if_down()
    else:
        spider.close_if_down()
