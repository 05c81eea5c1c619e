"""Batch writes against the real store: new / updated / unchanged, and the counters' history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pymongo.collection import Collection

from crawler.items import url_hash
from pipelines.storage.articles import ARTICLES
from pipelines.storage.batch_write import BatchResult, changed_fields, revisit_update, write_articles
from tests.support.articles import own_database

T0 = datetime(2026, 11, 1, 8, tzinfo=UTC)


def _doc(n: int, views: int | None, comments: int | None = 2, body: str = "نص") -> dict:
    url = f"http://h/news/{n}"
    return {"url": url, "url_hash": url_hash(url), "site": "t", "body": body, "views": views, "comments": comments,
            "shares": None, "published_at": datetime(2026, 10, 31, 9, 30, tzinfo=UTC), "fetched_at": T0}


@pytest.fixture
def db(store_db):
    with own_database(store_db, "batch_write") as fresh:
        yield fresh


def _history(db, n: int) -> list[tuple]:
    doc = db[ARTICLES].find_one({"url_hash": url_hash(f"http://h/news/{n}")})
    return [(e["at"], e["views"], e["comments"]) for e in doc.get("counts_history", [])]


def test_counts_and_history_grow_only_when_a_counter_changes(db):
    assert write_articles(db, [_doc(1, 10), _doc(2, 5), _doc(3, None, None)], now=T0) == BatchResult(3, 0, 0)
    t1, t2 = T0 + timedelta(hours=1), T0 + timedelta(hours=2)
    later = [_doc(1, 25), _doc(2, 5), _doc(3, None, None, body="نص معدل")]
    assert write_articles(db, [{**d, "fetched_at": t1} for d in later], now=t1) == BatchResult(0, 2, 1)
    assert write_articles(db, [_doc(1, 25), _doc(2, 5)], now=t2) == BatchResult(0, 0, 2)
    assert _history(db, 1) == [(T0, 10, 2), (t1, 25, 2)]
    assert _history(db, 2) == [(T0, 5, 2)]
    assert _history(db, 3) == []  # a page without counters has no history
    doc = db[ARTICLES].find_one({"url_hash": url_hash("http://h/news/1")})
    assert doc["views"] == 25 and doc["first_seen_at"] == T0 and doc["last_seen_at"] == t2
    assert db[ARTICLES].count_documents({}) == 3


def test_an_article_stored_before_histories_starts_from_its_stored_counts(db):
    write_articles(db, [_doc(4, 7)], now=T0)
    t1 = T0 + timedelta(days=1)
    write_articles(db, [_doc(4, 9)], now=t1)
    assert _history(db, 4) == [(T0, 7, 2), (t1, 9, 2)]


def test_changed_fields_ignore_visit_times_and_sub_millisecond_noise():
    stored = {**_doc(5, 1), "fetched_at": T0 - timedelta(days=3), "last_seen_at": T0}
    fresh = {**_doc(5, 1), "published_at": stored["published_at"] + timedelta(microseconds=300)}
    assert changed_fields(fresh, stored) == []
    assert changed_fields({**fresh, "views": 2, "body": "آخر"}, stored) == ["body", "views"]


def test_a_revisit_that_lost_its_counters_keeps_the_stored_ones(db):
    write_articles(db, [_doc(6, 40)], now=T0)
    t1 = T0 + timedelta(hours=1)
    broken = {**_doc(6, None, None), "fetched_at": t1}  # the layout changed: no counter found
    assert write_articles(db, [broken], now=t1) == BatchResult(0, 0, 1)
    doc = db[ARTICLES].find_one({"url_hash": url_hash("http://h/news/6")})
    assert (doc["views"], doc["comments"], doc["fetched_at"], doc["last_seen_at"]) == (40, 2, t1, t1)
    assert _history(db, 6) == [(T0, 40, 2)]


def test_a_revisit_sets_only_what_changed(db):
    write_articles(db, [_doc(7, 1)], now=T0)
    stored = db[ARTICLES].find_one({"url_hash": url_hash("http://h/news/7")})
    t1 = T0 + timedelta(hours=1)
    update, changed = revisit_update({**_doc(7, 1, body="نص جديد"), "fetched_at": t1}, stored, t1)
    assert changed == ["body"]
    assert update == {"$set": {"body": "نص جديد", "last_seen_at": t1, "fetched_at": t1}}


def test_an_article_another_writer_inserted_meanwhile_is_updated_not_lost(db, monkeypatch):
    write_articles(db, [_doc(8, 3)], now=T0)
    real_find, lookups = Collection.find, []

    def first_lookup_misses(self, query, *args, **kwargs):  # as if the other writer inserted it just after
        lookups.append(query)
        return iter(()) if len(lookups) == 1 else real_find(self, query, *args, **kwargs)

    monkeypatch.setattr(Collection, "find", first_lookup_misses)
    t1 = T0 + timedelta(hours=1)
    assert write_articles(db, [_doc(8, 9), _doc(9, 1)], now=t1) == BatchResult(1, 1, 0)
    assert db[ARTICLES].count_documents({}) == 2
    assert _history(db, 8) == [(T0, 3, 2), (t1, 9, 2)]


def test_a_counter_lost_while_another_changes_keeps_its_value_in_the_history(db):
    write_articles(db, [_doc(10, 40, comments=2)], now=T0)
    t1 = T0 + timedelta(hours=1)
    write_articles(db, [{**_doc(10, None, comments=5), "fetched_at": t1}], now=t1)
    assert _history(db, 10) == [(T0, 40, 2), (t1, 40, 5)]
