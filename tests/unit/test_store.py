"""Storage against the real MongoDB-wire server: indexes, idempotent upserts, URL identity; the store's settings."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from pymongo.errors import ServerSelectionTimeoutError
from scrapy.settings import Settings

from crawler.items import canonical_url, url_hash
from pipelines.storage.articles import ARTICLES
from pipelines.storage.batch_write import BatchResult, write_articles
from pipelines.storage.config import StoreConfig, mask_uri, store_config
from pipelines.storage.embedded import StoreError
from pipelines.storage.link import link_for, store_error
from tests.support.articles import own_database
from tests.support.commands import project_settings
from tests.support.crawl import PROJECT_ROOT, SCRAPY


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


def test_config_from_settings(tmp_path):
    settings = Settings({"MONGO_URI": "mongodb://u:secret@h:1/", "MONGO_DATABASE": "news",
                         "AKHBAR_DATA_DIR": str(tmp_path)})
    assert store_config(settings) == StoreConfig("mongodb://u:secret@h:1/", "news", tmp_path)
    assert store_config(project_settings({"MONGO_URI": ""})).uri is None  # `-s MONGO_URI=`: the embedded store
    with pytest.raises(ValueError, match="MONGO_DATABASE"):
        store_config(Settings({"AKHBAR_DATA_DIR": str(tmp_path)}))  # Scrapy's defaults alone name no store


def test_settings_come_from_the_environment_and_the_command_line(tmp_path):
    """crawler/settings.py reads MONGO_URI, MONGO_DATABASE and AKHBAR_DATA_DIR from the environment; `-s` wins."""
    env = {k: v for k, v in os.environ.items() if k not in ("MONGO_URI", "MONGO_DATABASE", "AKHBAR_DATA_DIR")}
    show = "from scrapy.utils.project import get_project_settings as g; s = g(); print(*map(s.get, {!r}), sep='|')"
    names = ("MONGO_URI", "MONGO_DATABASE", "AKHBAR_DATA_DIR")
    found = subprocess.run([sys.executable, "-c", show.format(names)], cwd=PROJECT_ROOT,
                           env={**env, "MONGO_DATABASE": "news"}, capture_output=True, text=True, check=True)
    assert found.stdout.strip().split("|") == ["None", "news", str(PROJECT_ROOT / "data")]
    overridden = subprocess.run([*SCRAPY, "settings", "--get", "AKHBAR_DATA_DIR", "-s", f"AKHBAR_DATA_DIR={tmp_path}"],
                                cwd=PROJECT_ROOT, env={**env, "AKHBAR_DATA_DIR": "/elsewhere"}, capture_output=True,
                                text=True, check=True)
    assert overridden.stdout.strip() == str(tmp_path)


def test_one_link_per_store_and_retry_setting(tmp_path):
    settings = {"MONGO_URI": "mongodb://127.0.0.1:9/", "MONGO_DATABASE": "x", "AKHBAR_DATA_DIR": str(tmp_path)}
    first = link_for(project_settings(settings))
    assert link_for(project_settings(settings)) is first and first.backoff.cap == 30.0
    slow = link_for(project_settings({**settings, "STORE_RETRY_MAX_S": 5}))
    assert slow is not first and slow.backoff.cap == 5.0  # not the first caller's STORE_RETRY_MAX_S
    assert link_for(project_settings({**settings, "MONGO_DATABASE": "y"})) is not first


def test_store_error_is_one_masked_line(tmp_path):
    timeout = ServerSelectionTimeoutError("h:1: [Errno 111] Connection refused (configured timeouts: 2.0s)\nTopology")
    remote = StoreConfig("mongodb://u:secret@h:1/", "akhbar", tmp_path)
    assert store_error(remote, timeout) == "error: cannot use the store at h:1: Connection refused"  # host, port, why
    missing = StoreError("secantusd-py not found: install requirements.txt (secantusdb) or set MONGO_URI")
    assert store_error(StoreConfig(None, "akhbar", tmp_path), missing) == (
        f"error: cannot use the embedded store in {tmp_path}: {missing}")


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
