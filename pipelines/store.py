"""The article collection: connection, indexes and idempotent upserts (plain pymongo)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import pymongo
from pymongo import UpdateOne
from pymongo.database import Database
from w3lib.url import canonicalize_url

from pipelines.config import StoreConfig, store_config
from pipelines.embedded_store import ensure_running

ARTICLES = "articles"
# Fields fixed when an article is first stored; everything else is refreshed on every visit.
INSERT_ONLY = ("first_seen_at",)


def canonical_url(url: str) -> str:
    """The canonical form of a URL (w3lib), used for identity."""
    return canonicalize_url(url, keep_fragments=False)


def url_hash(url: str) -> str:
    """Stable identity of an article: SHA-1 of its canonical URL."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()


def resolve_uri(config: StoreConfig) -> str:
    """The URI to connect to: MONGO_URI, or the embedded store started on demand."""
    return config.uri or ensure_running(config.data_dir)


def connect(config: StoreConfig | None = None) -> Database:
    """Open the configured database."""
    config = config or store_config()
    client: pymongo.MongoClient = pymongo.MongoClient(resolve_uri(config), tz_aware=True,
                                                      serverSelectionTimeoutMS=10_000)
    return client[config.database]


def ensure_indexes(db: Database) -> None:
    """Create the indexes every query and upsert relies on (idempotent)."""
    articles = db[ARTICLES]
    articles.create_index("url_hash", unique=True, name="url_hash_unique")
    articles.create_index([("site", pymongo.ASCENDING), ("published_at", pymongo.DESCENDING)],
                          name="site_published_at")


def article_document(article: Any) -> dict[str, Any]:
    """An Article (dataclass or mapping) as the dict stored in MongoDB."""
    doc = dataclasses.asdict(article) if dataclasses.is_dataclass(article) else dict(article)
    return doc


def upsert_operation(doc: Mapping[str, Any], now: datetime) -> UpdateOne:
    """The idempotent upsert for one article document."""
    fields = {k: v for k, v in doc.items() if k not in INSERT_ONLY and k != "_id"}
    fields["last_seen_at"] = now
    return UpdateOne(
        {"url_hash": doc["url_hash"]},
        {"$set": fields, "$setOnInsert": {"first_seen_at": now}},
        upsert=True,
    )


def upsert_articles(db: Database, docs: Iterable[Mapping[str, Any]], now: datetime | None = None) -> tuple[int, int]:
    """Upsert article documents in one bulk write; returns (inserted, updated)."""
    now = now or datetime.now(UTC)
    ops = [upsert_operation(doc, now) for doc in docs]
    if not ops:
        return 0, 0
    result = db[ARTICLES].bulk_write(ops, ordered=False)
    return result.upserted_count, result.modified_count
