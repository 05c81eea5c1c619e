"""Run records, the exit status of finished crawls, the backfill progress line and the window filter, without a
crawl."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.commands.crawl import EX_ERROR_BUDGET, EX_SITE_DOWN, outcome_status
from crawler.extensions.crawl_runs import (
    CRAWL_RUNS,
    closing_fields,
    errors_by_kind,
    last_finished_start,
    opening_document,
)
from crawler.extensions.progress import progress_line
from crawler.items import Article
from crawler.planning.window import DateWindow
from pipelines.filter_window import WindowFilterPipeline
from tests.support.articles import make_article

WINDOW = DateWindow(date(2026, 10, 1), date(2026, 10, 7), "Asia/Riyadh")
STATS = {
    "downloader/response_count": 40, "akhbar/pages/article": 20, "akhbar/articles/new": 12,
    "akhbar/articles/updated": 3, "akhbar/articles/unchanged": 1, "akhbar/backfill/out_of_range": 2,
    "akhbar/backfill/days_covered": 5, "akhbar/pruned/article/published": 80, "akhbar/pruned/sitemap/name": 3,
    "akhbar/plan/scheduled": 30, "akhbar/plan/deferred": 2, "akhbar/errors/TimeoutError": 2,
    "spider_exceptions/ValueError": 1, "akhbar/extract/ok": 18, "akhbar/extract/no_article": 2,
    "downloader/response_status_count/200": 38, "downloader/response_status_count/404": 2,
    "downloader/exception_type_count/twisted.internet.error.TimeoutError": 2, "finish_reason": "finished",
}


def test_opening_document():
    spider = SimpleNamespace(name="sham", site="sham", mode="backfill", arguments={"since": "2026-10-01"})
    doc = opening_document(spider, datetime(2026, 11, 1, tzinfo=UTC))
    assert doc["status"] == "running" and doc["finish_reason"] is None
    assert (doc["spider"], doc["mode"], doc["arguments"]) == ("sham", "backfill", {"since": "2026-10-01"})


def test_closing_fields():
    fields = closing_fields(STATS, "finished", datetime(2026, 11, 1, tzinfo=UTC), {"window": "x"})
    assert fields["status"] == "finished" and fields["pages"] == {"fetched": 40, "articles": 20}
    assert fields["articles"] == {"new": 12, "updated": 3, "unchanged": 1, "out_of_range": 2, "no_date": 0}
    assert fields["pruned"] == {"article/published": 80, "sitemap/name": 3}
    assert fields["errors"] == {"TimeoutError": 2, "ValueError": 1, "extract_no_article": 2, "http_404": 2}
    assert all(k.startswith("akhbar/") for k in fields["stats"]) and fields["plan"] == {"window": "x"}
    assert closing_fields({}, "shutdown", datetime.now(UTC), {})["status"] == "stopped"
    assert errors_by_kind({"akhbar/errors/a.b.TimeoutError": 1}) == {"TimeoutError": 1}


def test_last_finished_start(store_db):
    site = "last-finished-test"
    started = [datetime(2026, 11, d, tzinfo=UTC) for d in (1, 2, 3)]
    store_db[CRAWL_RUNS].insert_many([
        {"site": site, "mode": "incremental", "finish_reason": "finished", "started_at": started[0]},
        {"site": site, "mode": "incremental", "finish_reason": "finished", "started_at": started[1]},
        {"site": site, "mode": "incremental", "finish_reason": "shutdown", "started_at": started[2]},
        {"site": site, "mode": "backfill", "finish_reason": "finished", "started_at": started[2]}])
    try:
        assert last_finished_start(store_db, site, "incremental") == started[1]
        assert last_finished_start(store_db, site + "-other", "incremental") is None
    finally:
        store_db[CRAWL_RUNS].delete_many({"site": site})


def test_progress_line():
    line = progress_line("sham", WINDOW, STATS, elapsed=10.0)
    assert line == ("backfill sham 2026-10-01..2026-10-07: 40 pages fetched (20 articles), 16 stored, "
                    "5/7 days covered, 2.0 articles/s, ETA 0:00:06")
    assert "ETA unknown" in progress_line("sham", DateWindow(date(2026, 10, 1), None), {}, elapsed=0)


def _article(published: datetime | None) -> Article:
    return make_article(site="sham", title="t", body="b", published_at=published,
                        fetched_at=datetime(2026, 11, 1, tzinfo=UTC))


class _Stats(dict):
    def inc_value(self, key: str, count: int = 1) -> None:
        self[key] = self.get(key, 0) + count

    def set_value(self, key: str, value: int) -> None:
        self[key] = value


def test_window_filter_uses_the_site_calendar():
    crawler = SimpleNamespace(stats=_Stats(), spider=SimpleNamespace(window=WINDOW))
    pipeline = WindowFilterPipeline(crawler)
    inside = _article(datetime(2026, 9, 30, 22, 0, tzinfo=UTC))  # Oct 1, 01:00 in Riyadh
    assert pipeline.process_item(inside) is inside
    with pytest.raises(DropItem):
        pipeline.process_item(_article(datetime(2026, 10, 7, 21, 0, tzinfo=UTC)))  # Oct 8 in Riyadh
    with pytest.raises(DropItem):
        pipeline.process_item(_article(None))
    assert crawler.stats == {"akhbar/backfill/days_covered": 1, "akhbar/backfill/out_of_range": 1,
                             "akhbar/backfill/no_date": 1}
    incremental = WindowFilterPipeline(SimpleNamespace(stats=_Stats(), spider=SimpleNamespace(window=DateWindow(
        None, None))))
    undated = _article(None)
    assert incremental.process_item(undated) is undated


def _finished(site: str, **stats: object) -> SimpleNamespace:
    crawler = get_crawler()
    collector = MemoryStatsCollector(crawler)
    for key, value in stats.items():
        collector.set_value(key.replace("__", "/"), value)
    return SimpleNamespace(stats=collector, spider=SimpleNamespace(site=site), spidercls=SimpleNamespace(name=site))


def test_a_crawl_stopped_by_its_error_budget_has_a_status_and_a_closing_line_of_its_own(caplog):
    over = _finished("hostile", finish_reason="error_budget",
                     akhbar__error_budget__why="95 of the last 100 fetches failed (95%): HTTP 404 ×95")
    fine = _finished("wasat", finish_reason="finished")
    assert outcome_status([fine, over]) == EX_ERROR_BUDGET
    assert [r.getMessage() for r in caplog.records] == [
        "hostile: crawl stopped, its error budget ran out: 95 of the last 100 fetches failed (95%): HTTP 404 ×95"]
    assert outcome_status([over, _finished("dead", finish_reason="site_down")]) == EX_SITE_DOWN  # the graver first
