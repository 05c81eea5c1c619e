"""Run records: one `crawl_runs` document per crawl, inserted when it opens and completed when it closes."""

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

from crawler.extensions.crawl_errors import RUN_ID_STAT
from crawler.extensions.drift_alarm import judge_run
from pipelines.storage.outbox import CRAWL_RUNS, RUN, Outbox, outbox_for, record

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


def closing_fields(stats: Mapping[str, Any], reason: str, finished_at: datetime,
                   plan: Mapping[str, Any]) -> dict[str, Any]:
    """What the run record gets when the crawl closes: finish reason, pages, articles, pruned, errors."""

    def count(key: str) -> int:
        return int(stats.get(key) or 0)

    return {
        "finished_at": finished_at,
        "finish_reason": reason,
        "status": "finished" if reason == "finished" else "stopped",
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


class CrawlRunRecorder:
    """Extension: write the `crawl_runs` document of every crawl."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.outbox: Outbox | None = None
        self.opening: dict[str, Any] = {}
        self.indexed = False
        self.run_id: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        recorder = cls(crawler)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    async def spider_opened(self, spider: Spider) -> None:
        """Insert the run record (journaled while the store does not answer); its _id is the crawl's run_id."""
        self.opening = opening_document(spider, datetime.now(UTC))
        self.run_id = self.opening["_id"] = ObjectId()
        self.crawler.stats.set_value(RUN_ID_STAT, str(self.run_id))
        self.outbox = outbox_for(self.crawler)
        await asyncio.to_thread(self._write, self.opening)

    def _write(self, doc: dict[str, Any], probe: bool = True) -> None:
        assert self.outbox is not None
        self.indexed = self.indexed or self.outbox.link.run_if_up(ensure_run_indexes, probe)
        self.outbox.put([record(RUN, doc)], probe=probe)

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        """Complete the run record with the outcome of the crawl."""
        if self.outbox is None or self.run_id is None:
            return
        db = self.outbox.link.database(probe=False)  # the store pipeline's close has just tried it
        site, mode = getattr(spider, "site", spider.name), getattr(spider, "mode", None)
        coverage = {} if db is None else await asyncio.to_thread(judge_run, db[CRAWL_RUNS], self.crawler, site, mode)
        fields = coverage | closing_fields(self.crawler.stats.get_stats(), reason, datetime.now(UTC),
                                           getattr(spider, "plan_info", {}))
        await asyncio.to_thread(self._write, {**self.opening, **fields}, False)
        logger.info("run record %s: %s, %d article pages, %d new, %d updated, %d unchanged", self.run_id, reason,
                    fields["pages"]["articles"], fields["articles"]["new"], fields["articles"]["updated"],
                    fields["articles"]["unchanged"])
