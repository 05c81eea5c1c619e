"""Resumable runs with `-s JOBDIR=…`, safe even after kill -9.

Scrapy's own JOBDIR state is not: its request queue writes its index (info.json, active.json) only on a clean
close, while the seen-request file is appended as requests are scheduled, so after kill -9 requests that were
scheduled but never done are filtered as seen and lost. akhbar therefore keeps Scrapy's scheduler in memory and
writes only a small job file; a resumed job discovers again (sitemaps, feeds, listings are cheap) and skips the
articles the store shows it already saved since the job started.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

JOB_FILE = "akhbar-job.json"
# Above "cmdline" (40): CrawlerProcess.crawl(crawler) merges the runner's settings into the crawler again, and an
# equal priority would bring `-s JOBDIR` back.
_TAKEOVER_PRIORITY = 50


@dataclass(frozen=True)
class JobState:
    """One job in a JOBDIR: what it crawls and when it first started."""

    path: Path
    identity: dict[str, str]
    started_at: datetime
    resumed: bool
    replaced: bool = False


def take_over_jobdir(settings: BaseSettings) -> None:
    """Move JOBDIR to AKHBAR_JOBDIR so Scrapy keeps its queue and seen-set in memory."""
    jobdir = settings.get("JOBDIR")
    if jobdir:
        settings.set("AKHBAR_JOBDIR", jobdir, priority=_TAKEOVER_PRIORITY)
        settings.set("JOBDIR", None, priority=_TAKEOVER_PRIORITY)


def _write(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    os.replace(tmp, path)  # atomic: a kill mid-write leaves the previous file


def open_job(jobdir: str | Path, identity: dict[str, str], now: datetime | None = None) -> JobState:
    """Resume the unfinished job of this crawl in jobdir, or start a new one there."""
    path = Path(jobdir) / JOB_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    previous: dict[str, Any] = {}
    if path.exists():
        try:
            previous = json.loads(path.read_text())
        except (OSError, ValueError):
            previous = {}
    if previous and not previous.get("finished_at") and previous.get("identity") == identity:
        previous["attempts"] = int(previous.get("attempts", 1)) + 1
        _write(path, previous)
        return JobState(path, identity, datetime.fromisoformat(previous["started_at"]), resumed=True)
    started = now or datetime.now(UTC)
    _write(path, {"identity": identity, "started_at": started.isoformat(), "finished_at": None, "attempts": 1})
    replaced = bool(previous) and not previous.get("finished_at")
    return JobState(path, identity, started, resumed=False, replaced=replaced)


def finish_job(job: JobState, now: datetime | None = None) -> None:
    """Mark the job done: the next run with this JOBDIR starts a new job."""
    data = json.loads(job.path.read_text())
    data["finished_at"] = (now or datetime.now(UTC)).isoformat()
    _write(job.path, data)
