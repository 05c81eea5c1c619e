"""Summarize what the store holds: articles per site, dates covered, and a sample article."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pymongo.database import Database
from pymongo.errors import PyMongoError

from pipelines.storage.articles import ARTICLES, connect
from pipelines.storage.config import mask_uri, store_config
from pipelines.storage.embedded import StoreError


def site_summaries(db: Database, sites: list[str] | None = None) -> list[dict[str, Any]]:
    """Per site: article count and the first and last publication dates."""
    match = {"site": {"$in": sites}} if sites else {}
    pipeline = [
        {"$match": match},
        {"$group": {"_id": "$site", "articles": {"$sum": 1}, "first": {"$min": "$published_at"},
                    "last": {"$max": "$published_at"}}},
        {"$sort": {"_id": 1}},
    ]
    return list(db[ARTICLES].aggregate(pipeline))


def sample_article(db: Database, sites: list[str] | None = None) -> dict[str, Any] | None:
    """The most viewed article that names an agency (or any article), for a quick look."""
    match = {"site": {"$in": sites}} if sites else {}
    for query in ({**match, "agencies.0": {"$exists": True}}, match):
        doc = db[ARTICLES].find_one(query, sort=[("views", -1)])
        if doc:
            return doc
    return None


def format_summary(rows: list[dict[str, Any]], sample: dict[str, Any] | None) -> str:
    """The summary as printable lines."""
    if not rows:
        return "no articles stored yet"
    lines = [f"{'site':<12} {'articles':>8}  dates covered"]
    for row in rows:
        first = row["first"].date().isoformat() if row["first"] else "?"
        last = row["last"].date().isoformat() if row["last"] else "?"
        lines.append(f"{row['_id']:<12} {row['articles']:>8}  {first} → {last}")
    lines.append(f"{'total':<12} {sum(r['articles'] for r in rows):>8}")
    if sample:
        lines += [
            "",
            "sample article:",
            f"  title:    {sample.get('title')}",
            f"  date:     {sample.get('published_local')} (UTC {sample.get('published_at')}, "
            f"from {sample.get('published_at_source')})",
            f"  views:    {sample.get('views')}",
            f"  agency:   {', '.join(sample.get('agencies') or []) or '—'} (dateline: {sample.get('dateline_place')})",
            f"  url:      {sample.get('url')}",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: print the summary."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.analysis.summary",
                                     description="Print articles stored per site, dates covered and a sample.")
    parser.add_argument("--site", action="append", help="only this site (repeatable)")
    args = parser.parse_args(argv)
    config = store_config()
    try:
        db = connect(config)
        print(format_summary(site_summaries(db, args.site), sample_article(db, args.site)))
    except (PyMongoError, StoreError) as exc:
        print(f"error: cannot read the store at {mask_uri(config.uri or 'embedded store')}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
