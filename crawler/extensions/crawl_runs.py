"""Run records: one `crawl_runs` document per crawl (`scrapy crawl` and `crawlall` only: RUN_RECORDS), inserted when
it opens, brought up to date every RUN_HEARTBEAT_INTERVAL seconds while it runs, and completed when it closes. A run
that opens marks `abandoned` the records of its site left `running` by a process that is gone."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pymongo
from bson import ObjectId
from pymongo.database import Database
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.extensions.crawl_errors import RUN_ID_STAT
from crawler.extensions.drift_alarm import judge_run
from crawler.extensions.error_budget import ERROR_BUDGET
from crawler.spiders.site_down import SITE_DOWN
from pipelines.delivery.outbox import CRAWL_RUNS, RUN, Outbox, outbox_for, record

logger = logging.getLogger(__name__)
_ERROR_PREFIXES = {"akhbar/errors/": "", "spider_exceptions/": "", "akhbar/extract/": "extract_",
                   "downloader/response_status_count/": "http_"}


def ensure_run_indexes(db: Database) -> None:
    """The index behind 'latest run of a site in a mode' (idempotent)."""
    db[CRAWL_RUNS].create_index([("site", pymongo.ASCENDING), ("mode", pymongo.ASCENDING),
                                 ("started_at", pymongo.DESCENDING)], name="site_mode_started_at")


def last_finished_start(db: Database, site: str, mode: str) -> datetime | None:
    """When the latest run of a site in a mode that finished normally started."""
    doc = db[CRAWL_RUNS].find_one({"site": site, "mode": mode, "finish_reason": "finished"},
                                  {"started_at": 1}, sort=[("started_at", pymongo.DESCENDING)])
    return doc["started_at"] if doc else None


def opening_document(spider: Spider, started_at: datetime) -> dict[str, Any]:
    """The run record as inserted when the crawl opens (a crash leaves it with status 'running')."""
    return {
        "spider": spider.name,
        "site": getattr(spider, "site", spider.name),
        "mode": getattr(spider, "mode", None),
        "arguments": dict(getattr(spider, "arguments", {})),
        "started_at": started_at,
        "finished_at": None,
        "finish_reason": None,
        "status": "running",
        "host": socket.gethostname(),
        "pid": os.getpid(),
    }


def errors_by_kind(stats: Mapping[str, Any]) -> dict[str, int]:
    """Failed requests, spider exceptions, extraction failures and HTTP errors, counted by kind."""
    errors: dict[str, int] = {}
    for key, value in stats.items():
        for prefix, label in _ERROR_PREFIXES.items():
            if key.startswith(prefix) and isinstance(value, int):
                kind = key[len(prefix):].rsplit(".", 1)[-1]
                if kind == "ok" or (label == "http_" and not kind.startswith(("4", "5"))):
                    continue
                errors[f"{label}{kind}".replace("$", "_")] = value
    return errors


def status_of(reason: str) -> str:
    """A run record's status for a finish reason: finished, failed (the site did not answer, or answered mostly
    errors: error_budget) or stopped."""
    return {"finished": "finished", SITE_DOWN: "failed", ERROR_BUDGET: "failed"}.get(reason, "stopped")


def closing_fields(stats: Mapping[str, Any], reason: str, finished_at: datetime,
                   plan: Mapping[str, Any]) -> dict[str, Any]:
    """What the run record gets when the crawl closes: finish reason, pages, articles, pruned, errors."""
    return {"finished_at": finished_at, "finish_reason": reason, "status": status_of(reason),
            **count_fields(stats, plan)}


def count_fields(stats: Mapping[str, Any], plan: Mapping[str, Any]) -> dict[str, Any]:
    """The counts of a run so far: pages, articles, pruned, errors, spill, plan, stats."""

    def count(key: str) -> int:
        return int(stats.get(key) or 0)

    return {
        "pages": {"fetched": count("downloader/response_count"), "articles": count("akhbar/pages/article")},
        "articles": {"new": count("akhbar/articles/new"), "updated": count("akhbar/articles/updated"),
                     "unchanged": count("akhbar/articles/unchanged"),
                     "out_of_range": count("akhbar/backfill/out_of_range"),
                     "no_date": count("akhbar/backfill/no_date")},
        "pruned": {k.removeprefix("akhbar/pruned/"): v for k, v in stats.items()
                   if k.startswith("akhbar/pruned/") and isinstance(v, int)},
        "skipped_stored": count("akhbar/incremental/skipped_stored") + count("akhbar/resume/skipped_stored"),
        "revisits": count("akhbar/incremental/revisits"),
        "spill": {"journaled": count("akhbar/spill/journaled"), "replayed": count("akhbar/spill/replayed"),
                  "articles_waiting": count("akhbar/spill/waiting")},
        "errors": errors_by_kind(stats),
        "plan": dict(plan),
        "stats": {k: v for k, v in stats.items() if k.startswith("akhbar/")},
    }


def abandoned_runs(runs: list[Mapping[str, Any]], host: str, now: datetime, stale_after: float) -> list[Any]:
    """The ids of the `running` records whose process is gone: one of this machine whose pid no longer runs, or any
    whose last heartbeat (else its start) is more than stale_after seconds old (0: never by age)."""
    return [run["_id"] for run in runs if _gone(run, host, now, stale_after)]


def _gone(run: Mapping[str, Any], host: str, now: datetime, stale_after: float) -> bool:
    pid = run.get("pid")
    if run.get("host") == host and isinstance(pid, int) and not _running(pid):
        return True
    seen = run.get("heartbeat_at") or run.get("started_at")
    if stale_after <= 0 or not isinstance(seen, datetime):
        return False
    return (now - (seen if seen.tzinfo else seen.replace(tzinfo=UTC))).total_seconds() > stale_after


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def mark_abandoned(db: Database, site: str, own_id: Any, now: datetime, stale_after: float) -> list[Any]:
    """Mark `abandoned` the records of a site left `running` by a process that is gone (they keep their last counts);
    returns their ids."""
    runs = list(db[CRAWL_RUNS].find({"site": site, "status": "running", "_id": {"$ne": own_id}},
                                    {"host": 1, "pid": 1, "started_at": 1, "heartbeat_at": 1}))
    gone = abandoned_runs(runs, socket.gethostname(), now, stale_after)
    if gone:
        db[CRAWL_RUNS].update_many({"_id": {"$in": gone}, "status": "running"}, {"$set": {
            "status": "abandoned", "finish_reason": "abandoned", "abandoned_at": now, "abandoned_by": own_id}})
    return gone


class CrawlRunRecorder:
    """Extension: write the `crawl_runs` document of every crawl of `scrapy crawl` and `scrapy crawlall`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.outbox: Outbox | None = None
        self.opening: dict[str, Any] = {}
        self.indexed = False
        self.run_id: Any = None
        self.interval = crawler.settings.getfloat("RUN_HEARTBEAT_INTERVAL")
        self.heartbeat: task.LoopingCall | None = None
        self.beating: asyncio.Future | None = None
        self.closed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        if not crawler.settings.getbool("RUN_RECORDS"):
            raise NotConfigured("run records are written by `scrapy crawl` and `scrapy crawlall` only")
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    async def spider_opened(self, spider: Spider) -> None:
        """Insert the run record (journaled while the store does not answer); its _id is the crawl's run_id. Then
        mark abandoned what dead runs of the site left `running`, and start the heartbeat."""
        self.opening = opening_document(spider, datetime.now(UTC))
        self.run_id = self.opening["_id"] = ObjectId()
        self.crawler.stats.set_value(RUN_ID_STAT, str(self.run_id))
        self.outbox = outbox_for(self.crawler)
        await asyncio.to_thread(self._write, self.opening)
        site = self.opening["site"]
        stale_after = 10 * self.interval
        gone: list[Any] = []
        await asyncio.to_thread(self.outbox.link.run_if_up, lambda db: gone.extend(
            mark_abandoned(db, site, self.run_id, datetime.now(UTC), stale_after)))
        if gone:
            logger.warning("%d earlier runs of %s were left `running` by a process that is gone: marked abandoned "
                           "(%s)", len(gone), site, ", ".join(map(str, gone)))
        if self.interval > 0:
            self.heartbeat = task.LoopingCall(self._beat)
            self.heartbeat.start(self.interval, now=False)

    def _beat(self) -> None:
        """Bring the run record up to date (the counts an abandoned run keeps); one write at a time."""
        if self.beating is None or self.beating.done():
            doc = {**self.opening, **count_fields(self.crawler.stats.get_stats(),
                                                  getattr(self.crawler.spider, "plan_info", {})),
                   "heartbeat_at": datetime.now(UTC)}
            self.beating = asyncio.ensure_future(asyncio.to_thread(self._write, doc, False))

    def stopped_record(self, now: datetime) -> dict[str, Any] | None:
        """The run record as `stopped` now, for a crawl that cannot close normally (None once it has closed)."""
        if self.closed or self.run_id is None:
            return None
        return {**self.opening, **closing_fields(self.crawler.stats.get_stats(), "shutdown", now,
                                                 getattr(self.crawler.spider, "plan_info", {}))}

    def _write(self, doc: dict[str, Any], probe: bool = True) -> None:
        assert self.outbox is not None
        self.indexed = self.indexed or self.outbox.link.run_if_up(ensure_run_indexes, probe)
        self.outbox.put([record(RUN, doc)], probe=probe)

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        """Complete the run record with the outcome of the crawl."""
        if self.outbox is None or self.run_id is None:
            return
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
        if self.beating is not None:
            await asyncio.gather(self.beating, return_exceptions=True)  # never over the closing write
        db = self.outbox.link.database(probe=False)  # the store pipeline's close has just tried it
        site, mode = getattr(spider, "site", spider.name), getattr(spider, "mode", None)
        coverage = {} if db is None else await asyncio.to_thread(judge_run, db[CRAWL_RUNS], self.crawler, site, mode)
        fields = coverage | closing_fields(self.crawler.stats.get_stats(), reason, datetime.now(UTC),
                                           getattr(spider, "plan_info", {}))
        await asyncio.to_thread(self._write, {**self.opening, **fields}, False)
        self.closed = True
        logger.info("run record %s: %s, %d article pages, %d new, %d updated, %d unchanged", self.run_id, reason,
                    fields["pages"]["articles"], fields["articles"]["new"], fields["articles"]["updated"],
                    fields["articles"]["unchanged"])
