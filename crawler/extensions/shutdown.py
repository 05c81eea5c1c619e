"""A crawl stopped by SIGTERM or SIGINT ends within DOWNLOAD_TIMEOUT + SHUTDOWN_GRACE seconds, whatever it was doing.

Scrapy's own graceful stop closes the spider only once every request the engine has handed to the downloader is done,
and a downloader slot holds up to CONCURRENT_REQUESTS of them, each sent after the slot's delay: with AutoThrottle's
delay at 10 s that was minutes of new requests after «Closing spider (shutdown)». On the first signal this extension:

- drops the requests waiting in the downloader's slots, and any that reach it later: no new request is sent, and the
  transfers already under way go on for at most DOWNLOAD_TIMEOUT (the spider sees the dropped ones as CrawlStopping,
  counted as akhbar/shutdown/dropped, not as errors);
- lets Scrapy close the crawl as usual: the pipelines flush their buffers (to the store, or the spill journal when it
  does not answer), and the run record is completed with status `stopped`;
- arms a watchdog thread: if the process is still there DOWNLOAD_TIMEOUT + SHUTDOWN_GRACE seconds after the signal,
  whatever it waits for, it journals what the crawl still holds in memory (the records handed to the crawl's outbox
  whose write has not returned, the articles and crawl errors still buffered, the run record as `stopped`) to a spill
  journal of its own, which the next run delivers like any other, and exits.

A second signal does the same at once. The exit status is then 128 + the signal number (143 for SIGTERM, 130 for
SIGINT; the crawl commands return it too after a graceful stop, see stop_signal), and the extraction workers die with
the process (pipelines.extraction.lifeline).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from twisted.python.failure import Failure

from pipelines.delivery.outbox import ARTICLE, ERROR, RUN, outbox_for, record
from pipelines.delivery.spill import SpillJournal
from pipelines.storage.config import mask_secrets
from pipelines.storage.sanitize import sanitize_document

logger = logging.getLogger(__name__)
SIGNALS = (signal.SIGTERM, signal.SIGINT)
STAT_DROPPED = "akhbar/shutdown/dropped"  # requests never sent because the crawl was stopping
# Signal drop_queued sends (why=…): a component that holds requests back (the spider's backlog) drops them and
# returns how many.
REQUESTS_DROPPED = object()


class CrawlStopping(IgnoreRequest):
    """A request dropped unsent because the crawl is stopping (not a crawl error)."""


class _Shutdown:
    """The process-wide side: the signal handlers, the crawls they stop, and the watchdog."""

    def __init__(self) -> None:
        self.guards: list[BoundedShutdown] = []
        self.signum: int | None = None
        self.signalled_at = 0.0
        self.first = threading.Event()
        self.second = threading.Event()
        self.previous: dict[int, Any] = {}
        self.watchdog: threading.Thread | None = None
        self.reactor: Any = None

    def install(self) -> None:
        """Put our handler on top of the current ones (Scrapy's), and start the idle watchdog."""
        if threading.current_thread() is not threading.main_thread():  # `scrapy shell` runs its crawler in a thread
            return
        from twisted.internet import reactor

        self.reactor = reactor
        self.on_top()
        if self.watchdog is None:
            self.watchdog = threading.Thread(target=self.watch, name="shutdown-watchdog", daemon=True)
            self.watchdog.start()

    def on_top(self) -> None:
        for signum in SIGNALS:
            current = signal.getsignal(signum)
            if current != self.handle:
                self.previous[signum] = current
                signal.signal(signum, self.handle)

    def handle(self, signum: int, frame: Any) -> None:
        """A signal handler: only sets flags and hands over to the reactor (no logging in a signal handler)."""
        if self.signum is not None:
            self.second.set()
            return
        self.signum, self.signalled_at = signum, time.monotonic()
        self.first.set()
        reactor = self.reactor
        previous = self.previous.get(signum)
        if callable(previous):
            previous(signum, frame)  # Scrapy's graceful stop (it installs its own handler for the second signal)
        else:
            reactor.callFromThread(self.stop_crawlers)
        self.on_top()  # ours again, over Scrapy's second-signal handler
        reactor.callFromThread(self.begin)

    def bound(self) -> float:
        return max((g.bound for g in self.guards), default=45.0)

    def begin(self) -> None:
        """In the reactor: no new request from now on."""
        assert self.signum is not None
        for guard in self.guards:
            guard.begin(signal.Signals(self.signum).name, self.bound())

    def stop_crawlers(self) -> None:
        for guard in self.guards:
            if guard.crawler.crawling:
                guard.crawler.stop()

    def watch(self) -> None:
        """The watchdog thread: after the first signal, exit at the deadline or at a second signal."""
        self.first.wait()
        remaining = self.signalled_at + self.bound() - time.monotonic()
        forced = self.second.wait(timeout=max(remaining, 0.0))
        assert self.signum is not None
        why = ("a second signal" if forced else
               f"the crawl was not done {self.bound():.0f} s after {signal.Signals(self.signum).name}")
        saved = 0
        for guard in self.guards:
            try:
                saved += guard.rescue()
            except Exception:
                logger.exception("could not journal what the crawl held")
        held = (f"the {saved} records it still held are in the spill journal, which the next run delivers" if saved
                else "it held nothing unwritten")
        self.log_bounded(logging.ERROR, "exiting now (%s): %s", why, held)
        os._exit(128 + self.signum)

    @staticmethod
    def log_bounded(level: int, message: str, *args: Any) -> None:
        """Log from the watchdog without waiting more than a second on a log handler another thread holds."""
        line = threading.Thread(target=logger.log, args=(level, message, *args), daemon=True)
        line.start()
        line.join(1.0)
        for handler in logging.getLogger().handlers:
            if handler.lock is None or handler.lock.acquire(timeout=0.5):
                try:
                    handler.flush()
                finally:
                    if handler.lock is not None:
                        handler.lock.release()


SHUTDOWN = _Shutdown()


def drop_queued(engine: Any, why: str, keep: Callable[[Request], bool] | None = None) -> int:
    """Fail the requests waiting in the downloader's slots (but those `keep` says to keep) with CrawlStopping (the
    spider records none of them; the engine closes only once they are done), and have REQUESTS_DROPPED drop those
    held back; how many there were."""
    dropped = sum(held for _, held in engine.signals.send_catch_log(REQUESTS_DROPPED, why=why)
                  if isinstance(held, int))
    for slot in list(engine.downloader.slots.values()):
        kept = []
        while slot.queue:
            request, deferred = slot.queue.popleft()
            if keep is not None and keep(request):
                kept.append((request, deferred))
                continue
            dropped += 1
            deferred.errback(Failure(CrawlStopping(f"not sent: {why} ({request.url})")))
        slot.queue.extend(kept)
    return dropped


def stop_signal() -> int | None:
    """The signal that stopped this process's crawls, if one did."""
    return SHUTDOWN.signum


class BoundedShutdown:
    """Extension: stop a crawl in bounded time on SIGTERM or SIGINT (see the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.bound = crawler.settings.getfloat("DOWNLOAD_TIMEOUT") + crawler.settings.getfloat("SHUTDOWN_GRACE")
        self.stopping = False
        self.closed = False
        self.in_flight: dict[object, list[dict[str, Any]]] = {}  # records the outbox has not returned from

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoundedShutdown:
        guard = cls(crawler)
        crawler.signals.connect(guard.engine_started, signal=signals.engine_started)
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(guard.request_reached_downloader, signal=signals.request_reached_downloader)
        crawler.signals.connect(guard.spider_closed, signal=signals.spider_closed)
        SHUTDOWN.guards.append(guard)
        return guard

    def engine_started(self) -> None:
        from twisted.internet import reactor

        # Scrapy installs its handlers once the reactor has started: ours go on top of them right after.
        reactor.callWhenRunning(reactor.callLater, 0, SHUTDOWN.install)

    def spider_opened(self) -> None:
        """Keep track of the records being written (the watchdog journals them if the process must exit first)."""
        outbox = outbox_for(self.crawler)
        put = outbox.put

        def tracked(records: Any, *args: Any, **kwargs: Any) -> Any:
            key = object()
            self.in_flight[key] = list(records)
            try:
                return put(records, *args, **kwargs)
            finally:
                self.in_flight.pop(key, None)

        outbox.put = tracked  # type: ignore[method-assign]

    def begin(self, signame: str, bound: float) -> None:
        """The first signal: drop every request not yet sent; say what is left and the deadline."""
        if self.closed or self.crawler.engine is None:
            return
        self.stopping = True
        dropped = self.drop_waiting()
        downloader = self.crawler.engine.downloader
        under_way = sum(len(slot.transferring) for slot in downloader.slots.values())
        logger.info("%s: stopping %s: %d requests dropped unsent, %d transfers under way (each at most "
                    "DOWNLOAD_TIMEOUT); the process exits within %.0f s", signame,
                    getattr(self.crawler.spider, "name", "the crawl"), dropped, under_way, bound)

    def drop_waiting(self) -> int:
        """Fail the requests waiting in the downloader's slots with CrawlStopping; how many there were."""
        engine = self.crawler.engine
        if engine is None or self.closed:
            return 0
        dropped = drop_queued(engine, "the crawl is stopping")
        if dropped:
            self.crawler.stats.inc_value(STAT_DROPPED, dropped)
        return dropped

    def request_reached_downloader(self, request: Request, spider: Spider) -> None:
        """While stopping, a request that reaches the downloader (a redirect, robots.txt) is dropped once queued."""
        if self.stopping:
            from twisted.internet import reactor

            reactor.callLater(0, self.drop_waiting)

    def spider_closed(self) -> None:
        self.closed = True

    def rescue(self) -> int:
        """In the watchdog, the crawl not closed: journal the articles and errors it holds and its run record as
        `stopped` to a journal file of its own (spill/<site>.stopped-<pid>.jsonl). Returns the records written."""
        if self.crawler.spider is None:
            return 0
        from crawler.extensions.crawl_errors import CrawlErrorRecorder
        from crawler.extensions.crawl_runs import CrawlRunRecorder
        from pipelines.store_articles import StoreArticlesPipeline

        records = [r for batch in list(self.in_flight.values()) for r in batch]
        store = _component(self.crawler.get_item_pipeline, StoreArticlesPipeline)
        records += [record(ARTICLE, doc) for doc in list(getattr(store, "buffer", []))]
        errors = _component(self.crawler.get_extension, CrawlErrorRecorder)
        records += [record(ERROR, doc) for doc in list(getattr(errors, "buffer", []))]
        runs = _component(self.crawler.get_extension, CrawlRunRecorder)
        run = runs.stopped_record(datetime.now(UTC)) if runs is not None else None
        if run is not None:
            records.append(record(RUN, run))
        records = [_storable(r) for r in records]
        if records:
            journal = outbox_for(self.crawler).journal.path
            SpillJournal(journal.with_name(f"{journal.stem}.stopped-{os.getpid()}.jsonl")).append(records)
        return len(records)


def _storable(rec: dict[str, Any]) -> dict[str, Any]:
    """A record as the outbox journals it: sanitized, and passwords masked outside articles."""
    doc = sanitize_document(rec["doc"])
    return record(rec["op"], doc if rec["op"] == ARTICLE else mask_secrets(doc))


def _component(get: Any, cls: type) -> Any:
    try:
        return get(cls)
    except Exception:  # the engine is gone, or the component was never built
        return None
