"""One batch of articles into the store: compared with what is stored (new / updated / unchanged), with a
history of the counters appended only when one of them changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import InsertOne, UpdateOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from pipelines.storage.articles import ARTICLES, INSERT_ONLY, upsert_operation
from pipelines.storage.sanitize import sanitize_document

COUNTERS = ("views", "comments", "shares")
HISTORY = "counts_history"
DUPLICATE_KEY = 11000
# Not content: they change on every visit, or are written by the store itself.
_NOT_COMPARED = frozenset({"_id", "fetched_at", "first_seen_at", "last_seen_at", HISTORY})


@dataclass(frozen=True)
class BatchResult:
    """How the stored articles changed: new, updated (some field differs) or unchanged."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


def same_stored_value(a: Any, b: Any) -> bool:
    """Whether two values are equal as stored: datetimes to the millisecond MongoDB keeps, naive ones read as UTC."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        a, b = (x if x.tzinfo else x.replace(tzinfo=UTC) for x in (a, b))
        return abs(a - b) < timedelta(milliseconds=1)  # MongoDB keeps milliseconds
    return a == b


def changed_fields(doc: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    """The content fields whose value differs from the stored document."""
    return [k for k, v in doc.items() if k not in _NOT_COMPARED and not same_stored_value(v, stored.get(k))]


def counts_entry(doc: Mapping[str, Any], at: datetime) -> dict[str, Any] | None:
    """One history entry {at, views, comments, shares}; None when the page shows no counter."""
    values = {k: doc.get(k) for k in COUNTERS}
    return {"at": at, **values} if any(v is not None for v in values.values()) else None


def history_update(doc: Mapping[str, Any], stored: Mapping[str, Any] | None,
                   now: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    """The history to set on insert and to append on update: only when a counter changed."""
    entry = counts_entry(doc, now)
    if entry is None:
        return {}, {}
    if stored is None:
        return {HISTORY: [entry]}, {}
    if all(same_stored_value(doc.get(k), stored.get(k)) for k in COUNTERS):
        return {}, {}
    # An article stored before histories existed starts its history with the counts it was stored with.
    seed = None if stored.get(HISTORY) else counts_entry(stored, stored.get("last_seen_at") or now)
    return {}, {HISTORY: {"$each": [e for e in (seed, entry) if e]}}


def _insert_document(doc: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The whole stored document of an article seen for the first time (what its upsert would have made)."""
    fields = {k: v for k, v in sanitize_document(doc).items() if k not in INSERT_ONLY and k != "_id"}
    entry = counts_entry(fields, now)
    return {**fields, "last_seen_at": now, "first_seen_at": now, **({HISTORY: [entry]} if entry else {})}


def revisit_update(doc: Mapping[str, Any], stored: Mapping[str, Any],
                   now: datetime) -> tuple[dict[str, Any], list[str]]:
    """The update of a stored article from a new visit, and the content fields it changes. Only changed fields are
    set: rewriting unchanged ones (the token list above all) costs the store a rewrite of their index entries. A
    counter the page no longer shows (a broken layout) keeps its stored value."""
    fresh = sanitize_document(doc)
    for counter in COUNTERS:
        if fresh.get(counter) is None and stored.get(counter) is not None:
            fresh[counter] = stored[counter]
    changed = changed_fields(fresh, stored)
    fields = {k: fresh[k] for k in changed}
    fields.update(last_seen_at=now, **({"fetched_at": fresh["fetched_at"]} if "fetched_at" in fresh else {}))
    _, push = history_update(fresh, stored, now)
    return {"$set": fields, **({"$push": push} if push else {})}, changed


def _duplicate_key_indexes(error: BulkWriteError) -> list[int]:
    """The positions of the inserts another writer got in first; raises the error if anything else failed."""
    failed = error.details.get("writeErrors", [])
    if any(e.get("code") != DUPLICATE_KEY for e in failed) or error.details.get("writeConcernErrors"):
        raise error
    return [e["index"] for e in failed]


def write_articles(db: Database, docs: Sequence[Mapping[str, Any]], now: datetime | None = None) -> BatchResult:
    """Store a batch with one $in read of the stored versions and one bulk write: new articles are inserted, stored
    ones get only what changed. An article another writer inserted in between is written again as an upsert."""
    if not docs:
        return BatchResult()
    now = now or datetime.now(UTC)
    hashes = [d["url_hash"] for d in docs]
    stored = {d["url_hash"]: d for d in db[ARTICLES].find({"url_hash": {"$in": hashes}}, {"_id": 0})}
    ops: list[InsertOne | UpdateOne] = []
    new = updated = 0
    for doc in docs:
        old = stored.get(doc["url_hash"])
        if old is None:
            ops.append(InsertOne(_insert_document(doc, now)))
            new += 1
            continue
        update, changed = revisit_update(doc, old, now)
        ops.append(UpdateOne({"url_hash": doc["url_hash"]}, update))
        updated += bool(changed)
    try:
        db[ARTICLES].bulk_write(ops, ordered=False)
    except BulkWriteError as error:
        raced = [docs[i] for i in _duplicate_key_indexes(error)]
        history = {d["url_hash"]: d for d in db[ARTICLES].find({"url_hash": {"$in": [d["url_hash"] for d in raced]}})}
        db[ARTICLES].bulk_write([upsert_operation(d, now, *history_update(d, history.get(d["url_hash"]), now))
                                 for d in raced], ordered=False)
        new -= len(raced)
        updated += len(raced)
    return BatchResult(new, updated, len(docs) - new - updated)
