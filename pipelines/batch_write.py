"""One batch of articles into the store: compared with what is stored (new / updated / unchanged), with a
history of the counters appended only when one of them changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.database import Database

from pipelines.store import ARTICLES, upsert_operation

COUNTERS = ("views", "comments", "shares")
HISTORY = "counts_history"
# Not content: they change on every visit, or are written by the store itself.
_NOT_COMPARED = frozenset({"_id", "fetched_at", "first_seen_at", "last_seen_at", HISTORY})


@dataclass(frozen=True)
class BatchResult:
    """How the stored articles changed: new, updated (some field differs) or unchanged."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        a, b = (x if x.tzinfo else x.replace(tzinfo=UTC) for x in (a, b))
        return abs(a - b) < timedelta(milliseconds=1)  # MongoDB keeps milliseconds
    return a == b


def changed_fields(doc: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    """The content fields whose value differs from the stored document."""
    return [k for k, v in doc.items() if k not in _NOT_COMPARED and not _same(v, stored.get(k))]


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
    if all(_same(doc.get(k), stored.get(k)) for k in COUNTERS):
        return {}, {}
    # An article stored before histories existed starts its history with the counts it was stored with.
    seed = None if stored.get(HISTORY) else counts_entry(stored, stored.get("last_seen_at") or now)
    return {}, {HISTORY: {"$each": [e for e in (seed, entry) if e]}}


def write_articles(db: Database, docs: Sequence[Mapping[str, Any]], now: datetime | None = None) -> BatchResult:
    """Upsert a batch with one $in read of the stored versions and one bulk write."""
    if not docs:
        return BatchResult()
    now = now or datetime.now(UTC)
    stored = {d["url_hash"]: d for d in db[ARTICLES].find({"url_hash": {"$in": [d["url_hash"] for d in docs]}},
                                                           {"_id": 0})}
    ops = []
    new = updated = 0
    for doc in docs:
        old = stored.get(doc["url_hash"])
        on_insert, push = history_update(doc, old, now)
        ops.append(upsert_operation(doc, now, on_insert=on_insert, push=push))
        new += old is None
        updated += old is not None and bool(changed_fields(doc, old))
    db[ARTICLES].bulk_write(ops, ordered=False)
    return BatchResult(new, updated, len(docs) - new - updated)
