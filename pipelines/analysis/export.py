"""`scrapy export`: stream articles to JSONL, CSV or Parquet in ingestion order, and print a cursor.

The order is (first_seen_at, _id): an article inserted after an export has a later first_seen_at than anything
that export wrote, so `--after CURSOR` takes exactly what is new. first_seen_at is the crawler's clock when it
writes a batch, and concurrent crawls commit their batches in any order; articles first seen in the last
`--lag` seconds are therefore left for the next run, so that a batch still being written cannot be jumped over.
An export that finds nothing leaves an existing file alone, and tells how many articles the lag held back.
"""

from __future__ import annotations

import base64
import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from pymongo.database import Database
from tqdm import tqdm

from pipelines.analysis.export_formats import CsvWriter, JsonlWriter, ParquetWriter, Writer
from pipelines.storage.articles import ARTICLES, connect
from pipelines.storage.config import StoreConfig
from pipelines.storage.schema import schema_fields

ORDER = [("first_seen_at", 1), ("_id", 1)]
BATCH = 500
DEFAULT_LAG_S = 60.0


@dataclass(frozen=True)
class Cursor:
    """Where an export stopped: the last exported article's first_seen_at and _id."""

    first_seen_at: datetime
    id: ObjectId

    def encode(self) -> str:
        """The opaque form printed for the next run."""
        text = f"{self.first_seen_at.isoformat()}|{self.id}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Parse a printed cursor; ValueError when it is not one."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            when, oid = raw.split("|")
            first_seen_at = datetime.fromisoformat(when)
            if first_seen_at.tzinfo is None:
                raise ValueError("no timezone")
            return cls(first_seen_at, ObjectId(oid))
        except (ValueError, UnicodeDecodeError, InvalidId) as exc:
            raise ValueError(f"not an export cursor: {text!r}") from exc


def horizon(lag_s: float) -> datetime:
    """The end of what an export takes: articles first seen in the last lag_s seconds are left for the next run."""
    return datetime.now(UTC) - timedelta(seconds=lag_s)


@dataclass(frozen=True)
class Exported:
    """What an export did: articles written, the cursor after the last one, whether the file was written (an export
    of nothing leaves an existing file alone), and the matching articles the lag left for the next export."""

    count: int
    last: Cursor | None
    written: bool
    held_back: int = 0


def export_query(sites: list[str] | None, published: dict[str, datetime], after: Cursor | None,
                 horizon: datetime) -> dict[str, Any]:
    """Articles of the sites published in the range, first seen from the cursor up to the horizon."""
    seen: dict[str, datetime] = {"$lt": horizon}
    if after:
        seen["$gte"] = after.first_seen_at  # ties with the cursor are skipped while reading: index-friendly
    query: dict[str, Any] = {"first_seen_at": seen}
    if sites:
        query["site"] = {"$in": sites}
    if published:
        query["published_at"] = published
    return query


def held_back_query(query: dict[str, Any], after: Cursor | None) -> dict[str, Any]:
    """The articles an export query leaves for the next export: those matching it, after the cursor, but first seen
    after its horizon."""
    held = {**query, "first_seen_at": {"$gte": query["first_seen_at"]["$lt"]}}
    if after:
        held["$or"] = [{"first_seen_at": {"$gt": after.first_seen_at}},
                       {"first_seen_at": after.first_seen_at, "_id": {"$gt": after.id}}]
    return held


def read_articles(db: Database, query: dict[str, Any], after: Cursor | None) -> Iterator[dict[str, Any]]:
    """Matching articles in cursor order, restricted to the schema's fields, strictly after the cursor."""
    fields = schema_fields()
    found = db[ARTICLES].find(query, dict.fromkeys(fields, 1)).sort(ORDER).batch_size(BATCH).allow_disk_use(True)
    for doc in found:
        if after and doc["first_seen_at"] == after.first_seen_at and doc["_id"] <= after.id:
            continue
        yield {f: doc.get(f) for f in fields}


def export(db: Database, writer: Writer, query: dict[str, Any], after: Cursor | None,
           progress: tqdm | None = None) -> tuple[int, Cursor | None]:
    """Write every matching article in batches; returns how many and the cursor after the last one."""
    progress = progress or tqdm(disable=True)
    count, last, batch = 0, after, []
    for doc in read_articles(db, query, after):
        batch.append(doc)
        last = Cursor(doc["first_seen_at"], doc["_id"])
        if len(batch) == BATCH:
            writer.write(batch)
            count += len(batch)
            progress.update(len(batch))
            batch = []
    writer.write(batch)
    progress.update(len(batch))
    return count + len(batch), last


@contextlib.contextmanager
def open_writer(fmt: str, path: Path) -> Iterator[Writer]:
    """A writer on path; the file is closed whatever happens."""
    if fmt == "parquet":
        parquet = ParquetWriter(path)
        try:
            yield parquet
        finally:
            parquet.close()
        return
    with path.open("w", encoding="utf-8", newline="") as out:
        yield JsonlWriter(out) if fmt == "jsonl" else CsvWriter(out, schema_fields())


def export_to_file(config: StoreConfig, fmt: str, out: Path, query: dict[str, Any], after: Cursor | None,
                   progress: bool = False) -> Exported:
    """Export the matching articles of the store to out (written beside it, then renamed: replaced only when
    complete). An export of nothing leaves an existing out alone (a file with no rows is written only where there
    was none) and counts the articles the lag held back. Store errors (PyMongoError, StoreError) and file errors
    (OSError) leave no partial file behind."""
    partial = out.with_name(f".{out.name}.partial")
    try:
        db = connect(config)
        total = db[ARTICLES].count_documents(query)
        with tqdm(total=total, unit=" articles", file=sys.stderr, disable=not progress) as bar, \
                open_writer(fmt, partial) as writer:
            count, last = export(db, writer, query, after, bar)
        held = db[ARTICLES].count_documents(held_back_query(query, after))
        written = count > 0 or not out.exists()
        if written:
            os.replace(partial, out)
        else:
            partial.unlink()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Exported(count, last, written, held)


def describe_export(result: Exported, out: Path, lag_s: float, after: Cursor | None) -> str:
    """The line an export prints on stderr: how many articles went where, and when it found nothing, why (naming
    --lag when the lag held articles back) and what became of the file."""
    lag = f"first seen in the last {lag_s:g} s (--lag), are left for the next export"
    if result.count:
        more = f"; {result.held_back} more, {lag}" if result.held_back else ""
        return f"exported {result.count} articles to {out}{more}"
    if result.held_back:
        why = (f"the {result.held_back} matching articles were all {lag} (once no crawl is writing, --lag 0 takes "
               "them now)")
    else:
        why = "no article matches" + (" after the cursor (--after): nothing new since the last export" if after
                                      else "")
    return f"exported 0 articles: {why}; {out} " + ("written with no rows" if result.written else "left as it was")
