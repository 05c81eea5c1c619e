"""Extraction outcomes: an Article or a typed ExtractionFailure, inline and across the process pool, the CPU-time limit
of a page (inline, in a worker, and the wall-clock deadline for work stuck in C code), the pool's size, and the drop
the extract pipeline records for a failure. The slow extractions are callables given to the pool's run, as any
extraction callable can be."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import pickle
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import Article, FetchedPage, SiteRules
from pipelines import extract_articles
from pipelines.analysis import reextract
from pipelines.analysis.reextract import reextract_page
from pipelines.extract_articles import ExtractPipeline
from pipelines.extraction import pool
from pipelines.extraction.pool import (
    ExtractionFailure,
    SharedPool,
    cpu_limited,
    extract_checked,
    extract_or_error,
    make_pool,
)
from pipelines.outcomes.errors import Rejected
from pipelines.storage.raw_pages import raw_page_document

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
                                     ExtractionFailure("extraction_crash", "KeyError: 'x'"),
                                     ExtractionFailure("extract_timeout", "extraction took more than EXTRACT_TIMEOUT")])
def test_the_pipeline_drops_a_failure_with_its_kind(monkeypatch: pytest.MonkeyPatch,
                                                    failure: ExtractionFailure) -> None:
    async def run(page: FetchedPage, seconds: float) -> tuple[ExtractionFailure, None]:
        assert seconds == 20.0
        return failure, None

    monkeypatch.setattr(extract_articles.POOL, "run", run)
    pipeline = ExtractPipeline(get_crawler(settings_dict={"EXTRACT_WORKERS": 0, "EXTRACT_MAX_BYTES": 1_000_000,
                                                        "EXTRACT_TIMEOUT": 20.0}))
    with pytest.raises(Rejected) as dropped:
        asyncio.run(pipeline.process_item(_page(ARTICLE)))
    assert (dropped.value.url, dropped.value.kind, dropped.value.detail) == (
        "http://127.0.0.9/news/1", failure.kind, failure.message)


# Slow extractions, given to the pool as its extraction callable (module-level: a worker unpickles them by name).
def spin(page: FetchedPage) -> tuple[Article, None]:
    """Python work that never ends, and swallows every Exception on the way."""
    while True:
        with contextlib.suppress(Exception):
            sum(range(1000))


def stuck_in_c(page: FetchedPage) -> tuple[Article, None]:
    """CPU work inside one C call, which never gives the signal handler a turn."""
    hashlib.pbkdf2_hmac("sha256", b"page", b"salt", 2**31 - 1)  # minutes of CPU
    raise AssertionError("the deadline should have ended this worker")


def stalled_once(marker: str, page: FetchedPage) -> tuple[Article | ExtractionFailure, str | None]:
    """The first time: stall (without CPU, so only a kill ends it); any later time: extract the page."""
    if not Path(marker).exists():
        Path(marker).touch()
        time.sleep(600)
    return extract_checked(page)


def test_a_page_over_its_cpu_time_is_an_extract_timeout_inline() -> None:
    previous = signal.getsignal(signal.SIGPROF)
    assert cpu_limited(spin, _page(ARTICLE), 0.2) == (
        ExtractionFailure("extract_timeout", "extraction took more than EXTRACT_TIMEOUT (0.2 s of CPU)"), None)
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0) and signal.getsignal(signal.SIGPROF) == previous


def test_a_reextracted_page_over_its_cpu_time_is_a_failure_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(ARTICLE)
    job = {"doc": raw_page_document(page), "rules": page.rules, "cpu_seconds": 0.2}
    assert isinstance(reextract_page(job), dict)
    monkeypatch.setattr(reextract, "extract_article", spin)
    assert reextract_page(job) == "extraction took more than EXTRACT_TIMEOUT (0.2 s of CPU)"


def test_a_page_within_its_cpu_time_is_extracted_inline() -> None:
    result, _ = cpu_limited(extract_checked, _page(ARTICLE), 60.0)
    assert isinstance(result, Article) and signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def _run_in(shared: SharedPool, *jobs: tuple[FetchedPage, float, object]) -> list[object]:
    async def together() -> list[object]:
        return list(await asyncio.gather(*(shared.run(page, seconds, extract) for page, seconds, extract in jobs)))

    return asyncio.run(together())


def test_a_worker_over_its_cpu_time_is_replaced_and_the_pool_goes_on() -> None:
    shared = SharedPool()
    shared.acquire(1)
    try:
        first = shared.pool
        [(failure, note)] = _run_in(shared, (_page(ARTICLE), 0.3, spin))
        assert failure.kind == "extract_timeout" and note is None and shared.pool is not first
        [(article, _)] = _run_in(shared, (_page(ARTICLE), 60.0, extract_checked))
        assert isinstance(article, Article)
    finally:
        shared.release()


def test_work_stuck_in_c_is_killed_and_the_other_pages_in_flight_are_tried_again(tmp_path: Path) -> None:
    shared = SharedPool()
    shared.acquire(2)
    try:
        first = shared.pool
        stalled = functools.partial(stalled_once, str(tmp_path / "stalled"))
        (stuck, _), (retried, _) = _run_in(shared, (_page(ARTICLE), 0.2, stuck_in_c), (_page(ARTICLE), 300.0, stalled))
        assert stuck.kind == "extract_timeout" and isinstance(retried, Article)
        assert shared.pool is not first
        assert not any(process.is_alive() for process in first.worker_processes.values())
    finally:
        shared.release()


def test_the_shared_pool_has_the_largest_worker_count_asked_for() -> None:
    shared = SharedPool()
    shared.acquire(1)
    shared.acquire(3)
    shared.acquire(2)
    try:
        assert shared.workers == 3 and shared.pool._max_workers == 3
    finally:
        for _ in range(3):
            shared.release()
    assert shared.pool is None and shared.workers == 0
