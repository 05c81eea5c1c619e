"""Normalization docs/s on one core for 5 KB bodies, and story dedup cost per article against a real store."""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymongo
from pymongo.database import Database
from scrapy.utils.project import get_project_settings

from crawler.items import Article, url_hash
from pipelines.arabic.normalize import normalize_article
from pipelines.storage.articles import ensure_indexes
from pipelines.storage.config import store_config
from pipelines.storage.embedded import free_port, start_daemon, stop_process, uri_for
from pipelines.stories.assign import assign_stories
from pipelines.stories.fingerprint import fingerprint
from pipelines.stories.index import COUNTERS, STORY_COPIES, StoryIndex, ensure_copy_indexes
from tests.demosite.model import generate_site

BODY_BYTES = 5 * 1024
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def bodies(count: int, seed: int = 7) -> list[str]:
    """Distinct article bodies of at least BODY_BYTES of UTF-8, made of demo-site paragraphs."""
    paragraphs = [p for specs in generate_site().values() for spec in specs for p in spec.paragraphs]
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        picked: list[str] = []
        while len("\n".join(picked).encode()) < BODY_BYTES:
            picked.append(rng.choice(paragraphs))
        out.append("\n".join(picked))
    return out


def article(n: int, body: str, site: str = "bench") -> Article:
    """A bare Article around a body, as extraction would hand it to normalization."""
    url = f"http://{site}.example/news/{n}"
    return Article(url=url, url_hash=url_hash(url), canonical_url=None, site=site, title=f"خبر رقم {n}", body=body,
                   author=None, published_at=T0 + timedelta(minutes=n), published_local=None,
                   published_at_source=None, modified_at=None, views=None, comments=None, shares=None, agencies=[],
                   agency_is_staff=False, dateline_place=None, language="ar", lead_image=None, tags=[],
                   category=None, fetched_at=T0 + timedelta(minutes=n))


def normalize_rate(docs: list[str], rounds: int) -> float:
    """Best docs/s of normalize_article over rounds, in CPU time of this process (one core)."""
    best = 0.0
    for _ in range(rounds):
        batch = [article(i, body) for i, body in enumerate(docs)]
        started = time.process_time()
        for item in batch:
            normalize_article(item)
        best = max(best, len(batch) / (time.process_time() - started))
    return best


@contextmanager
def bench_store() -> Iterator[Database]:
    """A scratch database: on MONGO_URI when set, else on a daemon of our own; removed afterwards."""
    name = f"akhbar_bench_{uuid.uuid4().hex[:8]}"
    uri = store_config(get_project_settings()).uri
    if uri:
        client: pymongo.MongoClient = pymongo.MongoClient(uri, tz_aware=True)
        try:
            yield client[name]
        finally:
            client.drop_database(name)
            client.close()
        return
    storage = Path(tempfile.mkdtemp(prefix="akhbar-bench-"))
    port = free_port()
    proc = start_daemon(storage / "db", port, storage / "daemon.log")
    client = pymongo.MongoClient(uri_for(port), tz_aware=True)
    try:
        yield client[name]
    finally:
        client.close()
        stop_process(proc.pid)
        shutil.rmtree(storage, ignore_errors=True)


def dedup_ms(db: Database, docs: list[str], stored: int, batch: int) -> float:
    """Fill the store with `stored` articles, then time the rest of docs, a third of them wire copies, in ms each."""
    ensure_indexes(db)
    ensure_copy_indexes(db)
    index = StoryIndex()  # the candidate index a crawl process keeps
    fill = [normalize_article(article(i, body)) for i, body in enumerate(docs[:stored])]
    for start in range(0, len(fill), 100):
        assign_stories(db, fill[start:start + 100], "bench-fill", index)
    probe = [normalize_article(article(stored + i, fill[i].body if i % 3 == 0 else body, "copy" if i % 3 == 0 else
                                       "bench"))
             for i, body in enumerate(docs[stored:])]
    started = time.perf_counter()
    for start in range(0, len(probe), batch):
        assign_stories(db, probe[start:start + batch], f"bench-{batch}", index)
    db.drop_collection(STORY_COPIES)
    db.drop_collection(COUNTERS)
    return 1000 * (time.perf_counter() - started) / len(probe)


def main(argv: list[str] | None = None) -> int:
    """Print normalization docs/s and dedup ms/article; the last line is machine-readable."""
    parser = argparse.ArgumentParser(prog="python -m bench.normalize", description=__doc__)
    parser.add_argument("--docs", type=int, default=2000, help="5 KB bodies to normalize per round")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many rounds is reported")
    parser.add_argument("--stored", type=int, default=2000, help="articles in the store before dedup is timed")
    parser.add_argument("--measured", type=int, default=300, help="articles whose dedup is timed")
    args = parser.parse_args(argv)
    docs = bodies(args.docs)
    normalize_article(article(0, docs[0]))  # warm-up
    rate = normalize_rate(docs, args.rounds)
    print(f"normalize: {len(docs)} bodies of >= {BODY_BYTES} B UTF-8, best of {args.rounds}: {rate:,.0f} docs/s")
    folded = [normalize_article(article(i, body)).body_folded for i, body in enumerate(docs[:500])]
    started = time.process_time()
    for text in folded:
        fingerprint(text)
    print(f"fingerprint alone: {1000 * (time.process_time() - started) / len(folded):.2f} ms/article (CPU)")
    dedup_docs = bodies(args.stored + args.measured, seed=11)
    with bench_store() as db:
        single = dedup_ms(db, dedup_docs, args.stored, batch=1)
        batched = dedup_ms(db, dedup_docs, args.stored, batch=16)
    print(f"dedup with {args.stored} stored articles: {single:.2f} ms/article one at a time, "
          f"{batched:.2f} ms/article in batches of 16 (fingerprint, lease, candidate lookup, write)")
    print(f"normalize_docs_per_s={rate:.0f} dedup_ms_per_article={single:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
