"""Story assignment against the real store: incremental across runs, backfills, re-crawls, concurrent crawls."""

from __future__ import annotations

import asyncio
import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import Article
from pipelines.arabic.normalize import normalize_article
from pipelines.assign_stories import StoriesPipeline
from pipelines.stories.assign import LEASE_ID, LOCKS, assign_stories
from pipelines.stories.index import STORY_COPIES, StoryIndex
from tests.demosite.content import make_story
from tests.demosite.vocab import TOPICS
from tests.support.articles import make_article, own_database
from tests.support.commands import project_settings

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _body(seed: int) -> str:
    return "\n".join(make_story(random.Random(seed), TOPICS[0], None).paragraphs)


def _article(site: str, n: int, body: str, published: datetime | None, fetched: datetime = T0) -> Article:
    url = f"http://{site}.example/news/{n}"
    return normalize_article(make_article(url, site=site, title=f"خبر {n}", body=body, published_at=published,
                                          fetched_at=fetched))


@pytest.fixture
def db(store_db):
    """A database of its own (the session one holds the end-to-end crawls' stories), emptied for each test."""
    with own_database(store_db, "stories") as fresh:
        yield fresh


def _story(article: Article) -> tuple[str | None, str | None]:
    return article.story_id, article.duplicate_of


def test_copies_join_the_first_story_across_runs(db) -> None:
    body = _body(1)
    a = _article("nabaa", 1, body, T0)
    assert assign_stories(db, [a], "run-1") == {"new": 1}
    assert _story(a) == (a.url_hash, None)
    footer = "\nتابعونا على تويتر لآخر الأخبار."
    b = _article("wasat", 2, body + footer, T0 + timedelta(hours=1), T0 + timedelta(days=1))
    other = _article("wasat", 3, _body(2), T0 + timedelta(hours=1))
    assert assign_stories(db, [b, other], "run-2") == {"copy": 1, "new": 1}
    assert _story(b) == (a.url_hash, a.url_hash)
    assert 0.5 <= b.story_similarity < 1.0
    assert _story(other) == (other.url_hash, None)
    c = _article("sham", 4, body, T0 + timedelta(hours=2), T0 + timedelta(days=2))
    assign_stories(db, [c], "run-3")
    assert _story(c) == (a.url_hash, a.url_hash)
    assert c.story_similarity == 1.0
    assert db[STORY_COPIES].count_documents({"story_id": a.url_hash}) == 3


def test_backfilled_earlier_copy_joins_without_re_rooting(db) -> None:
    body = _body(3)
    first, second = _article("nabaa", 1, body, T0), _article("wasat", 2, body, T0 + timedelta(hours=1))
    assign_stories(db, [second, first], "run-1")
    assert _story(first) == (first.url_hash, None)  # the earliest of a batch is the root, whatever the order
    assert _story(second) == (first.url_hash, first.url_hash)
    backfill = _article("sham", 3, body, T0 - timedelta(days=1), T0 + timedelta(days=5))
    assign_stories(db, [backfill], "backfill")
    assert _story(backfill) == (first.url_hash, first.url_hash)
    stored = db[STORY_COPIES].find_one({"_id": first.url_hash})
    assert (stored["story_id"], stored["duplicate_of"]) == (first.url_hash, None)


def test_recrawl_keeps_the_story_and_new_copies_in_the_same_batch_join_it(db) -> None:
    body = _body(4)
    a = _article("nabaa", 1, body, T0 + timedelta(hours=3))
    assign_stories(db, [a], "run-1")
    again = _article("nabaa", 1, body, T0 + timedelta(hours=3), T0 + timedelta(days=1))
    earlier = _article("wasat", 2, body, T0)
    assert assign_stories(db, [earlier, again], "run-2") == {"known": 1, "copy": 1}
    assert _story(again) == (a.url_hash, None)
    assert _story(earlier) == (a.url_hash, a.url_hash)
    assert db[STORY_COPIES].count_documents({}) == 2


def test_short_and_unrelated_bodies_are_never_merged(db) -> None:
    short = "شاهد الفيديو الكامل للمؤتمر الصحفي"
    articles = [_article("nabaa", 1, short, T0), _article("wasat", 2, short, T0), _article("sham", 3, _body(5), T0),
                _article("sham", 4, _body(6), T0)]
    assert assign_stories(db, articles, "run") == {"short": 2, "new": 2}
    assert len({a.story_id for a in articles}) == 4
    assert all(a.duplicate_of is None for a in articles)


def test_an_expired_lease_is_taken_over(db) -> None:
    db[LOCKS].insert_one({"_id": LEASE_ID, "owner": "crashed", "until": datetime.now(UTC) - timedelta(seconds=1)})
    a = _article("nabaa", 1, _body(7), T0)
    assign_stories(db, [a], "run")
    assert a.story_id == a.url_hash
    assert db[LOCKS].count_documents({}) == 0


def test_concurrent_crawls_of_copies_make_one_story(db) -> None:
    bodies = [_body(100 + i) for i in range(12)]
    runs = [[_article(site, i, body, T0 + timedelta(minutes=i)) for i, body in enumerate(bodies)]
            for site in ("nabaa", "wasat", "sham")]
    start = threading.Barrier(len(runs))

    def crawl(articles: list[Article], owner: str) -> None:
        index = StoryIndex()  # each run holds its candidates in memory, as separate processes do
        start.wait()
        for article in articles:
            assign_stories(db, [article], owner, index)

    threads = [threading.Thread(target=crawl, args=(run, f"run-{i}")) for i, run in enumerate(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for copies in zip(*runs, strict=True):
        assert len({a.story_id for a in copies}) == 1
    assert len({a.story_id for a in runs[0]}) == len(bodies)


def test_pipeline_batches_articles_and_counts(db, store_env) -> None:
    settings = project_settings({**store_env, "MONGO_DATABASE": db.name})
    crawler = get_crawler(settings_dict={name: value for name, value in settings.items() if name.startswith(
        ("MONGO_", "AKHBAR_", "STORE_"))})  # a crawler of its own: the test runs its own event loop, no reactor
    stats = crawler.stats
    pipeline = StoriesPipeline.from_crawler(crawler)
    body = _body(8)
    articles = [_article(site, 1, body, T0 + timedelta(hours=i)) for i, site in enumerate(("nabaa", "wasat", "sham"))]

    async def run() -> list:
        pipeline.open_spider()
        out = await asyncio.gather(*(pipeline.process_item(a) for a in [*articles, "not an article"]))
        await pipeline.close_spider()
        return out

    out = asyncio.run(run())
    assert out[-1] == "not an article"
    assert {a.story_id for a in out[:-1]} == {articles[0].url_hash}
    assert {k: v for k, v in stats.get_stats().items() if k.startswith("akhbar/")} == {
        "akhbar/stories/new": 1, "akhbar/stories/copy": 2}
