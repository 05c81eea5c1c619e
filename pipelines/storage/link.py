"""One store connection per process, shared by every pipeline and crawl in it, with a shared view of whether the store
answers: when it does not, callers get None at once instead of each waiting out a timeout, and it is probed again
with exponential backoff. Nothing waits on the store for ever: server selection gives up after a few seconds, and an
operation whose reply has not come within STORE_TIMEOUT_MS (pymongo's socketTimeoutMS; not timeoutMS, under which
pymongo waits that long for server selection as well, so a store that is down would hold the first write for
STORE_TIMEOUT_MS instead of 2 s) counts as an outage like a refused connection."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable

import pymongo
from pymongo.database import Database
from pymongo.errors import BulkWriteError, ConnectionFailure, InvalidOperation, OperationFailure, PyMongoError
from scrapy.settings import BaseSettings

from pipelines.storage.articles import resolve_uri
from pipelines.storage.config import StoreConfig, mask_uri, store_config, store_hosts
from pipelines.storage.embedded import StoreError

logger = logging.getLogger(__name__)
SELECT_TIMEOUT_MS = 2_000  # server selection: how long one attempt waits for an unreachable store
RETRY_FIRST_S = 1.0  # the first wait after a failed attempt; the longest is the setting STORE_RETRY_MAX_S
# Server errors that mean "not now" (shutting down, stepping down, unreachable, not letting us in), not "this
# document is wrong": the writes wait in the journal, and the log says why at every attempt.
TRANSIENT_CODES = frozenset({6, 7, 18, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436})


def unavailable(exc: BaseException) -> bool:
    """Whether an error means the store cannot be used right now (retry later), rather than a refused document. An
    operation that ran out of time (STORE_TIMEOUT_MS, or the server's maxTimeMS, also inside a bulk write) is one."""
    if isinstance(exc, ConnectionFailure | StoreError | InvalidOperation):
        return True
    if isinstance(exc, PyMongoError) and exc.timeout:
        return True
    if isinstance(exc, BulkWriteError):
        codes = {e.get("code") for e in exc.details.get("writeErrors", [])}
        return bool(codes) and codes <= TRANSIENT_CODES
    return isinstance(exc, OperationFailure) and exc.code in TRANSIENT_CODES


def _first_line(exc: BaseException) -> str:
    """The useful part of an error's text: server selection errors go on with a whole topology description."""
    return re.split(r" \(configured timeouts|, Timeout:|\n", str(exc), maxsplit=1)[0].strip()


def describe(exc: BaseException) -> str:
    """A one-line, password-free description of a store error, for log lines."""
    errors = exc.details.get("writeErrors") if isinstance(exc, BulkWriteError) else None
    text = f"{errors[0].get('errmsg')} (code {errors[0].get('code')})" if errors else _first_line(exc)
    return mask_uri(f"{type(exc).__name__}: {text}"[:300])


def store_error(config: StoreConfig, exc: BaseException) -> str:
    """The one short, password-free line a command prints when the store cannot be started, reached or read: where
    (host:port, or the embedded store's directory) and why, without pymongo's topology description."""
    where = f"the store at {store_hosts(config.uri)}" if config.uri else f"the embedded store in {config.data_dir}"
    return mask_uri(f"error: cannot use {where}: {_reason(exc)}")


def _reason(exc: BaseException) -> str:
    """Why a store operation failed, in a few words: «Connection refused», «timed out», «Authentication failed.»."""
    errors = exc.details.get("writeErrors") if isinstance(exc, BulkWriteError) else None
    text = f"{errors[0].get('errmsg')} (code {errors[0].get('code')})" if errors else _first_line(exc)
    text = re.sub(r"\[Errno -?\d+\] ", "", text)
    text = re.sub(r"(?:^|(?<=,))\[?[\w.:-]+\]?:\d+: ", "", text)  # «host:port: reason»: the host is named already
    text = re.sub(r", full error: .*", "", text)
    return (text.strip() or type(exc).__name__)[:160]


class Backoff:
    """Up, or down with the time of the next attempt; the wait doubles after each failed attempt."""

    def __init__(self, cap: float, first: float = RETRY_FIRST_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.first, self.cap, self.clock = first, cap, clock
        self.up: bool | None = None  # None: not tried yet
        self.delay = 0.0
        self.next_try = 0.0
        self.down_since: float | None = None

    def due(self) -> bool:
        """Whether the store should be tried now."""
        return self.up is not False or self.clock() >= self.next_try

    def failed(self) -> float:
        """Record a failed attempt; returns the seconds until the next one."""
        now = self.clock()
        self.delay = self.first if self.up is not False else min(self.delay * 2, self.cap)
        if self.up is not False:
            self.down_since = now
        self.up, self.next_try = False, now + self.delay
        return self.delay

    def succeeded(self) -> float | None:
        """Record a successful attempt; returns how long the store was down, if it was."""
        outage = self.clock() - self.down_since if self.up is False and self.down_since is not None else None
        self.up, self.delay, self.down_since = True, 0.0, None
        return outage


class StoreLink:
    """The process's client of one store and whether that store answers."""

    def __init__(self, config: StoreConfig, backoff: Backoff, select_timeout_ms: int = SELECT_TIMEOUT_MS) -> None:
        self.config = config
        self.backoff = backoff
        self.select_timeout_ms = select_timeout_ms
        self.client: pymongo.MongoClient | None = None
        self._lock = threading.Lock()  # the backoff's state
        self._probe = threading.Lock()  # one probe at a time

    @property
    def where(self) -> str:
        """The store, for log lines: «the store at <URI without password>», or «the embedded store»."""
        return f"the store at {mask_uri(self.config.uri)}" if self.config.uri else "the embedded store"

    def database(self, force: bool = False, probe: bool = True) -> Database | None:
        """The database when the store answers; None while it is down. A store found down is probed again when the
        backoff allows (now with force; never with probe=False: callers on the items' path leave it to the writers).
        Every caller waits for the first probe, later ones only for their own; a probe blocks for at most one
        server-selection timeout. Never raises for an outage."""
        client = self.client
        if self.backoff.up and client is not None:
            return client[self.config.database]
        if self.backoff.up is False and not probe:
            return None
        if not self._probe.acquire(blocking=self.backoff.up is None):
            return None  # another thread is finding out: nobody else waits for it
        try:
            if self.backoff.up is False and not (force or self.backoff.due()):
                return None
            if not self.backoff.up:
                self._ping()
            return None if self.client is None or not self.backoff.up else self.client[self.config.database]
        finally:
            self._probe.release()

    def _ping(self) -> None:
        try:
            self.client = self.client or pymongo.MongoClient(resolve_uri(self.config), tz_aware=True,
                                                             serverSelectionTimeoutMS=self.select_timeout_ms,
                                                             socketTimeoutMS=self.config.timeout_ms)
            # A probe gives up after select_timeout_ms, also on a store that accepts connections and answers nothing.
            with pymongo.timeout(self.select_timeout_ms / 1000):
                self.client.admin.command("ping")
        except Exception as exc:
            if not unavailable(exc):
                raise
            self.failed(exc)
            if self.config.uri is None and self.client is not None:  # the embedded daemon died: start it anew
                self.client.close()
                self.client = None
            return
        with self._lock:
            outage = self.backoff.succeeded()
        if outage is not None:
            logger.warning("%s answers again after %.0f s", self.where, outage)

    def run_if_up(self, action: Callable[[Database], object], probe: bool = True) -> bool:
        """Run an action (creating indexes) on the database if the store answers now; False when it does not."""
        db = self.database(probe=probe)
        if db is None:
            return False
        try:
            action(db)
        except Exception as exc:
            if not unavailable(exc):
                raise
            self.failed(exc)
            return False
        return True

    def failed(self, exc: BaseException) -> None:
        """Report that an operation found the store unavailable."""
        with self._lock:
            self._down(exc)

    def _down(self, exc: BaseException) -> None:
        first = self.backoff.up is not False
        delay = self.backoff.failed()
        log = logger.warning if first else logger.info
        log("%s is unreachable (%s); writes go to the spill journal, next attempt in %.0f s",
            self.where, describe(exc), delay)


_LINKS: dict[tuple[StoreConfig, float], StoreLink] = {}
_LINKS_LOCK = threading.Lock()


def link_for(settings: BaseSettings) -> StoreLink:
    """The process-wide link to the store of these settings, shared by every crawl configured alike: keyed by all
    that configures it (MONGO_URI, MONGO_DATABASE, AKHBAR_DATA_DIR, the timeouts and STORE_RETRY_MAX_S)."""
    key = (store_config(settings), settings.getfloat("STORE_RETRY_MAX_S"))
    with _LINKS_LOCK:
        if key not in _LINKS:
            _LINKS[key] = StoreLink(key[0], Backoff(cap=key[1]))
        return _LINKS[key]
