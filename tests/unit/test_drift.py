"""The coverage drift alarm: the comparison, the run check against stored run records, and a demo outlet whose
article pages stop showing dates."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from crawler.extensions.drift_alarm import judge_run
from pipelines.check_coverage import CoveragePipeline
from pipelines.outcomes.drift import (
    FIELDS,
    STAT_DRIFT,
    STAT_TOTAL,
    Drift,
    DriftRules,
    baseline,
    coverage_from_stats,
    find_drift,
)
from tests.demosite import DemoSite
from tests.support.commands import project_settings
from tests.support.crawl import scrapy, separate_database
from tests.unit.test_run_records import _article, _Stats

RULES = DriftRules(max_drop=0.3, min_articles=10, runs=5)
HEALTHY = dict.fromkeys(FIELDS, 1.0)


class _CrawlStats(_Stats):
    def get_stats(self) -> dict:
        return self

    def get_value(self, key: str) -> object:
        return self.get(key)


def _run(coverage: dict[str, float], n: int = 50, **extra) -> dict:
    return {"coverage": coverage, "coverage_n": n, **extra}


def test_coverage_from_stats():
    stats = {STAT_TOTAL: 40, "akhbar/coverage/published_at": 30, "akhbar/coverage/views": 40}
    coverage, n = coverage_from_stats(stats)
    assert n == 40 and coverage["published_at"] == 0.75 and coverage["views"] == 1.0 and coverage["author"] == 0
    assert set(coverage) == set(FIELDS)
    assert coverage_from_stats({}) == ({}, 0)


def test_baseline_is_the_median_per_field():
    runs = [_run({"views": 0.9, "author": 0.5}), _run({"views": 0.1}), _run({"views": 0.8, "author": 0.7})]
    assert baseline(runs) == {"views": 0.8, "author": 0.6}


def test_a_drop_beyond_the_threshold_drifts():
    recent = [_run(HEALTHY), _run(HEALTHY | {"views": 0.2}), _run(HEALTHY)]
    now = HEALTHY | {"published_at": 0.6, "views": 0.69, "author": 0.71}
    assert find_drift(now, 30, recent, RULES) == [Drift("published_at", 1.0, 0.6), Drift("views", 1.0, 0.69)]
    assert find_drift(HEALTHY | {"title": 0.7}, 30, recent, RULES) == []  # exactly max_drop: no alarm
    assert find_drift(HEALTHY | {"body": 1.0}, 30, recent, RULES) == []


def test_only_runs_with_enough_articles_are_judged_or_compared():
    assert find_drift(dict.fromkeys(FIELDS, 0.0), 9, [_run(HEALTHY)], RULES) is None  # too few articles now
    assert find_drift(dict.fromkeys(FIELDS, 0.0), 30, [], RULES) is None  # nothing to compare with
    small = [_run(HEALTHY, n=5), _run(dict.fromkeys(FIELDS, 0.0))]
    assert find_drift(dict.fromkeys(FIELDS, 0.0), 30, small, RULES) == []
    many = [_run(dict.fromkeys(FIELDS, 0.0))] * 5 + [_run(HEALTHY)] * 5  # newest first: only the last 5 count
    assert find_drift(dict.fromkeys(FIELDS, 0.0), 30, many, RULES) == []


def test_a_field_new_to_the_records_is_not_compared():
    assert find_drift({"views": 0.0, "title": 0.0}, 30, [_run({"views": 0.0})], RULES) == []


def test_the_pipeline_counts_fields_of_articles():
    stats = _Stats()
    pipeline = CoveragePipeline(SimpleNamespace(stats=stats))
    dated = _article(datetime(2026, 11, 1, tzinfo=UTC))
    dated.published_at_source, dated.views, dated.body = "visible_text", 12, "نص " * 100
    hinted = _article(datetime(2026, 11, 1, tzinfo=UTC))
    hinted.published_at_source = "sitemap"
    for item in (dated, hinted, _article(None), {"not": "an article"}):
        assert pipeline.process_item(item) is item
    assert stats == {STAT_TOTAL: 3, "akhbar/coverage/published_at": 2, "akhbar/coverage/published_on_page": 1,
                     "akhbar/coverage/views": 1, "akhbar/coverage/title": 3, "akhbar/coverage/body": 1}


def test_judge_run_compares_with_the_sites_recent_finished_runs(store_db, caplog):
    runs = store_db["crawl_runs_drift_test"]
    start = datetime(2026, 11, 1, tzinfo=UTC)
    low = dict.fromkeys(FIELDS, 0.0)
    runs.insert_many([
        {"site": "s", "mode": "incremental", "status": "finished", "started_at": start, **_run(HEALTHY)},
        {"site": "s", "mode": "incremental", "status": "finished", "started_at": start + timedelta(hours=1),
         **_run(HEALTHY | {"views": 0.9})},
        {"site": "s", "mode": "incremental", "status": "stopped", "started_at": start, **_run(low)},
        {"site": "s", "mode": "backfill", "status": "finished", "started_at": start, **_run(low)},
        {"site": "t", "mode": "incremental", "status": "finished", "started_at": start, **_run(low)},
    ])
    stats = _CrawlStats({STAT_TOTAL: 20, **{f"akhbar/coverage/{f}": 20 for f in FIELDS}, "akhbar/coverage/views": 2})
    crawler = SimpleNamespace(stats=stats, settings=project_settings({"DRIFT_MAX_DROP": 0.5}))
    try:
        with caplog.at_level(logging.ERROR, logger="crawler.extensions.drift_alarm"):
            fields = judge_run(runs, crawler, "s", "incremental")
        assert fields["coverage_n"] == 20 and fields["coverage"]["views"] == 0.1
        assert fields["drift"] == [{"field": "views", "baseline": 0.95, "now": 0.1}]
        assert stats[STAT_DRIFT] == 1
        assert "coverage drift on s: views 95% → 10% of 20 articles (median of its last 2 incremental runs" in \
            caplog.text
        assert judge_run(runs, crawler, "t", "incremental")["drift"] == []  # its baseline is low already
        assert judge_run(runs, crawler, "new-site", "incremental")["drift"] is None
        assert stats[STAT_DRIFT] == 0
    finally:
        runs.drop()


@pytest.fixture(scope="module")
def redesign(store_env, store_db, tmp_path_factory):
    """nabaa crawled twice as usual, then once with `crawlall` and once with `crawl` after its article pages
    stopped showing dates; every stored article is revisited, so each run extracts all of them again."""
    env, db = separate_database(store_env, store_db, "drift", tmp_path_factory.mktemp("data"))
    revisit_all = ["-s", "REVISIT_MAX_AGE_HOURS=1000000"]
    results = {}
    with DemoSite(port=None, articles_per_outlet=30, hostile=False) as site:
        env["AKHBAR_DEMO_PORT"] = str(site.port)
        results["first"] = scrapy(env, "crawlall", "nabaa")
        results["second"] = scrapy(env, "crawlall", "nabaa", *revisit_all)
        site.drop_dates("nabaa")
        results["undated"] = scrapy(env, "crawlall", "nabaa", *revisit_all)
        results["again"] = scrapy(env, "crawl", "nabaa", *revisit_all)
    records = dict(zip(results, db.crawl_runs.find({"site": "nabaa"}).sort("started_at", 1), strict=True))
    yield results, records
    store_db.client.drop_database(db.name)


@pytest.mark.e2e
def test_usual_runs_raise_no_alarm(redesign):
    results, records = redesign
    for name in ("first", "second"):
        assert results[name].returncode == 0, results[name].stderr[-3000:]
        assert "coverage drift" not in results[name].stderr
        assert records[name]["coverage"]["published_on_page"] == 1.0 and records[name]["coverage_n"] == 30
    assert records["first"]["drift"] is None  # nothing to compare the first run with
    assert records["second"]["drift"] == []


@pytest.mark.e2e
def test_undated_layout_drifts(redesign):
    results, records = redesign
    run = records["undated"]
    assert results["undated"].returncode == 3, results["undated"].stderr[-3000:]
    assert "Traceback" not in results["undated"].stderr
    assert run["coverage_n"] == 30 and run["revisits"] == 30  # the drifted run did extract articles
    assert {"field": "published_on_page", "baseline": 1.0, "now": 0.0} in run["drift"]
    assert "ERROR: coverage drift on nabaa: published_on_page 100% → 0% of 30 articles (median of its last 2 " \
           "incremental runs" in results["undated"].stderr
    assert "crawlall: field coverage drifted (see the errors above): nabaa" in results["undated"].stderr
    assert results["again"].returncode == 3  # `scrapy crawl` too; the median of the last 3 runs is still 100%
    assert {"field": "published_on_page", "baseline": 1.0, "now": 0.0} in records["again"]["drift"]
