"""The extraction process pool: FetchedPage → normalized Article (extraction.article, then arabic.normalize) in
forkserver workers, so the reactor never stalls: one round trip to a worker per page. The fork server and the workers
die with the process that made the pool, however it ends (pipelines.extraction.lifeline).

Each page gets EXTRACT_TIMEOUT seconds of CPU. In the worker (or inline, in the main thread) a CPU timer (SIGPROF)
aborts the page's Python work past it, and the worker is then replaced: the page is an `extract_timeout` failure.
Work stuck in C code never sees the timer, so the crawl also gives each page a wall-clock deadline, well above the
limit: past it the pool's workers are killed and a new pool takes over; the other pages that were in flight on the
killed pool are tried once more on the new one (a page whose worker died twice is an `extraction_crash`).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import FrameType
from typing import Literal, TypeVar

from crawler.items import Article, FetchedPage
from pipelines.arabic.normalize import normalize_article
from pipelines.extraction.article import ExtractionError, extract_article
from pipelines.extraction.lifeline import start_forkserver, worker_lifeline
from pipelines.extraction.precheck import implausible_date

logger = logging.getLogger(__name__)

# The crawl's wall-clock deadline for one page: this many times EXTRACT_TIMEOUT plus WALL_CLOCK_SLACK_S (a worker
# shares the cores with the crawl and the other workers, so a page's CPU seconds take longer on the clock).
WALL_CLOCK_FACTOR = 2.0
WALL_CLOCK_SLACK_S = 2.0
CPU_TIMER_REPEAT_S = 1.0  # after the limit, the timer fires again every CPU second until the page's work unwinds


@dataclass(frozen=True)
class ExtractionFailure:
    """Why a page gave no article: kind is a crawl_errors kind, message says what happened."""

    # the page holds no article / extraction raised (a bug) / extraction ran over EXTRACT_TIMEOUT
    kind: Literal["no_article", "extraction_crash", "extract_timeout"]
    message: str


T = TypeVar("T")
R = TypeVar("R")
Result = tuple[Article | ExtractionFailure, str | None]
Extract = Callable[[FetchedPage], Result]


class ExtractTimeout(BaseException):
    """A page's CPU time ran out. A BaseException, so that no `except Exception` of extraction code swallows it."""


def extract_or_error(page: FetchedPage) -> Article | ExtractionFailure:
    """Run in a worker: the normalized Article, or why there is none (exceptions stay in the worker)."""
    try:
        return normalize_article(extract_article(page))
    except ExtractionError as exc:
        return ExtractionFailure("no_article", str(exc))
    except Exception as exc:  # a bad page must never take the crawl down
        logger.exception("extraction crashed on %s", page.url)
        return ExtractionFailure("extraction_crash", f"{type(exc).__name__}: {exc}")


def extract_checked(page: FetchedPage) -> Result:
    """Run in a worker: extract_or_error, plus the implausible date an undated article's page states, if any."""
    result = extract_or_error(page)
    return result, implausible_date(page) if isinstance(result, Article) and result.published_at is None else None


def timed_out(seconds: float) -> ExtractionFailure:
    """The failure of a page whose extraction ran over the limit."""
    return ExtractionFailure("extract_timeout", f"extraction took more than EXTRACT_TIMEOUT ({seconds:g} s of CPU)")


class _CpuTimer:
    """While entered: ExtractTimeout raised in the main thread once this process has used `seconds` more CPU time,
    and again every further CPU second."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False

    def _expire(self, signum: int, frame: FrameType | None) -> None:
        if self.armed:
            raise ExtractTimeout

    def __enter__(self) -> None:
        self.previous = signal.signal(signal.SIGPROF, self._expire)
        self.armed = True
        signal.setitimer(signal.ITIMER_PROF, self.seconds, CPU_TIMER_REPEAT_S)

    def __exit__(self, *exc_info: object) -> None:
        while self.armed:
            try:  # the timer may fire before the flag is down: then the page finished anyway
                self.armed = False
            except ExtractTimeout:
                continue
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, self.previous)


def within_cpu(seconds: float, work: Callable[[T], R], arg: T) -> R | None:
    """work(arg) within `seconds` of CPU time (0: no limit), None when it ran over. Only the main thread can take the
    timer's signal; elsewhere work runs without a limit. Inline, the timer counts the CPU time of every thread of the
    process."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        return work(arg)
    try:
        with _CpuTimer(seconds):
            return work(arg)
    except ExtractTimeout:
        return None


def cpu_limited(extract: Extract, page: FetchedPage, seconds: float) -> Result:
    """Run in a worker (or inline): extract(page) within `seconds` of CPU time (within_cpu), else an extract_timeout
    failure."""
    result = within_cpu(seconds, extract, page)
    return (timed_out(seconds), None) if result is None else result


class ExtractionPool(ProcessPoolExecutor):
    """A process pool whose workers can be killed at once (ProcessPoolExecutor has no public way before Python 3.14;
    its `_processes` is the pid → process map of its workers, kept here past shutdown)."""

    def __init__(self, workers: int, context: multiprocessing.context.BaseContext) -> None:
        super().__init__(max_workers=workers, mp_context=context, initializer=worker_lifeline,
                         initargs=(os.getpid(),))
        self.worker_processes = self._processes

    def kill_workers(self) -> None:
        """Kill every worker now: the pool breaks, and its pages in flight fail with BrokenProcessPool."""
        for process in list(self.worker_processes.values()):
            process.kill()
        self.shutdown(wait=False, cancel_futures=True)


def make_pool(workers: int) -> ExtractionPool | None:
    """A forkserver process pool (safe with a running reactor) whose processes die with this one; None means extract
    inline."""
    if workers <= 0:
        return None
    context = multiprocessing.get_context("forkserver")
    # The lifeline first: the fork server ties itself to this process before it loads anything else.
    context.set_forkserver_preload(["pipelines.extraction.lifeline", "pipelines.extraction.article",
                                    "pipelines.arabic.normalize"])
    start_forkserver()
    return ExtractionPool(workers, context)


def wall_clock_deadline(seconds: float) -> float | None:
    """The crawl's wall-clock deadline for a page given `seconds` of CPU (None: no limit)."""
    return seconds * WALL_CLOCK_FACTOR + WALL_CLOCK_SLACK_S if seconds > 0 else None


class SharedPool:
    """One extraction pool per process, shared by every crawler in it (crawling many sites in one run), with the
    largest worker count any of them asked for. At most that many pages are in flight, so a page's wall-clock
    deadline runs from the moment a worker takes it, not while it waits behind others."""

    def __init__(self) -> None:
        self.pool: ExtractionPool | None = None
        self.users = 0
        self.workers = 0
        self.slots = asyncio.Semaphore(1)

    def acquire(self, workers: int) -> None:
        """Register a user; a user asking for more workers than the pool has gets a larger pool."""
        self.users += 1
        if workers > self.workers:
            self.workers = workers
            self.slots = asyncio.Semaphore(workers)
            self._replace(self.pool)

    def release(self) -> None:
        """Unregister a user; the last one shuts the pool down."""
        self.users -= 1
        if self.users == 0:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool, self.workers = None, 0

    def _replace(self, pool: ExtractionPool | None) -> None:
        """Put a new pool in place of `pool` (unless another caller already did); the old one finishes the pages it
        holds, then its workers exit."""
        if self.pool is pool:
            self.pool = make_pool(self.workers)
            if pool is not None:
                pool.shutdown(wait=False)

    async def run(self, page: FetchedPage, seconds: float, extract: Extract = extract_checked) -> Result:
        """Extract a page in the pool (inline without one) within `seconds` of CPU (0: no limit); a worker that dies
        or runs over is replaced, not fatal."""
        if self.pool is None:
            return cpu_limited(extract, page, seconds)
        async with self.slots:
            # A page in flight on a pool that broke (a worker died or was killed) is tried once more on the next.
            result = await self._submit(page, seconds, extract) or await self._submit(page, seconds, extract)
        if result is None:
            logger.error("an extraction worker died twice with %s in flight; the page is dropped", page.url)
            return ExtractionFailure("extraction_crash", "extraction worker died"), None
        return result

    async def _submit(self, page: FetchedPage, seconds: float, extract: Extract) -> Result | None:
        """One attempt in the current pool; None when the pool broke under the page."""
        pool = self.pool
        assert pool is not None
        deadline = wall_clock_deadline(seconds)
        try:
            result = await asyncio.wait_for(asyncio.wrap_future(pool.submit(cpu_limited, extract, page, seconds)),
                                            deadline)
        except BrokenProcessPool:
            self._replace(pool)
            return None
        except TimeoutError:
            logger.warning("extraction of %s still running after %g s (EXTRACT_TIMEOUT: %g s of CPU): its pool's "
                           "workers are killed and replaced, their other pages tried again", page.url, deadline,
                           seconds)
            self._replace(pool)
            pool.kill_workers()
            return timed_out(seconds), None
        if isinstance(result[0], ExtractionFailure) and result[0].kind == "extract_timeout":
            self._replace(pool)  # the worker that ran over goes: its memory grew with the page
        return result


POOL = SharedPool()
