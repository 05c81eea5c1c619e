"""End to end: incremental runs fetch only new articles plus young ones to revisit, whose counters keep a history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crawler.items import url_hash
from tests.demosite import DemoSite
from tests.demosite.model import OUTLET_NAMES as OUTLETS
from tests.demosite.model import OUTLET_TIMEZONES as TIMEZONES
from tests.support.crawl import scrapy, separate_database

pytestmark = pytest.mark.e2e
END = date.today() - timedelta(days=1)  # a site whose newest articles are a day or two old
CUT = END - timedelta(days=3)  # the first run stores everything published up to this day
REVISIT = ["-s", "REVISIT_MAX_AGE_HOURS=240"]


@pytest.fixture(scope="module")
def rounds(store_env, store_db, tmp_path_factory):
    """A backfill up to CUT, readers reading more, then two incremental `crawlall` runs."""
    env, db = separate_database(store_env, store_db, "incremental", tmp_path_factory.mktemp("data"))
    with DemoSite(port=None, articles_per_outlet=60, end_date=END) as site:
        env["AKHBAR_DEMO_PORT"] = str(site.port)
        steps = [("backfill", ["-a", f"until={CUT}"]), ("bump", []), ("second", REVISIT), ("third", REVISIT)]
        truth_before = {o: {t["url"]: t for t in site.truth(o)} for o in OUTLETS}
        histories = {}
        for name, args in steps:
            if name == "bump":
                site.bump_views()
                continue
            result = scrapy(env, "crawlall", *OUTLETS, *args)
            assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
            histories[name] = {d["url"]: d.get("counts_history", []) for d in db.articles.find()}
        truth_after = {o: {t["url"]: t for t in site.truth(o)} for o in OUTLETS}
    runs = {(r["site"], r["mode"], r["started_at"]): r for r in db.crawl_runs.find()}
    yield db, truth_before, truth_after, histories, runs
    store_db.client.drop_database(db.name)


def _incremental_runs(runs: dict, outlet: str) -> list[dict]:
    return [r for (site, mode, _), r in sorted(runs.items(), key=lambda kv: kv[0][2])
            if site == outlet and mode == "incremental"]


def _local_day(truth: dict, outlet: str) -> date:
    return datetime.fromisoformat(truth["published"]).astimezone(ZoneInfo(TIMEZONES[outlet])).date()


@pytest.mark.parametrize("outlet", OUTLETS)
def test_incremental_run_fetches_only_new_and_young_articles(rounds, outlet):
    db, truth, _, _, runs = rounds
    second, _ = _incremental_runs(runs, outlet)
    new = {u for u, t in truth[outlet].items() if _local_day(t, outlet) > CUT}
    cutoff = second["plan"]["revisit_cutoff"]
    young = {u for u, t in truth[outlet].items()
             if u not in new and datetime.fromisoformat(t["published"]) >= cutoff}
    assert new and young, "the demo site should have both new and young articles"
    assert second["articles"]["new"] == len(new)
    assert second["revisits"] == len(young)
    assert second["pages"]["articles"] == len(new) + len(young)  # no other stored article was fetched
    assert second["skipped_stored"] > 0
    assert second["articles"]["updated"] == len(young)  # their views went up
    assert {d["url"] for d in db.articles.find({"site": outlet})} == set(truth[outlet])
    assert second["finish_reason"] == "finished"


@pytest.mark.parametrize("outlet", OUTLETS)
def test_views_history_grows_only_when_views_change(rounds, outlet):
    _, before, after, histories, runs = rounds
    second, _ = _incremental_runs(runs, outlet)
    for url, truth in after[outlet].items():
        history = histories["second"][url]
        assert truth["views"] > before[outlet][url]["views"]
        revisited = _local_day(truth, outlet) <= CUT and datetime.fromisoformat(truth["published"]) >= \
            second["plan"]["revisit_cutoff"]
        if revisited:  # seen before and after readers read more
            assert [e["views"] for e in history] == [before[outlet][url]["views"], truth["views"]], url
            assert history[0]["at"] < history[1]["at"]
        elif _local_day(truth, outlet) > CUT:  # first seen after the bump
            assert [e["views"] for e in history] == [truth["views"]], url
        else:  # too old to revisit: its history still holds the first count
            assert [e["views"] for e in history] == [before[outlet][url]["views"]], url
    assert histories["third"] == histories["second"]  # nothing changed, nothing appended


@pytest.mark.parametrize("outlet", OUTLETS)
def test_nothing_new_left(rounds, outlet):
    db, _, after, _, runs = rounds
    _, third = _incremental_runs(runs, outlet)
    assert third["finish_reason"] == "finished"
    assert third["articles"]["new"] == 0 and third["articles"]["updated"] == 0
    assert third["pages"]["articles"] == third["revisits"] == third["articles"]["unchanged"]
    assert third["stats"].get("akhbar/listing/stopped/nothing_new", 0) >= 1
    assert db.articles.count_documents({"site": outlet}) == len(after[outlet])
    assert db.articles.count_documents({"url_hash": {"$in": [url_hash(u) for u in after[outlet]]}}) == len(
        after[outlet])
