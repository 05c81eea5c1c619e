"""Extraction outcomes: an Article or a typed ExtractionFailure, inline and across the process pool, and the drop the
extract pipeline records for a failure."""

from __future__ import annotations

import asyncio
import pickle
from datetime import UTC, datetime

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import Article, FetchedPage, SiteRules
from pipelines import extract_articles
from pipelines.extract_articles import ExtractPipeline
from pipelines.extraction import pool
from pipelines.extraction.pool import ExtractionFailure, extract_checked, extract_or_error, make_pool
from pipelines.outcomes.errors import Rejected

LONG = "وقال المتحدث باسم الوزارة إن الخطة الجديدة ستدخل حيز التنفيذ مطلع الشهر المقبل في جميع المحافظات. "
ARTICLE = f"<html><body><h1>عنوان الخبر الرئيسي اليوم</h1>{f'<p>{LONG * 2}</p>' * 3}</body></html>"
SHORT = "<html><body><h1>عنوان</h1><p>سطر واحد</p></body></html>"


def _page(html: str) -> FetchedPage:
    return FetchedPage(url="http://127.0.0.9/news/1", final_url="http://127.0.0.9/news/1", site="t",
                       body=html.encode("utf-8"), encoding=None, headers={"content-type": "text/html; charset=utf-8"},
                       fetched_at=datetime(2026, 11, 16, 12, 0, tzinfo=UTC), rules=SiteRules(site="t"))


def test_an_article_page_gives_a_normalized_article() -> None:
    article = extract_or_error(_page(ARTICLE))
    assert isinstance(article, Article) and article.tokens and article.body_folded


def test_a_page_without_an_article_is_a_no_article_failure() -> None:
    assert extract_or_error(_page(SHORT)) == ExtractionFailure("no_article", "body too short (8 characters)")


def test_a_crash_is_an_extraction_crash_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(page: FetchedPage) -> Article:
        raise KeyError("x")

    monkeypatch.setattr(pool, "extract_article", boom)
    assert extract_or_error(_page(ARTICLE)) == ExtractionFailure("extraction_crash", "KeyError: 'x'")


def test_failures_cross_the_process_pool() -> None:
    failure = ExtractionFailure("no_article", "empty body")
    assert pickle.loads(pickle.dumps(failure)) == failure
    workers = make_pool(1)
    try:
        result, note = workers.submit(extract_checked, _page(SHORT)).result(timeout=120)
    finally:
        workers.shutdown()
    assert (result, note) == (ExtractionFailure("no_article", "body too short (8 characters)"), None)


@pytest.mark.parametrize("failure", [ExtractionFailure("no_article", "body too short (8 characters)"),
                                     ExtractionFailure("extraction_crash", "KeyError: 'x'")])
def test_the_pipeline_drops_a_failure_with_its_kind(monkeypatch: pytest.MonkeyPatch,
                                                    failure: ExtractionFailure) -> None:
    async def run(page: FetchedPage) -> tuple[ExtractionFailure, None]:
        return failure, None

    monkeypatch.setattr(extract_articles.POOL, "run", run)
    pipeline = ExtractPipeline(get_crawler(settings_dict={"EXTRACT_WORKERS": 0, "EXTRACT_MAX_BYTES": 1_000_000}))
    with pytest.raises(Rejected) as dropped:
        asyncio.run(pipeline.process_item(_page(ARTICLE)))
    assert (dropped.value.url, dropped.value.kind, dropped.value.detail) == (
        "http://127.0.0.9/news/1", failure.kind, failure.message)
