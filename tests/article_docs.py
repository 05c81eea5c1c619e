"""Article documents shaped like the crawl's, and a database of their own, for the export/report/schema tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from pymongo.database import Database

from crawler.items import Article, url_hash
from pipelines.storage.articles import ensure_indexes


def article_doc(url: str, site: str = "nabaa", published_at: datetime | None = datetime(2026, 3, 1, 9, tzinfo=UTC),
                **fields: Any) -> dict[str, Any]:
    """A complete article document, as the crawl stores it before the store adds its own times."""
    article = Article(
        url=url, url_hash=url_hash(url), canonical_url=None, site=site, title="عنوان الخبر",
        body="القاهرة (رويترز) - نص الخبر، مع \"اقتباس\" وفاصلة,\nوفقرة ثانية.", author=None,
        published_at=published_at, published_local=published_at.isoformat() if published_at else None,
        published_at_source="jsonld" if published_at else None, modified_at=None, views=1200, comments=None,
        shares=3, agencies=["Reuters"], agency_is_staff=False, dateline_place="القاهرة", language="ar",
        lead_image=None, tags=["سياسة", "مصر"], category="أخبار", fetched_at=datetime(2026, 3, 2, tzinfo=UTC),
        title_folded="عنوان الخبر", body_folded="نص الخبر", tokens=["عنوان", "الخبر", "نص"],
        story_id=url_hash(url), duplicate_of=None, story_similarity=None)
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
