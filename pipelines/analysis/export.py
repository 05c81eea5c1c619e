"""`python -m pipelines.analysis.export`: stream articles to JSONL, CSV or Parquet in ingestion order, and print a cursor.

The order is (first_seen_at, _id): an article inserted after an export has a later first_seen_at than anything
that export wrote, so `--after CURSOR` takes exactly what is new. first_seen_at is the crawler's clock when it
writes a batch, and concurrent crawls commit their batches in any order; articles first seen in the last
`--lag` seconds are therefore left for the next run, so that a batch still being written cannot be jumped over.
"""

from __future__ import annotations

import argparse
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
from pymongo.errors import PyMongoError
from tqdm import tqdm

from pipelines.analysis.cli_args import check_order, day_arg, day_range, store_error
from pipelines.analysis.export_formats import FORMATS, CsvWriter, JsonlWriter, ParquetWriter, Writer
from pipelines.storage.articles import ARTICLES, connect
from pipelines.storage.config import store_config
from pipelines.storage.embedded import StoreError
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.analysis.export",
        description="Export stored articles in ingestion order. Prints the cursor to pass as --after next time "
                    "on stdout (nothing when nothing was ever exported); counts go to stderr.")
    parser.add_argument("--site", action="append", metavar="SITE", help="only this site (repeatable)")
    parser.add_argument("--since", type=day_arg, metavar="YYYY-MM-DD", help="published on or after this UTC day")
    parser.add_argument("--until", type=day_arg, metavar="YYYY-MM-DD", help="published on or before this UTC day")
    parser.add_argument("--after", metavar="CURSOR",
                        help="cursor printed by the previous export: only articles stored since")
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument("--out", required=True, type=Path, help="file to write (replaced when complete)")
    parser.add_argument("--lag", type=float, default=DEFAULT_LAG_S, metavar="SECONDS",
                        help=f"leave out articles first seen in the last SECONDS (default {DEFAULT_LAG_S:.0f})")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = _parser()
    args = parser.parse_args(argv)
    check_order(parser, args.since, args.until)
    try:
        after = Cursor.decode(args.after) if args.after else None
    except ValueError as exc:
        parser.error(f"--after: {exc}")
    if not args.out.parent.is_dir():
        parser.error(f"--out: directory {args.out.parent} does not exist")
    if args.lag < 0:
        parser.error("--lag must not be negative")
    horizon = datetime.now(UTC) - timedelta(seconds=args.lag)
    query = export_query(args.site, day_range(args.since, args.until), after, horizon)
    partial = args.out.with_name(f".{args.out.name}.partial")
    config = store_config()
    try:
        db = connect(config)
        total = db[ARTICLES].count_documents(query)
        with tqdm(total=total, unit=" articles", file=sys.stderr, disable=not sys.stderr.isatty()) as progress, \
                open_writer(args.format, partial) as writer:
            count, last = export(db, writer, query, after, progress)
        os.replace(partial, args.out)
    except (PyMongoError, StoreError) as exc:
        partial.unlink(missing_ok=True)
        print(store_error(config, exc), file=sys.stderr)
        return 1
    except OSError as exc:
        partial.unlink(missing_ok=True)
        print(f"error: cannot write {args.out}: {exc}", file=sys.stderr)
        return 1
    print(f"exported {count} articles to {args.out}", file=sys.stderr)
    if last:
        print(last.encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
