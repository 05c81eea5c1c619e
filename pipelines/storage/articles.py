"""The article collection: connection, indexes and idempotent upserts (plain pymongo)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pymongo
from pymongo import UpdateOne
from pymongo.database import Database

from pipelines.storage.config import StoreConfig
from pipelines.storage.embedded import ensure_running
from pipelines.storage.sanitize import sanitize_document
from pipelines.storage.schema import article_schema, ensure_validator

ARTICLES = "articles"
# Fields fixed when an article is first stored; everything else is refreshed on every visit.
INSERT_ONLY = ("first_seen_at",)


def resolve_uri(config: StoreConfig) -> str:
    """The URI to connect to: MONGO_URI, or the embedded store started on demand."""
    return config.uri or ensure_running(config.data_dir)


SELECT_TIMEOUT_MS = 10_000  # how long the commands reading the store wait for an unreachable one


def client_for(config: StoreConfig, select_timeout_ms: int | None = None) -> pymongo.MongoClient:
    """A client of the configured store for the commands that read it (export, reextract, report, search, summary,
    `make demo`): each reply may take up to STORE_COMMAND_TIMEOUT_MS (pymongo's socketTimeoutMS; their reads sort and
    scan the whole store, so it is long), then the command ends with an error instead of waiting for ever."""
    return pymongo.MongoClient(resolve_uri(config), tz_aware=True,
                               serverSelectionTimeoutMS=select_timeout_ms or SELECT_TIMEOUT_MS,
                               socketTimeoutMS=config.command_timeout_ms)


def connect(config: StoreConfig, select_timeout_ms: int | None = None) -> Database:
    """Open the configured database (client_for)."""
    return client_for(config, select_timeout_ms)[config.database]


def ensure_indexes(db: Database) -> None:
    """Apply the article schema validator and create the indexes every query and upsert relies on (idempotent)."""
    ensure_validator(db, ARTICLES, article_schema())
    articles = db[ARTICLES]
    articles.create_index("url_hash", unique=True, name="url_hash_unique")
    articles.create_index([("site", pymongo.ASCENDING), ("published_at", pymongo.DESCENDING)],
                          name="site_published_at")
    articles.create_index("tokens", name="tokens")
    articles.create_index("story_id", name="story_id")
    articles.create_index([("first_seen_at", pymongo.ASCENDING), ("_id", pymongo.ASCENDING)],
                          name="first_seen_at_id")  # the export cursor's order


def article_document(article: Any) -> dict[str, Any]:
    """An Article (dataclass or mapping) as the dict stored in MongoDB."""
    # A shallow copy: asdict's deep copy of every list was 4% of the reactor thread, and the outbox copies the
    # document again when it sanitizes it.
    if dataclasses.is_dataclass(article):
        return {f.name: getattr(article, f.name) for f in dataclasses.fields(article)}
    return dict(article)


def upsert_operation(doc: Mapping[str, Any], now: datetime, on_insert: Mapping[str, Any] | None = None,
                     push: Mapping[str, Any] | None = None) -> UpdateOne:
    """The idempotent upsert for one article document (sanitized: pipelines.storage.sanitize), plus fields set only
    on insert and values to append."""
    fields = {k: v for k, v in sanitize_document(doc).items() if k not in INSERT_ONLY and k != "_id"}
    fields["last_seen_at"] = now
    update: dict[str, Any] = {"$set": fields, "$setOnInsert": {"first_seen_at": now, **(on_insert or {})}}
    if push:
        update["$push"] = dict(push)
    return UpdateOne({"url_hash": doc["url_hash"]}, update, upsert=True)
