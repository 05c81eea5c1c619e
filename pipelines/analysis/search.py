"""Search stored articles by folded tokens: ``scrapy search "نص البحث" [--site S] [--since D] ...``.

The query is folded like article text (``pipelines.arabic.text.tokens``), so «أعلنت», «اعلنت», «أَعْلَنَتْ» and
«أعلـنت» find the same articles, and «٢٠٢٦» finds «2026». An article matches when every query token is among
its ``tokens`` (a multikey index; the store has no ``$text`` index). Newest first.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pymongo.database import Database

from pipelines.arabic.text import tokens
from pipelines.storage.articles import ARTICLES, client_for
from pipelines.storage.config import StoreConfig

CONNECT_TIMEOUT_MS = 5_000
_FIELDS = {"_id": 0, "url": 1, "site": 1, "title": 1, "published_at": 1, "story_id": 1, "duplicate_of": 1}


def search_articles(db: Database, query: str, site: str | None = None, since: datetime | None = None,
                    until: datetime | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Articles whose tokens include every folded token of query, newest first; since and until are inclusive."""
    words = list(dict.fromkeys(tokens(query)))
    if not words:
        raise ValueError("the query has no searchable words")
    where: dict[str, Any] = {"tokens": {"$all": words}}
    if site:
        where["site"] = site
    published = {op: bound for op, bound in (("$gte", since), ("$lte", until)) if bound is not None}
    if published:
        where["published_at"] = published
    cursor = db[ARTICLES].find(where, _FIELDS).sort([("published_at", -1), ("url", 1)]).limit(limit)
    return list(cursor)


def search_store(config: StoreConfig, query: str, site: str | None = None, since: datetime | None = None,
                 until: datetime | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """search_articles on the configured store, giving up on an unreachable one after CONNECT_TIMEOUT_MS."""
    with client_for(config, CONNECT_TIMEOUT_MS) as client:
        return search_articles(client[config.database], query, site, since, until, limit)


def format_hit(hit: dict[str, Any], as_json: bool) -> str:
    """One printed line of a hit: published (UTC), site, title and URL separated by tabs, or a JSON object."""
    published = hit.get("published_at")
    if as_json:
        return json.dumps({**hit, "published_at": published.isoformat() if published else None}, ensure_ascii=False)
    when = published.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if published else "-"
    return "\t".join((when, hit.get("site") or "-", hit.get("title") or "-", hit.get("url") or "-"))
