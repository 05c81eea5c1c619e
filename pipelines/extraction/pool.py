"""The extraction process pool: FetchedPage → normalized Article (extraction.article, then arabic.normalize) in
forkserver workers, so the reactor never stalls: one round trip to a worker per page. The fork server and the workers
die with the process that made the pool, however it ends (pipelines.extraction.lifeline)."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Literal

from crawler.items import Article, FetchedPage
from pipelines.arabic.normalize import normalize_article
from pipelines.extraction.article import ExtractionError, extract_article
from pipelines.extraction.lifeline import start_forkserver, worker_lifeline
from pipelines.extraction.precheck import implausible_date

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractionFailure:
    """Why a page gave no article: kind is a crawl_errors kind, message says what happened."""

    kind: Literal["no_article", "extraction_crash"]  # the page holds no article / extraction raised (a bug)
    message: str


def extract_or_error(page: FetchedPage) -> Article | ExtractionFailure:
    """Run in a worker: the normalized Article, or why there is none (exceptions stay in the worker)."""
    try:
        return normalize_article(extract_article(page))
    except ExtractionError as exc:
        return ExtractionFailure("no_article", str(exc))
    except Exception as exc:  # a bad page must never take the crawl down
        logger.exception("extraction crashed on %s", page.url)
        return ExtractionFailure("extraction_crash", f"{type(exc).__name__}: {exc}")


def extract_checked(page: FetchedPage) -> tuple[Article | ExtractionFailure, str | None]:
    """Run in a worker: extract_or_error, plus the implausible date an undated article's page states, if any."""
    result = extract_or_error(page)
    return result, implausible_date(page) if isinstance(result, Article) and result.published_at is None else None


def make_pool(workers: int) -> Executor | None:
    """A forkserver process pool (safe with a running reactor) whose processes die with this one; None means extract
    inline."""
    if workers <= 0:
        return None
    context = multiprocessing.get_context("forkserver")
    # The lifeline first: the fork server ties itself to this process before it loads anything else.
    context.set_forkserver_preload(["pipelines.extraction.lifeline", "pipelines.extraction.article",
                                    "pipelines.arabic.normalize"])
    start_forkserver()
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=worker_lifeline,
                               initargs=(os.getpid(),))


class SharedPool:
    """One extraction pool per process, shared by every crawler in it (crawling many sites in one run)."""

    def __init__(self) -> None:
        self.pool: Executor | None = None
        self.users = 0
        self.workers = 0

    def acquire(self, workers: int) -> None:
        """Register a user; the first one creates the pool."""
        if self.users == 0:
            self.pool, self.workers = make_pool(workers), workers
        self.users += 1

    def release(self) -> None:
        """Unregister a user; the last one shuts the pool down."""
        self.users -= 1
        if self.users == 0 and self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def run(self, page: FetchedPage) -> tuple[Article | ExtractionFailure, str | None]:
        """Extract a page in the pool (inline without one); a crashed worker is replaced, not fatal."""
        if self.pool is None:
            return extract_checked(page)
        pool = self.pool
        try:
            return await asyncio.wrap_future(pool.submit(extract_checked, page))
        except BrokenProcessPool:
            if self.pool is pool:  # the first caller to see the breakage replaces the pool
                logger.error("an extraction worker died (on %s or a page beside it); restarting the pool", page.url)
                self.pool = make_pool(self.workers)
            return ExtractionFailure("extraction_crash", "extraction worker died"), None


POOL = SharedPool()
