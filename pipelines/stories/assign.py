"""Story assignment: link copies of one story across outlets and crawl runs (story_id, duplicate_of), through the store.

Every article's fingerprint (``pipelines.stories.fingerprint``) goes into the ``story_copies`` collection, one small
document per article: ``_id`` = url_hash, ``story_id``, ``duplicate_of``, ``similarity``, the LSH ``bands``, the
shingle hashes, ``site``, ``published_at``, ``first_seen_at``, its ``day`` and its write sequence number ``seq``.
A new article takes the copies that share a band with it and were published within a week of it (from the
process's in-memory index, ``pipelines.stories.index``), keeps those whose exact Jaccard reaches ``SAME_STORY``, and
joins the story of the earliest of them (by published_at, then first_seen_at, then url_hash), pointing
``duplicate_of`` at it. With no such copy it starts a story whose id is its own url_hash.

Concurrent crawls (one process per outlet) must see each other's copies at once, not when the batched store
pipeline flushes seconds later, or two copies fetched in the same second would each start a story. So a batch is
assigned and written to ``story_copies`` under a store-wide lease: a lock document that only one process can
insert, released at once and expiring after ``LEASE_S`` so that a crashed holder blocks nobody for long. Holding
it, a process first reads the copies other processes wrote since its last turn (by ``seq``). The crawls of one
process share its index and take turns in memory.

Stable ids over re-rooting: a story id never changes once given. An article already in ``story_copies`` keeps
its story (its fingerprint is refreshed when it changed). A copy that arrives after its story started but was
published earlier (a backfill) joins that story, and ``duplicate_of`` points at the earliest copy it matched; it does
not become the root, so no stored document is ever rewritten. Within one batch the earliest copy goes first.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import InsertOne, UpdateOne
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from crawler.items import Article
from pipelines.storage.batch_write import same_stored_value
from pipelines.storage.config import StoreConfig
from pipelines.stories.fingerprint import SAME_STORY, Fingerprint, fingerprint, jaccard
from pipelines.stories.index import STORY_COPIES, StoryCopy, StoryIndex, band_keys, copy_day, copy_order, shared_index

LOCKS = "locks"
LEASE_ID = "story-assign"
LEASE_S = 30.0
LEASE_WAIT_S = 120.0
MAX_BATCH = 64
GATHER_S = 0.05


_PROCESS_TOKEN = uuid.uuid4().hex
_TURNS: dict[str, threading.Lock] = {}
_TURNS_LOCK = threading.Lock()


class StoryLeaseTimeout(RuntimeError):
    """Another process kept the story lease for longer than LEASE_WAIT_S."""


def lease_owner() -> str:
    """The story lease owner of this process. Every crawl in it takes turns in memory (story_lease), so the lease in
    the store is only ever contended between processes, never polled by two crawls of one process."""
    return f"{_PROCESS_TOKEN}-{os.getpid()}"


def story_index_for(config: StoreConfig) -> StoryIndex:
    """The candidate index this process keeps for the configured store and database."""
    return shared_index(config.uri or str(config.data_dir), config.database)


def _turn(owner: str) -> threading.Lock:
    with _TURNS_LOCK:
        return _TURNS.setdefault(owner, threading.Lock())


@contextmanager
def story_lease(db: Database, owner: str) -> Iterator[None]:
    """Hold the store-wide lease on story assignment, waiting for it and taking over an expired one. Callers that
    share an owner take turns in this process, so a lease of their owner found in the store was left behind (its
    release failed while the store was unreachable): it is taken over at once instead of waiting for it to expire."""
    with _turn(owner), _store_lease(db, owner):
        yield


@contextmanager
def _store_lease(db: Database, owner: str) -> Iterator[None]:
    locks = db[LOCKS]
    deadline = time.monotonic() + LEASE_WAIT_S
    while True:
        try:
            locks.insert_one({"_id": LEASE_ID, "owner": owner, "until": datetime.now(UTC) + timedelta(seconds=LEASE_S)})
            break
        except DuplicateKeyError:
            if locks.delete_one({"_id": LEASE_ID, "owner": owner}).deleted_count:
                continue
        pause = 0.002
        # Wait with reads, which cost the store far less than failed inserts, until the lease is free or expired.
        while (held := locks.find_one({"_id": LEASE_ID}, {"until": 1})) is not None:
            if held["until"] < datetime.now(UTC):
                locks.delete_one({"_id": LEASE_ID, "until": held["until"]})
                break
            if time.monotonic() > deadline:
                raise StoryLeaseTimeout(f"story lease busy for {LEASE_WAIT_S:.0f}s")
            time.sleep(pause)
            pause = min(2 * pause, 0.02)
    try:
        yield
    finally:
        locks.delete_one({"_id": LEASE_ID, "owner": owner})


def _earliest_match(article: Article, fp: Fingerprint, keys: tuple[int, ...],
                    pool: Iterable[StoryCopy]) -> tuple[StoryCopy, float] | None:
    bands = set(keys)
    matches = []
    for copy in pool:
        if copy.url_hash != article.url_hash and not bands.isdisjoint(copy.bands):
            similarity = jaccard(fp.shingles, copy.shingles)
            if similarity >= SAME_STORY:
                matches.append((copy, similarity))
    return min(matches, key=lambda m: m[0].order, default=None)


def _record(article: Article, fp: Fingerprint | None, stored: dict[str, Any] | None, first_seen: datetime,
            seq: int) -> InsertOne | UpdateOne:
    """The write recording an article's copy: an insert when new, an update of a known one."""
    fields = {"story_id": article.story_id, "duplicate_of": article.duplicate_of,
              "similarity": article.story_similarity, "site": article.site, "published_at": article.published_at,
              "bands": list(fp.bands) if fp else [], "shingles": fp.shingles if fp else b"", "seq": seq,
              "day": copy_day(article.published_at, first_seen).isoformat()}
    if stored is None:
        return InsertOne({"_id": article.url_hash, **fields, "first_seen_at": first_seen})
    return UpdateOne({"_id": article.url_hash}, {"$set": fields})


def _unchanged(article: Article, fp: Fingerprint | None, stored: dict[str, Any] | None) -> bool:
    return (stored is not None and stored.get("shingles") == (fp.shingles if fp else b"")
            and same_stored_value(stored.get("published_at"), article.published_at))


def _assign_one(article: Article, fp: Fingerprint | None, keys: tuple[int, ...], stored: dict[str, Any] | None,
                pool: Iterable[StoryCopy]) -> str:
    """Set the story fields of one article; returns what it was (known, copy, new, short)."""
    if stored is not None:
        article.story_id, article.duplicate_of = stored["story_id"], stored["duplicate_of"]
        article.story_similarity = stored["similarity"]
        return "known"
    if fp and (match := _earliest_match(article, fp, keys, pool)):
        root, article.story_similarity = match
        article.story_id, article.duplicate_of = root.story_id, root.url_hash
        return "copy"
    article.story_id, article.duplicate_of, article.story_similarity = article.url_hash, None, None
    return "new" if fp else "short"


def assign_stories(db: Database, articles: Sequence[Article], owner: str,
                   index: StoryIndex | None = None) -> Counter[str]:
    """Set story_id, duplicate_of, story_similarity on the articles and record them; needs a tz_aware client.
    index: the process's candidate index (pipelines.stories.index); without one, a fresh one is loaded for the call."""
    index = index if index is not None else StoryIndex()
    prints = {a.url_hash: fingerprint(a.body_folded) for a in articles}
    copies = db[STORY_COPIES]
    with story_lease(db, owner):
        try:
            index.catch_up(db, copies)
            index.load_around(copies, [copy_day(a.published_at, a.fetched_at) for a in articles if prints[a.url_hash]])
            known = {d["_id"]: d for d in copies.find({"_id": {"$in": list(prints)}}, {"bands": 0})}
            first_seen = {a.url_hash: known[a.url_hash]["first_seen_at"] if a.url_hash in known else a.fetched_at
                          for a in articles}
            outcome: Counter[str] = Counter()
            batch: list[StoryCopy] = []  # copies assigned in this batch, candidates for the rest of it
            # Known articles first, so that new ones in the same batch can match them.
            for article in sorted(articles, key=lambda a: (a.url_hash not in known, copy_order(
                    a.published_at, first_seen[a.url_hash], a.url_hash))):
                fp, seen = prints[article.url_hash], first_seen[article.url_hash]
                day, keys = copy_day(article.published_at, seen), band_keys(fp.bands) if fp else ()
                stored = [c for c in index.candidates(keys, day) if c.url_hash not in prints]
                outcome[_assign_one(article, fp, keys, known.get(article.url_hash), [*batch, *stored])] += 1
                if fp:
                    batch.append(StoryCopy(article.url_hash, article.story_id, keys, fp.shingles,
                                           copy_order(article.published_at, seen, article.url_hash), day))
            # An article twice in a batch is recorded once; a known copy still the same is not rewritten.
            changed = [a for a in {a.url_hash: a for a in articles}.values()
                       if not _unchanged(a, prints[a.url_hash], known.get(a.url_hash))]
            if changed:
                first = index.reserve(db, len(changed))
                copies.bulk_write([_record(a, prints[a.url_hash], known.get(a.url_hash), first_seen[a.url_hash],
                                           first + n) for n, a in enumerate(changed)], ordered=False)
            for copy in batch:
                index.add(copy)
        except Exception:
            index.clear()  # what the store holds now is not known: reload on the next call
            raise
    return outcome


