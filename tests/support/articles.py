"""The one Article factory of the tests, article documents shaped like the crawl's, and a database of their own."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from pymongo.database import Database

from crawler.items import Article, url_hash
from pipelines.storage.articles import ensure_indexes


def make_article(url: str = "http://h/news/1", **fields: Any) -> Article:
    """An Article with every field set plainly (no agency, no counters, no story); keyword arguments override."""
    values: dict[str, Any] = dict(
        url=url, url_hash=url_hash(url), canonical_url=None, site="nabaa", title=None, body="", author=None,
        published_at=None, published_local=None, published_at_source=None, modified_at=None, views=None,
        comments=None, shares=None, agencies=[], agency_is_staff=False, dateline_place=None, language="ar",
        lead_image=None, tags=[], category=None, fetched_at=datetime(2026, 3, 2, tzinfo=UTC))
    return Article(**{**values, **fields})


def article_doc(url: str, site: str = "nabaa", published_at: datetime | None = datetime(2026, 3, 1, 9, tzinfo=UTC),
                **fields: Any) -> dict[str, Any]:
    """A complete article document, as the crawl stores it before the store adds its own times."""
    article = make_article(
        url, site=site, title="عنوان الخبر", body="القاهرة (رويترز) - نص الخبر، مع \"اقتباس\" وفاصلة,\nوفقرة ثانية.",
        published_at=published_at, published_local=published_at.isoformat() if published_at else None,
        published_at_source="jsonld" if published_at else None, views=1200, shares=3, agencies=["Reuters"],
        dateline_place="القاهرة", tags=["سياسة", "مصر"], category="أخبار", title_folded="عنوان الخبر",
        body_folded="نص الخبر", tokens=["عنوان", "الخبر", "نص"], story_id=url_hash(url))
    return {**dataclasses.asdict(article), **fields}


@contextmanager
def own_database(store_db: Database, suffix: str) -> Iterator[Database]:
    """A fresh database beside the session's (other test modules share that one), dropped afterwards."""
    db = store_db.client[f"{store_db.name}_{suffix}"]
    store_db.client.drop_database(db.name)
    ensure_indexes(db)
    try:
        yield db
    finally:
        store_db.client.drop_database(db.name)
