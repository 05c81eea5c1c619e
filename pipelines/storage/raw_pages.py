"""The `raw_pages` collection: every fetched article page's raw HTML, gzip-compressed, one document per URL
{_id: url_hash, url, final_url, site, fetched_at, content_type, encoding, hints, size, html_gzip}; the latest fetch
of a URL replaces the previous one. Re-extraction (`scrapy reextract`) rebuilds articles from them."""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pymongo
from bson import Binary
from pymongo import ReplaceOne
from pymongo.database import Database

from crawler.items import FetchedPage, SiteRules, content_type, url_hash

logger = logging.getLogger(__name__)
RAW_PAGES = "raw_pages"
COMPRESSION_LEVEL = 6  # gzip's default 9 is several times slower for a few percent
MAX_STORED = 15 * 1024 * 1024  # under MongoDB's 16 MiB document limit
_HINT_TYPES = (str, int, float, bool, datetime, type(None))


def ensure_raw_indexes(db: Database) -> None:
    """The index re-extraction filters on (idempotent)."""
    db[RAW_PAGES].create_index([("site", pymongo.ASCENDING), ("fetched_at", pymongo.ASCENDING)],
                               name="site_fetched_at")


def raw_page_document(page: FetchedPage) -> dict[str, Any]:
    """The stored form of a fetched page."""
    return {
        "_id": url_hash(page.url),
        "url": page.url,
        "final_url": page.final_url,
        "site": page.site,
        "fetched_at": page.fetched_at,
        "content_type": content_type(page.headers),
        "encoding": page.encoding,
        "hints": {k: v for k, v in page.hints.items() if isinstance(v, _HINT_TYPES)},
        "size": len(page.body),
        "html_gzip": Binary(gzip.compress(page.body, COMPRESSION_LEVEL)),
    }


def page_from_document(doc: Mapping[str, Any], rules: SiteRules) -> FetchedPage:
    """The FetchedPage a stored raw page came from, with today's rules for its site."""
    headers = {"Content-Type": doc["content_type"]} if doc.get("content_type") else {}
    return FetchedPage(url=doc["url"], final_url=doc["final_url"], site=doc["site"],
                       body=gzip.decompress(doc["html_gzip"]), encoding=doc.get("encoding"), headers=headers,
                       fetched_at=doc["fetched_at"], rules=rules, hints=dict(doc.get("hints") or {}))


def store_raw_pages(db: Database, pages: Iterable[FetchedPage]) -> int:
    """Compress and upsert pages in one bulk write; returns how many were stored (oversized pages are skipped)."""
    ops = []
    for page in pages:
        doc = raw_page_document(page)
        if len(doc["html_gzip"]) > MAX_STORED:
            logger.warning("raw page too large to keep (%d bytes compressed): %s", len(doc["html_gzip"]), page.url)
            continue
        ops.append(ReplaceOne({"_id": doc["_id"]}, doc, upsert=True))
    if ops:
        db[RAW_PAGES].bulk_write(ops, ordered=False)
    return len(ops)
