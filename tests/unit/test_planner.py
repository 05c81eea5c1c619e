"""The fetch planner: date pruning, deferral of undated URLs, store lookups, resume and revisits."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime

from crawler.discovery.parsers import Entry
from crawler.items import SiteRules, url_hash
from crawler.planning.backlog import Backlog
from crawler.planning.planner import Candidate, FetchPlanner, StoreSkip
from crawler.planning.window import DateWindow

OCT = DateWindow(date(2026, 10, 1), date(2026, 10, 7), "Asia/Riyadh")
OPEN = DateWindow(None, None, "Asia/Riyadh")
RULES = SiteRules("h", "Asia/Riyadh", "DMY")


class Stats(Counter):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] += count

    def set_value(self, key: str, value: int) -> None:
        self[key] = value


class Store:
    """A fake store: url_hash → last_seen_at, counting lookups."""

    def __init__(self, seen: dict[str, datetime | None]) -> None:
        self.seen = seen
        self.queries: list[list[str]] = []

    async def last_seen(self, keys: list[str]) -> dict[str, datetime | None]:
        self.queries.append(keys)
        return {k: self.seen[k] for k in keys if k in self.seen}


def run(coro):
    return asyncio.run(coro)


def urls(candidates) -> list[str]:
    return [c.url for c in candidates]


def test_backfill_prunes_by_the_best_date_and_defers_the_undated():
    stats = Stats()
    planner = FetchPlanner(OCT, stats, RULES)
    plan = run(planner.plan([
        Entry("http://h/news/1", published="2026-10-03T10:00:00+03:00"),   # in
        Entry("http://h/news/2", published="2026-09-03T10:00:00+03:00"),   # before
        Entry("http://h/2026/11/02/x-3/"),                                   # after, by URL
        Entry("http://h/news/4", lastmod="2026-09-20T10:00:00+03:00"),     # before, by lastmod
        Entry("http://h/news/5", lastmod="2026-10-20T10:00:00+03:00"),     # unknown: deferred
    ], "sitemap"))
    assert urls(plan.fetch) == ["http://h/news/1"]
    assert plan.fetch[0].hints == {"published": "2026-10-03T10:00:00+03:00", "found_in": "sitemap"}
    assert stats["akhbar/pruned/article/published"] == 1
    assert stats["akhbar/pruned/article/url_date"] == 1
    assert stats["akhbar/pruned/article/lastmod"] == 1
    assert stats["akhbar/plan/deferred"] == 1
    assert urls(run(planner.release_deferred())) == ["http://h/news/5"]
    assert stats["akhbar/plan/undated_fetched"] == 1 and stats["akhbar/plan/deferred"] == 0


def test_later_evidence_places_a_deferred_url_and_each_url_is_planned_once():
    stats = Stats()
    planner = FetchPlanner(OCT, stats, RULES)
    assert run(planner.plan([Entry("http://h/news/5", lastmod="2026-10-20")], "sitemap")).fetch == []
    # the listing shows it was published after the window: pruned, never fetched
    run(planner.plan([Entry("http://h/news/5", published="2026-10-19T08:00:00+03:00")], "listing"))
    assert run(planner.release_deferred()) == []
    assert stats["akhbar/pruned/article/published"] == 1
    # in the window from a listing, then seen again in a feed: fetched once
    first = run(planner.plan([Entry("http://h/news/6", published="2026-10-02T08:00:00+03:00")], "listing"))
    again = run(planner.plan([Entry("http://h/news/6", published="2026-10-02T08:00:00+03:00")], "feed"))
    assert urls(first.fetch) == ["http://h/news/6"] and again.fetch == []


def test_newer_evidence_overrules_an_earlier_pruning():
    stats = Stats()
    planner = FetchPlanner(OCT, stats, RULES)
    run(planner.plan([Entry("http://h/news/7", lastmod="2026-09-01")], "sitemap"))  # a bogus lastmod
    plan = run(planner.plan([Entry("http://h/news/7", published="2026-10-05T08:00:00+03:00")], "listing"))
    assert urls(plan.fetch) == ["http://h/news/7"]
    assert stats["akhbar/pruned/article/lastmod"] == 0


def test_incremental_skips_stored_urls_with_one_lookup_per_batch():
    stored = {url_hash(f"http://h/news/{n}"): datetime(2026, 10, 1, tzinfo=UTC) for n in (1, 2)}
    store, stats = Store(stored), Stats()
    planner = FetchPlanner(OPEN, stats, RULES, store, StoreSkip(None, "akhbar/incremental/skipped_stored"))
    plan = run(planner.plan([Entry(f"http://h/news/{n}") for n in (1, 2, 3, 4)], "listing"))
    assert urls(plan.fetch) == ["http://h/news/3", "http://h/news/4"]
    assert plan.fresh == {"http://h/news/3", "http://h/news/4"}
    assert len(store.queries) == 1 and len(store.queries[0]) == 4
    assert stats["akhbar/incremental/skipped_stored"] == 2
    # a URL already planned is not looked up again, and still counts as fresh on a later page
    plan = run(planner.plan([Entry("http://h/news/3")], "listing"))
    assert plan.fetch == [] and plan.fresh == {"http://h/news/3"} and len(store.queries) == 1


def test_resumed_job_skips_only_what_it_stored_itself():
    job_started = datetime(2026, 11, 1, tzinfo=UTC)
    stored = {url_hash("http://h/news/1"): datetime(2026, 11, 1, 0, 5, tzinfo=UTC),   # stored by this job
              url_hash("http://h/news/2"): datetime(2026, 10, 1, tzinfo=UTC)}          # by an older run
    stats = Stats()
    planner = FetchPlanner(OCT, stats, RULES, Store(stored), StoreSkip(job_started, "akhbar/resume/skipped_stored"))
    entries = [Entry(f"http://h/news/{n}", published="2026-10-02T08:00:00+03:00") for n in (1, 2, 3)]
    assert urls(run(planner.plan(entries, "listing")).fetch) == ["http://h/news/2", "http://h/news/3"]
    assert stats["akhbar/resume/skipped_stored"] == 1


def test_revisits_are_fetched_once_with_their_stored_date_as_hint():
    stats = Stats()
    planner = FetchPlanner(OPEN, stats, RULES, Store({}), StoreSkip(None, "akhbar/incremental/skipped_stored"))
    docs = [{"url": "http://h/news/9", "url_hash": url_hash("http://h/news/9"),
             "published_local": "2026-11-28T10:00:00+03:00"}]
    revisits = planner.add_revisits(docs)
    assert revisits[0].hints == {"published": "2026-11-28T10:00:00+03:00", "found_in": "revisit"}
    assert stats["akhbar/incremental/revisits"] == 1
    plan = run(planner.plan([Entry("http://h/news/9")], "feed"))
    assert plan.fetch == [] and plan.fresh == set()


def test_a_dated_sitemap_inside_the_window_places_its_entries():
    stats = Stats()
    planner = FetchPlanner(DateWindow(date(2026, 9, 1), date(2026, 9, 30), "Asia/Riyadh"), stats, RULES)
    september = (date(2026, 9, 1), date(2026, 9, 30))
    plan = run(planner.plan([Entry("http://h/news/1", lastmod="2026-11-02")], "sitemap", september))
    assert urls(plan.fetch) == ["http://h/news/1"] and not planner.deferred


def test_a_session_id_trap_is_one_article_fetched_once_without_its_session():
    stats = Stats()
    planner = FetchPlanner(OPEN, stats, RULES, Store({}), StoreSkip(None, "akhbar/incremental/skipped_stored"))
    trap = [Entry(f"http://h/news/1001?sid={n:032x}") for n in range(50)]
    trap += [Entry("http://h/news/1001;jsessionid=A1B2?utm_source=x&fbclid=y"),
             Entry("http://h/news/1002?sid=0123456789abcdef")]
    plan = run(planner.plan(trap, "listing"))
    assert urls(plan.fetch) == ["http://h/news/1001", "http://h/news/1002"]
    assert plan.fetch[0].key == url_hash("http://h/news/1001")
    assert run(planner.plan([Entry("http://h/news/1001?PHPSESSID=z")], "listing")).fetch == []
    assert stats["akhbar/plan/scheduled"] == 2


def test_the_backlog_fills_the_scheduler_again_once_half_drained():
    backlog = Backlog(limit=10)
    backlog.add(Candidate(f"http://h/{i}", str(i), "sitemap") for i in range(25))
    assert [c.url for c in backlog.take(0)] == [f"http://h/{i}" for i in range(10)]
    assert backlog.take(6) == []
    assert [c.url for c in backlog.take(5)] == [f"http://h/{i}" for i in range(10, 15)]
    assert len(backlog.take(0)) == 10 and backlog.take(0) == [] and not backlog


def test_a_backlog_without_limit_hands_out_everything_and_drops_what_waits():
    unlimited = Backlog(limit=0)
    unlimited.add(Candidate(f"http://h/{i}", str(i), "sitemap") for i in range(3))
    assert len(unlimited.take(1_000)) == 3
    limited = Backlog(limit=2)
    limited.add(Candidate(f"http://h/{i}", str(i), "sitemap") for i in range(3))
    limited.take(0)
    assert limited.drop() == 1 and not limited
