"""The in-memory candidate index of story copies: LSH band → copies, loaded from ``story_copies`` day by day.

Finding the copies that share a band with a new article is the hot part of story assignment. Asking the store for
every article costs it one multikey lookup per article whose matching cost grows with the store (the embedded
store re-checks each of the 32 bands of every hit in Python), so the candidates come from memory instead, and the
store only receives the new copies.

Only copies published within ``WINDOW`` of each other can be one story (wire copies appear within a day or two),
so an article needs the copies of its own days ± ``WINDOW`` and no more. Days are loaded on first need (one indexed
range query on ``day``) and the least recently used ones are dropped past ``MAX_COPIES`` copies, so memory stays
bounded over a backfill of years. Every copy written gets the next number of a store-wide sequence (``seq``); under
the story lease a process first reads the copies numbered after the last one it saw, so copies written by other
processes since then are in its index before it assigns anything.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pymongo import ReturnDocument, UpdateOne
from pymongo.collection import Collection
from pymongo.database import Database

WINDOW = timedelta(days=7)
MAX_COPIES = 30_000  # about 5 KB each
STORY_COPIES = "story_copies"  # one document per stored article copy: its fingerprint bands and day
COUNTERS = "counters"  # the sequence is the document {_id: "story_copies", seq: N} there
SEQUENCE_ID = "story_copies"
LOAD_FIELDS = {"story_id": 1, "bands": 1, "shingles": 1, "published_at": 1, "first_seen_at": 1, "day": 1}


@dataclass(frozen=True)
class StoryCopy:
    """One recorded copy as story assignment needs it."""

    url_hash: str
    story_id: str
    bands: tuple[int, ...]  # band_keys of the stored band strings: a third of their memory
    shingles: bytes
    order: tuple[Any, ...]  # earliest first: see copy_order
    day: date


def band_keys(bands: Iterable[str]) -> tuple[int, ...]:
    """LSH band strings (two digits of band number, then hex) as the integers the index is keyed by."""
    return tuple(int(band, 16) for band in bands)


def copy_order(published_at: datetime | None, first_seen: datetime, url_hash: str) -> tuple[Any, ...]:
    """The sort key deciding which copy came first; undated copies sort after dated ones."""
    return (published_at is None, published_at or first_seen, first_seen, url_hash)


def copy_day(published_at: datetime | None, first_seen: datetime) -> date:
    """The day a copy belongs to: its publication day, or the day it was first seen when undated."""
    moment = published_at or first_seen
    return (moment.astimezone(UTC) if moment.tzinfo else moment).date()


def stored_copy(doc: Mapping[str, Any]) -> StoryCopy:
    """A story_copies document as a StoryCopy."""
    return StoryCopy(doc["_id"], doc["story_id"], band_keys(doc["bands"]), doc["shingles"],
                     copy_order(doc.get("published_at"), doc["first_seen_at"], doc["_id"]),
                     copy_day(doc.get("published_at"), doc["first_seen_at"]))


def _days(first: date, last: date) -> Iterator[date]:
    return (first + timedelta(days=n) for n in range((last - first).days + 1))


def _runs(days: list[date]) -> Iterator[tuple[date, date]]:
    """Consecutive days grouped into (first, last) ranges."""
    start = previous = days[0]
    for day in days[1:]:
        if day != previous + timedelta(days=1):
            yield start, previous
            start = day
        previous = day
    yield start, previous


class StoryIndex:
    """Copies by LSH band, for the days loaded so far; one per process and database, used under the story lease."""

    def __init__(self, window: timedelta = WINDOW, max_copies: int = MAX_COPIES) -> None:
        self.window = window
        self.max_copies = max_copies
        self.copies: dict[str, StoryCopy] = {}
        # band → the url_hash of its only copy, or a list of them: most bands have one copy, and a set per band
        # would cost 200 bytes each
        self.by_band: dict[int, str | list[str]] = {}
        self.days: OrderedDict[date, set[str]] = OrderedDict()  # loaded days, least recently used first
        self.seq: int | None = None  # the last sequence number seen

    def candidates(self, bands: Iterable[int], day: date) -> list[StoryCopy]:
        """The copies sharing a band with bands (band_keys) and dated within the window of day."""
        found: set[str] = set()
        for band in bands:
            holders = self.by_band.get(band)
            if isinstance(holders, str):
                found.add(holders)
            elif holders:
                found.update(holders)
        return [c for c in map(self.copies.__getitem__, found) if abs(c.day - day) <= self.window]

    def add(self, copy: StoryCopy) -> None:
        """Hold a copy (replacing an earlier version of it) if its day is loaded."""
        self._remove(copy.url_hash)
        if copy.day not in self.days:
            return
        self.copies[copy.url_hash] = copy
        self.days[copy.day].add(copy.url_hash)
        for band in copy.bands:
            holders = self.by_band.setdefault(band, copy.url_hash)
            if isinstance(holders, list):
                holders.append(copy.url_hash)
            elif holders != copy.url_hash:
                self.by_band[band] = [holders, copy.url_hash]

    def _remove(self, url_hash: str) -> None:
        old = self.copies.pop(url_hash, None)
        if old is None:
            return
        self.days[old.day].discard(url_hash)
        for band in old.bands:
            holders = self.by_band[band]
            if isinstance(holders, str):
                del self.by_band[band]
                continue
            holders.remove(url_hash)
            if len(holders) == 1:
                self.by_band[band] = holders[0]

    def catch_up(self, db: Database, collection: Collection) -> None:
        """Under the lease: take in the copies other processes wrote since the last call (all, the first time)."""
        sequence = db[COUNTERS].find_one({"_id": SEQUENCE_ID}) or {"seq": 0}
        if self.seq is None:
            self.seq = sequence["seq"]
            return
        if sequence["seq"] < self.seq:  # the store was emptied or replaced under us: start again
            self.clear()
            self.seq = sequence["seq"]
            return
        if sequence["seq"] > self.seq:
            for doc in collection.find({"seq": {"$gt": self.seq}}, LOAD_FIELDS):
                self.add(stored_copy(doc))
            self.seq = sequence["seq"]

    def load_around(self, collection: Collection, days: Iterable[date]) -> None:
        """Make sure the copies of every day within the window of days are held."""
        wanted = sorted({d for day in days for d in _days(day - self.window, day + self.window)})
        for day in wanted:
            if day in self.days:
                self.days.move_to_end(day)
        missing = [day for day in wanted if day not in self.days]
        if missing:
            for first, last in _runs(missing):
                for day in _days(first, last):
                    self.days[day] = set()
                query = {"day": {"$gte": first.isoformat(), "$lte": last.isoformat()}}
                for doc in collection.find(query, LOAD_FIELDS):
                    self.add(stored_copy(doc))
        self._evict(keep=set(wanted))

    def _evict(self, keep: set[date]) -> None:
        while len(self.copies) > self.max_copies:
            day = next((d for d in self.days if d not in keep), None)
            if day is None:
                return
            for url_hash in list(self.days[day]):
                self._remove(url_hash)
            del self.days[day]

    def reserve(self, db: Database, count: int) -> int:
        """Under the lease: take count sequence numbers for copies about to be written; returns the first."""
        after = db[COUNTERS].find_one_and_update({"_id": SEQUENCE_ID}, {"$inc": {"seq": count}}, upsert=True,
                                                return_document=ReturnDocument.AFTER)
        self.seq = after["seq"]
        return after["seq"] - count + 1

    def clear(self) -> None:
        """Forget everything (after a failed write, what the store holds is not known)."""
        self.copies.clear()
        self.by_band.clear()
        self.days.clear()
        self.seq = None


def ensure_copy_indexes(db: Database) -> None:
    """Create the indexes of the story copies and give old copies their day (idempotent)."""
    copies = db[STORY_COPIES]
    if "story_bands" in copies.index_information():  # candidates now come from memory, not from this index
        copies.drop_index("story_bands")
    copies.create_index("day", name="story_day")
    copies.create_index("seq", name="story_seq")
    _backfill_days(copies)


def _backfill_days(collection: Collection) -> int:
    """Give copies recorded before days existed their day (idempotent; an indexed query when there are none)."""
    ops = [UpdateOne({"_id": doc["_id"]}, {"$set": {"day": copy_day(doc.get("published_at"),
                                                                    doc["first_seen_at"]).isoformat()}})
           for doc in collection.find({"day": None}, {"published_at": 1, "first_seen_at": 1})]
    if ops:
        collection.bulk_write(ops, ordered=False)
    return len(ops)


_SHARED: dict[tuple[str, str], StoryIndex] = {}
_SHARED_LOCK = threading.Lock()


def shared_index(store: str, database: str) -> StoryIndex:
    """The candidate index of one store and database in this process, shared by all its crawls."""
    with _SHARED_LOCK:
        return _SHARED.setdefault((store, database), StoryIndex())
