"""End to end: real `scrapy crawl` of every demo outlet into the real store, checked against _truth.jsonl."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

import pytest

from crawler.items import url_hash
from pipelines.arabic.text import clean_display
from tests.demosite import BOILERPLATE_PHRASES
from tests.support.crawl import crawl_all

pytestmark = pytest.mark.e2e
OUTLETS = ("nabaa", "wasat", "sham")


@pytest.fixture(scope="module")
def crawled(demo_site, store_env, store_db):
    """Crawl all demo outlets once (at the same time, as a scheduler would)."""
    runs = [(o.name, ["-a", f"url={o.base_url}"]) for o in demo_site.outlets if o.name in OUTLETS]
    results = crawl_all(runs, store_env)
    for (spider, _), (code, log) in zip(runs, results, strict=True):
        assert code == 0, f"scrapy crawl {spider} failed:\n{log[-3000:]}"
        assert "Traceback" not in log, f"scrapy crawl {spider} logged a traceback:\n{log[-3000:]}"
    return {doc["url_hash"]: doc for doc in store_db.articles.find({"site": {"$in": list(OUTLETS)}})}


@pytest.mark.parametrize("outlet", OUTLETS)
def test_every_article_stored_once(crawled, demo_site, store_db, outlet):
    truth = demo_site.truth(outlet)
    stored = [d for d in crawled.values() if d["site"] == outlet]
    assert sorted(d["url"] for d in stored) == sorted(t["url"] for t in truth)
    assert store_db.articles.count_documents({"site": outlet}) == len(truth)


@pytest.mark.parametrize("outlet", OUTLETS)
def test_fields_match_truth(crawled, demo_site, outlet):
    for truth in demo_site.truth(outlet):
        doc = crawled[url_hash(truth["url"])]
        assert doc["title"] == clean_display(truth["title"]), truth["url"]
        assert doc["agencies"] == truth["agencies"], truth["url"]
        assert doc["dateline_place"] == truth["dateline_place"], truth["url"]
        assert doc["author"] == truth["author"], truth["url"]
        for counter in ("views", "comments", "shares"):
            assert doc[counter] == truth[counter], (truth["url"], counter)
        assert doc["language"] == "ar"
        assert doc["body_folded"] and doc["tokens"]


@pytest.mark.parametrize("outlet", OUTLETS)
def test_dates_match_truth(crawled, demo_site, outlet):
    for truth in demo_site.truth(outlet):
        doc = crawled[url_hash(truth["url"])]
        expected = datetime.fromisoformat(truth["published"])
        assert doc["published_at"] == expected, (truth["url"], doc["published_at_source"], doc["published_local"])
        assert datetime.fromisoformat(doc["published_local"]).utcoffset() == expected.utcoffset(), truth["url"]


@pytest.mark.parametrize("outlet", OUTLETS)
def test_bodies_free_of_boilerplate(crawled, outlet):
    for doc in (d for d in crawled.values() if d["site"] == outlet):
        for phrase in BOILERPLATE_PHRASES[outlet]:
            assert clean_display(phrase) not in doc["body"], (doc["url"], phrase)
        assert "المزيد" not in doc["body"].split("\n")[-1]
        assert "مشاركة :" not in doc["body"]


def test_one_story_id_per_wire_story(crawled, demo_site):
    # The truth's `story` is shared by the copies of a wire story across outlets; the crawls ran at the same time.
    truth = {url_hash(t["url"]): t["story"] for outlet in OUTLETS for t in demo_site.truth(outlet)}
    ids_per_story: dict[str, set[str]] = defaultdict(set)
    stories_per_id: dict[str, set[str]] = defaultdict(set)
    for h, story in truth.items():
        ids_per_story[story].add(crawled[h]["story_id"])
        stories_per_id[crawled[h]["story_id"]].add(story)
    assert {story: ids for story, ids in ids_per_story.items() if len(ids) > 1} == {}
    assert {story_id: s for story_id, s in stories_per_id.items() if len(s) > 1} == {}
    assert sum(n > 1 for n in Counter(truth.values()).values()) > 20  # wire stories were there to link
    for h, doc in crawled.items():
        assert (doc["duplicate_of"] is None) == (h == doc["story_id"]), doc["url"]
        if doc["duplicate_of"]:
            assert truth[doc["duplicate_of"]] == truth[h]
            assert doc["story_similarity"] >= 0.5


def _first_seen(db) -> dict:
    return {d["url_hash"]: d["first_seen_at"] for d in db.articles.find({}, {"url_hash": 1, "first_seen_at": 1})}


def test_second_run_adds_nothing(crawled, demo_site, store_env, store_db):
    before = _first_seen(store_db)
    runs = [(o.name, ["-a", f"url={o.base_url}"]) for o in demo_site.outlets if o.name in OUTLETS]
    assert all(code == 0 for code, _ in crawl_all(runs, store_env))
    after = _first_seen(store_db)
    assert after == before
    assert store_db.articles.count_documents({}) == len(before)


def test_second_run_keeps_story_ids(crawled, store_db):
    now = {d["url_hash"]: d["story_id"] for d in store_db.articles.find({"url_hash": {"$in": list(crawled)}})}
    assert now == {h: d["story_id"] for h, d in crawled.items()}
