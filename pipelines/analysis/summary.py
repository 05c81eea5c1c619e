"""`scrapy summary`: what the store holds, as articles per site, dates covered, and a sample article."""

from __future__ import annotations

from typing import Any

from pymongo.database import Database

from pipelines.storage.articles import ARTICLES, connect
from pipelines.storage.config import StoreConfig


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


def store_summary(config: StoreConfig, sites: list[str] | None = None) -> str:
    """The printable summary of the configured store."""
    db = connect(config)
    return format_summary(site_summaries(db, sites), sample_article(db, sites))
