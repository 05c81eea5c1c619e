"""Every write of a crawl (articles, its run record, crawl errors) goes through its outbox: made at once while the
store answers, appended to the site's spill journal (pipelines.delivery.spill) while it does not. Whenever the store
answers again, and at the start of every run, every journal under `<AKHBAR_DATA_DIR>/spill/` is replayed in order with
the same idempotent upserts, then emptied; an article stored twice is stored once. Articles journaled without a story
get one on delivery. A document the store refuses for good is set aside (`spill/rejected.jsonl.dead`) and reported,
so it never blocks a journal.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import re
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymongo import UpdateOne
from pymongo.database import Database
from scrapy.crawler import Crawler

from crawler.items import Article
from pipelines.delivery.spill import SpillJournal, encode_record
from pipelines.storage.batch_write import write_articles
from pipelines.storage.config import mask_secrets, store_config
from pipelines.storage.link import StoreLink, describe, link_for, unavailable
from pipelines.storage.sanitize import sanitize_document
from pipelines.stories.assign import StoryLeaseTimeout, assign_stories, lease_owner, story_index_for
from pipelines.stories.index import StoryIndex

logger = logging.getLogger(__name__)
ARTICLE, RUN, ERROR = "article", "run", "error"
CRAWL_RUNS, CRAWL_ERRORS = "crawl_runs", "crawl_errors"
SPILL_DIR = "spill"
DEAD_LETTERS = "rejected.jsonl.dead"
CHUNK = 100  # records per store round trip when replaying
_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
_ARTICLE_REQUIRED = frozenset(f.name for f in dataclasses.fields(Article)
                              if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)


def record(op: str, doc: Mapping[str, Any]) -> dict[str, Any]:
    """A journal record: what to do (article, run, error) and the document."""
    return {"op": op, "doc": dict(doc)}


def _clean(op: str, doc: Mapping[str, Any]) -> dict[str, Any]:
    """Storable, and for run records and errors (which quote settings and exceptions) free of URI passwords."""
    doc = sanitize_document(doc)
    return doc if op == ARTICLE else mask_secrets(doc)


def _valid(line: Any) -> bool:
    """Whether a journal line is a record that can be delivered (anything else is set aside, never retried)."""
    if not (isinstance(line, dict) and isinstance(doc := line.get("doc"), dict)):
        return False
    if line.get("op") == ARTICLE:
        # An article record must make an Article (stories are assigned on one), or it would fail every replay.
        return (all(isinstance(doc.get(k), str) for k in ("url", "url_hash"))
                and _ARTICLE_REQUIRED <= set(doc) <= set(_ARTICLE_FIELDS))
    return line.get("op") in (RUN, ERROR) and "_id" in doc


@dataclass
class Delivery:
    """What one call did: articles written (new / updated / unchanged), records journaled and replayed."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    journaled: int = 0
    replayed: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (url or id, reason): refused by the store


class Outbox:
    """Deliver records to the store, or journal them until it answers; one per crawl, safe from any thread."""

    def __init__(self, link: StoreLink, journal: SpillJournal, stats: Any = None, owner: str | None = None,
                 index: StoryIndex | None = None) -> None:
        self.link = link
        self.journal = journal
        self.stats = stats
        self.owner = owner or lease_owner()  # for the stories of articles journaled without one
        self.index = index
        self.maybe_pending = True  # some journal may hold records: replay before the next write
        self._lock = threading.Lock()

    def put(self, records: Sequence[Mapping[str, Any]], force: bool = False, probe: bool = True) -> Delivery:
        """Replay the journals when they may hold records, then write these; journal them if the store is down
        (probing it again first when the backoff allows, now with force, not with probe=False)."""
        records = [{"op": r["op"], "doc": _clean(r["op"], r["doc"])} for r in records]
        result = Delivery()
        with self._lock:
            db = self.link.database(force=force, probe=probe)
            if db is not None:
                try:
                    if self.maybe_pending:
                        self._replay_all(db, result)
                    self._deliver(db, records, result)
                    return result
                except Exception as exc:
                    if not unavailable(exc):
                        raise
                    self.link.failed(exc)
            if records:
                self.journal.append(records)
                self.maybe_pending = True
                result.journaled = len(records)
                self._count("akhbar/spill/journaled", len(records))
        return result

    def replay(self, force: bool = False) -> Delivery:
        """Deliver whatever the journals hold, if the store answers (probing it now with force)."""
        return self.put([], force=force)

    def waiting(self) -> Counter[str]:
        """Records this crawl's journal holds, by op ('corrupt' for undecodable lines)."""
        with self._lock, self.journal.reading() as records:
            return Counter(r.get("op", "corrupt") if isinstance(r, dict) else "corrupt" for r in records)

    def _count(self, key: str, n: int) -> None:
        if self.stats is not None and n:
            self.stats.inc_value(key, n)

    def _replay_all(self, db: Database, result: Delivery) -> None:
        for path in sorted(self.journal.path.parent.glob("*.jsonl"), key=lambda p: p.stat().st_mtime):
            replayed = 0
            with SpillJournal(path).draining() as records:
                while chunk := list(itertools.islice(records, CHUNK)):
                    good = [r for r in chunk if _valid(r)]
                    self._set_aside(path.with_suffix(".jsonl.corrupt"), [r for r in chunk if not _valid(r)])
                    self._deliver(db, good, result)
                    replayed += len(good)
            if replayed:
                logger.info("replayed %d journaled records from %s", replayed, path)
            result.replayed += replayed
            self._count("akhbar/spill/replayed", replayed)
        self.maybe_pending = False

    def _set_aside(self, path: Path, lines: Sequence[Any]) -> None:
        if not lines:
            return
        logger.error("%d undeliverable lines of a spill journal moved to %s", len(lines), path)
        self._count("akhbar/spill/corrupt", len(lines))
        with open(path, "ab") as handle:
            handle.writelines(line if isinstance(line, bytes) else encode_record(line if isinstance(line, dict)
                                                                                  else {"bad": repr(line)})
                              for line in lines)

    def _deliver(self, db: Database, records: Iterable[Mapping[str, Any]], result: Delivery) -> None:
        for op, group in itertools.groupby(records, key=lambda r: r["op"]):
            docs = [r["doc"] for r in group]
            if op == ARTICLE:
                self._articles(db, docs, result)
            elif op == RUN:
                for doc in docs:
                    rest = {k: v for k, v in doc.items() if k != "_id"}
                    db[CRAWL_RUNS].update_one({"_id": doc["_id"]}, {"$set": rest}, upsert=True)
            else:
                db[CRAWL_ERRORS].bulk_write([UpdateOne({"_id": d["_id"]}, {"$setOnInsert": {
                    k: v for k, v in d.items() if k != "_id"}}, upsert=True) for d in docs], ordered=False)

    def _articles(self, db: Database, docs: list[dict[str, Any]], result: Delivery) -> None:
        docs = list({d["url_hash"]: d for d in docs}.values())  # the latest version of an article wins
        unassigned = [d for d in docs if d.get("story_id") is None]
        if unassigned:
            self._assign_stories(db, unassigned)
        try:
            batches = [write_articles(db, docs)]
        except Exception as exc:
            if unavailable(exc):
                raise
            batches = self._one_by_one(db, docs, result)
        for batch in batches:
            result.new += batch.new
            result.updated += batch.updated
            result.unchanged += batch.unchanged

    def _assign_stories(self, db: Database, docs: list[dict[str, Any]]) -> None:
        articles = [Article(**{k: d[k] for k in _ARTICLE_FIELDS if k in d}) for d in docs]
        try:
            outcome = assign_stories(db, articles, self.owner, self.index)
        except StoryLeaseTimeout as exc:
            logger.warning("%d articles stored without a story: %s", len(docs), exc)
            return
        for doc, article in zip(docs, articles, strict=True):
            doc.update(story_id=article.story_id, duplicate_of=article.duplicate_of,
                       story_similarity=article.story_similarity)
        for kind, n in outcome.items():
            self._count(f"akhbar/stories/{kind}", n)

    def _one_by_one(self, db: Database, docs: list[dict[str, Any]], result: Delivery) -> list[Any]:
        batches = []
        for doc in docs:
            try:
                batches.append(write_articles(db, [doc]))
            except Exception as exc:
                if unavailable(exc):
                    raise
                reason = describe(exc)
                logger.error("the store refused %s (%s); set aside in %s", doc.get("url"), reason, DEAD_LETTERS)
                self.journal.path.parent.mkdir(parents=True, exist_ok=True)
                with open(self.journal.path.parent / DEAD_LETTERS, "ab") as handle:
                    handle.write(encode_record({"reason": reason, **record(ARTICLE, doc)}))
                result.rejected.append((str(doc.get("url")), reason))
        return batches


def journal_path(data_dir: Path, site: str) -> Path:
    """The spill journal of a site under the data directory."""
    return data_dir / SPILL_DIR / (re.sub(r"[^\w.-]", "_", site).lstrip(".") + ".jsonl")


_OUTBOXES: weakref.WeakKeyDictionary[Crawler, Outbox] = weakref.WeakKeyDictionary()
_OUTBOXES_LOCK = threading.Lock()


def outbox_for(crawler: Crawler) -> Outbox:
    """The outbox of a crawl (created when first asked for, once its spider exists)."""
    with _OUTBOXES_LOCK:
        if crawler not in _OUTBOXES:
            config = store_config(crawler.settings)
            spider = crawler.spider
            site = str(getattr(spider, "site", None) or getattr(spider, "name", "crawl"))
            link = link_for(crawler.settings)
            _OUTBOXES[crawler] = Outbox(link, SpillJournal(journal_path(config.data_dir, site)), crawler.stats,
                                        index=story_index_for(config))
        return _OUTBOXES[crawler]
