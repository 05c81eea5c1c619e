"""Storage against the real MongoDB-wire server: indexes, idempotent upserts, URL identity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.items import canonical_url, url_hash
from pipelines.storage.articles import ARTICLES
from pipelines.storage.batch_write import BatchResult, write_articles
from pipelines.storage.config import mask_uri, store_config
from tests.article_docs import own_database


def _doc(url: str, views: int) -> dict:
    return {"url": url, "url_hash": url_hash(url), "site": "t", "views": views, "body": "نص",
            "published_at": datetime(2026, 9, 1, tzinfo=UTC)}


@pytest.fixture
def db(store_db):
    with own_database(store_db, "store") as fresh:
        yield fresh


def test_indexes(db):
    info = db[ARTICLES].index_information()
    assert info["url_hash_unique"]["unique"] is True
    assert info["url_hash_unique"]["key"] == [("url_hash", 1)]
    assert info["site_published_at"]["key"] == [("site", 1), ("published_at", -1)]


def test_upsert_is_idempotent_and_refreshes_changing_fields(db):
    first = datetime(2026, 11, 1, tzinfo=UTC)
    assert write_articles(db, [_doc("http://h/news/1", 10), _doc("http://h/news/2", 5)], now=first) == BatchResult(2)
    later = first + timedelta(hours=3)
    assert write_articles(db, [_doc("http://h/news/1", 99)], now=later).new == 0
    assert db[ARTICLES].count_documents({}) == 2
    doc = db[ARTICLES].find_one({"url_hash": url_hash("http://h/news/1")})
    assert doc["views"] == 99
    assert doc["first_seen_at"] == first
    assert doc["last_seen_at"] == later


def test_same_article_under_url_variants_is_one_document(db):
    variants = ["http://h/a?b=2&a=1", "http://h/a?a=1&b=2", "http://h/a?a=1&b=2#comments"]
    write_articles(db, [_doc(u, 1) for u in variants])
    assert db[ARTICLES].count_documents({}) == 1
    assert canonical_url(variants[0]) == canonical_url(variants[2])


def test_empty_batch_writes_nothing(db):
    assert write_articles(db, []) == BatchResult()


def test_config_from_environment(tmp_path):
    config = store_config({"MONGO_URI": "mongodb://u:secret@h:1/", "AKHBAR_DATA_DIR": str(tmp_path)})
    assert (config.uri, config.database, config.data_dir) == ("mongodb://u:secret@h:1/", "akhbar", tmp_path)
    assert store_config({}).uri is None


@pytest.mark.parametrize(
    ("uri", "masked"),
    [
        ("mongodb://user:s3cr%40t@db.example:27017/akhbar", "mongodb://user:***@db.example:27017/akhbar"),
        ("mongodb+srv://u:p@cluster/x?retryWrites=false", "mongodb+srv://u:***@cluster/x?retryWrites=false"),
        ("mongodb://127.0.0.1:27017/", "mongodb://127.0.0.1:27017/"),
    ],
)
def test_mask_uri(uri, masked):
    assert mask_uri(uri) == masked
